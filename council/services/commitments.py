"""Commitment writes: recording and editing a commitment with its responsible agencies,
status moves, progress reports, withdrawals.

Every write bumps ``Commitment.version``, so an edit form loaded before any of them (a
status change, a review decision, an admin edit) is refused instead of overwriting it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .. import webhooks as hooks
from ..history import changed_labels
from ..models import (
    Agency,
    Attachment,
    Commitment,
    CommitmentSide,
    ExtensionRequest,
    Responsibility,
    Review,
    Session,
    StatusUpdate,
    User,
    WebhookEvent,
)
from ..policies import COMPLETION_ACCEPTED_FROM, Policy
from ._records import record_withdraw, save_with_history
from .channels import current_channel
from .notifications import Event, notify
from .sides import commitment_status_from_sides, sync_sides
from .webhooks import webhook_emit

# What the services write from a form or the admin; the rest (status, council, version,
# timestamps) only the services themselves set.
EDITABLE_FIELDS = (
    "session",
    "clause",
    "title",
    "text",
    "language",
    "sector",
    "agenda_item",
    "deadline_kind",
    "deadline",
    "is_monitored",
    "carries_over",
    "source",
    "is_illustrative",
    "illustrative_note",
)

# A commitment's responsible agencies as a writer names them: (agency, role) pairs.
Responsibles = Sequence[tuple[Agency, str]]


# A review's reason, as long as a progress report's note may be (``StatusUpdateForm``).
REASON_MAX_LENGTH = 5000


class InvalidTransition(ValidationError):
    """The requested status change is not allowed from the commitment's current status."""


# Recording and editing ---------------------------------------------------------------


def check_responsibilities(responsibilities: Responsibles) -> None:
    """The rules of a commitment's responsible agencies, in one place (the edit form and
    the admin show them early by calling this): each agency once, one lead per party."""
    leads: set[int] = set()
    agencies: set[int] = set()
    for agency, role in responsibilities:
        if agency.pk in agencies:
            raise ValidationError(
                _("%(agency)s is listed twice.") % {"agency": agency}, code="agency_twice"
            )
        agencies.add(agency.pk)
        if role == Responsibility.Role.LEAD:
            if agency.party_id in leads:
                raise ValidationError(
                    _("Each party has at most one lead executor."), code="one_lead_per_party"
                )
            leads.add(agency.party_id)


def clause_taken(session_id: int, clause: str, exclude_pk: int | None = None) -> bool:
    """Whether another commitment of the session has this clause (runs a query)."""
    return (
        bool(clause)
        and Commitment.objects.filter(session_id=session_id, clause=clause)
        .exclude(pk=exclude_pk)
        .exists()
    )


def clause_error(clause: str) -> ValidationError:
    return ValidationError(
        {
            "clause": ValidationError(
                _("Clause %(clause)s is already used in this session.") % {"clause": clause},
                code="clause_taken",
            )
        }
    )


def _save_checked(commitment: Commitment, by: User | None, reason: str) -> None:
    """Validate and save ``commitment``; a clause taken meanwhile by another request (two
    submits of one form) is the form's error, not a server error."""
    if isinstance(commitment.clause, str):
        commitment.clause = commitment.clause.strip()
    commitment.full_clean(validate_constraints=False)
    if clause_taken(commitment.session_id, commitment.clause, commitment.pk):
        raise clause_error(commitment.clause)
    commitment._history_user = by
    commitment._change_reason = reason
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable
            commitment.save()
    except IntegrityError:
        # Taken between the check and the insert: the other request committed first.
        taken = (
            Commitment.objects.filter(session_id=commitment.session_id, clause=commitment.clause)
            .exclude(pk=commitment.pk)
            .exists()
        )
        if commitment.clause and taken:
            raise clause_error(commitment.clause) from None
        raise


def _check_may_record(by: User | None, council_id: int) -> None:
    if by is not None and not Policy(by).can_edit_council_records(council_id):
        raise PermissionDenied(_("Only the council's secretariat may record its commitments."))


