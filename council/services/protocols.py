"""Protocols: the document, its signatories and its files.

A file, once uploaded, is never replaced or deleted: a wrong one is withdrawn with a
reason and a new one uploaded, and both stay on the protocol's page and in its history.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from .. import webhooks as hooks
from ..models import Protocol, ProtocolFile, Signatory, User, WebhookEvent
from ._records import (
    insert_once,
    require_council_records,
    save_with_history,
    was_withdrawn,
    withdraw,
)
from .webhooks import webhook_emit


def _may_not() -> str:
    return _("Only the council's secretariat may change this protocol.")


def protocol_save(
    *,
    protocol: Protocol,
    by: User | None,
    signatories: Iterable[Signatory] = (),
    reason: str = "",
) -> Protocol:
    """Record a session's protocol, or save changes to it, with the signatories added or
    changed on the same form.

    Two people recording the first protocol of a session at once: the second gets a form
    error, not a server error, and the first one's protocol stands."""
    require_council_records(by, protocol.session.council_id, _may_not())
    if protocol.pk is not None:
        before = Protocol.objects.filter(pk=protocol.pk).values_list("session_id", flat=True)
        if before.first() != protocol.session_id:
            raise ValidationError(_("A protocol stays with its session."))
    protocol.full_clean(validate_unique=protocol.pk is not None)
    was_signed = (
        protocol.pk is not None
        and Protocol.objects.filter(pk=protocol.pk, status=Protocol.Status.SIGNED).exists()
    )
    with transaction.atomic():
        if protocol.pk is None:
            insert_once(
                protocol,
                by=by,
                reason=reason,
                taken=lambda: Protocol.objects.filter(session_id=protocol.session_id).exists(),
                refusal=ValidationError(
                    _(
                        "Someone recorded the protocol of this session while you were "
                        "filling in the form. Reload the page to see it, then make your "
                        "changes again."
                    ),
                    code="conflict",
                ),
            )
        else:
            save_with_history(protocol, by=by, reason=reason)
        for signatory in signatories:
            signatory.protocol = protocol
            if signatory.pk is None:
                signatory_add(signatory=signatory, by=by, reason=reason)
            else:
                signatory_edit(signatory=signatory, by=by, reason=reason)
        if protocol.status == Protocol.Status.SIGNED and not was_signed:
            webhook_emit(
                event=WebhookEvent.PROTOCOL_SIGNED,
                council_id=protocol.session.council_id,
                data=hooks.protocol_data(protocol),
            )
    return protocol


# Signatories ---------------------------------------------------------------------------


def _fill_signatory(signatory: Signatory) -> None:
    person = signatory.person
    signatory.party_id = person.party_id
    if not signatory.position:
        signatory.position = person.position


def _signed_twice() -> ValidationError:
    return ValidationError({"person": _("This person is already a signatory.")})


def signatory_add(*, signatory: Signatory, by: User | None, reason: str = "") -> Signatory:
    """Add a signatory (unsaved: protocol, person, position); the party is the person's,
    an empty position the person's current one, and it comes last in the order."""
    require_council_records(by, signatory.protocol.session.council_id, _may_not())
    _fill_signatory(signatory)
    if not signatory.order:
        last = Signatory.objects.filter(protocol_id=signatory.protocol_id).aggregate(
            last=Max("order")
        )["last"]
        signatory.order = (last or 0) + 1

    def taken() -> bool:
        return Signatory.objects.filter(
            protocol_id=signatory.protocol_id,
            person_id=signatory.person_id,
            withdrawn_at__isnull=True,
        ).exists()

    if taken():
        raise _signed_twice()
    signatory.full_clean()
    insert_once(signatory, by=by, reason=reason, taken=taken, refusal=_signed_twice())
    return signatory


def signatory_edit(*, signatory: Signatory, by: User | None, reason: str = "") -> Signatory:
    """Save changes to a signatory, with history."""
    require_council_records(by, signatory.protocol.session.council_id, _may_not())
    if was_withdrawn(signatory):
        raise ValidationError(_("A withdrawn signatory is not changed."))
    _fill_signatory(signatory)
    signatory.full_clean()
    try:
        with transaction.atomic():
            save_with_history(signatory, by=by, reason=reason)
    except IntegrityError:
        raise _signed_twice() from None
    return signatory


def signatory_withdraw(*, signatory: Signatory, by: User | None, reason: str) -> None:
    """Withdraw a signatory recorded by mistake; kept, marked, in the protocol's history."""
    require_council_records(by, signatory.protocol.session.council_id, _may_not())
    withdraw(signatory, by=by, reason=reason)


# Files ---------------------------------------------------------------------------------


def protocol_file_upload(
    *, protocol_file: ProtocolFile, upload: File, by: User | None, reason: str = ""
) -> ProtocolFile:
    """Store ``upload`` as a new file of a protocol (``protocol_file``: unsaved, with its
    protocol, kind and language) under a generated path, with its original name and who
    uploaded it. The content is checked by the form that received it.

    A stored file is never replaced: a wrong one is withdrawn and a new one uploaded."""
    protocol = protocol_file.protocol
    require_council_records(by, protocol.session.council_id, _may_not())
    if protocol_file.pk is not None:
        raise ValidationError(
            {"file": _("A stored file is not replaced: withdraw it and upload a new one.")}
        )
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:255]
    if not name:
        raise ValidationError({"file": _("Choose a file to upload.")})
    protocol_file.language = protocol_file.language or (protocol.language_list or ["ru"])[0]
    protocol_file.original_name = name
    protocol_file.uploaded_by = by
    protocol_file.file.save(name, upload, save=False)
    protocol_file.full_clean()
    save_with_history(protocol_file, by=by, reason=reason)
    return protocol_file


def protocol_file_withdraw(*, upload: ProtocolFile, by: User | None, reason: str) -> None:
    """Withdraw a file (the wrong scan, an outdated text); it stays listed, struck through,
    and a corrected one is uploaded beside it."""
    require_council_records(by, upload.protocol.session.council_id, _may_not())
    withdraw(upload, by=by, reason=reason)
