"""A commitment carries its session's council (the list filters and sorts on it)."""

import pytest

from council import services
from council.models import Commitment

from ..factories import CommitmentFactory, CouncilFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_a_new_commitment_takes_the_council_of_its_session():
    session = SessionFactory()
    commitment = CommitmentFactory(session=session)
    assert commitment.council_id == session.council_id
    assert commitment.adopted_on == session.start_date
    reloaded = Commitment.objects.get(pk=commitment.pk)  # without the session cached
    reloaded.council_id = None
    reloaded.save()
    assert Commitment.objects.get(pk=commitment.pk).council_id == session.council_id


def test_moving_a_session_to_another_council_moves_its_commitments_with_history():
    session = SessionFactory()
    commitments = CommitmentFactory.create_batch(2, session=session)
    elsewhere = CouncilFactory()
    session.council = elsewhere
    session.start_date = session.start_date.replace(year=2001)
    services.session_edit(session=session, by=None, reason="recorded under the wrong council")
    for commitment in commitments:
        commitment.refresh_from_db()
        assert commitment.council_id == elsewhere.pk
        assert commitment.adopted_on == session.start_date
        assert commitment.history.first().council_id == elsewhere.pk
        assert (
            commitment.history.first().history_change_reason == "recorded under the wrong council"
        )


def test_full_clean_accepts_a_commitment_before_its_council_is_copied():
    session = SessionFactory()
    commitment = Commitment(session=session, title="t", text="x", deadline_kind="ongoing")
    commitment.full_clean()  # the council is copied from the session, not required of the user
    assert commitment.council_id == session.council_id
