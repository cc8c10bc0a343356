"""Query counts of the list-like pages that ``test_pages.py`` does not count: each page
runs as many queries with a few rows as with many (and, as every test here, with lazy
loads blocked, so no row can add a query of its own)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from council import services
from council.models import (
    AgendaItem,
    Indicator,
    Observation,
    Participant,
    Reminder,
    Session,
    Signatory,
    Target,
)

from ..factories import (
    AgencyFactory,
    CommitmentFactory,
    CouncilFactory,
    PersonFactory,
    ResponsibilityFactory,
    SessionFactory,
)
from .pages import grow, queries


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(captured)


def commitments(world, n, **extra):
    """``n`` commitments of the world's session, each with a lead and a co-executor."""
    kz = world.council.parties.get(code="KZ")
    made = []
    for _ in range(n):
        commitment = CommitmentFactory(
            session=world.session,
            deadline=timezone.localdate() + datetime.timedelta(days=5),
            **extra,
        )
        ResponsibilityFactory(commitment=commitment, agency=world.users["focal_a"].agency)
        ResponsibilityFactory(
            commitment=commitment, agency=AgencyFactory(party=kz), role="co_executor"
        )
        made.append(commitment)
    return made


def councils(world, n):
    """``n`` councils of the world's parties, so the focal point sees them too."""
    parties = list(world.council.parties.all())
    for _ in range(n):
        council = CouncilFactory(parties=parties, parent=world.council)
        council.secretariat_staff.add(world.users["secretariat"])


def reminders(world, n):
    user = world.users["focal_a"]
    for commitment in commitments(world, n):
        Reminder.objects.create(
            key=f"test:{commitment.pk}",
            kind="overdue",
            recipient=user,
            council=world.council,
            commitment=commitment,
            session=world.session,
            occurrence=timezone.localdate(),
            status=Reminder.Status.SENT,
            sent_at=timezone.now(),
        )


def observations(world, n, indicator=None):
    indicator = indicator or world.indicator
    start = indicator.observations.count()
    for i in range(start, start + n):
        year, month = 2000 + i // 12, i % 12 + 1
        Observation.objects.create(
            indicator=indicator,
            period_start=datetime.date(year, month, 1),
            period_end=datetime.date(year, month, 28),
            value=Decimal(100 + i),
            reported_at=world.session,
        )


def indicators(world, n):
    made = Indicator.objects.count()
    for i in range(made, made + n):
        indicator = Indicator.objects.create(
            council=world.council, code=f"i{i}", name=f"Indicator {i}", unit="USD"
        )
        observations(world, 3, indicator)
        Target.objects.create(
            indicator=indicator, value=Decimal(1000), target_date=datetime.date(2030, 1, 1)
        )


def participants(world, n):
    kz = world.council.parties.get(code="KZ")
    for i in range(n):
        person = PersonFactory(party=kz)
        Participant.objects.create(
            session=world.session,
            person=person,
            party=kz,
            agency=AgencyFactory(party=kz),
            position="Minister",
            order=Participant.objects.count() + i + 1,
        )


def sessions(world, n):
    last = world.council.sessions.order_by("-number").first().number
    for i in range(1, n + 1):
        SessionFactory(
            council=world.council,
            number=last + i,
            start_date=datetime.date(2027, 1, 1) + datetime.timedelta(days=i),
            status=Session.Status.PLANNED,
        )


def reviews(world, n):
    """``n`` earlier commitments under monitoring, each decided on at the world's session."""
    for _ in range(n):
        commitment = CommitmentFactory(session=world.commitment_old.session, is_monitored=True)
        ResponsibilityFactory(commitment=commitment, agency=world.users["focal_a"].agency)
        services.review_record_decision(
            commitment=commitment, session=world.session, decision="keep", by=None
        )


def responsibilities(world, n):
    kz = world.council.parties.get(code="KZ")
    for _ in range(n):
        ResponsibilityFactory(
            commitment=world.commitment_a, agency=AgencyFactory(party=kz), role="co_executor"
        )


def signatories(world, n):
    kz = world.council.parties.get(code="KZ")
    for _ in range(n):
        Signatory.objects.create(
            protocol=world.protocol, person=PersonFactory(party=kz), party=kz, position="Minister"
        )


