"""Helpers the staff app's page tests share: the htmx header, a page's query count, the
SQL sent, and a world grown by many commitments."""

import contextlib
import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from council import services

from ..factories import AgencyFactory, CommitmentFactory, ResponsibilityFactory

HX = {"HTTP_HX_REQUEST": "true"}


def queries(client, url, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(captured)


@contextlib.contextmanager
def sql_sent():
    """The text of every statement sent inside the block, in a list (a query log that,
    unlike ``CaptureQueriesContext``, keeps no cap across many requests)."""
    sent = []

    def record(execute, sql, params, many, context):
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield sent


def grow(world, n):
    """Add ``n`` commitments to the world's session, each with agencies and a report."""
    kz = world.council.parties.get(code="KZ")
    agency = world.users["focal_a"].agency
    for _ in range(n):
        commitment = CommitmentFactory(
            session=world.session, deadline=datetime.date.today() + datetime.timedelta(days=5)
        )
        ResponsibilityFactory(commitment=commitment, agency=agency)
        ResponsibilityFactory(
            commitment=commitment, agency=AgencyFactory(party=kz), role="co_executor"
        )
        services.commitment_change_status(
            commitment=commitment, to="in_progress", by=None, note="go"
        )
