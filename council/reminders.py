"""Reminders: decide from the database what is due, record it once, then deliver it.

The scan is the source of truth. It computes, for "today" in the project's time zone,
the latest occurrence of every rule that has arrived (a scan that missed days catches
up with the most recent one instead of sending a backlog), and inserts one ``Reminder``
row per (rule, object, recipient, occurrence) with ``ignore_conflicts`` on its unique
key: a second or overlapping scan inserts nothing. Delivery locks the row, sends, and
marks it sent in the same transaction, so a retry or a second worker finds it sent.
The one window left: the mail server accepted the message and the process died before
the transaction committed; the reminder is then sent again (README, "Reminders").
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import roles, workdays
from .cycles import DUE, interim_reports, period_of, reporting_period
from .models import (
    Agency,
    Commitment,
    Council,
    Reminder,
    ReminderMute,
    ReminderRule,
    ReportingCycle,
    Responsibility,
    Session,
    User,
)
from .querysets import agency_subtree, local_today
from .text import one_line, xml_safe

logger = logging.getLogger(__name__)
Kind = ReminderRule.Kind
CHUNK = 2000
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Due:
    """A reminder the rules say is due; becomes a ``Reminder`` row."""

    kind: str
    recipient_id: int
    occurrence: datetime.date
    council_id: int | None = None
    commitment_id: int | None = None
    session_id: int | None = None

    @property
    def key(self) -> str:
        target = (
            f"c{self.commitment_id}"
            if self.commitment_id
            else f"s{self.session_id}"
            if self.session_id
            else "all"
        )
        return f"{self.kind}:{target}:u{self.recipient_id}:{self.occurrence.isoformat()}"

    def as_reminder(self) -> Reminder:
        return Reminder(
            key=self.key,
            kind=self.kind,
            recipient_id=self.recipient_id,
            occurrence=self.occurrence,
            council_id=self.council_id,
            commitment_id=self.commitment_id,
            session_id=self.session_id,
        )


# Occurrences: pure date arithmetic, tested with frozen "today" ---------------------------


def before_deadline_occurrence(deadline: datetime.date, offsets: list[int], today: datetime.date):
    """The latest "N days before" date that has arrived, or None (nothing due yet, or past)."""
    days_left = (deadline - today).days
    if days_left < 0:
        return None
    arrived = [o for o in offsets if o >= days_left]
    return deadline - datetime.timedelta(days=min(arrived)) if arrived else None


def overdue_occurrence(
    deadline: datetime.date, first: int, every: int | None, today: datetime.date
):
    """The latest overdue reminder date: ``first`` days after the deadline, then every ``every``."""
    start = deadline + datetime.timedelta(days=first)
    if today < start:
        return None
    if not every:
        return start
    periods = (today - start).days // every
    return start + datetime.timedelta(days=periods * every)


def weekly_occurrence(weekday: int, today: datetime.date) -> datetime.date:
    """The most recent ``weekday`` (1 = Monday) on or before today."""
    return today - datetime.timedelta(days=(today.isoweekday() - weekday) % 7)


# Recipients -------------------------------------------------------------------------------


class Recipients:
    """Who gets what: loaded once per scan, so the scan's queries do not grow with rows."""

    def __init__(self):
        active = User.objects.filter(is_active=True)
        focal = Group.objects.filter(name=roles.FOCAL_POINT)
        self.parent_of = dict(Agency.objects.values_list("pk", "parent_id"))
        self.focal_by_agency: dict[int, set[int]] = defaultdict(set)
        for user_id, agency_id in active.filter(groups__in=focal, agency__isnull=False).values_list(
            "pk", "agency_id"
        ):
            self.focal_by_agency[agency_id].add(user_id)
        self.managers = set(
            active.filter(Q(groups__name=roles.MANAGER) | Q(is_superuser=True)).values_list(
                "pk", flat=True
            )
        )
        self.secretariat_by_council: dict[int, set[int]] = defaultdict(set)
        for council_id, user_id in Council.secretariat_staff.through.objects.filter(
            user__is_active=True
        ).values_list("council_id", "user_id"):
            self.secretariat_by_council[council_id].add(user_id)
        self.muted = set(ReminderMute.objects.values_list("user_id", "council_id"))

    def focal_points_for(self, agency_id: int) -> set[int]:
        """Focal points of the agency and of every agency above it: the rule of
        ``querysets.agency_subtree`` (a focal point answers for the bodies under their
        agency) walked upwards, over the tree loaded once for the whole scan."""
        found: set[int] = set()
        seen: set[int] = set()
        while agency_id and agency_id not in seen:
            seen.add(agency_id)
            found |= self.focal_by_agency.get(agency_id, set())
            agency_id = self.parent_of.get(agency_id)
        return found

    def for_commitment(self, council_id: int, agency_ids: Iterable[int]) -> set[int]:
        users: set[int] = set()
        for agency_id in agency_ids:
            users |= self.focal_points_for(agency_id)
        # Nobody at the agencies uses the app: the council's secretariat chases it.
        return self.allowed(users or self.secretariat_by_council.get(council_id, set()), council_id)

    def allowed(self, users: Iterable[int], council_id: int | None) -> set[int]:
        return {u for u in users if (u, council_id) not in self.muted}


