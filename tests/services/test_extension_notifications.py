"""An extension request tells the secretariat and managers; its decision tells the side
that asked — each once."""

import datetime

import pytest

from council import services
from council.models import Reminder

pytestmark = pytest.mark.django_db


def test_requested_then_decided_each_notified_once(world):
    commitment, focal = world.commitment_a, world.users["focal_a"]
    party = commitment.responsibilities.get(agency=focal.agency).party
    request = services.extension_request(
        commitment=commitment,
        party=party,
        new_deadline=commitment.deadline + datetime.timedelta(days=60),
        reason="Ждём согласования с таможней",
        by=focal,
    )
    asked = Reminder.objects.filter(kind="event_extension_requested")
    recipients = set(asked.values_list("recipient__username", flat=True))
    assert {"secretariat", "manager"} <= recipients and "focal_a" not in recipients
    services.extension_grant(request=request, comment="Согласовано", by=world.users["manager"])
    decided = Reminder.objects.filter(kind="event_extension_decided")
    assert set(decided.values_list("recipient__username", flat=True)) == {"focal_a"}
    assert decided.get().detail.startswith("Extension granted") or "→" in decided.get().detail
