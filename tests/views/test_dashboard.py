"""The dashboard's figures against counts made independently, and its query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from council import services
from council.models import Commitment

from ..factories import CommitmentFactory, ResponsibilityFactory
from .pages import sql_sent

pytestmark = pytest.mark.django_db


def _spread(world, n):
    """Commitments of focal_a's agency: ``2n`` overdue, ``2n`` due soon, ``2n`` later,
    ``n`` undated, ``n`` past their date of which the last is completed (counts nowhere)."""
    today = timezone.localdate()
    agency = world.users["focal_a"].agency
    made = []
    for offset in [-400, -1] * n + [0, 30] * n + [31, 200] * n:
        made.append(
            CommitmentFactory(session=world.session, deadline=today + datetime.timedelta(offset))
        )
    for _ in range(n):
        made.append(
            CommitmentFactory(
                session=world.session, deadline_kind=Commitment.DeadlineKind.ONGOING, deadline=None
            )
        )
        made.append(
            CommitmentFactory(session=world.session, deadline=today - datetime.timedelta(5))
        )
    Commitment.objects.filter(pk=made[-1].pk).update(status=Commitment.Status.COMPLETED)
    for commitment in made:
        ResponsibilityFactory(commitment=commitment, agency=agency)


def _expected(queryset):
    today = timezone.localdate()
    open_ = [c for c in queryset if c.is_open]
    return {
        "open": len(open_),
        "overdue": sum(c.is_overdue(today) for c in open_),
        "due_soon": sum(
            c.deadline is not None and today <= c.deadline <= today + datetime.timedelta(30)
            for c in open_
        ),
    }


@pytest.mark.parametrize("persona", ["manager", "focal_a", "secretariat", "focal_uz"])
def test_dashboard_counts_equal_counts_made_in_python(client, world, persona):
    _spread(world, 6)  # more than the 10 rows each list shows
    user = world.users[persona]
    client.force_login(user)
    context = client.get(reverse("council:dashboard")).context
    everything = list(Commitment.objects.all())
    if persona == "focal_a":
        mine = [c for c in everything if c.responsibilities.filter(agency=user.agency)]
    elif persona == "secretariat":
        mine = [c for c in everything if c.session.council_id == world.council.pk]
    elif persona == "focal_uz":
        mine = []
    else:
        mine = everything
    expected = _expected(mine)
    assert {
        "open": context["my_open_count"],
        "overdue": context["overdue_count"],
        "due_soon": context["due_soon_count"],
    } == expected
    if persona != "focal_uz":
        assert expected["due_soon"] > 10  # the card counts them all, not the 10 listed
        assert len(context["due_soon"]) == 10


def test_due_soon_card_shows_the_full_count(client, world):
    _spread(world, 6)
    client.force_login(world.users["focal_a"])
    page = client.get(reverse("council:dashboard")).content.decode()
    assert '<div class="display-6">12</div>' in page  # 6 due today + 6 in 30 days


def test_dashboard_query_count_does_not_grow_with_commitments(client, world):
    client.force_login(world.users["manager"])
    url = reverse("council:dashboard")
    _spread(world, 1)  # every list has rows (an empty list skips its prefetch query)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _spread(world, 8)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    # session, user, groups; one query for the three counts; reminders badge; the four
    # lists of commitments with their responsibilities; next sessions; recent updates.
    assert len(many) == len(few)
    assert sum("COUNT(" in q["sql"] and "council_commitment" in q["sql"] for q in many) == 1


def test_dashboard_shows_my_work(client, world):
    client.force_login(world.users["focal_a"])
    Commitment.objects.filter(pk=world.commitment_a.pk).update(deadline=datetime.date(2020, 1, 1))
    page = client.get(reverse("council:dashboard")).content.decode()
    assert "2.1" in page and "Overdue" in page
    assert world.commitment_b.title not in page  # agency B's work is not "mine"


def test_manager_dashboard_lists_completions_awaiting_review(client, world):
    services.commitment_change_status(
        commitment=world.commitment_b, to="completion_reported", by=None
    )
    client.force_login(world.users["manager"])
    page = client.get(reverse("council:dashboard")).content.decode()
    assert "awaiting your review" in page and world.commitment_b.title in page


def test_empty_states(client, db):
    from ..conftest import make_user

    client.force_login(make_user("newcomer"))
    page = client.get(reverse("council:dashboard")).content.decode()
    assert "Nothing is overdue." in page and "No session is planned." in page
    assert (
        "not assigned to any council"
        in client.get(reverse("council:council-list")).content.decode()
    )
    assert (
        "No commitment matches" in client.get(reverse("council:commitment-list")).content.decode()
    )


def test_a_secretariat_of_a_few_councils_sees_their_earliest_overdue(client, world):
    """A secretariat's overdue list over several councils is read council by council (on
    PostgreSQL) and merged: the ten earliest deadlines of all their councils, in order."""
    from ..factories import CouncilFactory

    user = world.users["secretariat"]
    today = timezone.localdate()
    for number, council in enumerate([world.council, CouncilFactory(), CouncilFactory()]):
        council.secretariat_staff.add(user)
        first = CommitmentFactory(
            session__council=council, session__number=60 + number, deadline=today
        )
        for days in range(1, 9):  # interleaved across the councils
            CommitmentFactory(
                session=first.session, deadline=today - datetime.timedelta(days=3 * days + number)
            )
    CommitmentFactory(
        session__council=world.other_council,
        session__number=90,
        deadline=today - datetime.timedelta(days=1000),
    )  # not theirs: never listed
    expected = list(
        Commitment.objects.open()
        .filter(council__secretariat_staff=user, deadline__lt=today, deadline_kind="date")
        .order_by("deadline", "pk")
        .values_list("pk", flat=True)[:10]
    )
    client.force_login(user)
    with sql_sent() as sent:
        response = client.get(reverse("council:dashboard"))
    assert [c.pk for c in response.context["overdue"]] == expected and len(expected) == 10
    grouped = any(" UNION ALL " in sql for sql in sent)
    assert grouped == (connection.vendor == "postgresql")


def test_a_row_names_its_agencies_and_flags_a_deadline_on_a_sides_day_off(client, world):
    """The dashboard's rows (agencies read as names) and the session page's (read as
    records) say the same: each responsible agency, and the side whose country does not
    work on the deadline."""
    from council.workdays import non_working

    day = datetime.date(2025, 1, 1)
    while not (non_working(day, "KZ") and not non_working(day, "KG")):
        day += datetime.timedelta(days=1)
    Commitment.objects.filter(pk=world.commitment_a.pk).update(deadline=day)
    client.force_login(world.users["focal_a"])
    dashboard = client.get(reverse("council:dashboard"))
    session = client.get(world.session.get_absolute_url())
    for page in (dashboard.content.decode(), session.content.decode()):
        row = page.split(world.commitment_a.title, 1)[1].split("</li>", 1)[0]
        assert "KZ&#8239;✕" in row and "KG&#8239;✕" not in row
        for responsibility in world.commitment_a.responsibilities.all():
            assert str(responsibility.agency) in row


def test_recent_updates_name_the_commitment_author_agency_and_change(client, world):
    focal_a = world.users["focal_a"]
    services.commitment_change_status(
        commitment=world.commitment_a,
        to=Commitment.Status.IN_PROGRESS,
        by=focal_a,
        note="Проект соглашения направлен сторонам",
        agency=focal_a.agency,
    )
    client.force_login(world.users["manager"])
    page = client.get(reverse("council:dashboard")).content.decode()
    feed = page.split('id="updates-heading"', 1)[1]
    item = feed.split("<li", 2)[1]
    assert str(world.commitment_a) in item and world.commitment_a.get_absolute_url() in item
    assert str(focal_a) in item and f"({focal_a.agency})" in item
    assert "Not started → In progress" in item
    assert "Проект соглашения направлен сторонам" in item