def _open_dated(queryset) -> Iterator[tuple[int, int, datetime.date, list[int]]]:
    """(commitment id, council id, deadline, responsible agency ids), in chunks."""
    rows = queryset.filter(
        status__in=Commitment.OPEN_STATUSES, deadline_kind=Commitment.DeadlineKind.DATE
    ).order_by("deadline", "pk")
    for chunk in _chunks(rows.values_list("pk", "session__council_id", "deadline")):
        agencies: dict[int, list[int]] = defaultdict(list)
        for commitment_id, agency_id in Responsibility.objects.filter(
            commitment_id__in=[row[0] for row in chunk]
        ).values_list("commitment_id", "agency_id"):
            agencies[commitment_id].append(agency_id)
        for commitment_id, council_id, deadline in chunk:
            yield commitment_id, council_id, deadline, agencies[commitment_id]


def _chunks(values) -> Iterator[list]:
    chunk = []
    for row in values.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# The scan ----------------------------------------------------------------------------


def due_reminders(today: datetime.date | None = None) -> Iterator[Due]:
    """Every reminder the active rules say is due on ``today``."""
    today = today or local_today()
    rules = {rule.kind: rule for rule in ReminderRule.objects.filter(is_active=True)}
    if not rules:
        return
    people = Recipients()
    commitments = Commitment.objects.all()

    rule = rules.get(Kind.BEFORE_DEADLINE)
    if rule and rule.day_list:
        offsets = rule.day_list
        window = commitments.filter(
            deadline__gte=today, deadline__lte=today + datetime.timedelta(days=max(offsets))
        )
        for commitment_id, council_id, deadline, agencies in _open_dated(window):
            occurrence = before_deadline_occurrence(deadline, offsets, today)
            if occurrence:
                for user_id in people.for_commitment(council_id, agencies):
                    yield Due(Kind.BEFORE_DEADLINE, user_id, occurrence, council_id, commitment_id)

    rule = rules.get(Kind.OVERDUE)
    if rule:
        first = (rule.day_list or [1])[-1]
        late = commitments.filter(deadline__lte=today - datetime.timedelta(days=first))
        for commitment_id, council_id, deadline, agencies in _open_dated(late):
            occurrence = overdue_occurrence(deadline, first, rule.repeat_every_days, today)
            if occurrence:
                for user_id in people.for_commitment(council_id, agencies):
                    yield Due(Kind.OVERDUE, user_id, occurrence, council_id, commitment_id)

    rule = rules.get(Kind.ESCALATION)
    if rule and rule.day_list:
        after = rule.day_list[-1]
        late = commitments.filter(deadline__lte=today - datetime.timedelta(days=after))
        for commitment_id, council_id, deadline, _agencies in _open_dated(late):
            occurrence = deadline + datetime.timedelta(days=after)
            for user_id in people.allowed(people.managers, council_id):
                yield Due(Kind.ESCALATION, user_id, occurrence, council_id, commitment_id)

    rule = rules.get(Kind.SESSION_PREPARATION)
    if rule and rule.day_list:
        ahead = rule.day_list[0]
        sessions = Session.objects.planned().filter(
            start_date__gt=today, start_date__lte=today + datetime.timedelta(days=ahead)
        )
        for session_id, council_id, start in sessions.values_list("pk", "council_id", "start_date"):
            occurrence = start - datetime.timedelta(days=ahead)
            agencies = (
                Responsibility.objects.filter(
                    commitment__session__council_id=council_id,
                    commitment__status__in=Commitment.OPEN_STATUSES,
                    commitment__is_monitored=True,
                )
                .values_list("agency_id", flat=True)
                .distinct()
            )
            users: set[int] = set()
            for agency_id in agencies:
                users |= people.focal_points_for(agency_id)
            for user_id in people.allowed(users, council_id):
                yield Due(
                    Kind.SESSION_PREPARATION, user_id, occurrence, council_id, session_id=session_id
                )

    rule = rules.get(Kind.INTERIM_REPORT)
    if rule and rule.day_list:
        yield from _interim_due(rule.day_list, today, people)

    rule = rules.get(Kind.WEEKLY_DIGEST)
    if rule:
        occurrence = weekly_occurrence((rule.day_list or [1])[0], today)
        for user_id in people.managers:
            yield Due(Kind.WEEKLY_DIGEST, user_id, occurrence)


