"""The dashboard's figures read from the responsibility rows' copy of their commitment
(migration 0037, ``council.workload``) must equal the figures counted from the
commitments themselves, for every role, after every kind of change the triggers follow:
a status moved, a deadline moved, a report made and withdrawn, monitoring stopped, a
responsibility added, an agency moved to another party. A copy that falls behind would
show a focal point a wrong count with no error. PostgreSQL only (the copy is)."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.db.models import Count

from bench.generate import generate
from council import services, workload
from council.models import Agency, Commitment, Party, Responsibility, User
from council.policies import Policy
from council.querysets import local_today

ROWS = 2_000
USERS = ["bench-focal", "bench-secretariat", "bench-manager", "bench-admin"]


@pytest.fixture
def archive(db):
    if connection.vendor != "postgresql":
        pytest.skip("the copy is PostgreSQL's (CI runs it)")
    generate(ROWS)
    # A second focal point, of the least busy agency that has work.
    quiet = (
        Responsibility.objects.values("agency")
        .annotate(n=Count("pk"))
        .order_by("n", "agency")[0]["agency"]
    )
    User.objects.filter(username="bench-focal-1-0").update(agency=quiet)
    # A focal point of an agency with a body under it, both responsible for one open
    # commitment: their rows name it twice, and each figure must count it once.
    child = Agency.objects.filter(parent__isnull=False).order_by("pk")[0]
    shared = (
        Commitment.objects.open()
        .monitored()
        .responsible([child.parent_id])
        .exclude(responsibilities__agency=child)
        .order_by("pk")
        .first()
    )
    Responsibility.objects.create(
        commitment=shared, agency=child, role=Responsibility.Role.CO_EXECUTOR
    )
    tree = User.objects.get(username="bench-focal")
    groups = list(tree.groups.all())
    tree.pk, tree.username, tree.agency_id = None, "bench-focal-tree", child.parent_id
    tree.save()
    tree.groups.set(groups)


def figures(username: str, today: datetime.date) -> dict:
    policy = Policy(User.objects.get(username=username))
    agency = policy.user.agency_id if policy.is_focal_point else None
    queue = policy.awaiting_review(policy.visible_commitments())
    return {
        "counts": workload.deadline_counts(policy, today, 30),
        "stale": workload.stale_sides_shown(policy, today, agency_id=agency, shown=10**6),
        "awaiting": workload.awaiting_review_count(policy, queue),
        "due_soon": workload.due_soon_ids(policy, today, 30, 10),
    }


def assert_copy_agrees(today: datetime.date | None = None) -> dict:
    """Each user's figures from the copy equal those counted from the commitments."""
    today = today or local_today()
    found = {}
    for username in [*USERS, "bench-focal-1-0", "bench-focal-tree"]:
        copied = figures(username, today)
        with mock.patch.object(workload, "available", return_value=False):
            counted = figures(username, today)
        count, rows = copied["stale"]
        assert count == counted["stale"][0], username
        assert sorted(rows) == sorted(counted["stale"][1]), username
        assert [c for c, _ in rows] == [c for c, _ in counted["stale"][1]], username
        assert copied["counts"] == counted["counts"], username
        assert copied["awaiting"] == counted["awaiting"], username
        assert copied["due_soon"] == counted["due_soon"], username
        found[username] = copied
    return found


def focal_open_commitment(**filters) -> Commitment:
    focal = User.objects.get(username="bench-focal")
    return (
        Commitment.objects.open()
        .responsible([focal.agency_id])
        .filter(**filters)
        .order_by("pk")
        .first()
    )


def test_the_generated_archive_reads_the_same(archive):
    # A dozen of the focal point's open commitments fall due within the month (more than
    # the list shows, two on one day); the generated archive has none so soon.
    focal = User.objects.get(username="bench-focal")
    soon = list(
        Commitment.objects.open()
        .responsible([focal.agency_id])
        .filter(deadline_kind="date")
        .order_by("pk")
        .values_list("pk", flat=True)[:12]
    )
    for days, pk in enumerate(soon):
        due = local_today() + datetime.timedelta(days=min(days, 10) * 2)
        Commitment.objects.filter(pk=pk).update(deadline=due)  # the triggers follow
    found = assert_copy_agrees()
    focal = found["bench-focal"]
    # The cases prove something: the focal point has open work, overdue work, work due
    # soon, stale sides.
    assert focal["counts"]["open"] > 10 and focal["counts"]["overdue"] > 0
    assert focal["due_soon"], "nothing due soon: the list's case would prove nothing"
    assert focal["stale"][0] > 0 and found["bench-secretariat"]["stale"][0] > 0