def commitment_create(
    *,
    session: Session,
    fields: dict[str, Any],
    responsibilities: Responsibles,
    by: User | None,
    reason: str = "",
) -> Commitment:
    """Record a commitment adopted at ``session`` with its responsible agencies."""
    _check_may_record(by, session.council_id)
    check_responsibilities(responsibilities)
    commitment = Commitment(session=session)
    for name, value in fields.items():
        if name in EDITABLE_FIELDS and name != "session":
            setattr(commitment, name, value)
    with transaction.atomic():
        _save_checked(commitment, by, reason.strip())
        _apply_responsibilities(commitment, responsibilities, by=by, reason=reason.strip())
        webhook_emit(
            event=WebhookEvent.COMMITMENT_CREATED,
            council_id=commitment.council_id,
            data=hooks.commitment_data(commitment),
        )
        _notify_assigned(commitment, [agency for agency, _role in responsibilities], by)
    return commitment


def _notify_assigned(commitment: Commitment, agencies: Iterable[Agency], by: User | None) -> None:
    """Tell each newly responsible agency's focal points. The system's own writes (the
    demo loader, ``by=None``) notify nobody."""
    if by is None:
        return
    for agency in agencies:
        notify(
            Event.ASSIGNED,
            commitment=commitment,
            about=f"c{commitment.pk}a{agency.pk}",
            actor=by,
            party=agency.party_id,
            agency=agency,
        )


def commitment_edit(
    *,
    commitment: Commitment,
    fields: dict[str, Any],
    responsibilities: Responsibles | None,
    version: int | None,
    by: User | None,
    reason: str = "",
) -> Commitment:
    """Save an edit made on a form loaded at ``version``; ``responsibilities`` (when not
    None) is the full new list of responsible agencies.

    The row is locked and its version compared: an edit from a form loaded before someone
    else's save is refused (``ValidationError`` code "conflict", naming who changed what)
    and nothing is written. ``version=None`` skips the check (the system's own writes).
    """
    reason = reason.strip()
    with transaction.atomic():
        locked = (
            Commitment.objects.select_for_update(of=("self",))
            .select_related("session")
            .get(pk=commitment.pk)
        )
        _check_may_record(by, locked.council_id)
        if version is not None and version != locked.version:
            raise edit_conflict(locked, version)
        if "session" in fields and fields["session"] is not None:
            _check_may_record(by, fields["session"].council_id)
        if responsibilities is not None:
            check_responsibilities(responsibilities)
        was_illustrative = locked.is_illustrative
        for name, value in fields.items():
            if name in EDITABLE_FIELDS:
                setattr(locked, name, value)
        if by is not None and was_illustrative and locked.is_illustrative:
            _clear_illustrative(locked)
        if not was_extended(locked):
            # Before any extension, an edit corrects the deadline as recorded.
            locked.original_deadline = locked.deadline
        locked.version += 1
        _save_checked(locked, by, reason)
        if responsibilities is not None:
            before = set(
                Responsibility.objects.filter(commitment=locked).values_list("agency_id", flat=True)
            )
            _apply_responsibilities(locked, responsibilities, by=by, reason=reason)
            added = [agency for agency, _role in responsibilities if agency.pk not in before]
            _notify_assigned(locked, added, by)
    _refresh(commitment, locked)
    return commitment


def was_extended(commitment: Commitment) -> bool:
    """Whether the deadline was ever extended: an extension request granted, or a
    session's review decision "extended" (two small indexed queries)."""
    return (
        ExtensionRequest.objects.filter(
            commitment=commitment, status=ExtensionRequest.Status.GRANTED
        ).exists()
        or Review.objects.filter(commitment=commitment, decision=Review.Decision.EXTEND).exists()
    )


