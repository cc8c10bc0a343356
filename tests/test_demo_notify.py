"""The demo shows a side at risk, a reminder to a side and event notifications."""

import pytest

from council.models import Reminder, RiskFlag, SideNudge

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_once")]


def test_a_kyrgyz_side_at_risk_with_a_russian_reason(demo):
    flag = RiskFlag.objects.open().get()
    assert flag.party.code == "KG" and flag.commitment.clause == "2.4"
    assert "Токтогульской ГЭС" in flag.reason
    assert flag.raised_by.username == "focal.kg"


def test_a_reminder_to_a_side_is_recorded(demo):
    nudge = SideNudge.objects.get()
    assert nudge.party.code == "KZ" and nudge.recipients >= 1
    assert nudge.sent_by.username == "secretariat"


def test_the_focal_point_and_the_manager_have_event_notifications(demo):
    events = Reminder.objects.filter(kind__startswith="event_")
    assert events.filter(recipient__username="focal", kind="event_remind_now").exists()
    assert events.filter(recipient__username="manager", kind="event_completion_reported").exists()
    assert events.filter(recipient__username="secretariat", kind="event_at_risk").exists()
    # Delivered by the load's reminder scan (the demo's users have e-mail addresses).
    assert set(events.values_list("status", flat=True)) == {"sent"}