def _interim_due(offsets: list[int], today: datetime.date, people: Recipients) -> Iterator[Due]:
    """Reminders before a side's interim report falls due, to that side's focal points
    (the secretariat when it has none); a side that has reported gets none."""
    cycles = (
        ReportingCycle.objects.filter(
            is_active=True, commitment__status__in=Commitment.OPEN_STATUSES
        )
        .select_related("commitment")
        .only("pk", "period", "due_day", "starts_on", "commitment__council_id")
    )
    reports = interim_reports(cycles, today)
    agencies: dict[tuple[int, int], list[int]] = defaultdict(list)
    for commitment_id, party_id, agency_id in Responsibility.objects.filter(
        commitment_id__in={r.cycle.commitment_id for r in reports}
    ).values_list("commitment_id", "party_id", "agency_id"):
        agencies[commitment_id, party_id].append(agency_id)
    for report in reports:
        if report.state == DUE:
            due = report.period.due
        elif report.current_reported_on is None:
            due = report.current.due
        else:
            continue
        occurrence = before_deadline_occurrence(due, offsets, today)
        if not occurrence:
            continue
        commitment_id = report.cycle.commitment_id
        council_id = report.cycle.commitment.council_id
        for user_id in people.for_commitment(council_id, agencies[commitment_id, report.party_id]):
            yield Due(Kind.INTERIM_REPORT, user_id, occurrence, council_id, commitment_id)


def pending_ids(limit: int = 10_000, now: datetime.datetime | None = None) -> list[int]:
    """The pending reminders to send now: those whose recipient's office is at work
    (``workdays``); the others stay pending and a later scan sends them, on the next
    working morning in the recipient's country (no task waits days in the broker)."""
    pending = Reminder.objects.filter(status=Reminder.Status.PENDING).order_by("created_at", "pk")
    if not settings.REMINDERS_WORKING_HOURS_ONLY:
        return list(pending.values_list("pk", flat=True)[:limit])
    now = now or timezone.now()
    rows = list(pending.values_list("pk", "recipient__agency__party__code", "council_id")[:limit])
    first_party = council_first_party({council for _pk, code, council in rows if not code})
    at_work: dict[str | None, bool] = {}
    found = []
    for pk, code, council_id in rows:
        code = code or first_party.get(council_id)
        if code not in at_work:
            at_work[code] = workdays.is_working_moment(now, code)
        if at_work[code]:
            found.append(pk)
    return found


def council_first_party(council_ids: set[int | None]) -> dict[int, str]:
    """Each council's first party's code (one query): the country of a recipient who
    belongs to no agency (the secretariat, a manager)."""
    first: dict[int, str] = {}
    council_ids.discard(None)
    if not council_ids:
        return first
    for council_id, code in (
        Council.parties.through.objects.filter(council_id__in=council_ids)
        .order_by("council_id", "party__order", "party__name")
        .values_list("council_id", "party__code")
    ):
        first.setdefault(council_id, code)
    return first


def recipient_country(reminder: Reminder) -> str | None:
    """The country whose working hours a reminder waits for: the recipient's agency's
    party, else the council's first party, else none (the project's time zone)."""
    agency = reminder.recipient.agency
    if agency is not None:
        return agency.party.code
    return council_first_party({reminder.council_id}).get(reminder.council_id)


def may_send_now(reminder: Reminder, now: datetime.datetime | None = None) -> bool:
    if not settings.REMINDERS_WORKING_HOURS_ONLY:
        return True
    return workdays.is_working_moment(now or timezone.now(), recipient_country(reminder))


# Delivery ---------------------------------------------------------------------------------


