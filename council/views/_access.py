"""What every view shares: the objects a user may see (404 otherwise) or change (403),
the partial an htmx request gets, a service's refusal on a form, and file responses."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from ..models import (
    Commitment,
    CommitmentSide,
    Responsibility,
    Session,
)
from ..policies import policy_for
from ..text import download_name

PAGE_SIZE = 25


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


UPDATES_SHOWN = 50


# A session page lists this many of its commitments and review decisions; the rest are a
# link away (the commitment list by session, the review), not thousands of rows at once.
SESSION_ROWS_SHOWN = 50


DUE_SOON_DAYS = 30


# The list counts matching commitments up to this many ("more than 1000"): an exact
# count of a million rows would cost more than the page itself.
LIST_COUNT_CAP = 1_000


def _partial(request: HttpRequest, template: str, partial: str) -> str:
    return f"{template}#{partial}" if request.htmx else template


def _form_error(form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on the field it names when the form has that
    field, otherwise at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _visible_commitments(request: HttpRequest):
    return policy_for(request).visible_commitments()


def _get_session(request: HttpRequest, pk: int, *, edit: bool = False) -> Session:
    """The session if the user may see it (404 otherwise) and, for ``edit``, change it (403)."""
    session = get_object_or_404(
        Session.objects.select_related("council", "country", "host_party").filter(
            council__in=policy_for(request).council_ids()
        ),
        pk=pk,
    )
    if edit and not policy_for(request).can_edit_session(session):
        raise PermissionDenied(_("Only the council's secretariat may change this session."))
    return session


def _get_commitment(request: HttpRequest, pk: int) -> Commitment:
    return get_object_or_404(
        _visible_commitments(request)
        .select_related(
            "session__council", "sector", "agenda_item", "carries_over__session__council"
        )
        .prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.select_related("agency__party", "party"),
            ),
            Prefetch(
                "sides", queryset=CommitmentSide.objects.select_related("party").with_last_report()
            ),
        ),
        pk=pk,
    )


def _download(stored_file, name: str) -> FileResponse:
    try:
        handle = stored_file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage.")) from None
    # SecurityMiddleware adds X-Content-Type-Options: nosniff to every response.
    return FileResponse(handle, as_attachment=True, filename=download_name(name))


def _attachment(response: HttpResponse, name: str, *, inline: bool = False) -> HttpResponse:
    """Name the file ``response`` carries. Django's header helper quotes an ASCII name and
    writes any other as RFC 5987 ``filename*`` (Cyrillic, dashes); ``download_name``
    has already made it one line with no quote or path in it."""
    response["Content-Disposition"] = content_disposition_header(not inline, download_name(name))
    return response


def _docx(content: bytes, name: str) -> HttpResponse:
    """A Word document as a download named ``name``.docx."""
    return _attachment(HttpResponse(content, content_type=DOCX), f"{name}.docx")


def _site_url(request: HttpRequest) -> str:
    """The address this request came to (its host is checked against ALLOWED_HOSTS), for
    links in what it builds; SITE_URL is for e-mails sent where there is no request."""
    return request.build_absolute_uri("/")
