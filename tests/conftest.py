"""Shared fixtures: the personas (one user per role, in a small world), the demo data set,
the lazy-load guard, and settings every test runs with.

Personas, one per role and a few outsiders (the ``world`` fixture):

- secretariat: records the KZ–KG council (assigned to it);
- secretariat_other: secretariat of another council only;
- focal_a / focal_b: focal points of two Kazakh ministries; only A is responsible for
  `commitment_a`;
- focal_uz: focal point of an Uzbek agency, a party the KZ–KG council does not include;
- manager, admin.
"""

import datetime
import threading
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import FETCH_RAISE
from django.db.models.query import QuerySet
from django.test import override_settings
from django.test.client import ClientHandler

from council import roles, services
from council.demo import load_demo
from council.models import AgendaItem, Indicator, Participant, Protocol, ProtocolFile, User

from .factories import (
    AgencyFactory,
    CommitmentFactory,
    CouncilFactory,
    PartyFactory,
    PersonFactory,
    ResponsibilityFactory,
    SessionFactory,
)

# A fixed "today" for the demo, so tests do not depend on the day they run.
DEMO_TODAY = datetime.date(2026, 11, 25)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


UNGROUPED = pytest.StashKey[bool]()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Under ``--dist loadgroup`` a worker's grouped tests must carry their group in their
    node id (pytest-xdist adds it): without it the tests that share Redis, the production
    stack or a module's demo run on both workers at once, and fail by turns."""
    if getattr(config.option, "loadgroup", False):  # set on each worker by pytest-xdist
        for item in items:
            if item.get_closest_marker("xdist_group") and "@" not in item.nodeid:
                item.stash[UNGROUPED] = True


def pytest_runtest_setup(item):
    if item.stash.get(UNGROUPED, False):
        pytest.fail(
            "pytest-xdist could not keep this test in its group: this pytest and "
            "pytest-xdist do not work together (see pyproject.toml)",
            pytrace=False,
        )


@dataclass
class SharedDemo:
    loader: object
    media: object


