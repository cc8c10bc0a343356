import datetime
import threading

import pytest
from django.db.models import FETCH_RAISE
from django.db.models.query import QuerySet
from django.test.client import ClientHandler

from council.demo import load_demo

# A fixed "today" for the demo, so tests do not depend on the day they run.
DEMO_TODAY = datetime.date(2026, 11, 25)


@pytest.fixture
def demo(db):
    """The demo data set, loaded as `make demo` loads it."""
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


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs most of the demo's load time; tests need none of its strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    """Uploaded files go to a temporary folder, never into the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def point_celery_at(broker_url: str, *, eager: bool) -> None:
    """Switch the Celery app's broker in a test, dropping pooled connections to the old one."""
    from council.celery import app

    app.conf.update(broker_url=broker_url, task_always_eager=eager)
    # Forget (without closing: producers may still hold them) pooled connections.
    app._pool = None
    app.amqp._producer_pool = None
