"""iCalendar feeds (RFC 5545): a council's sessions, and a user's deadlines."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from .models import Commitment, Council, Session


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Council Tracker//council-tracker//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def _link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def sessions_feed(council: Council, sessions) -> bytes:
    """Sessions as all-day events over their dates (sessions are recorded by day), with the
    council's time zone for clients that place them in a day grid."""
    calendar = _calendar(str(council))
    calendar.add_component(Timezone.from_tzid(settings.TIME_ZONE))
    stamp = timezone.now()
    for session in sessions:
        event = Event()
        event.add("uid", f"session-{session.pk}@council-tracker")
        event.add("dtstamp", stamp)
        event.add("summary", str(session))
        event.add("dtstart", session.start_date)
        event.add("dtend", (session.end_date or session.start_date) + datetime.timedelta(days=1))
        if session.city:
            event.add("location", session.city)
        event.add(
            "status", "CANCELLED" if session.status == Session.Status.CANCELLED else "CONFIRMED"
        )
        event.add("url", _link(session.get_absolute_url()))
        event.add(
            "description",
            _("Session %(n)s of %(council)s") % {"n": session.number, "council": council.name},
        )
        calendar.add_component(event)
    return calendar.to_ical()


def deadlines_feed(name: str, commitments) -> bytes:
    """Each open commitment's dated deadline as an all-day event."""
    calendar = _calendar(name)
    stamp = timezone.now()
    for commitment in commitments:
        event = Event()
        event.add("uid", f"deadline-{commitment.pk}@council-tracker")
        event.add("dtstamp", stamp)
        event.add("summary", _("Deadline: %(c)s") % {"c": commitment})
        event.add("dtstart", commitment.deadline)
        event.add("dtend", commitment.deadline + datetime.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        event.add("url", _link(commitment.get_absolute_url()))
        event.add("description", f"{commitment.session}\n{commitment.text}")
        calendar.add_component(event)
    return calendar.to_ical()


def open_dated(commitments) -> list[Commitment]:
    return list(
        commitments.open()
        .filter(deadline_kind=Commitment.DeadlineKind.DATE)
        .select_related("session__council")
        .order_by("deadline", "pk")
    )