def still_relevant(reminder: Reminder) -> bool:
    """A reminder about a commitment since done (or a session since held) is not sent;
    an event notification tells of something that happened, and is always sent."""
    if reminder.is_event:
        return True
    if reminder.kind == Kind.INTERIM_REPORT:  # the cycle may have been stopped since
        return (
            reminder.commitment.status in Commitment.OPEN_STATUSES
            and ReportingCycle.objects.filter(
                commitment_id=reminder.commitment_id, is_active=True
            ).exists()
        )
    if reminder.commitment_id:
        return reminder.commitment.status in Commitment.OPEN_STATUSES
    if reminder.session_id:
        return reminder.session.status == Session.Status.PLANNED
    return True


def is_permanent(error: Exception) -> bool:
    """Whether sending again would fail the same way.

    The server's 5xx answer about this message or its recipient is final; a connection
    or timeout failure, a 4xx answer, and the server refusing our login or our sender
    (configuration, fixed once for every reminder) are worth another scan. Anything
    else (a header the mail library will not write) fails again identically.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code >= 500
    # SMTPException (connection, login, sender, 4xx) is an OSError, as is a timeout.
    return not isinstance(error, OSError | DatabaseError)


def build_message(reminder: Reminder) -> EmailMultiAlternatives:
    """The e-mail, in the recipient's language, HTML and plain text, linking to the item.

    The subject is one line (``text.one_line``): a line break, U+2028 or a control
    character in a title would make the header unwritable. Both bodies are cleaned of what
    no mail should carry; the HTML escapes the subject like any other text.
    """
    recipient = reminder.recipient
    name = "event" if reminder.is_event else "reminder"
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        context = message_context(reminder)
        subject = one_line(render_to_string(f"email/{name}_subject.txt", context))
        context["subject"] = subject
        text = xml_safe(render_to_string(f"email/{name}.txt", context))
        html = xml_safe(render_to_string(f"email/{name}.html", context))
    message = EmailMultiAlternatives(subject=subject, body=text, to=[recipient.email])
    message.attach_alternative(html, "text/html")
    return message


def _event_detail_labels() -> dict[str, str]:
    Event = Reminder.Event
    return {
        Event.COMPLETION_REPORTED: _("Report"),
        Event.COMPLETION_RETURNED: _("Reason"),
        Event.AT_RISK: _("Reason"),
        Event.EXTENSION_REQUESTED: _("Request"),
        Event.EXTENSION_DECIDED: _("Decision"),
    }


def message_context(reminder: Reminder) -> dict:
    today = local_today()
    context = {
        "reminder": reminder,
        "recipient": reminder.recipient,
        "link": settings.SITE_URL.rstrip("/") + reminder.get_absolute_url(),
        "today": today,
    }
    if reminder.commitment_id:
        commitment = reminder.commitment
        context["commitment"] = commitment
        context["days_left"] = (commitment.deadline - today).days if commitment.deadline else None
        context["days_late"] = (today - commitment.deadline).days if commitment.deadline else None
    if reminder.kind == Kind.INTERIM_REPORT:
        cycle = ReportingCycle.objects.filter(
            commitment_id=reminder.commitment_id, is_active=True
        ).first()
        if cycle is not None:
            owed = reporting_period(cycle, today)
            period = (
                owed
                if owed and today <= owed.due
                else period_of(today, cycle.period, cycle.due_day)
            )
            context["interim_period"] = period
            context["days_left"] = (period.due - today).days
    if reminder.is_event:
        context["party"] = reminder.party
        context["actor"] = (
            (reminder.actor.get_full_name() or reminder.actor.username)
            if reminder.actor_id
            else _("The council's secretariat")
        )
        context["detail_label"] = _event_detail_labels().get(reminder.kind, _("Note"))
    if reminder.kind == Kind.SESSION_PREPARATION:
        context["session"] = reminder.session
        context["commitments"] = (
            Commitment.objects.for_council(reminder.session.council)
            .open()
            .monitored()
            .responsible(agency_subtree(reminder.recipient.agency_id))
            .select_related("session__council")
            .order_by("deadline", "pk")
        )
    if reminder.kind == Kind.WEEKLY_DIGEST:
        context["digest"] = [
            {
                "council": council,
                "open": Commitment.objects.for_council(council).open().count(),
                "overdue": Commitment.objects.for_council(council).overdue(today).count(),
                "due_soon": Commitment.objects.for_council(council).due_within(30, today).count(),
                "awaiting": Commitment.objects.for_council(council)
                .filter(status=Commitment.Status.COMPLETION_REPORTED)
                .count(),
            }
            for council in Council.objects.filter(is_active=True).order_by("name")
        ]
    return context
