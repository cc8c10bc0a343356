"""The demo's two sides of clause 2.2 of the 13th session: the Kazakh side reported
completion, the Kyrgyz side has said nothing since the session, and the page and the
flag say so."""

import pytest

from council.models import Commitment, CommitmentSide

from .conftest import DEMO_TODAY

pytestmark = pytest.mark.django_db


def test_one_clause_reported_by_one_side_while_the_other_is_silent(demo, client):
    commitment = Commitment.objects.get(session__number=13, clause="2.2")
    kz = commitment.sides.get(party__code="KZ")
    kg = commitment.sides.get(party__code="KG")
    assert kz.status == CommitmentSide.Status.COMPLETION_REPORTED
    assert kg.status == CommitmentSide.Status.NOT_STARTED
    assert not kg.updates.exists()
    assert commitment.status == Commitment.Status.IN_PROGRESS
    assert list(CommitmentSide.objects.flagged(DEMO_TODAY).filter(commitment=commitment)) == [kz]
    reported = kz.updates.get(to_status=CommitmentSide.Status.COMPLETION_REPORTED)
    assert (DEMO_TODAY - reported.created_at.date()).days == 12
    client.force_login(demo.users["manager"])
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert f'id="side-review-{kz.pk}"' in page
