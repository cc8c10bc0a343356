"""Who may do what to which object: the one place views, templates and querysets ask.

Roles are Django groups (``council.roles``); on top of them:
- secretariat staff edit the councils they are assigned to (``Council.secretariat_staff``);
- an agency's focal point sees the councils its party sits on, and reports on the
  commitments its agency (or a body under it) is responsible for;
- managers read everything and accept or return reported completions;
- superusers may do everything.
"""

from __future__ import annotations

from functools import cached_property

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from . import roles
from .models import (
    Agency,
    Commitment,
    CommitmentSide,
    Council,
    ExtensionRequest,
    Session,
    StatusUpdate,
    User,
)
from .querysets import agency_subtree, local_today

S = Commitment.Status

# Status moves a focal point may propose; the rest belong to the secretariat or a manager.
FOCAL_POINT_MOVES = frozenset(
    {
        (S.NOT_STARTED, S.IN_PROGRESS),
        (S.NOT_STARTED, S.COMPLETION_REPORTED),
        (S.IN_PROGRESS, S.COMPLETION_REPORTED),
    }
)
# A user completes a commitment only by accepting a reported completion (a manager's
# review); a session's review decision may complete it from any open status.
COMPLETION_ACCEPTED_FROM = frozenset({S.COMPLETION_REPORTED})
# Accepting or returning a reported completion is a manager's review.
MANAGER_MOVES = frozenset(
    {(S.COMPLETION_REPORTED, S.COMPLETED), (S.COMPLETION_REPORTED, S.IN_PROGRESS)}
)


