"""The commitment page's side panels (at risk, remind now), the badges everywhere the
status shows, the dashboard's stale sides and event notifications in the app."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse

from council import roles, services
from council.models import Reminder, Responsibility, RiskFlag, SideNudge, User

from ..factories import SessionFactory
from ..services.test_notifications import eager_celery  # noqa: F401  (autouse fixture)
from .pages import HX


@pytest.fixture
def kg(world):
    side = Responsibility.objects.get(commitment=world.commitment_a, party__code="KG")
    user = User.objects.create_user(
        "focal_kg", "focal_kg@example.org", "pw-long-enough", agency=side.agency
    )
    user.groups.add(Group.objects.get(name=roles.FOCAL_POINT))
    side.focal = user
    return side


def remind_url(commitment, party):
    return reverse("council:commitment-remind-side", args=[commitment.pk, party.pk])


def risk_url(commitment, party):
    return reverse("council:commitment-flag-risk", args=[commitment.pk, party.pk])


def test_secretariat_reminds_a_side_and_a_second_time_is_refused_in_place(login, world, kg):
    client = login(world.users["secretariat"])
    page = client.get(world.commitment_a.get_absolute_url()).content.decode()
    assert 'id="remind-now"' in page and remind_url(world.commitment_a, kg.party) in page
    with time_machine.travel(datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC)):
        response = client.post(
            remind_url(world.commitment_a, kg.party), {"note": "Ждём отчёт"}, **HX
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert "Ждём отчёт" in body  # the history shows it
        assert 'role="status"' in body
        again = client.post(remind_url(world.commitment_a, kg.party), {"note": "Ещё раз"}, **HX)
    assert again.status_code == 422
    body = again.content.decode()
    assert 'id="remind-now"' in body and 'role="alert"' in body
    assert "Ещё раз" in body  # what was typed is kept
    assert SideNudge.objects.count() == 1


def test_remind_now_is_the_secretariats(login, world, kg):
    assert 'id="remind-now"' not in login(kg.focal).get(world.commitment_a.get_absolute_url())
    response = login(kg.focal).post(remind_url(world.commitment_a, kg.party), {}, **HX)
    assert response.status_code == 403
    response = login(world.users["focal_uz"]).post(remind_url(world.commitment_a, kg.party), {})
    assert response.status_code == 404
    assert not SideNudge.objects.exists()


def test_focal_point_flags_own_side_and_it_shows_with_the_status(login, world, kg):
    client = login(kg.focal)
    page = client.get(world.commitment_a.get_absolute_url()).content.decode()
    assert risk_url(world.commitment_a, kg.party) in page
    kz = Responsibility.objects.get(commitment=world.commitment_a, party__code="KZ").party
    assert risk_url(world.commitment_a, kz) not in page  # not their side
    refused = client.post(risk_url(world.commitment_a, kg.party), {"reason": "  "}, **HX)
    assert refused.status_code == 422 and 'aria-invalid="true"' in refused.content.decode()
    response = client.post(
        risk_url(world.commitment_a, kg.party), {"reason": "Подрядчик не выбран"}, **HX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Подрядчик не выбран" in body
    assert 'id="commitment-status" hx-swap-oob="true"' in body and "KG" in body
    assert client.post(risk_url(world.commitment_a, kz), {"reason": "x"}).status_code == 403
    # Everywhere the status shows: the page, the list, the dashboard's rows.
    secretariat = login(world.users["secretariat"])
    for url in (
        world.commitment_a.get_absolute_url(),
        reverse("council:commitment-list"),
        world.session.get_absolute_url(),
    ):
        assert 'data-at-risk="KG"' in secretariat.get(url).content.decode(), url
    flag = RiskFlag.objects.get()
    cleared = secretariat.post(
        reverse("council:risk-flag-clear", args=[flag.pk]), {"note": "Выбран"}, **HX
    )
    assert cleared.status_code == 200
    flag.refresh_from_db()
    assert flag.cleared_at is not None
    list_page = secretariat.get(reverse("council:commitment-list")).content.decode()
    assert "data-at-risk" not in list_page


def test_event_notifications_are_listed_in_the_app(
    login, world, kg, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.risk_flag_raise(
            commitment=world.commitment_a, party=kg.party, reason="Нет средств", by=kg.focal
        )
    reminder = Reminder.objects.get(recipient=world.users["secretariat"])
    assert reminder.status == "skipped"  # no e-mail address: shown in the app all the same
    client = login(world.users["secretariat"])
    page = client.get(reverse("council:notification-list")).content.decode()
    assert "Нет средств" in page and str(world.commitment_a) in page
    assert client.get(reverse("council:dashboard")).context["unread_notifications"] == 1


def test_dashboard_counts_stale_sides_for_secretariat_and_focal_point(login, world, kg):
    SessionFactory(council=world.council, number=14, start_date=datetime.date(2026, 6, 1))
    secretariat = login(world.users["secretariat"]).get(reverse("council:dashboard"))
    assert secretariat.context["stale"]["count"] >= 2  # both sides of commitment_a at least
    assert 'id="stale-heading"' in secretariat.content.decode()
    focal = login(kg.focal).get(reverse("council:dashboard"))
    assert focal.context["stale"]["count"] == 1
    (row,) = focal.context["stale"]["rows"]
    assert row.pk == world.commitment_a.pk and row.stale_parties == ["KG"]
    # The same commitment in the focal point's other lists carries no such badge.
    others = [c for name in ("my_open", "overdue", "due_soon") for c in focal.context[name]]
    assert world.commitment_a.pk in [c.pk for c in others]
    assert not [c for c in others if getattr(c, "stale_parties", None)]
    manager = login(world.users["manager"]).get(reverse("council:dashboard"))
    assert "stale" not in manager.context
