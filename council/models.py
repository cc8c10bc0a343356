"""The domain of a council secretariat: councils meet in sessions, sessions adopt
commitments recorded in a signed protocol, and commitments are followed to done."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .fields import validate_recorded_date
from .querysets import CommitmentQuerySet, SessionQuerySet, local_today


def choices_check(field: str, choices: type[models.Choices], name: str) -> models.CheckConstraint:
    """A database check that ``field`` holds one of ``choices`` (forms are not the only writers).

    Choices classes live at module level so that ``Meta`` can name them; each model
    re-exports its own (``Commitment.Status``)."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class Sourced(models.Model):
    """Where a record comes from, so demo and imported data say what is fact and what is not."""

    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("Document or report stating this.")
    )
    is_illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Details not stated by any source (dates, clause numbers, agencies…)."),
    )
    illustrative_note = models.CharField(_("what is illustrative"), max_length=300, blank=True)

    class Meta:
        abstract = True


class Withdrawable(models.Model):
    """A record that is never deleted from the staff app: it is withdrawn, with who, when
    and why, and stays readable (struck through) where it was."""

    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class User(AbstractUser):
    """A person who signs in: secretariat staff, an agency's focal point, a manager, an admin."""

    agency = models.ForeignKey(
        "Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="ru", blank=True
    )
    # The secret in the user's calendar feed URLs; resetting it cuts off old subscriptions
    # (services.user_reset_calendar_token).
    calendar_token = models.CharField(
        _("calendar token"), max_length=64, unique=True, null=True, blank=True, editable=False
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Party(models.Model):
    """A state side of a council (Republic of Kazakhstan, Kyrgyz Republic…)."""

    code = models.CharField(
        _("ISO code"), max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2, e.g. KZ.")
    )
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2}$"), name="party_code_iso_alpha2"
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class AgencyKind(models.TextChoices):
    GOVERNMENT = "government", _("Government / cabinet office")
    MINISTRY = "ministry", _("Ministry")
    COMMITTEE = "committee", _("Committee or agency")
    COMPANY = "company", _("State company")
    OTHER = "other", _("Other body")


class Agency(models.Model):
    """A ministry, committee or other body of one party; may sit under a parent agency."""

    Kind = AgencyKind

    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="agencies"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.MINISTRY)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["party__order", "name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(fields=["party", "name"], name="agency_unique_name_per_party"),
            choices_check("kind", AgencyKind, "agency_kind_valid"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="agency_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.label_of(self.short_name, self.name, self.party.code)

    @staticmethod
    def label_of(short_name: str, name: str, party_code: str) -> str:
        """How lists name an agency: "MTI (KZ)"; for rows read as values."""
        return f"{short_name or name} ({party_code})"

    def clean(self) -> None:
        if self.parent_id and self.parent.party_id != self.party_id:
            raise ValidationError({"parent": _("A parent agency must belong to the same party.")})
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("An agency cannot sit under itself.")})
            ancestor = ancestor.parent


class Person(Sourced):
    """An official who takes part in sessions; the current position is kept here, the
    position held at a session is kept on the participation."""

    name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("current position"), max_length=300, blank=True)
    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="people"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.agency_id and self.agency.party_id != self.party_id:
            raise ValidationError({"agency": _("The agency must belong to the person's party.")})


class Sector(models.Model):
    """An area of cooperation: trade, energy, water, transport and logistics…"""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name


class CouncilKind(models.TextChoices):
    INTERGOVERNMENTAL_COUNCIL = "igc", _("Intergovernmental council")
    COMMISSION = "commission", _("Intergovernmental commission")
    SUBCOMMISSION = "subcommission", _("Subcommission")
    WORKING_GROUP = "working_group", _("Working group")


