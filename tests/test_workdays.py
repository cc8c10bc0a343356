"""Working days in Kazakhstan and Kyrgyzstan, and reminders that wait for them."""

from __future__ import annotations

import datetime
import importlib
import zoneinfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import translation

from council import roles, services, workdays
from council.models import Reminder, ReminderRule, User
from tests.factories import AgencyFactory, CommitmentFactory, PartyFactory, ResponsibilityFactory

D = datetime.date
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
BISHKEK = zoneinfo.ZoneInfo("Asia/Bishkek")
DEFAULT_RULES = importlib.import_module("council.migrations.0004_default_reminder_rules").DEFAULTS


@pytest.mark.parametrize(
    ("day", "code", "working"),
    [
        (D(2026, 12, 3), "KZ", True),  # a Thursday
        (D(2026, 12, 5), "KZ", False),  # Saturday
        (D(2026, 12, 6), "KG", False),  # Sunday
        (D(2026, 12, 16), "KZ", False),  # Independence Day of Kazakhstan
        (D(2026, 12, 16), "KG", True),  # ... an ordinary Wednesday in Kyrgyzstan
        (D(2026, 8, 31), "KG", False),  # Independence Day of Kyrgyzstan, a Monday
        (D(2026, 8, 31), "KZ", True),
        (D(2026, 3, 9), "KZ", False),  # 8 March fell on a Sunday: Monday off instead
        (D(2025, 1, 3), "KZ", False),  # a Friday off moved from Sunday 5 January
        (D(2025, 1, 5), "KZ", True),  # ... and that Sunday was worked
        (D(2025, 1, 11), "KG", True),  # a Saturday worked in Kyrgyzstan for 2 January
        (D(2025, 1, 2), "KG", False),
        (D(2026, 12, 5), "UZ", False),  # another country: weekends at least
        (D(2026, 12, 7), None, True),
    ],
)
def test_working_days_follow_each_countrys_calendar(day, code, working):
    assert workdays.is_working_day(day, code) is working


def test_a_holiday_is_named_in_the_readers_language():
    with translation.override("en"):
        assert workdays.non_working(D(2026, 8, 31), "KG").name == "Independence Day"
        assert workdays.non_working(D(2026, 3, 9), "KZ").name == (
            "International Women's Day (day off moved)"
        )
        assert workdays.non_working(D(2026, 12, 5), "KZ").is_weekend
        assert workdays.non_working(D(2026, 12, 3), "KZ") is None
    with translation.override("ru"):
        assert str(workdays.non_working(D(2026, 8, 31), "KG").name) == "День независимости"
        assert str(workdays.country_label("KG")) == "в Кыргызстане"


def test_time_zones_of_the_parties():
    assert str(workdays.time_zone("KZ")) == "Asia/Almaty"
    assert str(workdays.time_zone("KG")) == "Asia/Bishkek"
    assert str(workdays.time_zone("UZ")) == "Asia/Almaty"  # the project's own


@pytest.mark.parametrize(
    ("now", "code", "expected"),
    [
        # Thursday 10:00 in Almaty: at work now.
        (datetime.datetime(2026, 12, 3, 10, tzinfo=ALMATY), "KZ", (2026, 12, 3, 10, 0)),
        # Saturday 03:00 in Almaty: Monday morning.
        (datetime.datetime(2026, 12, 5, 3, tzinfo=ALMATY), "KZ", (2026, 12, 7, 9, 0)),
        # Tuesday 15 December, 19:00: the 16th is a holiday, so Thursday the 17th.
        (datetime.datetime(2026, 12, 15, 19, tzinfo=ALMATY), "KZ", (2026, 12, 17, 9, 0)),
        # The same instant is 20:00 in Bishkek; the 16th is worked in Kyrgyzstan.
        (datetime.datetime(2026, 12, 15, 19, tzinfo=ALMATY), "KG", (2026, 12, 16, 9, 0)),
        # Early on a working day: its own morning.
        (datetime.datetime(2026, 12, 3, 7, tzinfo=BISHKEK), "KG", (2026, 12, 3, 9, 0)),
        # Kyrgyzstan's New Year holidays run to 7 January 2026.
        (datetime.datetime(2025, 12, 31, 20, tzinfo=BISHKEK), "KG", (2026, 1, 8, 9, 0)),
    ],
)
def test_next_working_moment(now, code, expected):
    moment = workdays.next_working_moment(now, code)
    assert moment.timetuple()[:5] == expected
    assert str(moment.tzinfo) == str(workdays.time_zone(code))


# Reminders wait for working hours ------------------------------------------------------


@pytest.fixture
def held(db, settings):
    settings.REMINDERS_WORKING_HOURS_ONLY = True
    for kind, days, repeat in DEFAULT_RULES:
        ReminderRule.objects.get_or_create(
            kind=kind, defaults={"days": days, "repeat_every_days": repeat}
        )
    # One kind of reminder, so that each test follows one message through the days.
    ReminderRule.objects.exclude(kind="before_deadline").update(is_active=False)
    roles.roles_sync()


def focal_point(name, code):
    agency = AgencyFactory(party=PartyFactory(code=code))
    user = User.objects.create_user(name, f"{name}@example.org", "pw-long-enough", agency=agency)
    user.groups.add(Group.objects.get(name=roles.FOCAL_POINT))
    return user


def due_tomorrow(user, deadline):
    commitment = CommitmentFactory(deadline=deadline)
    ResponsibilityFactory(commitment=commitment, agency=user.agency)
    return commitment


def scan_at(moment):
    with time_machine.travel(moment, tick=False):
        services.reminders_scan(today=moment.astimezone(ALMATY).date())
    return list(Reminder.objects.values_list("recipient__username", "status"))


