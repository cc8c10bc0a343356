"""The ``load_demo`` command, on an empty database (the demo's facts are in ``test_demo.py``,
which loads the demo once for all its tests)."""

import pytest
from django.core.management import call_command

from council.models import Council

pytestmark = pytest.mark.django_db


def test_load_demo_command_runs_once_and_prints_users(capsys):
    call_command("load_demo")
    first = capsys.readouterr().out
    assert "Demo data loaded" in first and "secretariat" in first and "password" in first
    call_command("load_demo")
    assert "not loaded again" in capsys.readouterr().out
    assert Council.objects.count() == 2


def test_load_demo_prints_no_email_however_the_mail_is_sent(capsys, settings):
    """Locally mail goes to the console: the demo's first scan must not bury the users."""
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "Message-ID" not in out and "Content-Type" not in out
    assert "e-mails (not shown here)" in out and "secretariat" in out
    assert len(out.splitlines()) < 20
