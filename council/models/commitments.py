"""Commitments and their follow-up: responsibilities, status updates, attachments and
review decisions."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..fields import validate_recorded_date
from ..querysets import DEADLINE_KEY, CommitmentQuerySet, local_today
from .base import Sourced, Withdrawable, choices_check
from .councils import Council
from .reference import Agency, Party, Sector
from .sessions import AgendaItem, Session


class CommitmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETION_REPORTED = "completion_reported", _("Completion reported")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    SUPERSEDED = "superseded", _("Superseded")


class CommitmentDeadlineKind(models.TextChoices):
    DATE = "date", _("By a date")
    NEXT_SESSION = "next_session", _("By the next session")
    ONGOING = "ongoing", _("Ongoing")


# The deadline as lists sort it: commitments "by the next session" or "ongoing" have no
# date and come after every dated one (the same on PostgreSQL and SQLite, and comparable
# in a keyset condition, which NULL is not).


class Commitment(Sourced):
    """A decision or instruction adopted at a session: who must do what, by when."""

    Status = CommitmentStatus
    DeadlineKind = CommitmentDeadlineKind

    OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.COMPLETION_REPORTED)

    # Which status may follow which. "Completion reported" waits for a manager to accept
    # (completed) or return it (in progress); a council may reopen a completed commitment.
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.NOT_STARTED: frozenset(
            {
                Status.IN_PROGRESS,
                Status.COMPLETION_REPORTED,
                Status.COMPLETED,
                Status.CANCELLED,
                Status.SUPERSEDED,
            }
        ),
        Status.IN_PROGRESS: frozenset(
            {Status.COMPLETION_REPORTED, Status.COMPLETED, Status.CANCELLED, Status.SUPERSEDED}
        ),
        Status.COMPLETION_REPORTED: frozenset({Status.COMPLETED, Status.IN_PROGRESS}),
        Status.COMPLETED: frozenset({Status.IN_PROGRESS}),
        Status.CANCELLED: frozenset(),
        Status.SUPERSEDED: frozenset(),
    }
    # Moves that undo or end work must say why.
    REASON_REQUIRED: frozenset[tuple[str, str]] = frozenset(
        {
            (Status.COMPLETION_REPORTED, Status.IN_PROGRESS),
            (Status.COMPLETED, Status.IN_PROGRESS),
            *((s, CommitmentStatus.CANCELLED) for s in OPEN_STATUSES),
            *((s, CommitmentStatus.SUPERSEDED) for s in OPEN_STATUSES),
        }
    )

    session = models.ForeignKey(
        Session, verbose_name=_("adopted at"), on_delete=models.PROTECT, related_name="commitments"
    )
    # The session's council, copied on save: lists filter by council and sort by deadline,
    # and one composite index can only serve both when the council is on this table.
    council = models.ForeignKey(
        Council,
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="commitments",
        editable=False,
        db_index=False,  # the indexes below all start with the council
    )
    # The session's first day, copied for the same reason: "newest first" sorts by it.
    adopted_on = models.DateField(_("adopted on"), editable=False)
    clause = models.CharField(
        _("protocol clause"), max_length=20, blank=True, help_text=_("For example 3.1")
    )
    title = models.CharField(_("short title"), max_length=300)
    text = models.TextField(_("text as adopted"))
    # The language ``title`` and ``text`` are recorded in; the other languages' texts are
    # its versions (``CommitmentVersion``).
    language = models.CharField(
        _("recorded in"), max_length=10, choices=settings.LANGUAGES, default="ru"
    )
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
    )
    deadline_kind = models.CharField(
        _("deadline"), max_length=20, choices=DeadlineKind, default=DeadlineKind.DATE
    )
    deadline = models.DateField(
        _("deadline date"), null=True, blank=True, validators=[validate_recorded_date]
    )
    # The dated deadline as first recorded (edits before any extension follow it): an
    # extension moves ``deadline``, never this, and reports measure "on time" against it.
    original_deadline = models.DateField(
        _("original deadline"), null=True, blank=True, editable=False
    )
    status = models.CharField(
        _("status"), max_length=30, choices=Status, default=Status.NOT_STARTED, editable=False
    )
    is_monitored = models.BooleanField(
        _("under monitoring"),
        default=True,
        help_text=_("The council still reviews this commitment at its sessions."),
    )
    carries_over = models.ForeignKey(
        "self",
        verbose_name=_("carries over / supersedes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_over_by",
        help_text=_("The earlier commitment this one continues or replaces."),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Optimistic locking: an edit saved from a stale form is refused, never silently lost.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = CommitmentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["session", "clause", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            choices_check("status", CommitmentStatus, "commitment_status_valid"),
            choices_check(
                "deadline_kind", CommitmentDeadlineKind, "commitment_deadline_kind_valid"
            ),
            # A dated deadline has a date; "next session" and "ongoing" have none.
            models.CheckConstraint(
                condition=Q(deadline_kind="date", deadline__isnull=False)
                | (~Q(deadline_kind="date") & Q(deadline__isnull=True)),
                name="commitment_deadline_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["session", "clause"],
                condition=~Q(clause=""),
                name="commitment_clause_unique_per_session",
            ),
            models.CheckConstraint(
                condition=~Q(carries_over=F("pk")), name="commitment_not_own_predecessor"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="commitment_status_deadline_idx"),
            # The reminder scan and "overdue" lists only ever look at open commitments, in
            # deadline order then id (the scan's order and the dashboard's lists).
            models.Index(
                fields=["deadline", "id"],
                name="commitment_open_deadline_idx",
                condition=Q(status__in=["not_started", "in_progress", "completion_reported"]),
            ),
            models.Index(fields=["session", "status"], name="commitment_session_status_idx"),
            # The implementation review: the monitored commitments of a council's earlier
            # sessions (a few percent of all) without reading the rest.
            models.Index(
                fields=["session"],
                name="commitment_monitored_sess_idx",
                condition=Q(is_monitored=True),
            ),
            models.Index(fields=["sector", "status"], name="commitment_sector_status_idx"),
            # The commitment list: a council (and a status), sorted by deadline, paged by
            # keyset on (deadline, id) with "no date" last, as the list shows it.
            models.Index(
                "council", "status", DEADLINE_KEY, "id", name="commitment_cncl_status_dl_idx"
            ),
            models.Index("council", DEADLINE_KEY, "id", name="commitment_council_dl_idx"),
            # Its capped count: ids in order, so with ``responsibility_agency_idx`` the
            # "responsible agency" filter is a merge join that stops at the cap (2 ms at 1M
            # commitments, where hashing the council's rows took 10 to 20 ms).
            models.Index("council", "status", "id", name="commitment_cncl_status_id_idx"),
            # The list's default: newest session first, each session in clause order.
            models.Index(
                F("adopted_on").desc(), F("session").desc(), "id", name="commitment_adopted_idx"
            ),
            models.Index(
                "council",
                F("adopted_on").desc(),
                F("session").desc(),
                "id",
                name="commitment_cncl_adopted_idx",
            ),
            # The dashboard's open / overdue / due-soon counts: every column they read is
            # here, so PostgreSQL counts from this small index without visiting the table.
            models.Index(
                fields=["council", "deadline", "deadline_kind"],
                name="commitment_open_council_dl_idx",
                condition=Q(status__in=["not_started", "in_progress", "completion_reported"]),
            ),
            # Every sort of the list (``querysets.LIST_ORDERINGS``), each read forwards or
            # backwards: without the council for managers (and the other roles, whose
            # councils are a list the planner filters while walking the order), and
            # with it for the council filter. The deadline and adoption sorts with the
            # council are the indexes above.
            models.Index("adopted_on", "session", "id", name="commitment_session_order_idx"),
            models.Index(
                "council", "adopted_on", "session", "id", name="commitment_cncl_sess_ord_idx"
            ),
            models.Index(DEADLINE_KEY, "id", name="commitment_dl_key_idx"),
            models.Index("status", "id", name="commitment_status_id_idx"),
            models.Index("title", "id", name="commitment_title_idx"),
            models.Index("council", "title", "id", name="commitment_cncl_title_idx"),
            # A status chosen in the filter, sorted by deadline: one status (a range of
            # this index), or every open one (the partial indexes).
            models.Index("status", DEADLINE_KEY, "id", name="commitment_status_dlkey_idx"),
            models.Index(
                DEADLINE_KEY,
                "id",
                name="commitment_open_dlkey_idx",
                condition=Q(status__in=["not_started", "in_progress", "completion_reported"]),
            ),
            models.Index(
                "council",
                DEADLINE_KEY,
                "id",
                name="commitment_cncl_open_dlkey_idx",
                condition=Q(status__in=["not_started", "in_progress", "completion_reported"]),
            ),
            # A search for a clause number ("3.1") matches the clause exactly.
            models.Index("clause", "id", name="commitment_clause_idx"),
        ]

    def __str__(self) -> str:
        prefix = f"{self.clause} " if self.clause else ""
        return f"{prefix}{self.title}"

    def save(self, *args, **kwargs):
        self._copy_council()
        if self._state.adding and self.original_deadline is None:
            self.original_deadline = self.deadline  # as recorded, before any extension
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "session" in update_fields:
            kwargs["update_fields"] = {*update_fields, "council", "adopted_on"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("council:commitment-detail", args=[self.pk])

    def clean_fields(self, exclude=None) -> None:
        self._copy_council()
        super().clean_fields(exclude=exclude)

    def _copy_council(self) -> None:
        if not self.session_id:
            return
        if Commitment.session.is_cached(self) and self.session.pk == self.session_id:
            self.council_id = self.session.council_id
            self.adopted_on = self.session.start_date
        else:
            self.council_id, self.adopted_on = (
                Session.objects.filter(pk=self.session_id).values_list("council_id", "start_date")
            ).first() or (None, None)

    @property
    def was_extended(self) -> bool:
        """Whether the deadline has moved from the original one (runs no query)."""
        return self.original_deadline is not None and self.deadline != self.original_deadline

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """True when open and its dated deadline has passed. Runs no query."""
        today = today or local_today()
        return (
            self.is_open
            and self.deadline_kind == self.DeadlineKind.DATE
            and self.deadline is not None
            and self.deadline < today
        )

    def allowed_transitions(self) -> frozenset[str]:
        return self.TRANSITIONS[self.status]

    def clean(self) -> None:
        errors = {}
        if self.deadline_kind == self.DeadlineKind.DATE and self.deadline is None:
            errors["deadline"] = _("Give the deadline date, or choose another kind of deadline.")
        if self.deadline_kind != self.DeadlineKind.DATE and self.deadline is not None:
            errors["deadline"] = _("Only a dated deadline takes a date.")
        if (
            self.agenda_item_id
            and self.session_id
            and self.agenda_item.session_id != self.session_id
        ):
            errors["agenda_item"] = _("The agenda item must belong to the same session.")
        if self.carries_over_id and self.session_id:
            earlier = self.carries_over
            if earlier.pk == self.pk:
                errors["carries_over"] = _("A commitment cannot carry itself over.")
            elif earlier.session.council_id != self.session.council_id:
                errors["carries_over"] = _("It must carry over a commitment of the same council.")
        if errors:
            raise ValidationError(errors)


class ResponsibilityRole(models.TextChoices):
    LEAD = "lead", _("Lead executor")
    CO_EXECUTOR = "co_executor", _("Co-executor")


class Responsibility(models.Model):
    """An agency responsible for a commitment, as lead executor or co-executor."""

    Role = ResponsibilityRole

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.PROTECT,
        related_name="responsibilities",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="responsibilities"
    )
    # Copied from the agency so the database can enforce one lead per party.
    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.PROTECT, editable=False
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.LEAD)

    history = HistoricalRecords()

    class Meta:
        ordering = ["commitment", "party__order", "role", "agency__name"]
        verbose_name = _("responsible agency")
        verbose_name_plural = _("responsible agencies")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "agency"], name="responsibility_agency_once"
            ),
            models.UniqueConstraint(
                fields=["commitment", "party"],
                condition=Q(role="lead"),
                name="responsibility_one_lead_per_party",
            ),
            choices_check("role", ResponsibilityRole, "responsibility_role_valid"),
        ]
        indexes = [models.Index(fields=["agency", "commitment"], name="responsibility_agency_idx")]

    def __str__(self) -> str:
        return f"{self.agency} — {self.get_role_display()}"

    def save(self, *args, **kwargs):
        self._copy_party()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self._copy_party()

    def validate_constraints(self, exclude=None) -> None:
        # ``party`` is never on a form, but "one lead per party" must still be checked
        # before the database refuses it.
        super().validate_constraints(exclude=set(exclude or ()) - {"party"})

    def _copy_party(self) -> None:
        if self.agency_id:
            self.party_id = self.agency.party_id


class StatusUpdate(Withdrawable):
    """A progress report on a commitment, with or without a change of status."""

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.PROTECT, related_name="updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_updates",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_updates",
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("reported at session"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_updates",
    )
    # The party's side the report is about (``CommitmentSide``); empty for a decision on
    # the whole commitment (a session's review, a cancellation).
    side = models.ForeignKey(
        "council.CommitmentSide",
        verbose_name=_("side"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="updates",
    )
    from_status = models.CharField(_("from status"), max_length=30, choices=Commitment.Status)
    to_status = models.CharField(
        _("to status"),
        max_length=30,
        choices=Commitment.Status,
        blank=True,
        help_text=_("Empty when the report does not change the status."),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True, db_index=True)
    # Where the report came from when not the staff app: another system, through the API.
    channel = models.CharField(
        _("sent through"), max_length=10, blank=True, editable=False, choices=[("api", "API")]
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        constraints = [
            choices_check("from_status", Commitment.Status, "statusupdate_from_valid"),
            models.CheckConstraint(
                condition=Q(to_status="") | Q(to_status__in=Commitment.Status.values),
                name="statusupdate_to_valid",
            ),
            models.CheckConstraint(
                condition=~Q(to_status="") | ~Q(note=""),
                name="statusupdate_says_something",
            ),
        ]
        indexes = [
            models.Index(fields=["commitment", "-created_at"], name="statusupdate_latest_idx"),
            # When commitments were completed (the reports' on-time figures): a small index
            # read alone, where the table holds every kind of report.
            models.Index(
                "commitment",
                "created_at",
                name="statusupdate_completed_idx",
                condition=Q(to_status="completed"),
            ),
        ]

    def __str__(self) -> str:
        if self.to_status:
            return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
        return str(_("Progress report"))

    @property
    def changes_status(self) -> bool:
        return bool(self.to_status)


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"updates/{instance.update.commitment_id}/{filename}"


class Attachment(models.Model):
    """Evidence attached to a progress report (a letter, an act, a photo)."""

    update = models.ForeignKey(
        StatusUpdate, verbose_name=_("update"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class ReviewDecision(models.TextChoices):
    COMPLETED = "completed", _("Completed, removed from monitoring")
    KEEP = "keep", _("Kept under monitoring")
    EXTEND = "extend", _("Deadline extended")
    CANCEL = "cancel", _("Cancelled")
    REPLACE = "replace", _("Replaced by a new commitment")


class Review(models.Model):
    """The decision a session took on an earlier commitment when reviewing implementation."""

    Decision = ReviewDecision

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.PROTECT, related_name="reviews"
    )
    session = models.ForeignKey(
        Session, verbose_name=_("reviewed at"), on_delete=models.PROTECT, related_name="reviews"
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision)
    new_deadline = models.DateField(
        _("new deadline"), null=True, blank=True, validators=[validate_recorded_date]
    )
    replacement = models.ForeignKey(
        Commitment,
        verbose_name=_("replaced by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces_reviews",
    )
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["session__start_date", "pk"]
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "session"], name="review_once_per_session"
            ),
            choices_check("decision", ReviewDecision, "review_decision_valid"),
            models.CheckConstraint(
                condition=~Q(decision="extend") | Q(new_deadline__isnull=False),
                name="review_extend_has_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(decision="replace") | Q(replacement__isnull=False),
                name="review_replace_has_replacement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment} @ {self.session}: {self.get_decision_display()}"