def commitment_move_deadline(
    *, commitment: Commitment, new_deadline, by: User | None, reason: str
) -> Commitment:
    """Move a commitment's deadline to ``new_deadline`` (a granted extension): the
    original deadline stays, the history records who and why, the version moves on.

    The caller has checked who may (``extension_grant``); this is its write."""
    with transaction.atomic():
        locked = Commitment.objects.select_for_update(of=("self",)).get(pk=commitment.pk)
        locked.deadline_kind = Commitment.DeadlineKind.DATE
        locked.deadline = new_deadline
        locked.version += 1
        save_with_history(
            locked,
            by=by,
            reason=reason,
            update_fields=["deadline_kind", "deadline", "version", "updated_at"],
        )
    for name in ("deadline_kind", "deadline", "version"):
        setattr(commitment, name, getattr(locked, name))
    return commitment


def _clear_illustrative(commitment: Commitment) -> None:
    """A person edited the record: it now says what they saved, not what the demo made
    up, so it is no longer marked illustrative (its history keeps the old mark and note).
    The system's own writes (``by=None``: the demo loader, imports) keep the mark; an
    admin who means a record to be illustrative marks it in a later edit, which is kept
    (only a mark that was already there is cleared)."""
    commitment.is_illustrative = False
    commitment.illustrative_note = ""