def calendar_feed(world):
    return reverse("council:calendar-deadlines", args=[world.users["secretariat"].calendar_token])


def calendar_sessions(world):
    token = world.users["secretariat"].calendar_token
    return reverse("council:calendar-sessions", args=[token, world.council.pk])


PAGES = {
    # name: (role, url(world), grow(world, n))
    "council-list (councils)": ("focal_a", lambda w: reverse("council:council-list"), councils),
    "profile (calendar feeds of councils)": (
        "focal_a",
        lambda w: reverse("council:profile"),
        councils,
    ),
    "council-detail (sub-bodies, sessions)": (
        "secretariat",
        lambda w: reverse("council:council-detail", args=[w.council.pk]),
        lambda w, n: (councils(w, n), sessions(w, n)),
    ),
    "notification-list": ("focal_a", lambda w: reverse("council:notification-list"), reminders),
    "indicator-list": (
        "secretariat",
        lambda w: reverse("council:indicator-list", args=[w.council.pk]),
        indicators,
    ),
    "indicator-detail": (
        "secretariat",
        lambda w: reverse("council:indicator-detail", args=[w.indicator.pk]),
        observations,
    ),
    "session-detail (participants)": (
        "secretariat",
        lambda w: reverse("council:session-detail", args=[w.session.pk]),
        participants,
    ),
    "protocol-print": (
        "manager",
        lambda w: reverse("council:protocol-print", args=[w.session.pk]),
        commitments,
    ),
    "commitment-detail (responsible agencies)": (
        "focal_a",
        lambda w: reverse("council:commitment-detail", args=[w.commitment_a.pk]),
        responsibilities,
    ),
    "commitment-edit (responsible agencies)": (
        "secretariat",
        lambda w: reverse("council:commitment-edit", args=[w.commitment_a.pk]),
        lambda w, n: responsibilities(w, min(n, 20)),  # the formset holds 30 forms at most
    ),
    "protocol-edit (signatories)": (
        "secretariat",
        lambda w: reverse("council:protocol-edit", args=[w.session.pk]),
        lambda w, n: signatories(w, min(n, 20)),  # the formset holds 30 forms at most
    ),
    "calendar-deadlines": ("focal_a", calendar_feed, commitments),
    "calendar-sessions": ("focal_a", calendar_sessions, sessions),
    "session-review": (
        "secretariat",
        lambda w: reverse("council:session-review", args=[w.session.pk]),
        reviews,
    ),
    "session-review-print": (
        "secretariat",
        lambda w: reverse("council:session-review-print", args=[w.session.pk]),
        reviews,
    ),
}


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_rows(client, world, page):
    role, url, grow = PAGES[page]
    client.force_login(world.users[role])
    grow(world, 3)
    small = count(client, url(world))
    grow(world, 40)
    assert count(client, url(world)) == small


@pytest.mark.parametrize(
    "url_name",
    ["council:dashboard", "council:commitment-list", "council:council-list"],
)
@pytest.mark.parametrize("role", ["manager", "focal_a", "secretariat"])
def test_list_pages_query_count_does_not_grow_with_rows(client, world, url_name, role):
    client.force_login(world.users[role])
    url = reverse(url_name)
    grow(world, 10)
    small = queries(client, url)
    # 50 rows: a full first page of 25 and more behind it, where 10 filled part of one.
    grow(world, 40)
    assert queries(client, url) == small


@pytest.mark.parametrize("name", ["session-detail", "council-detail", "protocol-detail"])
def test_detail_pages_query_count_does_not_grow_with_rows(client, world, name):
    client.force_login(world.users["secretariat"])
    arg = world.council.pk if name == "council-detail" else world.session.pk
    url = reverse(f"council:{name}", args=[arg])
    grow(world, 10)
    for order in range(2, 12):
        AgendaItem.objects.create(session=world.session, order=order, title=f"Item {order}")
    small = queries(client, url)
    grow(world, 190)
    for order in range(12, 60):
        AgendaItem.objects.create(session=world.session, order=order, title=f"Item {order}")
    assert queries(client, url) == small