def test_a_report_and_its_withdrawal_move_the_stale_side(archive):
    focal = User.objects.get(username="bench-focal")
    before = assert_copy_agrees()["bench-focal"]["stale"]
    stale_id = before[1][0][0]
    commitment = Commitment.objects.get(pk=stale_id)
    update = services.commitment_report_progress(
        commitment=commitment, by=focal, note="Работа ведётся", agency=focal.agency
    )
    after = assert_copy_agrees()["bench-focal"]["stale"]
    assert after[0] == before[0] - 1 and stale_id not in [c for c, _ in after[1]]
    services.status_update_withdraw(update=update, by=focal, reason="Не тот пункт")
    assert assert_copy_agrees()["bench-focal"]["stale"] == before


def test_a_status_move_and_a_deadline_move_are_followed(archive):
    secretariat = User.objects.get(username="bench-admin")
    before = assert_copy_agrees()["bench-focal"]["counts"]
    commitment = focal_open_commitment(
        status=Commitment.Status.NOT_STARTED, deadline_kind=Commitment.DeadlineKind.DATE
    )
    services.commitment_move_deadline(
        commitment=commitment,
        new_deadline=local_today() + datetime.timedelta(days=3),
        by=secretariat,
        reason="Продлено решением Совета",
    )
    moved = assert_copy_agrees()["bench-focal"]["counts"]
    assert moved["due_soon"] >= before["due_soon"] + (commitment.deadline >= local_today())
    services.commitment_change_status(
        commitment=Commitment.objects.get(pk=commitment.pk),
        to=Commitment.Status.IN_PROGRESS,
        by=secretariat,
        note="Начато",
    )
    assert assert_copy_agrees()["bench-focal"]["counts"]["open"] == before["open"]


def test_changes_made_below_the_services_are_followed_too(archive):
    """The copy is kept by the database, so even a bulk fix (a migration, a shell) that
    bypasses the services leaves it right."""
    commitment = focal_open_commitment(is_monitored=True)
    Commitment.objects.filter(pk=commitment.pk).update(is_monitored=False)
    assert_copy_agrees()
    Commitment.objects.filter(pk=commitment.pk).update(
        status=Commitment.Status.CANCELLED, adopted_on=datetime.date(2001, 1, 1)
    )
    assert_copy_agrees()
    Commitment.objects.filter(pk=focal_open_commitment().pk).update(
        deadline_kind=Commitment.DeadlineKind.ONGOING, deadline=None
    )
    assert_copy_agrees()


def test_a_new_responsibility_and_an_agency_moved_to_another_party(archive):
    focal = User.objects.get(username="bench-focal")
    other = (
        Commitment.objects.open()
        .monitored()
        .exclude(responsibilities__agency=focal.agency_id)
        .filter(council__parties=focal.agency.party_id)
        .order_by("adopted_on", "pk")
        .first()
    )
    Responsibility.objects.create(
        commitment=other, agency=focal.agency, role=Responsibility.Role.CO_EXECUTOR
    )
    assert other.pk in [c for c, _ in assert_copy_agrees()["bench-focal"]["stale"][1]]
    # Another agency of the focal point's party reports on it: the side is not stale.
    reporter = (
        Agency.objects.filter(party=focal.agency.party_id).exclude(pk=focal.agency_id).first()
    )
    services.commitment_report_progress(
        commitment=other,
        by=User.objects.get(username="bench-admin"),
        note="Проект согласован",
        agency=reporter,
    )
    reported = assert_copy_agrees()["bench-focal"]["stale"]
    assert other.pk not in [c for c, _ in reported[1]]
    # That agency moves to another party: its report no longer speaks for this side.
    moved_to = Party.objects.exclude(pk=focal.agency.party_id).order_by("pk")[0]
    Agency.objects.filter(pk=reporter.pk).update(party=moved_to)
    stale = assert_copy_agrees()["bench-focal"]["stale"]
    assert stale[0] == reported[0] + 1 and other.pk in [c for c, _ in stale[1]]
