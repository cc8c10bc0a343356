"""Demo extension requests on the Kazakhstan–Kyrgyzstan council, through the services:
one granted (the page shows the original deadline next to the extended one), one
refused with the secretariat's comment, and one awaiting a decision (the dashboard
counts it)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from . import services
from .models import ExtensionRequest

if TYPE_CHECKING:
    from .demo import DemoLoader


def _backdate(request: ExtensionRequest, requested: datetime.datetime, decided=None) -> None:
    """Date the request (and its decision) as the demo tells it, not when it loaded."""
    rows = ExtensionRequest.objects.filter(pk=request.pk)
    rows.update(requested_at=requested)  # not a record: the demo's clock
    records = ExtensionRequest.history.filter(id=request.pk).order_by("history_date", "history_id")
    first = records.first()
    records.filter(pk=first.pk).update(history_date=requested)  # not a record: the demo's clock
    if decided is not None:
        rows.update(decided_at=decided)  # not a record: the demo's clock
        later = records.exclude(pk=first.pk)
        later.update(history_date=decided)  # not a record: the demo's clock


def load_extension_demo(loader: DemoLoader) -> None:
    today = loader.today
    focal, focal_kg = loader.users["focal"], loader.users["focal_kg"]
    secretariat, manager = loader.users["secretariat"], loader.users["manager"]
    kz, kg = loader.parties["KZ"], loader.parties["KG"]

    def moment(days_ago: int) -> datetime.datetime:
        day = today - datetime.timedelta(days=days_ago)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(11, 0)))

    # Granted: the Kazakh side of clause 13.2, overdue, asks for five more weeks.
    commitment = loader.commitments["c13-2"]
    granted = services.extension_request(
        commitment=commitment,
        party=kz,
        new_deadline=today + datetime.timedelta(days=35),
        reason=(
            "Проект соглашения находится на межведомственном согласовании: заключение "
            "Министерства юстиции ожидается в течение месяца."
        ),
        by=focal,
    )
    services.extension_grant(
        request=granted,
        comment="Продлить. Результаты согласования представить к следующему заседанию.",
        by=secretariat,
    )
    _backdate(granted, moment(20), moment(18))
    moved = commitment.history.filter(pk=commitment.history.latest().pk)
    moved.update(history_date=moment(18))  # not a record: the demo's clock

    # Refused: the Kyrgyz side of clause 13.4 asks for two more months; the date stands.
    commitment = loader.commitments["c13-4"]
    refused = services.extension_request(
        commitment=commitment,
        party=kg,
        new_deadline=commitment.deadline + datetime.timedelta(days=60),
        reason="Подрядчик не завершил монтаж оборудования на подстанции.",
        by=focal_kg,
    )
    services.extension_refuse(
        request=refused,
        comment=(
            "Срок установлен решением сопредседателей. Прошу представить график монтажа "
            "в рамках действующего срока."
        ),
        by=manager,
    )
    _backdate(refused, moment(5), moment(3))

    # Awaiting a decision: the secretariat passes on the Kyrgyz side's letter on 13.6.
    commitment = loader.commitments["c13-6"]
    pending = services.extension_request(
        commitment=commitment,
        party=kg,
        new_deadline=commitment.deadline + datetime.timedelta(days=45),
        reason=(
            "Письмо Министерства транспорта Кыргызской Республики: проектная документация "
            "на пункт пропуска проходит государственную экспертизу."
        ),
        by=secretariat,
    )
    _backdate(pending, moment(2))