@pytest.fixture(scope="module")
def demo_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for a whole module, in a transaction rolled back after its last
    test: each test runs in a savepoint inside it (the ``db`` fixture), so what a test writes
    is undone and the next test sees the demo as loaded.

    A module opts in with ``pytestmark = [pytest.mark.usefixtures("demo_once"), ...]``:
    every test of that module then sees the demo, whether it asks for ``demo`` or not, so
    only modules whose tests all read the demo do. The module is also one ``xdist_group``,
    so one worker loads it once. Tests that need ``transaction=True`` or an empty database
    stay out of such modules.
    """
    media = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        # As ``reminders_any_hour`` does for each test (it is not active yet here): the
        # load's reminder scan must not hold notifications till working hours.
        override_settings(
            MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_HASHERS, REMINDERS_WORKING_HOURS_ONLY=False
        ),
        transaction.atomic(),
    ):
        shared = SharedDemo(loader=load_demo(today=DEMO_TODAY), media=media)
        yield shared
        transaction.set_rollback(True)


@pytest.fixture
def demo(request, db):
    """The demo data set, loaded as `make demo` loads it (once per module in modules that
    use ``demo_once``)."""
    if "demo_once" in request.fixturenames:
        return request.getfixturevalue("demo_once").loader
    return load_demo(today=DEMO_TODAY)


_handling = threading.local()


@pytest.fixture
def no_lazy_loads(monkeypatch):
    """Every queryset made while the test client handles a request fetches in FETCH_RAISE
    mode, so a page that reads a relation it did not select or prefetch fails with
    FieldFetchBlocked instead of quietly running one query per row.

    Only the request is covered, streamed content included: set-up and assertions in the
    test may still follow relations as they like. The mode reaches every instance a
    request loads (``select_related`` and prefetches take their queryset's mode, related
    managers take their instance's), ``request.user`` included. Objects built with
    ``Model()`` in a view keep Django's default, FETCH_ONE.
    """
    init = QuerySet.__init__
    handle = ClientHandler.__call__

    def raising_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        if getattr(_handling, "on", False):
            self._fetch_mode = FETCH_RAISE

    class During:
        """Streamed content, each chunk made with lazy loads blocked. A class, not a
        generator: the response closes what it streams, and closing a generator that is
        running its own ``yield from`` crashes CPython 3.12."""

        def __init__(self, iterator):
            self.iterator = iterator

        def __iter__(self):
            return self

        def __next__(self):
            previous, _handling.on = getattr(_handling, "on", False), True
            try:
                return next(self.iterator)
            finally:
                _handling.on = previous

    def raising_handle(self, environ):
        previous, _handling.on = getattr(_handling, "on", False), True
        try:
            response = handle(self, environ)
        finally:
            _handling.on = previous
        if response.streaming and not response.is_async:
            response.streaming_content = During(response.streaming_content)
        return response

    monkeypatch.setattr(QuerySet, "__init__", raising_init)
    monkeypatch.setattr(ClientHandler, "__call__", raising_handle)


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser(
        username="root", email="root@example.org", password="a-long-test-password"
    )


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def midday():
    """Today's local noon: a test that travels minutes ahead of it stays on today
    whenever it runs (from ``timezone.now()`` it crosses midnight near 23:55)."""
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(12)))


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs most of the demo's load time; tests need none of its strength."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def reminders_any_hour(settings):
    """Reminders wait for working hours in the recipient's country; tests that do not
    freeze the clock must not depend on when they run (``tests/test_workdays*`` turn it on)."""
    settings.REMINDERS_WORKING_HOURS_ONLY = False


@pytest.fixture(autouse=True)
def media_root(request, tmp_path, settings):
    """Uploaded files go to a temporary folder, never into the checkout (the shared demo's
    folder in a module that loads the demo once, so its files are there)."""
    if "demo_once" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("demo_once").media
    else:
        settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def point_celery_at(broker_url: str, *, eager: bool) -> None:
    """Switch the Celery app's broker in a test, dropping pooled connections to the old one."""
    from council.celery import app

    app.conf.update(broker_url=broker_url, task_always_eager=eager)
    # Forget (without closing: producers may still hold them) pooled connections.
    app._pool = None
    app.amqp._producer_pool = None


# Personas

PASSWORD = "a-long-test-password"


@dataclass
class World:
    council: object
    other_council: object
    session: object
    agenda_item: object
    commitment_a: object
    commitment_b: object
    commitment_old: object
    protocol: object
    protocol_file: object
    attachment: object
    indicator: object
    participant: object
    users: dict


def make_user(username, *, group=None, agency=None, superuser=False):
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        agency=agency,
        is_superuser=superuser,
        is_staff=superuser,
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def world(db):
    roles.roles_sync()
    kz, kg, uz = PartyFactory(code="KZ"), PartyFactory(code="KG"), PartyFactory(code="UZ")
    council = CouncilFactory(parties=[kz, kg])
    other_council = CouncilFactory(parties=[uz, PartyFactory(code="TJ")])
    agency_a, agency_b = AgencyFactory(party=kz), AgencyFactory(party=kz)
    agency_kg = AgencyFactory(party=kg)
    earlier = SessionFactory(council=council, number=12, start_date=datetime.date(2024, 11, 22))
    commitment_old = CommitmentFactory(session=earlier, clause="1.1")
    session = SessionFactory(council=council, number=13, start_date=datetime.date(2025, 11, 14))
    agenda_item = AgendaItem.objects.create(session=session, order=1, title="Trade")
    commitment_a = CommitmentFactory(session=session, clause="2.1")
    ResponsibilityFactory(commitment=commitment_a, agency=agency_a)
    ResponsibilityFactory(commitment=commitment_a, agency=agency_kg)
    commitment_b = CommitmentFactory(session=session, clause="2.2")
    ResponsibilityFactory(commitment=commitment_b, agency=agency_b)
    protocol = Protocol.objects.create(session=session, title="Protocol of the 13th session")
    protocol_file = ProtocolFile(protocol=protocol, language="ru", original_name="signed.pdf")
    protocol_file.file.save("signed.pdf", ContentFile(b"%PDF-1.4 signed"), save=False)
    protocol_file.save()
    update = services.commitment_report_progress(
        commitment=commitment_a,
        by=None,
        note="Draft sent",
        attachments=[ContentFile(b"%PDF-1.4 evidence", name="evidence.pdf")],
    )
    PersonFactory(party=kz)
    participant = Participant.objects.create(
        session=session, person=PersonFactory(party=kg), party=kg, position="Minister", order=1
    )
    indicator = Indicator.objects.create(council=council, code="trade", name="Trade", unit="USD")
    users = {
        "secretariat": make_user("secretariat", group=roles.SECRETARIAT, agency=agency_a),
        "secretariat_other": make_user("secretariat_other", group=roles.SECRETARIAT),
        "focal_a": make_user("focal_a", group=roles.FOCAL_POINT, agency=agency_a),
        "focal_b": make_user("focal_b", group=roles.FOCAL_POINT, agency=agency_b),
        "focal_uz": make_user("focal_uz", group=roles.FOCAL_POINT, agency=AgencyFactory(party=uz)),
        "manager": make_user("manager", group=roles.MANAGER),
        "admin": make_user("admin", superuser=True),
    }
    council.secretariat_staff.add(users["secretariat"])
    services.user_reset_calendar_token(user=users["secretariat"], by=None)
    other_council.secretariat_staff.add(users["secretariat_other"])
    return World(
        council=council,
        other_council=other_council,
        session=session,
        agenda_item=agenda_item,
        commitment_a=commitment_a,
        commitment_b=commitment_b,
        commitment_old=commitment_old,
        protocol=protocol,
        protocol_file=protocol_file,
        attachment=update.attachments.get(),
        indicator=indicator,
        participant=participant,
        users=users,
    )


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user
