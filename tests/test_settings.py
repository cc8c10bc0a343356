"""Settings come from the environment, with safe local defaults and a strict production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from council.settings import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent


def settings_value(expression: str, **env: str) -> str:
    """Evaluate ``expression`` on settings loaded fresh with only ``env`` set."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ENV", "SECRET_KEY", "SITE_URL"}
    }
    result = subprocess.run(
        [sys.executable, "-c", f"from council import settings as s; print({expression})"],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() if result.returncode == 0 else "ERROR: " + result.stderr


def test_typed_helpers_parse_and_refuse(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    monkeypatch.setenv("NUMBER", "42")
    monkeypatch.setenv("HOSTS", "a.org, b.org,")
    assert env_bool("FLAG") is True and env_int("NUMBER", 1) == 42
    assert env_list("HOSTS", []) == ["a.org", "b.org"]
    assert env_bool("UNSET_FLAG", default=True) is True
    monkeypatch.setenv("FLAG", "maybe")
    monkeypatch.setenv("NUMBER", "many")
    with pytest.raises(ImproperlyConfigured):
        env_bool("FLAG")
    with pytest.raises(ImproperlyConfigured):
        env_int("NUMBER", 1)


def test_local_defaults_need_no_services():
    assert settings_value("s.DATABASES['default']['ENGINE']") == "django.db.backends.sqlite3"
    assert settings_value("s.CELERY_TASK_ALWAYS_EAGER") == "True"
    assert settings_value("s.MAILERS['default']['BACKEND']").endswith("console.EmailBackend")
    assert settings_value("s.TIME_ZONE, s.USE_TZ") == "Asia/Almaty True"
    assert settings_value("[code for code, _ in s.LANGUAGES]") == "['en', 'ru', 'kk', 'ky']"


def test_production_reads_services_from_the_environment():
    env = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://council:pw@db.internal:5432/council",
        "REDIS_URL": "redis://cache.internal:6379/0",
        "SMTP_HOST": "smtp.internal",
        "SITE_URL": "https://council.example.org",
    }
    assert settings_value("s.DATABASES['default']['HOST'], s.DEBUG", **env) == "db.internal False"
    assert settings_value("s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER", **env) == (
        "redis://cache.internal:6379/0 False"
    )
    assert settings_value("s.MAILERS['default']['OPTIONS']['host']", **env) == "smtp.internal"
    assert settings_value("s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE", **env) == "True True"


def test_production_refuses_to_start_without_a_secret_key():
    assert "SECRET_KEY must be set" in settings_value("s.SECRET_KEY", DJANGO_ENV="production")


def test_production_refuses_to_start_without_its_address():
    """Reminders sent by tasks link to SITE_URL: a default of 127.0.0.1 would send every
    recipient a dead link, so production does not start without it."""
    env = {"DJANGO_ENV": "production", "SECRET_KEY": "x" * 60}
    assert "SITE_URL must be set" in settings_value("s.SITE_URL", **env)
    assert settings_value("s.SITE_URL", **env, SITE_URL="https://council.example.org") == (
        "https://council.example.org"
    )
    assert "must start with https://" in settings_value("s.SITE_URL", SITE_URL="council.org")
    assert settings_value("s.SITE_URL") == "http://127.0.0.1:8000"  # local use needs nothing


def test_page_queries_run_without_parallel_workers_unless_asked():
    url = "postgres://app@db.example.org:5432/council"
    options = "s.DATABASES['default'].get('OPTIONS', {}).get('options')"
    assert settings_value(options, DATABASE_URL=url) == "-c max_parallel_workers_per_gather=0"
    assert settings_value(options, DATABASE_URL=url, DB_PARALLEL_WORKERS="2") == (
        "-c max_parallel_workers_per_gather=2"
    )
    assert settings_value(options, DATABASE_URL=url, DB_PARALLEL_WORKERS="default") == "None"
    assert settings_value(options) == "None"  # SQLite has no such setting


@pytest.mark.django_db
def test_the_database_connection_applies_the_setting():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