class Council(models.Model):
    """An intergovernmental council, commission, or one of their sub-bodies."""

    Kind = CouncilKind

    SUB_BODY_KINDS = (Kind.SUBCOMMISSION, Kind.WORKING_GROUP)

    name = models.CharField(_("name"), max_length=300, unique=True)
    short_name = models.CharField(_("short name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    parties = models.ManyToManyField(Party, verbose_name=_("parties"), related_name="councils")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent council"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_bodies",
    )
    secretariat_agencies = models.ManyToManyField(
        Agency,
        verbose_name=_("secretariat agencies"),
        related_name="secretariat_of",
        blank=True,
    )
    secretariat_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("secretariat staff"),
        related_name="secretariat_councils",
        blank=True,
        help_text=_("Users who record this council's sessions, commitments and protocols."),
    )
    established_on = models.DateField(
        _("established on"), null=True, blank=True, validators=[validate_recorded_date]
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        constraints = [
            choices_check("kind", CouncilKind, "council_kind_valid"),
            # Subcommissions and working groups always report to a parent body.
            models.CheckConstraint(
                condition=Q(kind__in=["igc", "commission"])
                | Q(kind__in=["subcommission", "working_group"], parent__isnull=False),
                name="council_sub_body_has_parent",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="council_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("council:council-detail", args=[self.pk])

    def clean(self) -> None:
        if self.kind in self.SUB_BODY_KINDS and not self.parent_id:
            raise ValidationError(
                {"parent": _("A subcommission or working group needs a parent council.")}
            )


class CoChair(Withdrawable):
    """The co-chair of a council for one party over a period (heads of government change).

    A co-chair who changed gets an end date; one recorded by mistake is withdrawn."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="co_chairs"
    )
    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.PROTECT)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="co_chairships"
    )
    position = models.CharField(_("position as co-chair"), max_length=300, blank=True)
    start_date = models.DateField(
        _("from"), null=True, blank=True, validators=[validate_recorded_date]
    )
    end_date = models.DateField(
        _("until"), null=True, blank=True, validators=[validate_recorded_date]
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["council", "party__order", "-start_date"]
        verbose_name = _("co-chair")
        verbose_name_plural = _("co-chairs")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "party"],
                condition=Q(end_date__isnull=True, withdrawn_at__isnull=True),
                name="cochair_one_current_per_party",
                violation_error_message=_("This party already has a current co-chair."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="cochair_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.council} ({self.party.code})"

    def clean(self) -> None:
        if self.person_id and self.party_id and self.person.party_id != self.party_id:
            raise ValidationError({"person": _("The co-chair must be an official of this party.")})


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class SessionKind(models.TextChoices):
    REGULAR = "regular", _("Regular")
    EXTRAORDINARY = "extraordinary", _("Extraordinary")


class Session(Sourced):
    """One meeting of a council, numbered in order ("the 13th session")."""

    Status = SessionStatus
    Kind = SessionKind

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="sessions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.REGULAR)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
    start_date = models.DateField(_("start date"), validators=[validate_recorded_date])
    end_date = models.DateField(
        _("end date"), null=True, blank=True, validators=[validate_recorded_date]
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.ForeignKey(
        Party,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Where the session meets; empty for a third country or online."),
    )
    host_party = models.ForeignKey(
        Party,
        verbose_name=_("host party"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_sessions",
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    summary = models.TextField(_("summary of outcomes"), blank=True)

    objects = SessionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["council", "-number"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "number"], name="session_number_per_council"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="session_number_positive"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="session_dates_ordered",
            ),
            choices_check("status", SessionStatus, "session_status_valid"),
            choices_check("kind", SessionKind, "session_kind_valid"),
        ]
        indexes = [
            models.Index(fields=["status", "start_date"], name="session_status_date_idx"),
        ]

    def __str__(self) -> str:
        return _("%(council)s, session %(number)s") % {
            "council": self.council.short_name,
            "number": self.number,
        }

    def get_absolute_url(self) -> str:
        return reverse("council:session-detail", args=[self.pk])

    def clean(self) -> None:
        if (
            self.host_party_id
            and self.council_id
            and not self.council.parties.filter(pk=self.host_party_id).exists()
        ):
            raise ValidationError({"host_party": _("The host must be a party of the council.")})


class ParticipantRole(models.TextChoices):
    CO_CHAIR = "co_chair", _("Co-chair")
    HEAD_OF_DELEGATION = "head", _("Head of delegation")
    MEMBER = "member", _("Delegation member")
    EXPERT = "expert", _("Expert")
    SECRETARIAT = "secretariat", _("Secretariat")
    OBSERVER = "observer", _("Observer")


class Participant(Withdrawable):
    """A person at a session, with the role and position held at that session; one
    recorded by mistake is withdrawn, never deleted."""

    Role = ParticipantRole

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="participants"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="participations"
    )
    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.PROTECT)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, null=True, blank=True
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.MEMBER)
    position = models.CharField(_("position at the session"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "party__order", "order", "person__name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            # A participant withdrawn by mistake may be recorded again.
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=Q(withdrawn_at__isnull=True),
                name="participant_once_per_session",
                violation_error_message=_("This person is already a participant."),
            ),
            choices_check("role", ParticipantRole, "participant_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.position}"


class AgendaItem(Withdrawable, Sourced):
    """An item on a session's agenda, usually one area of cooperation."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="agenda_items"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=500)
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    speakers = models.ManyToManyField(
        Person, verbose_name=_("speakers"), blank=True, related_name="agenda_items"
    )
    summary = models.TextField(_("summary of discussion"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "order", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        indexes = [models.Index(fields=["session", "order"], name="agenda_session_order_idx")]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


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
DEADLINE_KEY = Coalesce(F("deadline"), Value(datetime.date.max))


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
            # The reminder scan and "overdue" lists only ever look at open commitments.
            models.Index(
                fields=["deadline"],
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
        ]

    def __str__(self) -> str:
        prefix = f"{self.clause} " if self.clause else ""
        return f"{prefix}{self.title}"

    def save(self, *args, **kwargs):
        self._copy_council()
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


class ProtocolStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREED = "agreed", _("Agreed, awaiting signature")
    SIGNED = "signed", _("Signed")


class Protocol(Sourced):
    """The signed document of a session's decisions."""

    Status = ProtocolStatus

    session = models.OneToOneField(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="protocol"
    )
    number = models.CharField(_("number"), max_length=50, blank=True)
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    signed_on = models.DateField(
        _("signed on"), null=True, blank=True, validators=[validate_recorded_date]
    )
    signed_in = models.CharField(_("place of signing"), max_length=100, blank=True)
    languages = models.CharField(
        _("languages"),
        max_length=50,
        blank=True,
        help_text=_("Language versions of equal force, comma-separated codes, e.g. ru,kk,ky."),
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-session__start_date"]
        verbose_name = _("protocol")
        verbose_name_plural = _("protocols")
        constraints = [
            choices_check("status", ProtocolStatus, "protocol_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="signed") | Q(signed_on__isnull=False),
                name="protocol_signed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("council:protocol-detail", args=[self.session_id])

    @property
    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]

    def clean(self) -> None:
        if self.status == self.Status.SIGNED and not self.signed_on:
            raise ValidationError({"signed_on": _("A signed protocol needs its date of signing.")})


class Signatory(Withdrawable):
    """A person who signed a protocol, with the position held when signing."""

    protocol = models.ForeignKey(
        Protocol, verbose_name=_("protocol"), on_delete=models.PROTECT, related_name="signatories"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT)
    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.PROTECT)
    position = models.CharField(_("position at signing"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["protocol", "order", "pk"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        constraints = [
            models.UniqueConstraint(
                fields=["protocol", "person"],
                condition=Q(withdrawn_at__isnull=True),
                name="signatory_once",
                violation_error_message=_("This person is already a signatory."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}, {self.position}"


def protocol_file_path(instance: ProtocolFile, filename: str) -> str:
    return f"protocols/{instance.protocol_id}/{filename}"


class ProtocolFileKind(models.TextChoices):
    SIGNED = "signed", _("Signed copy")
    TEXT = "text", _("Text")
    ANNEX = "annex", _("Annex")


class ProtocolFile(Withdrawable):
    """An uploaded file of a protocol: the signed scan or the text, per language."""

    Kind = ProtocolFileKind

    protocol = models.ForeignKey(
        Protocol, verbose_name=_("protocol"), on_delete=models.PROTECT, related_name="files"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.SIGNED)
    language = models.CharField(_("language"), max_length=10)
    file = models.FileField(_("file"), upload_to=protocol_file_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    # Uploads and withdrawals appear on the protocol's page; a file is never replaced.
    history = HistoricalRecords()

    class Meta:
        ordering = ["protocol", "kind", "language"]
        verbose_name = _("protocol file")
        verbose_name_plural = _("protocol files")
        constraints = [choices_check("kind", ProtocolFileKind, "protocolfile_kind_valid")]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.language})"


class EventKind(models.TextChoices):
    CULTURAL = "cultural", _("Cultural and humanitarian event")
    OFFICIAL_VISIT = "visit", _("Official visit")
    FORUM = "forum", _("Forum or exhibition")
    OTHER = "other", _("Other")


class Event(Sourced):
    """Something done in the council's cooperation and reported to it: a cultural event,
    an official visit, a forum."""

    Kind = EventKind

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="events"
    )
    reported_at = models.ForeignKey(
        Session,
        verbose_name=_("reported at session"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"), null=True, blank=True, validators=[validate_recorded_date])
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    host_party = models.ForeignKey(
        Party, verbose_name=_("host party"), on_delete=models.PROTECT, null=True, blank=True
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, null=True, blank=True
    )
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["council", "-year", "-date", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [choices_check("kind", EventKind, "event_kind_valid")]

    def __str__(self) -> str:
        return self.title


class IndicatorUnit(models.TextChoices):
    USD = "USD", _("US dollars")
    PERCENT = "percent", _("Percent")
    TONNES = "tonnes", _("Tonnes")
    COUNT = "count", _("Count")


class Indicator(models.Model):
    """A figure a council follows over time, e.g. bilateral trade turnover."""

    Unit = IndicatorUnit

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="indicators"
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit)
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, null=True, blank=True
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["council", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["council", "code"], name="indicator_code_per_council"),
            choices_check("unit", IndicatorUnit, "indicator_unit_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class ObservationQualifier(models.TextChoices):
    EXACT = "exact", _("exactly")
    ABOUT = "about", _("about")
    OVER = "over", _("over")
    UNDER = "under", _("under")


class Observation(Sourced):
    """One value of an indicator over a period, as reported."""

    Qualifier = ObservationQualifier

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="observations",
    )
    period_start = models.DateField(_("period start"), validators=[validate_recorded_date])
    period_end = models.DateField(_("period end"), validators=[validate_recorded_date])
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    qualifier = models.CharField(
        _("qualifier"), max_length=10, choices=Qualifier, default=Qualifier.EXACT
    )
    change_pct = models.DecimalField(
        _("change vs same period a year earlier, %"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
    )
    reported_at = models.ForeignKey(
        Session,
        verbose_name=_("reported at session"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observations",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "period_start", "period_end"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end"],
                name="observation_once_per_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="observation_period_ordered"
            ),
            choices_check("qualifier", ObservationQualifier, "observation_qualifier_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.period_start:%m.%Y}–{self.period_end:%m.%Y})"


class Target(models.Model):
    """A value a council aims an indicator to reach by a date."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="targets"
    )
    target_date = models.DateField(_("by"), validators=[validate_recorded_date])
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "target_date"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "target_date"], name="target_once_per_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} by {self.target_date}"


class ReminderKind(models.TextChoices):
    BEFORE_DEADLINE = "before_deadline", _("Before a deadline")
    OVERDUE = "overdue", _("Overdue")
    ESCALATION = "escalation", _("Escalation to managers")
    SESSION_PREPARATION = "session_preparation", _("Preparation of a session")
    WEEKLY_DIGEST = "weekly_digest", _("Weekly digest for managers")


class ReminderRule(models.Model):
    """When reminders go out; one row per kind, edited in admin."""

    Kind = ReminderKind

    kind = models.CharField(_("kind"), max_length=30, choices=ReminderKind, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    days = models.CharField(
        _("days"),
        max_length=100,
        blank=True,
        help_text=_(
            "Before a deadline: days before, comma-separated (30,7,1). Overdue: days after "
            "the deadline of the first reminder (1). Escalation: days overdue (14). Session "
            "preparation: days before the session (21). Weekly digest: weekday, 1 = Monday."
        ),
    )
    repeat_every_days = models.PositiveSmallIntegerField(
        _("then repeat every (days)"),
        null=True,
        blank=True,
        help_text=_("Overdue reminders repeat at this interval (7 = weekly)."),
    )

    class Meta:
        ordering = ["kind"]
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        constraints = [choices_check("kind", ReminderKind, "reminderrule_kind_valid")]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def day_list(self) -> list[int]:
        """The ``days`` field as integers, largest first; bad entries are ignored."""
        values = []
        for part in self.days.split(","):
            part = part.strip()
            if part.isdigit():
                values.append(int(part))
        return sorted(set(values), reverse=True)

    def clean(self) -> None:
        bad = [p for p in self.days.split(",") if p.strip() and not p.strip().isdigit()]
        if bad:
            raise ValidationError({"days": _("Use whole numbers separated by commas.")})
        if self.kind == ReminderKind.WEEKLY_DIGEST and any(d < 1 or d > 7 for d in self.day_list):
            raise ValidationError({"days": _("A weekday is a number from 1 (Monday) to 7.")})


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class Reminder(models.Model):
    """One reminder to one person, recorded before it is sent; its key makes it happen once.

    The key names the rule, the object, the recipient and the occurrence (the day the
    reminder falls due), so scans that run twice, overlap or catch up after an outage
    find the row already there and add nothing.
    """

    Status = ReminderStatus

    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=ReminderKind)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="reminders",
    )
    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, null=True, blank=True
    )
    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.PROTECT, null=True, blank=True
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, null=True, blank=True
    )
    occurrence = models.DateField(_("falls due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReminderStatus, default=ReminderStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            choices_check("kind", ReminderKind, "reminder_kind_valid"),
            choices_check("status", ReminderStatus, "reminder_status_valid"),
        ]
        indexes = [
            models.Index(
                fields=["created_at"], name="reminder_pending_idx", condition=Q(status="pending")
            ),
            models.Index(fields=["recipient", "-created_at"], name="reminder_recipient_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient} ({self.occurrence})"

    def get_absolute_url(self) -> str:
        if self.commitment_id:
            return reverse("council:commitment-detail", args=[self.commitment_id])
        if self.session_id:
            return reverse("council:session-detail", args=[self.session_id])
        return reverse("council:dashboard")


class ReminderMute(models.Model):
    """A user's choice to receive no reminders about one council."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_mutes"
    )
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("muted council")
        verbose_name_plural = _("muted councils")
        constraints = [
            models.UniqueConstraint(fields=["user", "council"], name="remindermute_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} mutes {self.council}"
