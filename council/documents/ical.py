"""iCalendar feeds (RFC 5545): a council's sessions, and a user's deadlines.

Text goes through ``council.text`` (a calendar line carries no control character, and
a summary or a location is one line); an all-day event on the last day a date can hold
(9999-12-31) has no DTEND, which RFC 5545 reads as one day (section 3.6.1), since the
day after it cannot be written.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from ..models import Commitment, Council, Session
from ..text import one_line, xml_safe


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Council Tracker//council-tracker//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", one_line(name))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def _all_day(event: Event, first: datetime.date, last: datetime.date) -> None:
    """``first`` to ``last`` inclusive; DTEND is the day after, when there is one."""
    event.add("dtstart", first)
    last = max(first, last)
    if last < datetime.date.max:
        event.add("dtend", last + datetime.timedelta(days=1))
    elif last > first:
        event.add("duration", datetime.timedelta(days=(last - first).days + 1))


def sessions_feed(council: Council, sessions, *, site_url: str) -> bytes:
    """Sessions as all-day events over their dates (sessions are recorded by day), with the
    council's time zone for clients that place them in a day grid. Links start with
    ``site_url`` (the address the feed was asked at)."""
    calendar = _calendar(str(council))
    calendar.add_component(Timezone.from_tzid(settings.TIME_ZONE))
    stamp = timezone.now()
    for session in sessions:
        event = Event()
        event.add("uid", f"session-{session.pk}@council-tracker")
        event.add("dtstamp", stamp)
        event.add("summary", one_line(session, 1000))
        _all_day(event, session.start_date, session.end_date or session.start_date)
        if session.city:
            event.add("location", one_line(session.city, 1000))
        event.add(
            "status", "CANCELLED" if session.status == Session.Status.CANCELLED else "CONFIRMED"
        )
        event.add("url", _link(site_url, session.get_absolute_url()))
        event.add(
            "description",
            xml_safe(
                _("Session %(n)s of %(council)s") % {"n": session.number, "council": council.name}
            ),
        )
        calendar.add_component(event)
    return calendar.to_ical()


def deadlines_feed(name: str, commitments, *, site_url: str) -> bytes:
    """Each open commitment's dated deadline as an all-day event."""
    calendar = _calendar(name)
    stamp = timezone.now()
    for commitment in commitments:
        event = Event()
        event.add("uid", f"deadline-{commitment.pk}@council-tracker")
        event.add("dtstamp", stamp)
        event.add("summary", one_line(_("Deadline: %(c)s") % {"c": commitment}, 1000))
        _all_day(event, commitment.deadline, commitment.deadline)
        event.add("transp", "TRANSPARENT")
        event.add("url", _link(site_url, commitment.get_absolute_url()))
        event.add("description", xml_safe(f"{commitment.session}\n{commitment.text}"))
        calendar.add_component(event)
    return calendar.to_ical()


def _link(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + path


def open_dated(commitments) -> list[Commitment]:
    return list(
        commitments.open()
        .filter(deadline_kind=Commitment.DeadlineKind.DATE)
        .select_related("session__council")
        .order_by("deadline", "pk")
    )
