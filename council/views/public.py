"""The public page of a council that opted in: no sign-in, one address per language, so
each page is cached whole and shared by every reader of that language."""

from __future__ import annotations

import csv
import io
import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET

from ..documents.tables import SEMICOLON_LANGUAGES, cell
from ..forms import clause_key
from ..public import public_councils, published_commitments, published_sessions
from ..reporting.compliance import overview
from ..templatetags.council_tags import interface_languages
from ..text import download_name
from ..versions import prefetch_versions, shown_version

LANGUAGES = dict(settings.LANGUAGES)


def _language_names() -> dict[str, str]:
    """Each language named in itself, as the switcher of the staff app names them."""
    return {item["code"]: item["name_local"] for item in interface_languages()}


CACHE_SECONDS = 300


def _language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise Http404
    return lang


def _page(template: str, context: dict, lang: str) -> HttpResponse:
    # Rendered without the request: no session, cookie or user goes into a page that
    # every reader of this language shares from the cache.
    html = render_to_string(template, {**context, "LANGUAGE_CODE": lang, "lang": lang})
    response = HttpResponse(html)
    response["Content-Language"] = lang
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


def _rows(session) -> list[dict]:
    commitments = sorted(published_commitments(session), key=lambda c: (clause_key(c.clause), c.pk))
    prefetch_versions(commitments)
    rows = []
    for commitment in commitments:
        shown = shown_version(commitment)
        responsible = list(commitment.responsibilities.all())
        rows.append(
            {
                "commitment": commitment,
                "clause": commitment.clause,
                "title": shown.title,
                "text": shown.text,
                "language": shown.language,
                "parties": sorted({r.party.short_name or r.party.name for r in responsible}),
                "agencies": [f"{r.agency.name} ({r.party.code})" for r in responsible],
                "sector": str(commitment.sector or ""),
                "deadline": commitment.deadline,
                "deadline_kind": commitment.get_deadline_kind_display(),
                "status": commitment.status,
                "status_label": commitment.get_status_display(),
                # Each party's own progress, where the clause binds more than one.
                "sides": [
                    {
                        "party": side.party.short_name or side.party.name,
                        "status": side.status,
                        "status_label": side.get_status_display(),
                    }
                    for side in commitment.sides.all()
                ]
                if len(commitment.sides.all()) > 1
                else [],
                "reviews": [
                    {
                        "session": review.session.number,
                        "decision": review.decision,
                        "decision_label": review.get_decision_display(),
                        "new_deadline": review.new_deadline,
                    }
                    for review in commitment.reviews.all()
                ],
            }
        )
    return rows


@login_not_required
@require_GET
@cache_page(CACHE_SECONDS)
def council_public(request: HttpRequest, lang: str, pk: int) -> HttpResponse:
    lang = _language(lang)
    with translation.override(lang):
        council = get_object_or_404(public_councils(), pk=pk)
        sessions = list(published_sessions(council))
        return _page(
            "public/council.html",
            {"council": council, "sessions": sessions, "languages": _language_names()},
            lang,
        )


def _published_session(pk: int, number: int):
    council = get_object_or_404(public_councils(), pk=pk)
    session = get_object_or_404(published_sessions(council), number=number)
    return council, session


@login_not_required
@require_GET
@cache_page(CACHE_SECONDS)
def session_public(request: HttpRequest, lang: str, pk: int, number: int) -> HttpResponse:
    lang = _language(lang)
    with translation.override(lang):
        council, session = _published_session(pk, number)
        rows = _rows(session)
        figures = overview(council)
        compliance = next((row for row in figures.by_session if row.key == session.pk), None)
        scores = [
            (party.short_name or party.name, compliance.cells[party.pk].percent)
            for party in figures.parties
            if compliance is not None
            and party.pk in compliance.cells
            and compliance.cells[party.pk].percent is not None
        ]
        counts: dict[str, int] = {}
        for row in rows:
            counts[row["status_label"]] = counts.get(row["status_label"], 0) + 1
        return _page(
            "public/session.html",
            {
                "council": council,
                "session": session,
                "rows": rows,
                "counts": sorted(counts.items()),
                "scores": scores,
                "languages": _language_names(),
            },
            lang,
        )


CSV_COLUMNS = ["clause", "title", "parties", "agencies", "sector", "deadline", "status", "reviews"]


@login_not_required
@require_GET
@cache_page(CACHE_SECONDS)
def session_public_data(
    request: HttpRequest, lang: str, pk: int, number: int, fmt: str
) -> HttpResponse:
    """The same rows as the page, as CSV (for Excel: UTF-8 with BOM, ``;`` in the
    languages whose Excel uses the decimal comma) or JSON."""
    lang = _language(lang)
    if fmt not in ("csv", "json"):
        raise Http404
    with translation.override(lang):
        council, session = _published_session(pk, number)
        rows = _rows(session)
        name = _("%(council)s, session %(number)s") % {
            "council": council.short_name or council.name,
            "number": session.number,
        }
        if fmt == "json":
            data = {
                "council": council.name,
                "session": session.number,
                "language": lang,
                "commitments": [
                    {k: v for k, v in row.items() if k not in ("commitment", "language")}
                    for row in rows
                ],
            }
            response = HttpResponse(
                json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
                content_type="application/json; charset=utf-8",
            )
        else:
            out = io.StringIO()
            writer = csv.writer(out, delimiter=";" if lang in SEMICOLON_LANGUAGES else ",")
            writer.writerow(
                [
                    _("Clause"),
                    _("Title"),
                    _("Parties"),
                    _("Responsible agencies"),
                    _("Sector"),
                    _("Deadline"),
                    _("Status"),
                    _("Each party's side"),
                    _("Decisions on review"),
                ]
            )
            for row in rows:
                deadline = row["deadline"].strftime("%d.%m.%Y") if row["deadline"] else ""
                writer.writerow(
                    cell(str(value))
                    for value in [
                        row["clause"],
                        row["title"],
                        ", ".join(row["parties"]),
                        "; ".join(row["agencies"]),
                        row["sector"],
                        deadline or row["deadline_kind"],
                        row["status_label"],
                        "; ".join(
                            f"{side['party']}: {side['status_label']}" for side in row["sides"]
                        ),
                        "; ".join(f"{r['session']}: {r['decision_label']}" for r in row["reviews"]),
                    ]
                )
            response = HttpResponse(
                "\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8"
            )
        response["Content-Disposition"] = content_disposition_header(
            True, download_name(f"{name}.{fmt}")
        )
        response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
        return response
