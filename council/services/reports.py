"""Report and compliance tallies: each council's figures, counted again (issue 18)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from ..models import Commitment, ComplianceTally, Council, ReportTally
from ..querysets import local_today


def _council_ids(council_ids=None) -> list[int]:
    """The ids of the councils of ``council_ids`` that exist (every council when None),
    in order."""
    councils = Council.objects.order_by("pk")
    if council_ids is not None:
        councils = councils.filter(pk__in=list(council_ids))
    return list(councils.values_list("pk", flat=True))


def report_tallies_refresh(
    *, council_ids=None, today: datetime.date | None = None
) -> list[ReportTally]:
    """Count the report figures of each council of ``council_ids`` (every council when
    None) as of ``today`` and keep them, replacing each council's earlier tally. The
    councils are counted together (each aggregate grouped by council: one pass, as long
    as counting them for one page), then saved one transaction per council."""
    from ..reporting.figures import Report, Tally

    today = today or local_today()
    councils = _council_ids(council_ids)
    commitments = Commitment.objects.all()
    if council_ids is not None:
        commitments = commitments.filter(council__in=councils)
    counted = Report(commitments, None, today).tallies()
    saved = []
    for council_id in councils:
        counts = counted.get(council_id, Tally()).as_json()
        with transaction.atomic():
            tally, _created = ReportTally.objects.update_or_create(
                council_id=council_id,
                defaults={"day": today, "counts": counts, "computed_at": timezone.now()},
            )
        saved.append(tally)
    return saved


def compliance_tallies_refresh(*, council_ids=None) -> list[ComplianceTally]:
    """Add up the compliance scores of each council of ``council_ids`` (every council
    when None) and keep them, replacing each council's earlier tally: one query for all
    of them, one transaction per council."""
    from ..reporting.compliance import sums_by_council

    councils = _council_ids(council_ids)
    found = dict(sums_by_council(councils))
    saved = []
    for council_id in councils:
        with transaction.atomic():
            tally, _created = ComplianceTally.objects.update_or_create(
                council_id=council_id,
                defaults={"sums": found.get(council_id, {}), "computed_at": timezone.now()},
            )
        saved.append(tally)
    return saved


def compliance_tally_follow(council_id: int) -> None:
    """After a council's scores changed (an assessment, an override): on a large archive,
    where its compliance page reads the tally, add them up again now, so the page shows
    the change; on a small one nothing (the page adds them up itself)."""
    from ..reporting.figures import archive_is_large

    if archive_is_large():
        compliance_tallies_refresh(council_ids=[council_id])


def report_tallies_scan() -> int:
    """What the background scan does: on a large archive (where the reports and
    compliance pages read tallies), count every council again; on a small one nothing
    (the pages count live). Returns the number of councils counted."""
    from ..reporting.figures import archive_is_large

    if not archive_is_large():
        return 0
    compliance_tallies_refresh()
    return len(report_tallies_refresh())
