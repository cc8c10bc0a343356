"""Deadlines on a day off: which responsible party's country does not work that day.

Reads the commitment's responsibilities as already loaded (``for_list`` and the
commitment page prefetch them with their party) and the holiday calendars in memory:
no query per row.
"""

from __future__ import annotations

from django import template

from ..querysets import responsible_of
from ..workdays import NonWorkingDay, country_label, non_working

register = template.Library()


@register.simple_tag
def deadline_days_off(commitment) -> list[dict]:
    """For a dated deadline, each responsible party's country where it is not worked."""
    deadline = getattr(commitment, "deadline", None)
    if deadline is None:
        return []
    codes = []
    for responsible in responsible_of(commitment):
        if responsible.code not in codes:
            codes.append(responsible.code)
    found = []
    for code in codes:
        off: NonWorkingDay | None = non_working(deadline, code)
        if off is not None:
            found.append({"code": code, "country": country_label(code), "name": off.name})
    return found
