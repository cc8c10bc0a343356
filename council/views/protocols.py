"""Protocols: the signed record of a session, its signatories and files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import forms, services
from ..history import merged_history_rows
from ..models import (
    Protocol,
    ProtocolFile,
    Signatory,
)
from ..policies import policy_for
from ._access import _download, _form_error, _get_session


def _protocol_history(protocol: Protocol) -> list:
    """The protocol's history with its signatories' and files': uploads and withdrawals."""
    return merged_history_rows(
        [
            (protocol.history.all(), None),
            (
                Signatory.history.filter(protocol_id=protocol.pk).select_related("person"),
                lambda r: _("Signatory %(person)s") % {"person": r.person},
            ),
            (
                ProtocolFile.history.filter(protocol_id=protocol.pk),
                lambda r: _("File %(name)s") % {"name": r.original_name},
            ),
        ]
    )


def _get_protocol(request: HttpRequest, session_pk: int) -> Protocol:
    session = _get_session(request, session_pk)
    try:
        return Protocol.objects.select_related("session__council").get(session=session)
    except Protocol.DoesNotExist:
        raise Http404(_("No protocol is recorded for this session yet.")) from None


@require_GET
def protocol_detail(
    request: HttpRequest, session_pk: int, print_view: bool = False
) -> HttpResponse:
    session = _get_session(request, session_pk)
    protocol = Protocol.objects.filter(session=session).select_related("session__council").first()
    policy = policy_for(request)
    if protocol is None:
        if print_view:
            raise Http404(_("No protocol is recorded for this session yet."))
        return render(
            request,
            "council/protocol_detail.html",
            {"session": session, "protocol": None, "can_edit": policy.can_edit_session(session)},
        )
    context = {
        "session": session,
        "protocol": protocol,
        "can_edit": policy.can_edit_session(session),
        "signatories": protocol.signatories.filter(withdrawn_at__isnull=True).select_related(
            "person", "party"
        ),
        "files": protocol.files.select_related("uploaded_by", "withdrawn_by"),
        "clauses": session.commitments.for_list().order_by("pk"),
        "file_form": forms.ProtocolFileForm(protocol=protocol),
        "history": _protocol_history(protocol),
    }
    template = "council/protocol_print.html" if print_view else "council/protocol_detail.html"
    return render(request, template, context)


@require_GET
def protocol_print(request: HttpRequest, session_pk: int) -> HttpResponse:
    return protocol_detail(request, session_pk, print_view=True)


@require_http_methods(["GET", "POST"])
def protocol_edit(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = _get_session(request, session_pk, edit=True)
    protocol = Protocol.objects.filter(session=session).first() or Protocol(session=session)
    data = request.POST if request.method == "POST" else None
    form = forms.ProtocolForm(data, instance=protocol, session=session)
    formset = forms.SignatoryFormSet(
        data,
        instance=protocol,
        # Withdrawn signatories stay in the history, not on the form.
        queryset=Signatory.objects.filter(withdrawn_at__isnull=True),
        council=session.council,
        prefix="signatories",
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.protocol_save(
                protocol=form.save(commit=False),
                signatories=formset.save(commit=False),
                by=request.user,
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The protocol is saved."))
            return redirect("council:protocol-detail", session_pk=session.pk)
    conflict = form.is_bound and any(
        e.code == "conflict" for e in form.non_field_errors().as_data()
    )
    return render(
        request,
        "council/protocol_form.html",
        {"form": form, "formset": formset, "session": session, "protocol": protocol},
        status=409 if conflict else 200,
    )


@require_POST
def protocol_file_upload(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = _get_session(request, session_pk, edit=True)
    protocol = _get_protocol(request, session.pk)
    form = forms.ProtocolFileForm(request.POST, request.FILES, protocol=protocol)
    if form.is_valid():
        try:
            upload = services.protocol_file_upload(
                protocol_file=form.save(commit=False),
                upload=form.cleaned_data["file"],
                by=request.user,
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("%(name)s is uploaded.") % {"name": upload.original_name})
            return redirect("council:protocol-detail", session_pk=session.pk)
    context = {
        "session": session,
        "protocol": protocol,
        "can_edit": True,
        "signatories": protocol.signatories.filter(withdrawn_at__isnull=True).select_related(
            "person", "party"
        ),
        "files": protocol.files.select_related("uploaded_by", "withdrawn_by"),
        "clauses": session.commitments.for_list().order_by("pk"),
        "file_form": form,
        "history": _protocol_history(protocol),
    }
    return render(request, "council/protocol_detail.html", context, status=422)


@require_GET
def protocol_file_download(request: HttpRequest, pk: int) -> FileResponse:
    upload = get_object_or_404(
        ProtocolFile.objects.filter(
            protocol__session__council__in=policy_for(request).council_ids()
        ),
        pk=pk,
    )
    return _download(upload.file, upload.original_name)


@require_POST
def protocol_file_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(ProtocolFile.objects.select_related("protocol"), pk=pk)
    session = _get_session(request, upload.protocol.session_id, edit=True)
    upload.protocol.session = session
    try:
        services.protocol_file_withdraw(
            upload=upload, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is withdrawn.") % {"name": upload.original_name})
    return redirect("council:protocol-detail", session_pk=session.pk)
