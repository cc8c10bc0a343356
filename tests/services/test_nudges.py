"""Sides at risk, "remind now" once a day a side, and stale sides."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from council import roles, services
from council.models import (
    Commitment,
    Council,
    Reminder,
    Responsibility,
    RiskFlag,
    SideNudge,
    StatusUpdate,
    User,
    stale_parties_by_commitment,
    stale_sides,
)

from ..factories import CommitmentFactory, ResponsibilityFactory, SessionFactory
from ..services.test_notifications import eager_celery  # noqa: F401  (autouse fixture)

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


@pytest.fixture
def kg(world):
    return Responsibility.objects.get(commitment=world.commitment_a, party__code="KG")


@pytest.fixture
def focal_kg(kg):
    user = User.objects.create_user(
        "focal_kg", "focal_kg@example.org", "pw-long-enough", agency=kg.agency, language="ru"
    )
    user.groups.add(Group.objects.get(name=roles.FOCAL_POINT))
    return user


def at(day, hour=10):
    return time_machine.travel(datetime.datetime(*day, hour, 0, tzinfo=ALMATY), tick=False)


# Remind now ---------------------------------------------------------------------------


def test_remind_now_once_a_day_per_side(world, kg, focal_kg, django_capture_on_commit_callbacks):
    secretariat = world.users["secretariat"]
    commitment = world.commitment_a
    with at((2026, 12, 3)), django_capture_on_commit_callbacks(execute=True):
        nudge = services.side_remind_now(
            commitment=commitment, party=kg.party, note="Пожалуйста, отчитайтесь", by=secretariat
        )
    assert nudge.recipients == 1 and nudge.day == datetime.date(2026, 12, 3)
    (message,) = mail.outbox
    assert message.to == ["focal_kg@example.org"]
    assert "Пожалуйста, отчитайтесь" in message.body
    assert message.subject.startswith("Напоминание секретариата:")  # her language: ru
    # A second the same day (late in the evening, Almaty time) is refused, saying when.
    with at((2026, 12, 3), hour=23), pytest.raises(ValidationError) as refused:
        services.side_remind_now(commitment=commitment, party=kg.party, by=secretariat)
    assert refused.value.code == "already_today"
    assert "10:00" in refused.value.messages[0]
    assert SideNudge.objects.count() == 1 and len(mail.outbox) == 1
    # The other side may be reminded the same day.
    kz = Responsibility.objects.get(commitment=commitment, party__code="KZ").party
    with at((2026, 12, 3), hour=11), django_capture_on_commit_callbacks(execute=True):
        services.side_remind_now(commitment=commitment, party=kz, by=secretariat)
    assert SideNudge.objects.filter(party=kz).count() == 1
    # The next day it goes again.
    with at((2026, 12, 4), hour=0), django_capture_on_commit_callbacks(execute=True):
        services.side_remind_now(commitment=commitment, party=kg.party, by=secretariat)
    assert SideNudge.objects.filter(party=kg.party).count() == 2
    assert len([m for m in mail.outbox if m.to == ["focal_kg@example.org"]]) == 2
    assert SideNudge.history.filter(party=kg.party).count() == 2


def test_only_the_secretariat_reminds_and_someone_must_receive_it(world, kg, focal_kg):
    with pytest.raises(PermissionDenied):
        services.side_remind_now(
            commitment=world.commitment_a, party=kg.party, by=world.users["focal_a"]
        )
    Group.objects.get(name=roles.FOCAL_POINT).user_set.remove(focal_kg)
    with pytest.raises(ValidationError) as refused:
        services.side_remind_now(
            commitment=world.commitment_a, party=kg.party, by=world.users["secretariat"]
        )
    assert refused.value.code == "nobody"
    assert not SideNudge.objects.exists()


# At risk ------------------------------------------------------------------------------


def test_focal_point_flags_own_side_and_clears_it(
    world, kg, focal_kg, django_capture_on_commit_callbacks
):
    commitment = world.commitment_a
    kz = Responsibility.objects.get(commitment=commitment, party__code="KZ").party
    # A focal point speaks for their own party's side only.
    with pytest.raises(PermissionDenied):
        services.risk_flag_raise(
            commitment=commitment, party=kg.party, reason="x", by=world.users["focal_a"]
        )
    with pytest.raises(PermissionDenied):  # not responsible for this commitment
        services.risk_flag_raise(
            commitment=commitment, party=kz, reason="x", by=world.users["focal_b"]
        )
    with pytest.raises(ValidationError):
        services.risk_flag_raise(commitment=commitment, party=kg.party, reason=" ", by=focal_kg)
    with django_capture_on_commit_callbacks(execute=True):
        flag = services.risk_flag_raise(
            commitment=commitment, party=kg.party, reason="Нет финансирования", by=focal_kg
        )
    # The secretariat hears of it; the focal point who raised it does not.
    assert sorted(
        Reminder.objects.filter(kind="event_at_risk").values_list("recipient__username", flat=True)
    ) == ["secretariat"]
    with pytest.raises(ValidationError) as twice:
        services.risk_flag_raise(commitment=commitment, party=kg.party, reason="y", by=focal_kg)
    assert twice.value.code == "already_open"
    shown = Commitment.objects.for_list().get(pk=commitment.pk)
    assert shown.at_risk_parties == "KG"
    services.risk_flag_clear(flag=flag, by=world.users["secretariat"], note="Деньги выделены")
    flag.refresh_from_db()
    assert flag.cleared_at and flag.cleared_by == world.users["secretariat"]
    assert Commitment.objects.for_list().get(pk=commitment.pk).at_risk_parties is None
    assert RiskFlag.objects.count() == 1 and flag.history.count() == 2
    with pytest.raises(ValidationError):
        services.risk_flag_clear(flag=flag, by=world.users["secretariat"])
    with pytest.raises(PermissionDenied):
        services.risk_flag_clear(flag=flag, by=world.users["manager"])
    # Raised again after clearing: a new flag, the old one kept.
    services.risk_flag_raise(commitment=commitment, party=kg.party, reason="Снова", by=focal_kg)
    assert RiskFlag.objects.count() == 2 and RiskFlag.objects.open().count() == 1


def test_a_closed_commitment_is_not_flagged_or_reminded(world, kg, focal_kg):
    Commitment.objects.filter(pk=world.commitment_a.pk).update(status="cancelled")
    world.commitment_a.refresh_from_db()
    for call in (
        lambda: services.risk_flag_raise(
            commitment=world.commitment_a, party=kg.party, reason="x", by=focal_kg
        ),
        lambda: services.side_remind_now(
            commitment=world.commitment_a, party=kg.party, by=world.users["secretariat"]
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            call()
        assert refused.value.code == "closed"


def test_a_party_without_agency_is_not_a_side(world):
    uz = world.other_council.parties.get(code="UZ")
    with pytest.raises(ValidationError):
        services.risk_flag_raise(
            commitment=world.commitment_a, party=uz, reason="x", by=world.users["secretariat"]
        )


# Stale --------------------------------------------------------------------------------


def test_stale_sides_since_the_last_session_or_in_n_days(world, kg):
    today = datetime.date(2026, 12, 3)
    council = world.council
    commitment = world.commitment_a  # adopted at the 13th session, 14.11.2025
    kz = Responsibility.objects.get(commitment=commitment, party__code="KZ").party
    # Adopted at the last session held (the 13th): not stale yet.
    assert list(stale_sides(Commitment.objects.all(), today)) == []
    SessionFactory(council=council, number=14, start_date=datetime.date(2026, 6, 1), status="held")
    Commitment.objects.filter(session__council=council).exclude(pk=commitment.pk).update(
        status="completed"
    )
    rows = list(stale_sides(Commitment.objects.all(), today))
    assert {(r["commitment_id"], r["party_id"]) for r in rows} == {
        (commitment.pk, kz.pk),
        (commitment.pk, kg.party_id),
    }
    # A report by the Kazakh agency after the session: the Kazakh side is no longer stale.
    agency_a = world.users["focal_a"].agency
    with at((2026, 7, 1)):
        services.commitment_report_progress(
            commitment=commitment, by=None, note="Идёт работа", agency=agency_a
        )
    assert stale_parties_by_commitment([commitment.pk], today) == {commitment.pk: ["KG"]}
    # A withdrawn report does not count.
    update = StatusUpdate.objects.filter(agency=agency_a).latest()
    services.status_update_withdraw(update=update, by=None, reason="Ошибка")
    assert sorted(stale_parties_by_commitment([commitment.pk], today)[commitment.pk]) == [
        "KG",
        "KZ",
    ]
    # In N days instead: the report of 1 July is older than 100 days on 3 December.
    Council.objects.filter(pk=council.pk).update(stale_after_days=200)
    with at((2026, 7, 2)):
        services.commitment_report_progress(
            commitment=commitment, by=None, note="Ещё", agency=agency_a
        )
    assert stale_parties_by_commitment([commitment.pk], today) == {commitment.pk: ["KG"]}
    Council.objects.filter(pk=council.pk).update(stale_after_days=100)
    assert sorted(stale_parties_by_commitment([commitment.pk], today)[commitment.pk]) == [
        "KG",
        "KZ",
    ]


def test_a_commitment_adopted_at_the_last_session_or_closed_is_not_stale(world):
    today = datetime.date(2026, 12, 3)
    held = SessionFactory(
        council=world.council, number=14, start_date=datetime.date(2026, 6, 1), status="held"
    )
    fresh = CommitmentFactory(session=held)
    ResponsibilityFactory(commitment=fresh, agency=world.users["focal_a"].agency)
    closed = CommitmentFactory(session=world.session, status="completed")
    ResponsibilityFactory(commitment=closed, agency=world.users["focal_a"].agency)
    found = stale_parties_by_commitment([fresh.pk, closed.pk, world.commitment_a.pk], today)
    assert set(found) == {world.commitment_a.pk}


def test_stale_is_one_query_whatever_the_number_of_rows(world, django_assert_num_queries):
    SessionFactory(
        council=world.council, number=14, start_date=datetime.date(2026, 6, 1), status="held"
    )
    for _ in range(5):
        c = CommitmentFactory(session=world.session)
        ResponsibilityFactory(commitment=c, agency=world.users["focal_a"].agency)
    # The councils' cutoffs, the sides.
    with django_assert_num_queries(2):
        rows = list(stale_sides(Commitment.objects.all(), datetime.date(2026, 12, 3)))
    assert len(rows) >= 6
