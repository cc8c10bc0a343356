import datetime

import pytest

from council.demo import load_demo

# A fixed "today" for the demo, so tests do not depend on the day they run.
DEMO_TODAY = datetime.date(2026, 11, 25)


@pytest.fixture
def demo(db):
    """The demo data set, loaded as `make demo` loads it."""
    return load_demo(today=DEMO_TODAY)


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
