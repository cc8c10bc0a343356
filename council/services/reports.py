"""Report tallies: each council's report counts, counted again (issue 18)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from ..models import Commitment, Council, ReportTally
from ..querysets import local_today


def report_tallies_refresh(
    *, council_ids=None, today: datetime.date | None = None
) -> list[ReportTally]:
    """Count the report figures of each council of ``council_ids`` (every council when
    None) as of ``today`` and keep them, replacing the council's earlier tally. One
    council at a time, each in its own transaction: a scan over a large archive holds
    no lock for long, and the tallies it has saved stay if it stops half way."""
    from ..reporting.figures import Report

    today = today or local_today()
    councils = Council.objects.order_by("pk").values_list("pk", flat=True)
    if council_ids is not None:
        councils = councils.filter(pk__in=list(council_ids))
    saved = []
    for council_id in councils:
        report = Report(Commitment.objects.filter(council_id=council_id), council_id, today)
        counts = report.tally().as_json()
        with transaction.atomic():
            tally, _created = ReportTally.objects.update_or_create(
                council_id=council_id,
                defaults={"day": today, "counts": counts, "computed_at": timezone.now()},
            )
        saved.append(tally)
    return saved


def report_tallies_scan() -> int:
    """What the background scan does: on a large archive (where the reports page reads
    tallies), count every council again; on a small one nothing (the page counts live).
    Returns the number of councils counted."""
    from ..reporting.figures import archive_is_large

    if not archive_is_large():
        return 0
    return len(report_tallies_refresh())
