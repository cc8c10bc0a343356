"""Fields and validators that turn away values the app cannot hold or show.

Ids: a choice arrives as text from the URL or a form. Django's own fields pass it to the
database: on SQLite an id beyond 64 bits in an ``IN (…)`` raises OverflowError (a 500),
and other backends may answer such values with DataError. The choice fields here answer
with the form's ordinary "Select a valid choice" error instead.

Dates: a date field takes anything from 0001-01-01 to 9999-12-31, but a calendar feed
needs the day after a deadline, a spreadsheet counts days from 1900, and a year typed
as 0025 or 20025 is a typo. Every date a user records goes through
``validate_recorded_date`` (on the model field, so forms and the admin both check it).
"""

from __future__ import annotations

import datetime
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.utils.formats import date_format
from django.utils.translation import gettext

_INTEGER = re.compile(r"-?[0-9]{1,20}")  # ASCII digits only; 20 digits hold any 64-bit id
_INTEGER_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
    }
)


def could_be_key(field: forms.ModelChoiceField, value) -> bool:
    """Whether ``value`` is an integer within the range of the key column ``field`` looks
    up (always true for keys that are not integers: those are left to Django)."""
    meta = field.queryset.model._meta
    column = meta.get_field(field.to_field_name) if field.to_field_name else meta.pk
    while column.is_relation:  # a primary key that is a one-to-one link
        column = column.target_field
    kind = column.get_internal_type()
    if kind not in _INTEGER_TYPES:
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        number = int(value)
    else:
        return False
    low, high = connections[field.queryset.db].ops.integer_field_range(kind)
    return (low is None or number >= low) and (high is None or number <= high)


def _invalid_choice(field: forms.ModelChoiceField, value) -> ValidationError:
    return ValidationError(
        field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
    )


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses an impossible id without a query."""

    def to_python(self, value):
        if (
            value not in self.empty_values
            and not isinstance(value, self.queryset.model)
            and not could_be_key(self, value)
        ):
            raise _invalid_choice(self, value)
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses an impossible id without a query."""

    def _check_values(self, value):
        if isinstance(value, (list, tuple)):
            for pk in value:
                if isinstance(pk, self.queryset.model):
                    continue
                if not could_be_key(self, pk):
                    raise _invalid_choice(self, pk)
        return super()._check_values(value)


def id_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """``formfield_callback`` for ModelForms: relations get the fields above."""
    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", IdMultipleChoiceField)
    elif isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", IdChoiceField)
    return db_field.formfield(**kwargs)


# The dates a user may record: from when any record of these councils could begin to
# far beyond any deadline they set, with room on both sides for date arithmetic.
FIRST_DATE = datetime.date(1900, 1, 1)
LAST_DATE = datetime.date(2100, 12, 31)


def validate_recorded_date(value: datetime.date | None) -> None:
    """Refuse a date outside ``FIRST_DATE``–``LAST_DATE`` with a message naming both."""
    if value is None or FIRST_DATE <= value <= LAST_DATE:
        return
    raise ValidationError(
        gettext("Enter a date from %(first)s to %(last)s."),
        code="date_out_of_range",
        params={
            "first": date_format(FIRST_DATE, "SHORT_DATE_FORMAT"),
            "last": date_format(LAST_DATE, "SHORT_DATE_FORMAT"),
        },
    )


class DateRangeField(django_filters.fields.DateRangeField):
    """A range of two dates that refuses its first date after its second: a reversed range
    would list nothing and not say why."""

    def clean(self, value):
        value = super().clean(value)
        if value and value.start and value.stop and value.start > value.stop:
            raise ValidationError(
                gettext("The first date is after the second: swap them."), code="reversed"
            )
        return value