class Policy:
    """Answers for one user; cheap to build, caches what it looks up once per request."""

    def __init__(self, user: User):
        self.user = user

    @cached_property
    def groups(self) -> frozenset[str]:
        if not self.user.is_authenticated:
            return frozenset()
        return frozenset(self.user.groups.values_list("name", flat=True))

    @property
    def is_admin(self) -> bool:
        return self.user.is_authenticated and self.user.is_superuser

    @property
    def is_manager(self) -> bool:
        return self.is_admin or roles.MANAGER in self.groups

    @property
    def is_secretariat(self) -> bool:
        return roles.SECRETARIAT in self.groups

    @property
    def is_focal_point(self) -> bool:
        return roles.FOCAL_POINT in self.groups

    @cached_property
    def staff_council_ids(self) -> frozenset[int]:
        """Councils whose records this user keeps as secretariat."""
        if not self.is_secretariat:
            return frozenset()
        return frozenset(self.user.secretariat_councils.values_list("pk", flat=True))

    @cached_property
    def agency_ids(self) -> frozenset[int]:
        """The user's agency and every body under it, for a focal point's reporting."""
        if not self.is_focal_point or not self.user.agency_id:
            return frozenset()
        return agency_subtree(self.user.agency_id)

    # Reading -----------------------------------------------------------------

    def councils(self) -> QuerySet[Council]:
        """The councils this user may see."""
        qs = Council.objects.all()
        if self.is_manager:
            return qs
        condition = Q(pk__in=self.staff_council_ids)
        if self.is_focal_point and self.user.agency_id:
            condition |= Q(parties__agencies=self.user.agency_id)
        return qs.filter(condition).distinct() if condition else qs.none()

    def council_ids(self) -> QuerySet:
        return self.councils().values("pk")

    @cached_property
    def council_ids_set(self) -> frozenset[int]:
        """The ids of ``councils()``, read once (runs a query)."""
        return frozenset(self.councils().values_list("pk", flat=True))

    def can_view_council(self, council: Council) -> bool:
        return self.councils().filter(pk=council.pk).exists()

    # Recording (secretariat) --------------------------------------------------

    def can_edit_council_records(self, council_id: int) -> bool:
        return self.is_admin or council_id in self.staff_council_ids

    def can_create_session(self, council: Council) -> bool:
        return self.can_edit_council_records(council.pk)

    def can_edit_session(self, session: Session) -> bool:
        return self.can_edit_council_records(session.council_id)

    def can_edit_commitment(self, commitment: Commitment) -> bool:
        return self.can_edit_council_records(commitment.council_id)

    def reporting_cycle_refusal(self, commitment: Commitment) -> str | None:
        """Why this user may not set or stop ``commitment``'s reporting cycle, or None:
        the council's secretariat (and admins) do, while the commitment is open."""
        if not self.can_edit_commitment(commitment):
            return _("Only the council's secretariat may set a reporting cycle.")
        if not commitment.is_open:
            return _("A closed commitment has no reporting cycle.")
        return None

    def can_set_reporting_cycle(self, commitment: Commitment) -> bool:
        return self.reporting_cycle_refusal(commitment) is None

    # Reference data (sessions, protocols, indicators: see above) ---------------------

    def can_edit_reference_data(self) -> bool:
        """Parties, agencies, sectors and councils: administrators keep them."""
        return self.is_admin

    def can_edit_people(self) -> bool:
        """Officials: the secretariat records who comes to sessions, admins fix the rest."""
        return self.is_admin or self.is_secretariat

    def can_quick_add_reference(self, council_id: int) -> bool:
        """An agency or a person missing from a session form's list, added from that form
        without going to admin: the council's secretariat and administrators (who may
        merge a duplicate later)."""
        return self.can_edit_council_records(council_id)

    # Reporting and reviewing ------------------------------------------------------

    def is_responsible_for(self, commitment: Commitment) -> bool:
        """Whether the user's agency is responsible. Uses prefetched responsibilities."""
        return any(r.agency_id in self.agency_ids for r in commitment.responsibilities.all())

    def can_report_progress(self, commitment: Commitment) -> bool:
        """Progress is reported by the council's secretariat and the focal points of the
        responsible agencies (or a body above them); managers review, they do not report."""
        if self.can_edit_commitment(commitment):
            return True
        return self.is_focal_point and self.is_responsible_for(commitment)

    def allowed_status_moves(self, commitment: Commitment) -> list[str]:
        """The statuses this user may move ``commitment`` to, in the order of the workflow."""
        current = commitment.status
        moves = []
        for to in S.values:
            if to not in commitment.allowed_transitions():
                continue
            move = (current, to)
            if to == S.COMPLETED and current not in COMPLETION_ACCEPTED_FROM:
                continue  # nobody skips the acceptance; a session's review may (see reviews)
            if self.is_admin:
                moves.append(to)
            elif move in MANAGER_MOVES:
                if self.is_manager:
                    moves.append(to)
            elif self.can_edit_commitment(commitment) or (
                move in FOCAL_POINT_MOVES
                and self.is_focal_point
                and self.is_responsible_for(commitment)
            ):
                moves.append(to)
        return moves

    def can_change_status(self, commitment: Commitment, to: str) -> bool:
        return to in self.allowed_status_moves(commitment)

    # Each party's side ----------------------------------------------------------------

    def can_report_for_side(self, side: CommitmentSide) -> bool:
        """A side is reported on by the council's secretariat, and by the focal points of
        that party's responsible agencies (or a body above them): each party reports its
        own part. Uses the commitment's prefetched responsibilities."""
        commitment = side.commitment
        if not side.is_responsible:
            return False
        if self.can_edit_commitment(commitment):
            return True
        return self.is_focal_point and any(
            r.agency_id in self.agency_ids and r.party_id == side.party_id
            for r in commitment.responsibilities.all()
        )

    def reportable_sides(
        self, commitment: Commitment, sides: list[CommitmentSide] | None = None
    ) -> list[CommitmentSide]:
        """The sides of ``commitment`` this user may report for (its prefetched sides,
        or ``sides``)."""
        if sides is None:
            sides = list(commitment.sides.all())
        for side in sides:
            side.commitment = commitment
        return [side for side in sides if self.can_report_for_side(side)]

    def allowed_side_moves(self, side: CommitmentSide) -> list[str]:
        """The statuses this user may move ``side`` to, by the commitment's rules: a
        focal point proposes for their own party's side, the secretariat records, a
        manager accepts or returns a side's reported completion."""
        commitment = side.commitment
        if not side.is_responsible:
            return []
        if commitment.status not in Commitment.OPEN_STATUSES and side.status != S.COMPLETED:
            return []
        moves = []
        for to in side.allowed_transitions():
            move = (side.status, to)
            if to == S.COMPLETED and side.status not in COMPLETION_ACCEPTED_FROM:
                continue
            if self.is_admin:
                moves.append(to)
            elif move in MANAGER_MOVES:
                if self.is_manager:
                    moves.append(to)
            elif self.can_edit_commitment(commitment) or (
                move in FOCAL_POINT_MOVES and self.can_report_for_side(side)
            ):
                moves.append(to)
        return [to for to in S.values if to in moves]

    def can_move_side(self, side: CommitmentSide, to: str) -> bool:
        return to in self.allowed_side_moves(side)

    def can_review_side(self, side: CommitmentSide) -> bool:
        """Whether the user may accept or return ``side``'s reported completion."""
        if side.status not in COMPLETION_ACCEPTED_FROM:
            return False
        moves = self.allowed_side_moves(side)
        return all(to in moves for start, to in MANAGER_MOVES if start == side.status)

    # Commitments and their reviews ------------------------------------------------

    def visible_commitments(self) -> QuerySet[Commitment]:
        """The commitments this user may see (the councils they may see)."""
        if self.is_manager:  # sees every council: no filter for the planner to work around
            return Commitment.objects.all()
        return Commitment.objects.filter(council__in=self.council_ids())

    def agencies(self) -> QuerySet[Agency]:
        """The agencies this user may come across: those of the parties of the councils
        they may see (a semi-join on the few parties, not a join per agency)."""
        if self.is_manager:
            return Agency.objects.all()
        parties = Council.parties.through.objects.filter(council__in=self.council_ids())
        return Agency.objects.filter(party__in=parties.values("party_id"))

    def my_commitments(self) -> QuerySet[Commitment]:
        """My commitments, as the dashboard and the deadline feed count them: a focal
        point's agency's (and the bodies under it), a secretariat's councils', everything
        visible for the others."""
        if self.staff_council_ids and not (self.is_focal_point and self.agency_ids):
            # A secretariat's councils are among those they see: narrowed by their ids
            # alone, not by the subquery of visible councils too (15 ms of a secretariat's
            # dashboard at a million went to planning and filtering it again).
            return Commitment.objects.filter(council__in=self.staff_council_ids)
        return self.only_mine(self.visible_commitments())

    def only_mine(self, commitments: QuerySet[Commitment]) -> QuerySet[Commitment]:
        """``commitments`` narrowed to mine, as ``my_commitments`` says (the list's "My
        commitments" filter narrows what it already shows)."""
        if self.is_focal_point and self.agency_ids:
            return commitments.responsible(self.agency_ids)
        if self.staff_council_ids:
            return commitments.filter(council__in=self.staff_council_ids)
        return commitments

    def my_scope(self) -> tuple[frozenset[int] | None, frozenset[int] | None]:
        """``my_commitments`` as ids, for the queries that read the responsibility rows'
        copy of their commitments (``council.workload``): (the agencies responsible,
        the councils), None where it does not narrow."""
        councils = None if self.is_manager else self.council_ids_set
        if self.is_focal_point and self.agency_ids:
            return self.agency_ids, councils
        if self.staff_council_ids:
            staff = self.staff_council_ids
            return None, staff if councils is None else staff & councils
        return None, councils

    def can_review_completion(self, commitment: Commitment) -> bool:
        """Whether the user may accept or return ``commitment``'s reported completion: it
        is reported, and both moves of a manager's review are theirs to make."""
        if commitment.status not in COMPLETION_ACCEPTED_FROM:
            return False
        moves = self.allowed_status_moves(commitment)
        return all(to in moves for start, to in MANAGER_MOVES if start == commitment.status)

    def awaiting_review(self, commitments: QuerySet[Commitment] | None = None):
        """Reported completions waiting for a review, of ``commitments`` (those visible by
        default): for a manager, the queue of those they may accept or return; for the
        others, their own (a focal point sees what they reported and is not reviewed)."""
        if commitments is None:
            commitments = self.visible_commitments()
        # One party's side may report completion while the other still works: the
        # commitment is "in progress", and that side waits for a manager all the same.
        # Read from the few reported sides (their partial index), not looked up for each
        # commitment in progress (90,000 lookups at a million: 63 ms).
        side_reported = CommitmentSide.objects.completion_reported().values("commitment_id")
        reported = commitments.filter(
            Q(status__in=COMPLETION_ACCEPTED_FROM) | Q(status=S.IN_PROGRESS, pk__in=side_reported)
        )
        return reported if self.is_manager else self.only_mine(reported)

    def can_withdraw_report(self, update: StatusUpdate, commitment: Commitment) -> bool:
        """A report is withdrawn by its author or the council's secretariat."""
        return update.author_id == self.user.pk or self.can_edit_commitment(commitment)

    def review_decision_refusal(self, session: Session) -> str | None:
        """Why this user may not record ``session``'s review decisions, or None if they may:
        the council's secretariat (and admins), from the session's first day on."""
        if not self.can_edit_session(session):
            return _("Only the council's secretariat may change this session.")
        if session.start_date > local_today():
            return _("Decisions are recorded from the day of the session.")
        return None

    def can_decide_review(self, session: Session) -> bool:
        return self.review_decision_refusal(session) is None

    # Extensions of deadlines ----------------------------------------------------------

    def extension_parties(self, commitment: Commitment) -> list[int]:
        """The parties (ids, in the order of the responsibilities) on whose behalf this
        user may ask to extend ``commitment``'s deadline: the secretariat for any
        responsible party, a focal point for the party of their responsible agency.
        Only an open commitment with a dated deadline can be extended. Uses prefetched
        responsibilities."""
        if not commitment.is_open or commitment.deadline_kind != Commitment.DeadlineKind.DATE:
            return []
        secretariat = self.can_edit_commitment(commitment)
        parties: list[int] = []
        for r in commitment.responsibilities.all():
            mine = secretariat or (self.is_focal_point and r.agency_id in self.agency_ids)
            if mine and r.party_id not in parties:
                parties.append(r.party_id)
        return parties

    def can_request_extension(self, commitment: Commitment, party_id: int | None = None) -> bool:
        """Whether this user may ask for a later deadline (for ``party_id``'s side, or
        for any side when it is None)."""
        parties = self.extension_parties(commitment)
        return bool(parties) if party_id is None else party_id in parties

    def can_decide_extension(self, request: ExtensionRequest) -> bool:
        """A pending request is granted or refused by the council's secretariat or a
        manager (administrators included)."""
        if not request.is_pending:
            return False
        return self.is_manager or self.can_edit_commitment(request.commitment)

    def can_withdraw_extension(self, request: ExtensionRequest) -> bool:
        """A pending request is withdrawn by whoever made it."""
        return (
            request.is_pending
            and self.user.is_authenticated
            and request.requested_by_id == self.user.pk
        )

    def pending_extension_requests(self) -> QuerySet[ExtensionRequest]:
        """Pending extension requests on the commitments this user may see (for a
        decider, their queue; for a focal point, what their councils wait on)."""
        pending = ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING)
        if self.is_manager:
            return pending
        return pending.filter(commitment__council__in=self.council_ids())

    def with_pending_extension(self, commitments: QuerySet[Commitment]) -> QuerySet[Commitment]:
        """``commitments`` narrowed to those with an extension request awaiting decision
        (the list's "Extension requests" filter; a semi-join on the few pending rows)."""
        pending = ExtensionRequest.objects.filter(
            commitment=OuterRef("pk"), status=ExtensionRequest.Status.PENDING
        )
        return commitments.filter(Exists(pending))

    # Compliance scores ------------------------------------------------------------------

    def compliance_assess_refusal(self, session: Session) -> str | None:
        """Why this user may not record ``session``'s compliance assessment, or None: the
        same rule as its review decisions (the council's secretariat, from its first day)."""
        return self.review_decision_refusal(session)

    def can_assess_compliance(self, session: Session) -> bool:
        return self.compliance_assess_refusal(session) is None

    def can_override_compliance(self, council_id: int) -> bool:
        """Setting a party's score by hand, with a reason: the council's secretariat."""
        return self.can_edit_council_records(council_id)

    # A side of a commitment (the commitment and one responsible party) -----------------

    def speaks_for_side(self, commitment: Commitment, party_id: int) -> bool:
        """A focal point of an agency of ``party_id`` responsible for ``commitment`` (or
        of a body above it). Uses prefetched responsibilities."""
        return self.is_focal_point and any(
            r.party_id == party_id and r.agency_id in self.agency_ids
            for r in commitment.responsibilities.all()
        )

    def can_flag_risk(self, commitment: Commitment, party_id: int) -> bool:
        """Raise or clear a side's "at risk" flag: the council's secretariat, or a focal
        point for their own party's side."""
        return self.can_edit_commitment(commitment) or self.speaks_for_side(commitment, party_id)

    def can_remind_side(self, commitment: Commitment) -> bool:
        """Send a side's focal points a reminder now: the council's secretariat."""
        return self.can_edit_commitment(commitment)

    # Accounts and reminders -----------------------------------------------------------

    def can_edit_account(self, account: User) -> bool:
        """A person's own profile, language, calendar link, notifications and mutes."""
        return self.user.is_authenticated and (self.user.pk == account.pk or self.is_admin)

    def can_manage_accounts(self) -> bool:
        """Other people's accounts, in admin."""
        return self.is_admin or (
            self.user.is_authenticated and self.user.has_perm("council.change_user")
        )

    def can_manage_webhooks(self) -> bool:
        """Webhooks send a council's records to another system: administrators only."""
        return self.is_admin

    def can_manage_reminders(self, model_name: str = "reminder") -> bool:
        """The reminder log (``reminder``) or the rules (``reminderrule``), in admin."""
        return self.is_admin or (
            self.user.is_authenticated and self.user.has_perm(f"council.change_{model_name}")
        )


def policy_for(request_or_user) -> Policy:
    """The request's policy, built once per request."""
    user = getattr(request_or_user, "user", request_or_user)
    request = request_or_user if user is not request_or_user else None
    if request is not None:
        cached = getattr(request, "_council_policy", None)
        if cached is None or cached.user is not user:
            cached = request._council_policy = Policy(user)
        return cached
    return Policy(user)
