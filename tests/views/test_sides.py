"""The sides on the pages: the commitment page's cards (report for one's own side, a
manager's review per side, refusals in place), the list's column per party with a
constant number of queries, and the review of implementation and its Word file."""

import datetime
import io

import pytest
from django.urls import reverse

from council import roles, services
from council.models import Commitment, CommitmentSide, Session, StatusUpdate
from council.services.sides import sync_sides

from ..conftest import make_user
from ..factories import AgencyFactory, CommitmentFactory, ResponsibilityFactory
from .pages import HX, queries

pytestmark = pytest.mark.django_db
S = Commitment.Status


@pytest.fixture
def sides(world):
    commitment = world.commitment_a
    sync_sides(commitment, by=None, reason="")
    kg_agency = commitment.responsibilities.get(party__code="KG").agency
    make_user("focal_kg", group=roles.FOCAL_POINT, agency=kg_agency)
    return (
        commitment,
        commitment.sides.get(party__code="KZ"),
        commitment.sides.get(party__code="KG"),
    )


def test_the_commitment_page_shows_both_sides(client, world, sides):
    commitment, kz, kg = sides
    client.force_login(world.users["focal_a"])
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert f'id="side-{kz.pk}"' in page and f'id="side-{kg.pk}"' in page
    assert "Side of Country KZ" in page and "Side of Country KG" in page
    # A focal point reports for their own side only.
    assert f'href="?side={kz.pk}#updates"' in page
    assert f'href="?side={kg.pk}#updates"' not in page
    # A commitment of one party shows no cards (it is its one side).
    sync_sides(world.commitment_b, by=None, reason="")
    other = client.get(world.commitment_b.get_absolute_url()).content.decode()
    assert 'id="commitment-sides"' not in other


def test_a_focal_point_reports_for_their_side_and_not_the_other(client, world, sides):
    commitment, kz, kg = sides
    client.force_login(world.users["focal_a"])
    url = reverse("council:commitment-report", args=[commitment.pk])
    response = client.post(
        url, {"side": kz.pk, "to_status": S.COMPLETION_REPORTED, "note": "Ours"}, **HX
    )
    assert response.status_code == 200
    kz.refresh_from_db()
    assert kz.status == S.COMPLETION_REPORTED
    assert 'id="commitment-sides"' in response.content.decode()  # the cards follow
    refused = client.post(url, {"side": kg.pk, "note": "For them"}, **HX)
    assert refused.status_code == 422
    assert not StatusUpdate.objects.filter(side=kg).exists()


def test_a_manager_reviews_one_side_in_place(client, world, sides):
    commitment, kz, kg = sides
    services.commitment_change_status(
        commitment=commitment, to=S.COMPLETION_REPORTED, by=world.users["focal_a"], note="x"
    )
    client.force_login(world.users["manager"])
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert f'id="side-review-{kz.pk}"' in page and f'id="side-review-{kg.pk}"' not in page
    returned = reverse("council:commitment-return-completion", args=[commitment.pk])
    refused = client.post(returned, {"side": kz.pk, "reason": " "}, **HX)
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "<html" not in body and f'id="side-{kz.pk}-reason-error"' in body
    kz.refresh_from_db()
    assert kz.status == S.COMPLETION_REPORTED
    accepted = client.post(
        reverse("council:commitment-accept-completion", args=[commitment.pk]),
        {"side": kz.pk},
        **HX,
    )
    assert accepted.status_code == 200
    kz.refresh_from_db()
    commitment.refresh_from_db()
    assert kz.status == S.COMPLETED and commitment.status == S.IN_PROGRESS
    assert "Completion accepted for the side of Country KZ." in accepted.content.decode()
    # A focal point may not review a side.
    client.force_login(world.users["focal_a"])
    assert client.post(returned, {"side": kz.pk, "reason": "no"}).status_code == 403


def _with_sides(world, n):
    kz = world.council.parties.get(code="KZ")
    kg = world.council.parties.get(code="KG")
    for _ in range(n):
        commitment = CommitmentFactory(session=world.session)
        ResponsibilityFactory(commitment=commitment, agency=AgencyFactory(party=kz))
        ResponsibilityFactory(commitment=commitment, agency=AgencyFactory(party=kg))
        sync_sides(commitment, by=None, reason="")


def test_the_list_shows_a_column_per_party_in_constant_queries(client, world):
    client.force_login(world.users["manager"])
    url = reverse("council:commitment-list")
    _with_sides(world, 2)
    small = queries(client, url)
    _with_sides(world, 12)
    assert queries(client, url) == small
    response = client.get(url)
    page = response.content.decode()
    assert '<abbr title="Side of Country KZ">KZ</abbr>' in page
    assert '<abbr title="Side of Country KG">KG</abbr>' in page
    rows = response.context["page"].object_list
    assert all(len(row.side_cells) == 2 for row in rows)


def test_the_review_and_its_word_file_show_both_sides(client, world, sides):
    from docx import Document

    commitment, kz, kg = sides
    services.commitment_change_status(
        commitment=commitment, to=S.COMPLETION_REPORTED, by=world.users["focal_a"], note="x"
    )
    later = Session.objects.create(
        council=world.council, number=14, start_date=datetime.date(2026, 11, 1)
    )
    client.force_login(world.users["secretariat"])
    page = client.get(reverse("council:session-review", args=[later.pk])).content.decode()
    assert "Country KZ: <span" in page and "Country KG: <span" in page
    response = client.get(reverse("council:session-review-export", args=[later.pk]))
    document = Document(io.BytesIO(response.content))
    text = "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "Country KZ: Completion reported" in text
    assert "Country KG: Not started" in text


def test_a_side_left_silent_is_flagged_on_the_page_and_the_review(client, world, sides):
    commitment, kz, kg = sides
    services.commitment_change_status(
        commitment=commitment, to=S.COMPLETION_REPORTED, by=world.users["focal_a"], note="x"
    )
    assert CommitmentSide.objects.flagged().get() == kz  # adopted 2025, KG never reported
    client.force_login(world.users["manager"])
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert "Reported while another side has been silent for 30 days or more." in page
    later = Session.objects.create(
        council=world.council, number=14, start_date=datetime.date(2026, 11, 1)
    )
    review = client.get(reverse("council:session-review", args=[later.pk])).content.decode()
    assert "Other side silent" in review
