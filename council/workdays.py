"""Working days and hours in each party's country.

A date is a working day in Kazakhstan or Kyrgyzstan unless it is a weekend day or a
public holiday there, including the days off moved by government decree (a Friday off
"transferred" from a Saturday, which is then worked): the ``holidays`` package knows
both countries' transfers. Everything here is in memory (the calendars are built once
per country and year), so lists may ask row by row without a query.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from functools import lru_cache
from typing import NamedTuple

import holidays
from django.conf import settings
from django.utils.translation import gettext_lazy as _

# The parties' time zones; any other party works in the project's own.
TIME_ZONES = {"KZ": "Asia/Almaty", "KG": "Asia/Bishkek"}
# When an e-mail may reach an office: from 09:00 to 18:00 local time.
WORK_STARTS = datetime.time(9, 0)
WORK_ENDS = datetime.time(18, 0)

# The package names holidays in English; the pages say them in the reader's language.
HOLIDAY_NAMES = {
    "New Year's Day": _("New Year's Day"),
    "New Year Holidays": _("New Year holidays"),
    "Orthodox Christmas": _("Orthodox Christmas"),
    "Christmas Day": _("Orthodox Christmas"),
    "International Women's Day": _("International Women's Day"),
    "Nowruz Holiday": _("Nauryz"),
    "Nooruz Holiday": _("Nooruz"),
    "Kazakhstan's People Solidarity Holiday": _("Day of Unity of the People of Kazakhstan"),
    "Defender of the Fatherland Day": _("Defender of the Fatherland Day"),
    "Victory Day": _("Victory Day"),
    "Eid al-Adha": _("Kurban Ait"),
    "Eid al-Fitr": _("Orozo Ait"),
    "Capital Day": _("Capital Day"),
    "Constitution Day": _("Constitution Day"),
    "Republic Day": _("Republic Day"),
    "Independence Day": _("Independence Day"),
    "Labor Day": _("Labour Day"),
    "May Holidays": _("May holidays"),
    "Additional public holiday": _("Additional day off"),
    "Day off": _("Day off moved by decree"),
    "Days of History and Commemoration of Ancestors": _(
        "Days of History and Commemoration of Ancestors"
    ),
    "Day of the Great October Socialist Revolution": _("October Revolution Day"),
}
OBSERVED = re.compile(r"\s*\((observed|substituted[^)]*|estimated)\)\s*", re.IGNORECASE)


class NonWorkingDay(NamedTuple):
    """Why a date is not worked in a country: a weekend day or a (named) holiday."""

    code: str
    date: datetime.date
    name: str  # translated lazily: the reader's language when shown

    @property
    def is_weekend(self) -> bool:
        return not self.name


@lru_cache(maxsize=64)
def _calendar(code: str, year: int) -> holidays.HolidayBase | None:
    try:
        return holidays.country_holidays(code, years=year, language="en_US")
    except NotImplementedError:  # a country the package does not know: weekends only
        return None


def holiday_name(code: str, day: datetime.date):
    """The holiday's name on ``day`` in the country ``code``, translated; '' if none."""
    calendar = _calendar(code, day.year)
    raw = calendar.get(day) if calendar is not None else None
    if not raw:
        return ""
    names = []
    for part in raw.split(";"):
        part = part.strip()
        moved = bool(OBSERVED.search(part))
        base = OBSERVED.sub("", part).strip()
        name = HOLIDAY_NAMES.get(base, base)
        names.append(_("%(name)s (day off moved)") % {"name": name} if moved else name)
    return "; ".join(str(n) for n in names)


def is_working_day(day: datetime.date, code: str | None) -> bool:
    """Whether ``day`` is worked in the country ``code`` (a weekday that is no holiday, or
    a weekend day worked instead of one moved)."""
    calendar = _calendar(code, day.year) if code else None
    if calendar is None:
        return day.weekday() < 5
    return calendar.is_working_day(day)


def non_working(day: datetime.date | None, code: str | None) -> NonWorkingDay | None:
    """Why ``day`` is not worked in ``code``'s country, or None when it is (or no date)."""
    if day is None or not code or is_working_day(day, code):
        return None
    return NonWorkingDay(code, day, holiday_name(code, day))


def time_zone(code: str | None) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(TIME_ZONES.get(code or "", settings.TIME_ZONE))


def is_working_moment(moment: datetime.datetime, code: str | None) -> bool:
    """Whether an office in ``code``'s country is at work at ``moment`` (aware)."""
    local = moment.astimezone(time_zone(code))
    return is_working_day(local.date(), code) and WORK_STARTS <= local.time() < WORK_ENDS


def next_working_moment(now: datetime.datetime, code: str | None) -> datetime.datetime:
    """``now`` if an office in ``code``'s country is at work then, else the start of its
    next working day (aware, in that country's time zone)."""
    zone = time_zone(code)
    local = now.astimezone(zone)
    if is_working_moment(now, code):
        return local
    day = local.date()
    if local.time() >= WORK_STARTS or not is_working_day(day, code):
        day += datetime.timedelta(days=1)
    for _step in range(60):  # the longest run of days off is a couple of weeks
        if is_working_day(day, code):
            break
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, WORK_STARTS, tzinfo=zone)


def country_label(code: str):
    """ "in Kazakhstan", for a sentence about a day off there."""
    return {"KZ": _("in Kazakhstan"), "KG": _("in Kyrgyzstan")}.get(code, code)
