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

from ..history import changed_labels
from ..models import (
    Agency,
    Attachment,
    Commitment,
    Responsibility,
    Session,
    StatusUpdate,
    User,
)
from ..policies import COMPLETION_ACCEPTED_FROM, Policy
from ._records import record_withdraw, save_with_history
from .notifications import Event, notify

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
) -> StatusUpdate:
    """Move ``commitment`` to status ``to``, recording who, when and why.

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
        if to in (Commitment.Status.CANCELLED, Commitment.Status.SUPERSEDED):
            locked.is_monitored = False
        locked.version += 1
        save_with_history(
            locked,
            by=by,
            reason=history_reason or note or str(update),
            update_fields=["status", "is_monitored", "version", "updated_at"],
        )
        if by is not None:
            _notify_status(locked, update, current, to, by)
    commitment.status = locked.status
    commitment.is_monitored = locked.is_monitored
    commitment.version = locked.version
    return update


def _notify_status(
    commitment: Commitment, update: StatusUpdate, current: str, to: str, by: User
) -> None:
    """A completion reported (to the managers), accepted or returned (to the side that
    reported it: the party of the agency of the standing completion report, every side
    when it named none)."""
    S = Commitment.Status
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
    notify(event, commitment=commitment, about=update, actor=by, party=party, detail=update.note)


def commitment_accept_completion(
    *, commitment: Commitment, by: User | None, note: str = ""
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
    )


def commitment_return_completion(
    *, commitment: Commitment, by: User | None, reason: str
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
    )


def commitment_report_progress(
    *,
    commitment: Commitment,
    by: User | None,
    note: str,
    agency: Agency | None = None,
    session: Session | None = None,
    attachments: Iterable[File] = (),
) -> StatusUpdate:
    """Record a progress report that does not change the status.

    Reports come from the responsible agencies' focal points and the council's
    secretariat (``Policy.can_report_progress``); a manager reviews, not reports."""
    note = note.strip()
    if by is not None and not Policy(by).can_report_progress(commitment):
        raise PermissionDenied(
            _("Only the responsible agencies and the secretariat may report on this commitment.")
        )
    if not note:
        raise ValidationError({"note": _("Write what has been done.")})
    with transaction.atomic():
        return _record_update(
            commitment=commitment,
            from_status=commitment.status,
            to_status="",
            by=by,
            note=note,
            agency=agency,
            session=session,
            attachments=attachments,
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
) -> StatusUpdate:
    update = StatusUpdate(
        commitment=commitment,
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
