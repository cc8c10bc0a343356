"""The migration that brings in original deadlines: today's deadline, or, where a session's
review decision "extended" moved it, the deadline the history shows before that."""

import datetime
import importlib

import pytest
from django.apps import apps

from council import services
from council.models import Commitment, Review
from tests.factories import CommitmentFactory, SessionFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("council.migrations.0025_extensions")


def test_original_deadlines_are_copied_and_read_back_from_history():
    plain = CommitmentFactory(deadline=datetime.date(2026, 3, 1))
    extended = CommitmentFactory(deadline=datetime.date(2026, 6, 1))
    later = SessionFactory(
        council=extended.session.council,
        number=extended.session.number + 1,
        start_date=extended.session.start_date + datetime.timedelta(days=200),
    )
    services.review_record_decision(
        commitment=extended,
        session=later,
        decision=Review.Decision.EXTEND,
        new_deadline=datetime.date(2027, 1, 1),
        by=None,
    )
    Commitment.objects.update(original_deadline=None)  # as before the migration
    migration.copy_original_deadlines(apps, None)
    plain.refresh_from_db()
    extended.refresh_from_db()
    assert plain.original_deadline == datetime.date(2026, 3, 1)
    assert (extended.original_deadline, extended.deadline) == (
        datetime.date(2026, 6, 1),
        datetime.date(2027, 1, 1),
    )
