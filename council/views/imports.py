"""Importing a protocol's clauses: upload, preview (each row correctable or skipped),
confirm. The file waits between preview and confirmation under a token kept in the
user's session (``council.imports.pending``)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from .. import services
from ..imports import pending
from ..imports.files import MAX_BYTES
from ..models import Agency, Commitment, Responsibility, Session
from ..services.imports import Correction, Preview
from ._access import _get_session

PENDING_KEY = "council_imports"
EXTRA_AGENCY_ROWS = 1


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Protocol or plan of measures"),
        help_text=gettext_lazy(
            "A Word document (.docx), an Excel workbook (.xlsx) or a CSV file, up to 20 MB. "
            "Nothing is saved until you confirm the preview."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".docx,.xlsx,.csv", "class": "form-control"}
        ),
    )


def _agency_groups(session: Session) -> list[tuple[str, list[tuple[int, str]]]]:
    """The agencies one may pick, by party, as (party, [(id, label)])."""
    groups: dict[str, list[tuple[int, str]]] = {}
    agencies = (
        Agency.objects.filter(party__in=session.council.parties.all(), is_active=True)
        .select_related("party")
        .order_by("party__order", "name")
    )
    for agency in agencies:
        groups.setdefault(str(agency.party), []).append((agency.pk, str(agency)))
    return list(groups.items())


def _render_preview(request, session, preview: Preview, token: str, *, status=200, error=None):
    rows = []
    for index, row in enumerate(preview.rows):
        agencies = [(a.pk, role) for a, role in row.responsible]
        agencies += [(None, "co_executor" if agencies else "lead")] * EXTRA_AGENCY_ROWS
        scores = {r.agency_id: r.score for r in row.parsed.responsible}
        rows.append(
            {
                "index": index,
                "row": row,
                "agencies": [
                    {"id": a, "role": role, "score": scores.get(a), "n": n}
                    for n, (a, role) in enumerate(agencies)
                ],
            }
        )
    return render(
        request,
        "council/import_preview.html",
        {
            "session": session,
            "preview": preview,
            "rows": rows,
            "token": token,
            "counts": preview.counts(),
            "agency_groups": _agency_groups(session),
            "roles": Responsibility.Role.choices,
            "deadline_kinds": Commitment.DeadlineKind.choices,
            "error": error,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk, edit=True)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", _("The file is larger than 20 MB."))
        else:
            data = upload.read()
            preview = services.import_read(session=session, name=upload.name, data=data)
            if preview.errors:
                for error in preview.errors:
                    form.add_error("file", error)
            else:
                token = pending.stash(data)
                waiting = request.session.get(PENDING_KEY, {})
                waiting[token] = {"name": upload.name, "session": session.pk}
                request.session[PENDING_KEY] = dict(list(waiting.items())[-5:])
                return _render_preview(request, session, preview, token)
    return render(
        request,
        "council/import_upload.html",
        {"session": session, "form": form},
        status=422 if form.is_bound else 200,
    )


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value.strip()) if value and value.strip() else None
    except ValueError:
        return None


def _corrections(post) -> tuple[dict[str, Correction], dict[str, list[str]]]:
    """The preview form's rows as corrections by clause, and input errors by clause."""
    corrections: dict[str, Correction] = {}
    problems: dict[str, list[str]] = {}
    roles = set(Responsibility.Role.values)
    try:
        count = min(int(post.get("rows", "0")), 5000)
    except ValueError:
        count = 0
    for i in range(count):
        clause = post.get(f"r{i}-clause", "").strip()
        if not clause:
            continue
        kind = post.get(f"r{i}-deadline_kind", "")
        deadline = _date(post.get(f"r{i}-deadline", ""))
        if kind == "date" and post.get(f"r{i}-deadline", "").strip() and deadline is None:
            problems.setdefault(clause, []).append(_("Enter a valid date."))
        responsible = []
        for j in range(0, 50):
            agency = post.get(f"r{i}-a{j}-agency")
            if agency is None:
                break
            role = post.get(f"r{i}-a{j}-role", "lead")
            if agency.isdigit() and role in roles:
                responsible.append((int(agency), role))
        version = post.get(f"r{i}-version", "")
        corrections[clause] = Correction(
            skip=post.get(f"r{i}-skip") == "on",
            title=post.get(f"r{i}-title"),
            deadline_kind=kind,
            deadline=deadline,
            responsible=responsible,
            version=int(version) if version.isdigit() else None,
        )
    return corrections, problems


@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk, edit=True)
    token = request.POST.get("token", "")
    waiting = request.session.get(PENDING_KEY, {})
    meta = waiting.get(token)
    data = pending.load(token) if meta and meta.get("session") == session.pk else None
    if data is None:
        messages.error(request, _("The uploaded file has expired. Upload it again."))
        return redirect("council:import-upload", pk=session.pk)
    name = meta["name"]
    corrections, problems = _corrections(request.POST)
    error = None
    if not problems:
        try:
            _preview, outcome = services.import_confirm(
                session=session, name=name, data=data, corrections=corrections, by=request.user
            )
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            pending.discard(token)
            waiting.pop(token, None)
            request.session[PENDING_KEY] = waiting
            messages.success(
                request,
                _(
                    "Imported from %(file)s: %(created)s added, %(updated)s updated, "
                    "%(unchanged)s unchanged, %(skipped)s skipped."
                )
                % {
                    "file": name,
                    "created": len(outcome.created),
                    "updated": len(outcome.updated),
                    "unchanged": outcome.unchanged,
                    "skipped": len(outcome.skipped),
                },
            )
            return redirect(f"{reverse('council:commitment-list')}?session={session.pk}")
    preview = services.import_prepare(
        session=session, name=name, data=data, corrections=corrections
    )
    for row in preview.rows:
        row.errors += problems.get(row.clause, [])
    if error is None:
        error = _("Some clauses need a correction before they can be saved.")
    return _render_preview(request, session, preview, token, status=422, error=error)