def test_no_reminder_on_saturday_night_in_almaty_it_goes_on_monday_morning(held):
    user = focal_point("aliya", "KZ")
    due_tomorrow(user, D(2026, 12, 6))  # one day left on Saturday
    assert scan_at(datetime.datetime(2026, 12, 5, 3, tzinfo=ALMATY)) == [("aliya", "pending")]
    assert mail.outbox == []
    # Sunday noon: still not a working day.
    assert scan_at(datetime.datetime(2026, 12, 6, 12, tzinfo=ALMATY)) == [("aliya", "pending")]
    assert mail.outbox == []
    # Monday 08:59: not yet; 09:05: sent, once.
    assert scan_at(datetime.datetime(2026, 12, 7, 8, 59, tzinfo=ALMATY)) == [("aliya", "pending")]
    assert scan_at(datetime.datetime(2026, 12, 7, 9, 5, tzinfo=ALMATY)) == [("aliya", "sent")]
    assert scan_at(datetime.datetime(2026, 12, 7, 10, tzinfo=ALMATY)) == [("aliya", "sent")]
    assert len(mail.outbox) == 1


def test_no_reminder_on_kyrgyz_independence_day_it_goes_the_next_morning(held):
    user = focal_point("aizada", "KG")
    due_tomorrow(user, D(2026, 9, 1))
    # 03:00 in Bishkek on Monday 31 August, a national holiday; and at 11:00 still.
    assert scan_at(datetime.datetime(2026, 8, 31, 3, tzinfo=BISHKEK)) == [("aizada", "pending")]
    assert scan_at(datetime.datetime(2026, 8, 31, 11, tzinfo=BISHKEK)) == [("aizada", "pending")]
    assert mail.outbox == []
    # 09:30 in Bishkek on 1 September is 08:30 in Almaty: Bishkek's clock decides.
    assert scan_at(datetime.datetime(2026, 9, 1, 9, 30, tzinfo=BISHKEK)) == [("aizada", "sent")]
    assert len(mail.outbox) == 1


def test_a_transferred_day_off_in_kazakhstan_holds_and_a_worked_sunday_sends(held):
    user = focal_point("daniyar", "KZ")
    due_tomorrow(user, D(2026, 3, 10))
    # Monday 9 March 2026 is the day off moved from Sunday 8 March.
    assert scan_at(datetime.datetime(2026, 3, 9, 10, tzinfo=ALMATY)) == [("daniyar", "pending")]
    assert scan_at(datetime.datetime(2026, 3, 10, 9, 1, tzinfo=ALMATY)) == [("daniyar", "sent")]
    # Sunday 5 January 2025 was worked in Kazakhstan: a reminder goes that day.
    other = focal_point("yerlan", "KZ")
    due_tomorrow(other, D(2025, 1, 6))
    with time_machine.travel(datetime.datetime(2025, 1, 5, 11, tzinfo=ALMATY), tick=False):
        services.reminders_scan(today=D(2025, 1, 5))
    assert Reminder.objects.get(recipient=other).status == "sent"


def test_each_recipient_waits_for_their_own_country(held):
    """At 08:30 in Almaty it is 09:30 in Bishkek: the Kyrgyz focal point is written to,
    the Kazakh one an hour later."""
    kz, kg = focal_point("kz_focal", "KZ"), focal_point("kg_focal", "KG")
    due_tomorrow(kz, D(2026, 12, 4))
    due_tomorrow(kg, D(2026, 12, 4))
    assert sorted(scan_at(datetime.datetime(2026, 12, 3, 8, 30, tzinfo=ALMATY))) == [
        ("kg_focal", "sent"),
        ("kz_focal", "pending"),
    ]
    assert sorted(scan_at(datetime.datetime(2026, 12, 3, 9, 30, tzinfo=ALMATY))) == [
        ("kg_focal", "sent"),
        ("kz_focal", "sent"),
    ]


def test_a_delivery_enqueued_earlier_does_not_send_out_of_hours(held):
    user = focal_point("late", "KZ")
    due_tomorrow(user, D(2026, 12, 6))
    with time_machine.travel(datetime.datetime(2026, 12, 4, 17, tzinfo=ALMATY), tick=False):
        services.reminders_record_due(today=D(2026, 12, 4))
    reminder = Reminder.objects.get()
    with time_machine.travel(datetime.datetime(2026, 12, 4, 23, tzinfo=ALMATY), tick=False):
        assert services.reminder_deliver(reminder_id=reminder.pk) == "held"
    reminder.refresh_from_db()
    assert reminder.status == "pending" and reminder.attempts == 0


def test_someone_without_an_agency_follows_the_councils_first_party(held):
    """The secretariat (no agency) is reminded when no focal point is at the agency; its
    country is the council's first party's."""
    kg = PartyFactory(code="KG", order=0)
    kz = PartyFactory(code="KZ", order=1)
    commitment = CommitmentFactory(deadline=D(2026, 9, 1))
    commitment.session.council.parties.set([kz, kg])
    ResponsibilityFactory(commitment=commitment, agency=AgencyFactory(party=kz))
    secretary = User.objects.create_user("sec", "sec@example.org", "pw-long-enough")
    secretary.groups.add(Group.objects.get(name=roles.SECRETARIAT))
    commitment.session.council.secretariat_staff.add(secretary)
    # A working Monday in Kazakhstan, Independence Day in Kyrgyzstan.
    assert scan_at(datetime.datetime(2026, 8, 31, 11, tzinfo=ALMATY)) == [("sec", "pending")]
    assert scan_at(datetime.datetime(2026, 9, 1, 11, tzinfo=ALMATY)) == [("sec", "sent")]
