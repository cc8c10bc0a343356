"""The extension panel on the commitment page: a request refused in place (422, what was
typed kept), granted and refused by the secretariat, the dashboard's count and the
list's filter."""

import datetime

import pytest
from django.urls import reverse

from council import services
from council.models import ExtensionRequest

from .pages import HX

pytestmark = pytest.mark.django_db


def _url(world):
    return reverse("council:extension-request", args=[world.commitment_a.pk])


def _pending(world):
    commitment = world.commitment_a
    return services.extension_request(
        commitment=commitment,
        party=commitment.responsibilities.get(agency__party__code="KZ").party,
        new_deadline=commitment.deadline + datetime.timedelta(days=45),
        reason="Задержка поставки оборудования",
        by=world.users["focal_a"],
    )


def test_focal_point_sees_the_form_and_requests(world, login):
    client = login(world.users["focal_a"])
    page = client.get(world.commitment_a.get_absolute_url()).content.decode()
    assert 'id="extensions"' in page
    assert reverse("council:extension-request", args=[world.commitment_a.pk]) in page
    new = world.commitment_a.deadline + datetime.timedelta(days=20)
    response = client.post(
        _url(world),
        {
            "party": world.commitment_a.responsibilities.get(agency__party__code="KZ").party_id,
            "new_deadline": new.isoformat(),
            "reason": "Нужно больше времени",
        },
        **HX,
    )
    assert response.status_code == 200
    request = ExtensionRequest.objects.get()
    assert (request.new_deadline, request.requested_by) == (new, world.users["focal_a"])
    assert 'role="status"' in response.content.decode()


def test_refused_request_comes_back_in_place_with_input_kept(world, login):
    client = login(world.users["focal_a"])
    party = world.commitment_a.responsibilities.get(agency__party__code="KZ").party_id
    earlier = world.commitment_a.deadline - datetime.timedelta(days=1)
    response = client.post(
        _url(world),
        {"party": party, "new_deadline": earlier.isoformat(), "reason": "Мой текст причины"},
        **HX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="extensions"')
    assert 'aria-invalid="true"' in html
    assert "Мой текст причины" in html
    assert earlier.isoformat() in html
    assert " open" in html  # the form stays unfolded
    assert not ExtensionRequest.objects.exists()


def test_others_may_not_request(world, login):
    client = login(world.users["focal_b"])
    page = client.get(world.commitment_a.get_absolute_url()).content.decode()
    assert reverse("council:extension-request", args=[world.commitment_a.pk]) not in page
    response = client.post(_url(world), {"new_deadline": "2030-01-01", "reason": "x"}, **HX)
    assert response.status_code == 403


def test_secretariat_grants_and_the_page_says_so(world, login):
    request = _pending(world)
    original = world.commitment_a.deadline
    client = login(world.users["secretariat"])
    page = client.get(world.commitment_a.get_absolute_url()).content.decode()
    assert reverse("council:extension-grant", args=[request.pk]) in page
    response = client.post(
        reverse("council:extension-grant", args=[request.pk]), {"comment": ""}, **HX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="extension-summary"' in html
    assert 'hx-swap-oob="true"' in html  # the history follows
    world.commitment_a.refresh_from_db()
    assert world.commitment_a.original_deadline == original
    page = client.get(world.commitment_a.get_absolute_url()).content.decode()
    assert "extension-summary" in page


def test_refusal_without_comment_is_422_in_place(world, login):
    request = _pending(world)
    client = login(world.users["manager"])
    response = client.post(
        reverse("council:extension-refuse", args=[request.pk]), {"comment": " "}, **HX
    )
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.content.decode()
    response = client.post(
        reverse("council:extension-refuse", args=[request.pk]),
        {"comment": "Срок не переносится"},
        **HX,
    )
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.status == ExtensionRequest.Status.REFUSED
    # Decided: a second decision is told, not made.
    response = client.post(reverse("council:extension-grant", args=[request.pk]), **HX)
    assert response.status_code == 422


def test_focal_point_may_not_decide(world, login):
    request = _pending(world)
    client = login(world.users["focal_a"])
    assert (
        client.post(reverse("council:extension-grant", args=[request.pk]), **HX).status_code == 403
    )
    # Another council's secretariat does not even see it.
    client = login(world.users["focal_uz"])
    assert (
        client.post(reverse("council:extension-grant", args=[request.pk]), **HX).status_code == 404
    )


def test_dashboard_counts_and_the_list_filters(world, login):
    _pending(world)
    client = login(world.users["secretariat"])
    page = client.get(reverse("council:dashboard")).content.decode()
    assert 'id="extension-queue-card"' in page
    assert "?scope=extensions" in page
    listing = client.get(reverse("council:commitment-list") + "?scope=extensions")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert world.commitment_a.title in html
    assert world.commitment_b.title not in html
