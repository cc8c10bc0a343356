"""Demo: a quarterly reporting cycle on an ongoing commitment of the KZ–KG council, the
Kazakh side reporting each quarter and the Kyrgyz side silent (its interim report
overdue)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from . import services
from .cycles import period_of, previous_period
from .models import ReportingCycle, StatusUpdate

COMMITMENT = "c13-1"  # ongoing: trade and economic cooperation, KZ and KG leads
REPORTING_AGENCY = "kz-mti"
NOTES = [
    "Промежуточный отчет за квартал: сверены данные о взаимной торговле, "
    "согласован перечень барьеров для устранения.",
    "Промежуточный отчет за квартал: подготовлен проект дорожной карты по "
    "росту товарооборота, направлен на согласование.",
    "Текущий квартал: проведена видеоконференция рабочих групп, обновлены показатели.",
]


def load_cycles_demo(loader) -> None:
    """Set the cycle from two quarters back; the Kazakh ministry reports in each of them
    and in the current one, the Kyrgyz ministry does not."""
    commitment = loader.commitments[COMMITMENT]
    today = loader.today
    period = ReportingCycle.Period.QUARTERLY
    current = period_of(today, period, 10)
    owed = previous_period(current, period, 10)
    before = previous_period(owed, period, 10)
    secretariat = loader.users["secretariat"]
    services.reporting_cycle_set(
        commitment=commitment,
        period=period,
        due_day=10,
        starts_on=before.start,
        by=secretariat,
        reason="Ежеквартальные промежуточные отчеты по решению 13-го заседания.",
    )
    days = [
        before.end - datetime.timedelta(days=12),
        owed.end - datetime.timedelta(days=12),
        max(current.start, today - datetime.timedelta(days=2)),
    ]
    for day, note in zip(days, NOTES, strict=True):
        update = services.commitment_report_progress(
            commitment=commitment,
            by=secretariat,
            note=note,
            agency=loader.agencies[REPORTING_AGENCY],
        )
        made = StatusUpdate.objects.filter(pk=update.pk)
        made.update(  # not a record: the demo's clock
            created_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
        )
