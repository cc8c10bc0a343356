"""Exports of a filtered commitment list: XLSX and CSV.

Both formats stream: rows are read in chunks and written out as they come, so
memory stays flat however long the list is. Cells that a spreadsheet would run as a
formula are neutralised, and text is cleaned of what the formats cannot carry
(``text.xml_safe``).

With ``texts_in`` (``?lang=kk``) the title and text columns hold each commitment's
version in that language where one is recorded, else the recorded text marked "(text in
the original language)"; one more query per chunk.
"""

from __future__ import annotations

import csv
import datetime
import itertools
from collections.abc import Iterator

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import Agency, Commitment, CommitmentVersion, Council, Responsibility, Sector
from ..text import xml_safe
from . import xlsx

CHUNK = 2000
# Excel takes the CSV separator from the regional settings: with Russian (as in Kazakhstan
# and Kyrgyzstan) the list separator is ";", since "," is the decimal comma there.
SEMICOLON_LANGUAGES = frozenset({"ru", "kk", "ky"})
# Column widths in characters, in the order of ``headers()``; a longer header widens its
# column (``column_widths``).
WIDTHS = (12, 8, 12, 8, 40, 60, 20, 30, 30, 12, 14, 14, 10, 12, 40)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value):
    """Text a spreadsheet would evaluate (=, +, -, @, tab or a line break first) gets a
    leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def cell(value):
    """A value as both formats write it: text cleaned (``text.xml_safe``), then neutralised,
    in that order, since a control character removed may uncover a leading ``=``."""
    if isinstance(value, str):
        return neutralise(xml_safe(value))
    return value


def headers() -> list[str]:
    return [
        _("Council"),
        _("Session"),
        _("Session date"),
        _("Clause"),
        _("Title"),
        _("Text"),
        _("Sector"),
        _("Lead executors"),
        _("Co-executors"),
        _("Deadline"),
        _("Deadline kind"),
        _("Status"),
        _("Overdue"),
        _("Under monitoring"),
        _("Link"),
    ]


def column_widths(header: list[str]) -> list[int]:
    """``WIDTHS``, each at least as wide as its header (in the active language) needs."""
    return [
        max(width, min(len(title) + 2, 40)) for width, title in zip(WIDTHS, header, strict=True)
    ]


def _local_language() -> bool:
    """Whether the active language is one whose Excel expects ``;`` and ``dd.mm.yyyy``."""
    return (translation.get_language() or "").split("-")[0] in SEMICOLON_LANGUAGES


def _texts_in(ids: list[int], language: str) -> dict[int, tuple[str, str]]:
    """The title and text in ``language`` of each of ``ids`` that has one."""
    versions = CommitmentVersion.objects.filter(
        commitment_id__in=ids, language=language, withdrawn_at__isnull=True
    ).values_list("commitment_id", "title", "text")
    return {commitment_id: (title, text) for commitment_id, title, text in versions}


def rows(
    commitments: QuerySet[Commitment], site_url: str, texts_in: str | None = None
) -> Iterator[list]:
    """One list per commitment, in the order of ``headers()``; dates stay dates.

    Reads plain values, not model instances, and names from small lookups loaded once
    (councils, sectors, agencies): per chunk of ``CHUNK`` commitments one query for their
    responsible agencies, so the number of queries grows with chunks, not rows.
    """
    today = timezone.localdate()
    councils = {council.pk: council.short_name for council in Council.objects.all()}
    sectors = {sector.pk: sector.name for sector in Sector.objects.all()}
    agencies = {agency.pk: str(agency) for agency in Agency.objects.select_related("party")}
    statuses = {value: str(label) for value, label in Commitment.Status.choices}
    kinds = {value: str(label) for value, label in Commitment.DeadlineKind.choices}
    yes, no = _("yes"), _("no")
    marker = 987654321
    url_start, url_end = reverse("council:commitment-detail", args=[marker]).split(str(marker))
    url_start = site_url.rstrip("/") + url_start
    values = (
        commitments.select_related(None)
        .prefetch_related(None)
        .with_overdue_flag(today)
        .values_list(
            "pk",
            "session__council_id",
            "session__number",
            "session__start_date",
            "clause",
            "title",
            "text",
            "sector_id",
            "deadline",
            "deadline_kind",
            "status",
            "overdue",
            "is_monitored",
            "language",
        )
    )
    original = _("(text in the original language)")
    for chunk in itertools.batched(values.iterator(chunk_size=CHUNK), CHUNK):
        leads: dict[int, list[str]] = {}
        co: dict[int, list[str]] = {}
        responsibilities = (
            Responsibility.objects.filter(commitment_id__in=[row[0] for row in chunk])
            .order_by("commitment_id", "party__order", "role", "agency__name")
            .values_list("commitment_id", "agency_id", "role")
        )
        for commitment_id, agency_id, role in responsibilities:
            by_role = leads if role == Responsibility.Role.LEAD else co
            by_role.setdefault(commitment_id, []).append(agencies[agency_id])
        versions = _texts_in([row[0] for row in chunk], texts_in) if texts_in else {}
        for (
            pk,
            council_id,
            number,
            start_date,
            clause,
            title,
            text,
            sector_id,
            deadline,
            deadline_kind,
            status,
            overdue,
            is_monitored,
            recorded_in,
        ) in chunk:
            if pk in versions:
                title, text = versions[pk]
            elif texts_in and texts_in != recorded_in:
                text = f"{text}\n{original}"
            yield [
                councils[council_id],
                number,
                start_date,
                clause,
                title,
                text,
                sectors[sector_id] if sector_id else "",
                "; ".join(leads.get(pk, ())),
                "; ".join(co.get(pk, ())),
                deadline,
                kinds[deadline_kind],
                statuses[status],
                yes if overdue else no,
                yes if is_monitored else no,
                f"{url_start}{pk}{url_end}",
            ]


class _Echo:
    def write(self, value):
        return value


def csv_stream(
    commitments: QuerySet[Commitment], site_url: str, texts_in: str | None = None
) -> Iterator[str]:
    """The CSV, separated by ``;`` in Russian, Kazakh and Kyrgyz, by ``,`` in English.

    The language is read now, when the response is made, and held while the rows are
    written later, as the response streams.
    """
    language = translation.get_language()
    delimiter = ";" if _local_language() else ","
    return _csv_lines(commitments, site_url, language, delimiter, texts_in)


def _csv_lines(
    commitments, site_url: str, language, delimiter: str, texts_in: str | None = None
) -> Iterator[str]:
    with translation.override(language):
        writer = csv.writer(_Echo(), delimiter=delimiter)
        yield "\ufeff"  # so Excel opens UTF-8 (Cyrillic) correctly
        yield writer.writerow(headers())
        for row in rows(commitments, site_url, texts_in):
            yield writer.writerow(
                [
                    value.isoformat() if isinstance(value, datetime.date) else cell(value)
                    for value in row
                ]
            )


def xlsx_file(commitments: QuerySet[Commitment], site_url: str, texts_in: str | None = None):
    """The workbook in a temporary file, to stream; see ``xlsx`` for why not openpyxl."""
    header = headers()
    return xlsx.write(
        header,
        ([cell(value) for value in row] for row in rows(commitments, site_url, texts_in)),
        sheet_name=_("Commitments"),
        widths=column_widths(header),
        date_format=xlsx.LOCAL_DATE_FORMAT if _local_language() else xlsx.DATE_FORMAT,
    )
