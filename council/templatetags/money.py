"""Amounts of money in the reader's language: ``{{ value|money:"USD" }}``.

Large amounts are shown the way reports write them — "USD 1.4 bn" in English,
"1,4 млрд долл. США" in Russian — with the locale's decimal separator; smaller ones in
full with the locale's thousands separator ("USD 12,500", "12 500 долл. США"). The order
of amount and currency, the scale words and the currency names are in the catalogues.

Babel's ``format_compact_currency``/``format_compact_decimal`` (which know ru, kk and ky)
are not used: they write the currency as a symbol ("1,4 млрд $", "$1.4B"), not the
name documents use ("долл. США", "USD 1.4 bn"); Kyrgyz as "млд", not "млрд"; and they
round half to even (1,25 → "1,2"), where reports round half up ("1,3").
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.translation import pgettext

register = template.Library()

BILLION = Decimal(1_000_000_000)
MILLION = Decimal(1_000_000)


def currency_name(code: str) -> str:
    """The currency as written next to an amount; an unknown code is shown as it is."""
    names = {
        "USD": pgettext("currency next to an amount", "USD"),
        "EUR": pgettext("currency next to an amount", "EUR"),
        "KZT": pgettext("currency next to an amount", "KZT"),
        "KGS": pgettext("currency next to an amount", "KGS"),
        "RUB": pgettext("currency next to an amount", "RUB"),
        "CNY": pgettext("currency next to an amount", "CNY"),
    }
    return names.get(code.upper(), code.upper())


def _short(value: Decimal) -> str:
    """At most one decimal place, none when it is zero: 1.4, 326, 2."""
    rounded = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    places = 0 if rounded == rounded.to_integral_value() else 1
    return number_format(rounded, decimal_pos=places, force_grouping=True)


@register.filter
def money(value, currency: str = "USD") -> str:
    """``1400000000|money:"USD"`` → "USD 1.4 bn" (en), "1,4 млрд долл. США" (ru)."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    context = {"currency": currency_name(currency)}
    size = abs(amount)
    if size >= BILLION:
        context["amount"] = _short(amount / BILLION)
        # Translators: an amount in billions, e.g. "USD 1.4 bn"; in Russian "1,4 млрд долл. США".
        return pgettext("money", "%(currency)s %(amount)s bn") % context
    if size >= MILLION:
        context["amount"] = _short(amount / MILLION)
        # Translators: an amount in millions, e.g. "USD 326 m"; in Russian "326 млн долл. США".
        return pgettext("money", "%(currency)s %(amount)s m") % context
    places = 0 if amount == amount.to_integral_value() else 2
    context["amount"] = number_format(amount, decimal_pos=places, force_grouping=True)
    # Translators: an amount in full, e.g. "USD 12,500"; in Russian "12 500 долл. США".
    return pgettext("money", "%(currency)s %(amount)s") % context