def edit_conflict(current: Commitment, version: int | None) -> ValidationError:
    """Why an edit from a form loaded at ``version`` is refused: who saved since, and what
    they changed (from the history)."""
    records = list(
        current.history.filter(version__gte=version or 0)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    latest = records[0] if records else None
    # The record the editor loaded: the newest one of their version (older rows may share
    # a version), followed by the one that replaced it.
    index = next((i for i, r in enumerate(records) if r.version == version), None)
    who = latest.history_user if latest and latest.history_user else _("Someone")
    what = []
    if index:  # 0 or None: nothing newer to name
        seen, until = records[index], records[index - 1].history_date
        what = changed_labels(current, seen, latest, until)
    message = _(
        "%(user)s saved this commitment while you were editing it. Your changes are not "
        "saved: reload the page to see theirs, then make your changes again."
    ) % {"user": who}
    if what:
        message += " " + _("They changed: %(fields)s.") % {"fields": ", ".join(what)}
    return ValidationError(message, code="conflict")


def _apply_responsibilities(
    commitment: Commitment, wanted: Responsibles, *, by: User | None, reason: str
) -> bool:
    """Make the commitment's responsible agencies ``wanted``; returns whether any changed.

    Rows are removed, demoted, then promoted or added, in that order, so "one lead per
    party" holds at every step. A removed row is gone from the table but not from the
    record: its history keeps it, and the commitment's history shows the list before and
    after (``history.commitment_history_rows``)."""
    rows = Responsibility.objects.filter(commitment=commitment).select_related("agency")
    current = {r.agency_id: r for r in rows.select_for_update(of=("self",))}
    wanted_roles = {agency.pk: (agency, role) for agency, role in wanted}
    changed = False

    def mark(row: Responsibility) -> Responsibility:
        row._history_user = by
        row._change_reason = reason
        return row

    for agency_id, row in current.items():
        if agency_id not in wanted_roles:
            mark(row).delete()
            changed = True
    for agency_id, (_agency, role) in wanted_roles.items():
        row = current.get(agency_id)
        if row is not None and row.role != role and role != Responsibility.Role.LEAD:
            row.role = role
            mark(row).save(update_fields=["role"])
            changed = True
    for agency_id, (agency, role) in wanted_roles.items():
        row = current.get(agency_id)
        if row is None:
            row = Responsibility(commitment=commitment, agency=agency, role=role)
            mark(row).save()
            changed = True
        elif row.role != role:
            row.role = role
            mark(row).save(update_fields=["role"])
            changed = True
    sync_sides(commitment, by=by, reason=reason)
    return changed


def _refresh(commitment: Commitment, locked: Commitment) -> None:
    """Copy what the service wrote onto the caller's instance."""
    for field in Commitment._meta.concrete_fields:
        setattr(commitment, field.attname, getattr(locked, field.attname))
    commitment._state.fields_cache.clear()
    commitment._prefetched_objects_cache = {}


# Status and progress -------------------------------------------------------------------


def commitment_change_status(
    *,
    commitment: Commitment,
    to: str,
    by: User | None,
    note: str = "",
    agency: Agency | None = None,
    session: Session | None = None,
    attachments: Iterable[File] = (),
    side: CommitmentSide | None = None,
) -> StatusUpdate:
    """Move ``commitment`` to status ``to``, recording who, when and why.

    A commitment with responsible agencies moves side by side: ``side`` (or the one side
    the reporter's agency, the user or the move points to, ``_side_to_move``) takes the
    status, and the commitment's status follows from its sides. Cancelling or replacing
    it, and reopening a completed one, are moves of the whole commitment.

    ``by`` must be allowed the move (``Policy.allowed_status_moves``: a focal point
    proposes, the secretariat records, a manager accepts or returns a reported
    completion; nobody skips the acceptance). The row is locked for the change so two
    people acting at once cannot both move it from the same status. Raises
    ``InvalidTransition`` with a reason a user can read, ``PermissionDenied`` when the
    move is not the user's to make.
    """
    return _change_status(
        commitment=commitment,
        to=to,
        by=by,
        note=note,
        agency=agency,
        session=session,
        attachments=attachments,
        check_user=True,
        side=side,
    )


def _change_status(
    *,
    commitment: Commitment,
    to: str,
    by: User | None,
    note: str,
    agency: Agency | None,
    session: Session | None,
    attachments: Iterable[File],
    check_user: bool,
    expect_from: frozenset[str] | None = None,
    refusal: str = "",
    history_reason: str = "",
    side: CommitmentSide | None = None,
) -> StatusUpdate:
    """The status move itself; ``check_user=False`` for a session's review decision,
    whose own rule (``Policy.review_decision_refusal``) was checked by its service.

    ``expect_from``: the statuses the caller saw (refused with ``InvalidTransition`` when
    the locked row has moved on, as when two managers review one completion at once);
    ``refusal``: what a user not allowed the move is told; ``history_reason``: the
    history record's reason, when it says more than the note."""
    if to not in Commitment.Status.values:
        raise InvalidTransition(_("“%(status)s” is not a commitment status.") % {"status": to})
    note = note.strip()
    with transaction.atomic():
        locked = (
            Commitment.objects.select_for_update(of=("self",))
            .prefetch_related("responsibilities")
            .get(pk=commitment.pk)
        )
        sides = list(
            CommitmentSide.objects.select_for_update(of=("self",))
            .select_related("party")
            .filter(commitment=locked)
        )
        target = _side_to_move(
            locked,
            sides,
            to=to,
            side=side,
            by=by,
            agency=agency,
            check_user=check_user,
            expect_from=expect_from,
        )
        if target is not None:
            update = _move_side(
                locked,
                target,
                sides,
                to=to,
                by=by,
                note=note,
                agency=agency,
                session=session,
                attachments=attachments,
                expect_from=expect_from,
                refusal=refusal,
                history_reason=history_reason,
            )
            commitment.status = locked.status
            commitment.version = locked.version
            return update
        current = locked.status
        if expect_from is not None and current not in expect_from:
            raise InvalidTransition(
                _("The commitment is now “%(status)s”: someone has acted on it meanwhile.")
                % {"status": locked.get_status_display()},
                code="moved_on",
            )
        if to == current:
            raise InvalidTransition(
                _("The commitment is already “%(status)s”.")
                % {"status": locked.get_status_display()}
            )
        if to not in locked.allowed_transitions():
            raise InvalidTransition(
                _("A commitment that is “%(current)s” cannot become “%(to)s”.")
                % {
                    "current": locked.get_status_display(),
                    "to": Commitment.Status(to).label,
                }
            )
        # The policy reads the responsible agencies of the row as it is now.
        if check_user and by is not None and not Policy(by).can_change_status(locked, to):
            raise PermissionDenied(
                refusal
                or _("You may not move this commitment from “%(current)s” to “%(to)s”.")
                % {
                    "current": locked.get_status_display(),
                    "to": Commitment.Status(to).label,
                }
            )
        if (current, to) in Commitment.REASON_REQUIRED and not note:
            raise InvalidTransition(
                _("Say why the commitment becomes “%(to)s”.") % {"to": Commitment.Status(to).label}
            )
        update = _record_update(
            commitment=locked,
            from_status=current,
            to_status=to,
            by=by,
            note=note,
            agency=agency,
            session=session,
            attachments=attachments,
        )
        locked.status = to
        if (current, to) == (Commitment.Status.COMPLETED, Commitment.Status.IN_PROGRESS):
            _reopen_sides(sides, by=by, reason=history_reason or note or str(update))
        if to in (Commitment.Status.CANCELLED, Commitment.Status.SUPERSEDED):
            locked.is_monitored = False
        locked.version += 1
        save_with_history(
            locked,
            by=by,
            reason=history_reason or note or str(update),
            update_fields=["status", "is_monitored", "version", "updated_at"],
        )
        webhook_emit(
            event=WebhookEvent.STATUS_CHANGED,
            council_id=locked.council_id,
            data={**hooks.commitment_data(locked), "from_status": current},
        )
        if by is not None:
            _notify_status(locked, update, current, to, by)
    commitment.status = locked.status
    commitment.is_monitored = locked.is_monitored
    commitment.version = locked.version
    return update


# Moves of the whole commitment: the council ends it, or reopens a completed one.
WHOLE_COMMITMENT_MOVES = frozenset({Commitment.Status.CANCELLED, Commitment.Status.SUPERSEDED})


def _side_to_move(
    commitment: Commitment,
    sides: list[CommitmentSide],
    *,
    to: str,
    side: CommitmentSide | None,
    by: User | None,
    agency: Agency | None,
    check_user: bool,
    expect_from: frozenset[str] | None,
) -> CommitmentSide | list[CommitmentSide] | None:
    """The side a move acts on, or None for a move of the whole commitment (a session's
    decision, a cancellation or replacement, a commitment without responsible agencies,
    reopening a completed commitment when no side is named).

    Without ``side``: the only responsible side. Else the secretariat (and the system)
    records a move of the whole commitment: a list of every side that can make it,
    moved together by one record (the commitment-level path when none can), and its
    report is about the reporting agency's side (or the whole commitment, None). A focal
    point acts for their own party's side. A manager's review acts on the side waiting
    for one, or on every side waiting."""
    for s in sides:
        s.commitment = commitment  # the locked row the policy reads
    responsible = [s for s in sides if s.is_responsible]
    if not check_user or to in WHOLE_COMMITMENT_MOVES or not responsible:
        return None
    if side is not None:
        chosen = next((s for s in sides if s.pk == side.pk), None)
        if chosen is None:
            raise ValidationError({"side": _("This side is not one of the commitment's.")})
        return chosen
    if commitment.status not in Commitment.OPEN_STATUSES:
        return None
    if len(responsible) == 1:
        return responsible[0]
    own = [s for s in responsible if agency is not None and s.party_id == agency.party_id]
    policy = Policy(by) if by is not None else None
    if policy is None or policy.can_edit_commitment(commitment):
        # The secretariat (or the system) records the status of the whole commitment,
        # unless it names the side; its report is about the reporting agency's side.
        if not to:
            return own[0] if own else None
    elif policy.is_focal_point:
        if own and policy.can_report_for_side(_with(own[0], commitment)):
            return own[0]
        mine = policy.reportable_sides(commitment, sides=responsible)
        if len(mine) == 1:
            return mine[0]
    if to:
        # Every side the user may move (a manager: those waiting for a review).
        movable = _movable(responsible, to=to, policy=policy, expect_from=expect_from)
        if movable and len(movable) == 1:
            return movable[0]
        if movable or policy is None or policy.can_edit_commitment(commitment):
            return movable
    raise ValidationError(
        {"side": _("Choose the side (the party) this report is about.")}, code="side_required"
    )


def _with(side: CommitmentSide, commitment: Commitment) -> CommitmentSide:
    side.commitment = commitment
    return side


def _movable(
    responsible: list[CommitmentSide],
    *,
    to: str,
    policy: Policy | None,
    expect_from: frozenset[str] | None,
) -> list[CommitmentSide] | None:
    """The sides a move of the whole commitment moves: those that can make it, and that
    the user may move (None when none can: the commitment's own rules then refuse)."""
    movable = [
        s
        for s in responsible
        if s.status != to
        and to in s.allowed_transitions()
        and (expect_from is None or s.status in expect_from)
        and (policy is None or policy.can_move_side(s, to))
    ]
    return movable or None


def _side_name(side: CommitmentSide, sides: list[CommitmentSide]) -> str:
    """How a refusal names what moves: "the commitment" when it has one side (as before
    sides existed), else the party's side."""
    if sum(1 for s in sides if s.is_responsible) <= 1:
        return ""
    return str(side.party)


def _move_side(
    commitment: Commitment,
    target: CommitmentSide | list[CommitmentSide],
    sides: list[CommitmentSide],
    *,
    to: str,
    by: User | None,
    note: str,
    agency: Agency | None,
    session: Session | None,
    attachments: Iterable[File],
    expect_from: frozenset[str] | None,
    refusal: str,
    history_reason: str,
) -> StatusUpdate:
    """Move ``target`` (a side of the locked ``commitment``, or a list of sides moved
    together by one record of the whole commitment) to ``to``; the commitment's status
    follows from its sides, its version moves on."""
    targets = target if isinstance(target, list) else [target]
    for side in targets:
        _check_side_move(
            commitment,
            side,
            sides,
            to=to,
            by=by,
            note=note,
            expect_from=expect_from,
            refusal=refusal,
        )
    whole = isinstance(target, list) and sum(1 for s in sides if s.is_responsible) > 1
    one = None if whole else targets[0]
    update = _record_update(
        commitment=commitment,
        from_status=one.status if one is not None else commitment.status,
        to_status=to,
        by=by,
        note=note,
        agency=agency,
        session=session,
        attachments=attachments,
        side=one,
    )
    moved_from = {side.pk: side.status for side in targets}
    reason = history_reason or note or str(update)
    for side in targets:
        side.status = to
        save_with_history(side, by=by, reason=reason, update_fields=["status", "updated_at"])
    before = commitment.status
    commitment.status = commitment_status_from_sides(sides) or to
    commitment.version += 1
    save_with_history(
        commitment, by=by, reason=reason, update_fields=["status", "version", "updated_at"]
    )
    webhook_emit(
        event=WebhookEvent.STATUS_CHANGED,
        council_id=commitment.council_id,
        data={
            **hooks.commitment_data(commitment),
            "from_status": before,
            "sides": [{"party": s.party_id, "status": s.status} for s in targets],
        },
    )
    if by is not None:
        for side in targets:
            _notify_status(commitment, update, moved_from[side.pk], to, by, party=side.party_id)
    return update


def _check_side_move(
    commitment: Commitment,
    side: CommitmentSide,
    sides: list[CommitmentSide],
    *,
    to: str,
    by: User | None,
    note: str,
    expect_from: frozenset[str] | None,
    refusal: str,
) -> None:
    """Refuse moving ``side`` to ``to`` (``InvalidTransition``, ``PermissionDenied``)
    unless the commitment's rules allow it, for ``by``."""
    party = _side_name(side, sides)
    current = side.status
    current_label = Commitment.Status(current).label
    values = {
        "status": current_label,
        "current": current_label,
        "party": party,
        "to": Commitment.Status(to).label,
    }
    if expect_from is not None and current not in expect_from:
        raise InvalidTransition(
            (
                _("The side of %(party)s is now “%(status)s”: someone has acted on it meanwhile.")
                if party
                else _("The commitment is now “%(status)s”: someone has acted on it meanwhile.")
            )
            % values,
            code="moved_on",
        )
    if to == current:
        raise InvalidTransition(
            (
                _("The side of %(party)s is already “%(status)s”.")
                if party
                else _("The commitment is already “%(status)s”.")
            )
            % values
        )
    if to not in side.allowed_transitions():
        raise InvalidTransition(
            (
                _("The side of %(party)s is “%(status)s”: it cannot become “%(to)s”.")
                if party
                else _("A commitment that is “%(current)s” cannot become “%(to)s”.")
            )
            % values
        )
    if commitment.status not in Commitment.OPEN_STATUSES and current != side.Status.COMPLETED:
        # A session completed it: a side still working does not reopen it by moving.
        raise InvalidTransition(
            _("The commitment is “%(status)s”: its sides are no longer reported on.")
            % {"status": commitment.get_status_display()}
        )
    side.commitment = commitment
    if by is not None and not Policy(by).can_move_side(side, to):
        raise PermissionDenied(
            refusal
            or (
                _("You may not move the side of %(party)s from “%(status)s” to “%(to)s”.")
                if party
                else _("You may not move this commitment from “%(current)s” to “%(to)s”.")
            )
            % values
        )
    if (current, to) in Commitment.REASON_REQUIRED and not note:
        raise InvalidTransition(
            (
                _("Say why the side of %(party)s becomes “%(to)s”.")
                if party
                else _("Say why the commitment becomes “%(to)s”.")
            )
            % values
        )


def _reopen_sides(sides: list[CommitmentSide], *, by: User | None, reason: str) -> None:
    """A completed commitment reopened: its completed sides are at work again."""
    for side in sides:
        if side.is_responsible and side.status == side.Status.COMPLETED:
            side.status = side.Status.IN_PROGRESS
            save_with_history(side, by=by, reason=reason, update_fields=["status", "updated_at"])


def _notify_status(
    commitment: Commitment,
    update: StatusUpdate,
    current: str,
    to: str,
    by: User,
    party: int | None = None,
) -> None:
    """A completion reported (to the managers), accepted or returned (to the side that
    reported it: the party of the agency of the standing completion report, every side
    when it named none)."""
    S = Commitment.Status
    side_party = party
    if to == S.COMPLETION_REPORTED:
        party = Agency.objects.filter(pk=update.agency_id).values_list("party_id", flat=True)
        party = party.first() if update.agency_id else None
        event = Event.COMPLETION_REPORTED
    elif current == S.COMPLETION_REPORTED and to in (S.COMPLETED, S.IN_PROGRESS):
        event = Event.COMPLETION_ACCEPTED if to == S.COMPLETED else Event.COMPLETION_RETURNED
        party = (
            StatusUpdate.objects.filter(
                commitment=commitment, to_status=S.COMPLETION_REPORTED, withdrawn_at__isnull=True
            )
            .order_by("-created_at", "-pk")
            .values_list("agency__party_id", flat=True)
            .first()
        )
    else:
        return
    if side_party is not None:  # a side's move: that side is the one concerned
        party = side_party
    notify(event, commitment=commitment, about=update, actor=by, party=party, detail=update.note)


def commitment_accept_completion(
    *,
    commitment: Commitment,
    by: User | None,
    note: str = "",
    side: CommitmentSide | None = None,
) -> StatusUpdate:
    """Accept a reported completion: the commitment is completed (a manager's review,
    ``Policy.can_review_completion``). ``note`` is optional; the history says "accepted"."""
    note = note.strip()
    return _change_status(
        commitment=commitment,
        to=Commitment.Status.COMPLETED,
        by=by,
        note=note,
        agency=None,
        session=None,
        attachments=(),
        check_user=True,
        expect_from=COMPLETION_ACCEPTED_FROM,
        refusal=_("Only a manager may accept or return a reported completion."),
        history_reason=_("Completion accepted: %(note)s") % {"note": note}
        if note
        else _("Completion accepted"),
        side=side,
    )


def commitment_return_completion(
    *,
    commitment: Commitment,
    by: User | None,
    reason: str,
    side: CommitmentSide | None = None,
) -> StatusUpdate:
    """Return a reported completion: the commitment is in progress again, and the focal
    points read why in its timeline and history. A reason is required (``ValidationError``
    on ``reason`` without one, before anything is locked or written)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the completion is returned: the focal points act on it.")},
            code="reason_required",
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Keep the reason under %(n)s characters (it has %(length)s).")
                % {"n": REASON_MAX_LENGTH, "length": len(reason)}
            },
            code="reason_too_long",
        )
    return _change_status(
        commitment=commitment,
        to=Commitment.Status.IN_PROGRESS,
        by=by,
        note=reason,
        agency=None,
        session=None,
        attachments=(),
        check_user=True,
        expect_from=COMPLETION_ACCEPTED_FROM,
        refusal=_("Only a manager may accept or return a reported completion."),
        history_reason=_("Completion returned: %(reason)s") % {"reason": reason},
        side=side,
    )


def commitment_report_progress(
    *,
    commitment: Commitment,
    by: User | None,
    note: str,
    agency: Agency | None = None,
    session: Session | None = None,
    attachments: Iterable[File] = (),
    side: CommitmentSide | None = None,
) -> StatusUpdate:
    """Record a progress report that does not change the status.

    Reports come from the responsible agencies' focal points and the council's
    secretariat (``Policy.can_report_progress``); a manager reviews, not reports. On a
    commitment with sides the report is about one side: ``side``, or the one the
    reporter's agency or the user points to (``_side_to_move``); a focal point reports
    for their own party's side only (``Policy.can_report_for_side``)."""
    note = note.strip()
    if by is not None and not Policy(by).can_report_progress(commitment):
        raise PermissionDenied(
            _("Only the responsible agencies and the secretariat may report on this commitment.")
        )
    if not note:
        raise ValidationError({"note": _("Write what has been done.")})
    with transaction.atomic():
        locked = (
            Commitment.objects.select_for_update(of=("self",))
            .prefetch_related("responsibilities")
            .get(pk=commitment.pk)
        )
        sides = list(CommitmentSide.objects.select_related("party").filter(commitment=locked))
        target = None
        if any(s.is_responsible for s in sides) or side is not None:
            target = _side_to_move(
                locked,
                sides,
                to="",
                side=side,
                by=by,
                agency=agency,
                check_user=True,
                expect_from=None,
            )
        if target is not None and by is not None:
            target.commitment = locked
            if not Policy(by).can_report_for_side(target):
                raise PermissionDenied(_("You may report only for the side of your own party."))
        return _record_update(
            commitment=locked,
            from_status=target.status if target is not None else locked.status,
            to_status="",
            by=by,
            note=note,
            agency=agency,
            session=session,
            attachments=attachments,
            side=target,
        )


def _record_update(
    *,
    commitment: Commitment,
    from_status: str,
    to_status: str,
    by: User | None,
    note: str,
    agency: Agency | None,
    session: Session | None,
    attachments: Iterable[File],
    side: CommitmentSide | None = None,
) -> StatusUpdate:
    update = StatusUpdate(
        commitment=commitment,
        channel=current_channel(),
        side=side,
        from_status=from_status,
        to_status=to_status,
        author=by,
        agency=agency,
        session=session,
        note=note,
    )
    update.full_clean()
    update.save()
    for upload in attachments:
        attachment = Attachment(update=update, original_name=upload.name[:255])
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
    webhook_emit(
        event=WebhookEvent.REPORT_ADDED,
        council_id=commitment.council_id,
        data=hooks.report_data(update),
    )
    return update


def status_update_withdraw(*, update: StatusUpdate, by: User | None, reason: str) -> None:
    """Withdraw a progress report: kept, struck through, never deleted; the status stays.

    Its author or the council's secretariat may (``Policy.can_withdraw_report``)."""
    if by is not None and not Policy(by).can_withdraw_report(update, update.commitment):
        raise PermissionDenied(
            _("Only its author or the council's secretariat may withdraw a report.")
        )
    with transaction.atomic():
        # Locked: of two withdrawals at once the second is told, not recorded over the first.
        locked = StatusUpdate.objects.select_for_update().get(pk=update.pk)
        record_withdraw(record=locked, by=by, reason=reason)
    update.withdrawn_at, update.withdrawn_by_id = locked.withdrawn_at, locked.withdrawn_by_id
    update.withdrawal_reason = locked.withdrawal_reason
