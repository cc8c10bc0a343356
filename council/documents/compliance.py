"""The compliance page as an Excel workbook: one row per party per session, sector and
agency, as the page's tables show them."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from ..models import Council
from ..reporting.compliance import Overview, Row
from . import xlsx
from .tables import _local_language, cell

WIDTHS = (16, 40, 14, 24, 14, 12, 10, 10, 14)


def headers() -> list[str]:
    return [
        _("Grouped by"),
        _("Session, sector or agency"),
        _("Session date"),
        _("Party"),
        _("Compliance, %"),
        _("Sides scored"),
        _("Final"),
        _("Interim"),
        _("Not yet assessed"),
    ]


def rows(overview: Overview) -> Iterator[list]:
    groups: list[tuple[str, list[Row]]] = [
        (_("Session"), overview.by_session),
        (_("Sector"), overview.by_sector),
        (_("Agency"), overview.by_agency),
    ]
    for grouping, group_rows in groups:
        for row in group_rows:
            label = row.label or _("Other")
            if grouping == _("Session"):
                label = _("Session %(n)s") % {"n": row.label}
            for party in overview.parties:
                figure = row.cells.get(party.pk)
                if figure is None:
                    continue
                yield [
                    grouping,
                    cell(label),
                    row.date,
                    cell(str(party)),
                    figure.percent,
                    figure.sides,
                    figure.final,
                    figure.interim,
                    figure.live,
                ]


def xlsx_file(council: Council, overview: Overview):
    header = headers()
    return xlsx.write(
        header,
        rows(overview),
        sheet_name=_("Compliance"),
        widths=[max(w, min(len(t) + 2, 40)) for w, t in zip(WIDTHS, header, strict=True)],
        date_format=xlsx.LOCAL_DATE_FORMAT if _local_language() else xlsx.DATE_FORMAT,
    )
