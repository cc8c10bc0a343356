"""Reporting cycles: due dates computed from the calendar, each side's interim report,
who may set them, and the reminders before they fall due."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from council import roles, services
from council.cycles import (
    DUE,
    OVERDUE,
    REPORTED,
    UPCOMING,
    interim_reports,
    period_of,
    reporting_period,
)
from council.models import Commitment, Reminder, ReminderRule, ReportingCycle
from council.reminders import build_message
from tests.conftest import make_user

D = datetime.date
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
Q = ReportingCycle.Period.QUARTERLY


@pytest.mark.parametrize(
    ("day", "period", "start", "end", "due"),
    [
        (D(2026, 2, 14), "monthly", D(2026, 2, 1), D(2026, 2, 28), D(2026, 3, 10)),
        (D(2026, 12, 31), "monthly", D(2026, 12, 1), D(2026, 12, 31), D(2027, 1, 10)),
        (D(2026, 5, 20), "quarterly", D(2026, 4, 1), D(2026, 6, 30), D(2026, 7, 10)),
        (D(2026, 11, 1), "quarterly", D(2026, 10, 1), D(2026, 12, 31), D(2027, 1, 10)),
        (D(2026, 3, 31), "half_yearly", D(2026, 1, 1), D(2026, 6, 30), D(2026, 7, 10)),
        (D(2026, 7, 1), "half_yearly", D(2026, 7, 1), D(2026, 12, 31), D(2027, 1, 10)),
    ],
)
def test_periods_and_due_dates_the_10th_of_the_next_month(day, period, start, end, due):
    found = period_of(day, period)
    assert (found.start, found.end, found.due) == (start, end, due)


def test_a_due_day_of_the_cycles_own():
    assert period_of(D(2026, 2, 14), "quarterly", 25).due == D(2026, 4, 25)


def test_nothing_is_owed_while_the_first_period_runs():
    cycle = ReportingCycle(period=Q, due_day=10, starts_on=D(2026, 8, 15))
    assert reporting_period(cycle, D(2026, 9, 30)) is None
    owed = reporting_period(cycle, D(2026, 10, 1))
    assert (owed.start, owed.due) == (D(2026, 7, 1), D(2026, 10, 10))
    assert reporting_period(cycle, D(2027, 1, 3)).start == D(2026, 10, 1)


# Each side's interim report -------------------------------------------------------------


@pytest.fixture
def cycle(world):
    """Commitment 2.1 (a KZ and a KG agency): quarterly from the third quarter of 2026."""
    commitment = world.commitment_a
    with time_machine.travel(datetime.datetime(2026, 7, 2, 10, tzinfo=ALMATY), tick=False):
        return services.reporting_cycle_set(
            commitment=commitment,
            period=Q,
            starts_on=D(2026, 7, 1),
            by=world.users["secretariat"],
            reason="Decided at the 13th session",
        )


def agencies(world):
    kz = world.commitment_a.responsibilities.get(party__code="KZ").agency
    kg = world.commitment_a.responsibilities.get(party__code="KG").agency
    return kz, kg


def report(world, agency, when, note="Interim report", by=None):
    with time_machine.travel(when, tick=False):
        return services.commitment_report_progress(
            commitment=world.commitment_a, by=by, note=note, agency=agency
        )


def states(cycle, today):
    return {
        r.party_code: (r.state, r.period and r.period.start, r.reported_on)
        for r in interim_reports([cycle], today)
    }


def test_each_side_reports_for_itself(world, cycle):
    kz, kg = agencies(world)
    assert states(cycle, D(2026, 9, 1)) == {
        "KZ": (UPCOMING, None, None),
        "KG": (UPCOMING, None, None),
    }
    report(world, kz, datetime.datetime(2026, 9, 20, 11, tzinfo=ALMATY))
    # A report of the secretariat's own (no agency) is nobody's side.
    report(world, None, datetime.datetime(2026, 9, 21, 11, tzinfo=ALMATY))
    q3 = D(2026, 7, 1)
    assert states(cycle, D(2026, 10, 5)) == {
        "KZ": (REPORTED, q3, D(2026, 9, 20)),
        "KG": (DUE, q3, None),
    }
    # The 10th is the last day; on the 11th the Kyrgyz report is overdue.
    assert states(cycle, D(2026, 10, 10))["KG"][0] == DUE
    assert states(cycle, D(2026, 10, 11))["KG"] == (OVERDUE, q3, None)


def test_a_report_until_the_due_date_counts_and_a_withdrawn_one_does_not(world, cycle):
    kz, kg = agencies(world)
    update = report(world, kg, datetime.datetime(2026, 10, 8, 16, tzinfo=ALMATY))
    assert states(cycle, D(2026, 10, 20))["KG"] == (REPORTED, D(2026, 7, 1), D(2026, 10, 8))
    services.status_update_withdraw(
        update=update, by=world.users["secretariat"], reason="Sent by mistake"
    )
    assert states(cycle, D(2026, 10, 20))["KG"][0] == OVERDUE
    # Too late: after the due date, a report counts for the current quarter only.
    report(world, kg, datetime.datetime(2026, 10, 12, 10, tzinfo=ALMATY))
    found = {r.party_code: r for r in interim_reports([cycle], D(2026, 10, 20))}
    assert found["KG"].state == OVERDUE
    assert found["KG"].current_reported_on == D(2026, 10, 12)


def test_a_missed_quarter_stays_overdue_until_the_next_one_falls_due(world, cycle):
    kz, kg = agencies(world)
    report(world, kz, datetime.datetime(2026, 8, 3, 10, tzinfo=ALMATY))
    # 5 January 2027: the fourth quarter's report is due by the 10th; the third
    # quarter's Kyrgyz report was missed and is still the one shown overdue.
    assert states(cycle, D(2027, 1, 5)) == {
        "KZ": (DUE, D(2026, 10, 1), None),
        "KG": (OVERDUE, D(2026, 7, 1), None),
    }


def test_the_policy_who_sets_and_stops_a_cycle(world, cycle):
    commitment = world.commitment_a
    for who in ("focal_a", "manager", "secretariat_other"):
        with pytest.raises(PermissionDenied):
            services.reporting_cycle_set(commitment=commitment, period=Q, by=world.users[who])
        with pytest.raises(PermissionDenied):
            services.reporting_cycle_stop(commitment=commitment, by=world.users[who])
    # A new cycle replaces the active one; the old one is kept, stopped.
    services.reporting_cycle_set(
        commitment=commitment, period="monthly", due_day=5, by=world.users["admin"]
    )
    assert list(
        ReportingCycle.objects.filter(commitment=commitment).values_list("period", "is_active")
    ) == [("monthly", True), ("quarterly", False)]
    services.reporting_cycle_stop(commitment=commitment, by=world.users["secretariat"])
    assert not ReportingCycle.objects.filter(commitment=commitment, is_active=True).exists()
    with pytest.raises(ValidationError):
        services.reporting_cycle_stop(commitment=commitment, by=world.users["secretariat"])
    assert cycle.history.count() == 2  # set, then stopped (replaced), each with who
    assert cycle.history.first().history_user == world.users["admin"]


def test_a_closed_commitment_and_a_bad_day_are_refused(world):
    with pytest.raises(ValidationError) as refused:
        services.reporting_cycle_set(
            commitment=world.commitment_b, period=Q, due_day=31, by=world.users["secretariat"]
        )
    assert "due_day" in refused.value.message_dict
    services.commitment_change_status(
        commitment=world.commitment_b,
        to=Commitment.Status.CANCELLED,
        by=world.users["secretariat"],
        note="Overtaken by events",
    )
    with pytest.raises(ValidationError, match="closed commitment"):
        services.reporting_cycle_set(
            commitment=world.commitment_b, period=Q, by=world.users["secretariat"]
        )
    assert not ReportingCycle.objects.exists()


# Reminders before an interim report falls due ------------------------------------------


def test_the_silent_side_is_reminded_before_its_interim_report_falls_due(world, cycle):
    ReminderRule.objects.update_or_create(
        kind="interim_report", defaults={"days": "7,1", "is_active": True}
    )
    ReminderRule.objects.exclude(kind="interim_report").update(is_active=False)
    kz, kg = agencies(world)
    kg_focal = make_user("kg_focal", group=roles.FOCAL_POINT, agency=kg)
    kg_focal.email = "kg@example.org"
    kg_focal.save()
    report(world, kz, datetime.datetime(2026, 9, 20, 11, tzinfo=ALMATY))
    services.reminders_record_due(today=D(2026, 10, 2))  # 8 days before: nothing yet
    assert not Reminder.objects.exists()
    services.reminders_record_due(today=D(2026, 10, 3))  # 7 days before the 10th
    services.reminders_record_due(today=D(2026, 10, 3))  # a second scan adds nothing
    assert list(Reminder.objects.values_list("kind", "recipient__username", "occurrence")) == [
        ("interim_report", "kg_focal", D(2026, 10, 3))
    ]
    reminder = Reminder.objects.get()
    with time_machine.travel(datetime.datetime(2026, 10, 5, 10, tzinfo=ALMATY), tick=False):
        message = build_message(reminder)
    # In the recipient's language (Russian unless chosen otherwise).
    assert message.subject == f"Промежуточный отчёт до 10.10.2026: {world.commitment_a}"
    assert "за 01.07.2026 – 30.09.2026" in message.body
    # Once the Kyrgyz side reports, the one-day reminder is not due.
    report(world, kg, datetime.datetime(2026, 10, 6, 11, tzinfo=ALMATY))
    services.reminders_record_due(today=D(2026, 10, 9))
    assert Reminder.objects.count() == 1


def test_the_interim_scan_keeps_its_queries_constant(world, cycle, django_assert_max_num_queries):
    from council.reminders import Recipients, _interim_due

    people = Recipients()
    with django_assert_max_num_queries(4):
        list(_interim_due([7, 1], D(2026, 10, 3), people))


def test_a_reminder_about_a_stopped_cycle_is_skipped(world, cycle):
    ReminderRule.objects.update_or_create(
        kind="interim_report", defaults={"days": "7,1", "is_active": True}
    )
    kz, kg = agencies(world)
    user = make_user("kg_focal", group=roles.FOCAL_POINT, agency=kg)
    user.email = "kg@example.org"
    user.save()
    services.reminders_record_due(today=D(2026, 10, 3))
    reminder = Reminder.objects.get(kind="interim_report", recipient=user)
    services.reporting_cycle_stop(commitment=world.commitment_a, by=world.users["secretariat"])
    assert services.reminder_deliver(reminder_id=reminder.pk) == "skipped"
