"""Reminder rules with frozen time, and the scan's promise: due once, sent once."""

import datetime
import importlib
import smtplib
import zoneinfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command

from council import reminders, roles, services
from council.models import Reminder, ReminderMute, ReminderRule, Session, User
from council.services import reminders as reminder_services

from ..factories import AgencyFactory, CommitmentFactory, PartyFactory, ResponsibilityFactory

D = datetime.date
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


# Occurrences -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deadline", "today", "expected"),
    [
        (D(2026, 12, 31), D(2026, 11, 30), None),  # 31 days left: nothing arrived
        (D(2026, 12, 31), D(2026, 12, 1), D(2026, 12, 1)),  # 30 days before
        (D(2026, 12, 31), D(2026, 12, 20), D(2026, 12, 1)),  # still the 30-day one
        (D(2026, 12, 31), D(2026, 12, 24), D(2026, 12, 24)),  # 7 days before
        (D(2026, 12, 31), D(2026, 12, 30), D(2026, 12, 30)),  # 1 day before
        (D(2026, 12, 31), D(2026, 12, 31), D(2026, 12, 30)),  # due today: the 1-day one
        (D(2026, 12, 31), D(2027, 1, 1), None),  # past: overdue rules take over
        (D(2027, 3, 1), D(2027, 2, 28), D(2027, 2, 28)),  # month end, non-leap year
        (D(2028, 3, 1), D(2028, 2, 29), D(2028, 2, 29)),  # leap day
        (D(2027, 3, 31), D(2027, 3, 1), D(2027, 3, 1)),  # 30 days before the 31st
    ],
)
def test_before_deadline_occurrence(deadline, today, expected):
    assert reminders.before_deadline_occurrence(deadline, [30, 7, 1], today) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 1, 31), None),  # the deadline day itself
        (D(2026, 2, 1), D(2026, 2, 1)),  # first overdue reminder the day after
        (D(2026, 2, 7), D(2026, 2, 1)),
        (D(2026, 2, 8), D(2026, 2, 8)),  # then weekly
        (D(2026, 3, 1), D(2026, 3, 1)),  # across a short month
        (D(2026, 3, 3), D(2026, 3, 1)),  # catching up after missed scans: latest only
    ],
)
def test_overdue_occurrence_weekly(today, expected):
    assert reminders.overdue_occurrence(D(2026, 1, 31), 1, 7, today) == expected


def test_overdue_without_repeat_is_once():
    assert reminders.overdue_occurrence(D(2026, 1, 31), 14, None, D(2026, 6, 1)) == D(2026, 2, 14)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 11, 23), D(2026, 11, 23)),
        (D(2026, 11, 29), D(2026, 11, 23)),
        (D(2026, 11, 30), D(2026, 11, 30)),
    ],
)
def test_weekly_digest_falls_on_mondays(today, expected):
    assert reminders.weekly_occurrence(1, today) == expected


# The scan ------------------------------------------------------------------------------


DEFAULT_RULES = importlib.import_module("council.migrations.0004_default_reminder_rules").DEFAULTS


@pytest.fixture
def people(db):
    # Transactional tests truncate tables, data migrations included: restore the rules.
    for kind, days, repeat in DEFAULT_RULES:
        ReminderRule.objects.get_or_create(
            kind=kind, defaults={"days": days, "repeat_every_days": repeat}
        )
    roles.roles_sync()
    kz = PartyFactory(code="KZ")
    ministry = AgencyFactory(party=kz)
    committee = AgencyFactory(party=kz, parent=ministry)

    def user(name, group, agency=None, language="en"):
        u = User.objects.create_user(
            name, f"{name}@example.org", "pw-long-enough", agency=agency, language=language
        )
        u.groups.add(Group.objects.get(name=group))
        return u

    return {
        "ministry": ministry,
        "committee": committee,
        "focal": user("focal", roles.FOCAL_POINT, ministry),
        "other_focal": user("other", roles.FOCAL_POINT, AgencyFactory(party=kz)),
        "manager": user("manager", roles.MANAGER),
        "secretary": user("secretary", roles.SECRETARIAT),
    }


def due_commitment(people, deadline, agency=None):
    commitment = CommitmentFactory(deadline=deadline)
    ResponsibilityFactory(commitment=commitment, agency=agency or people["committee"])
    commitment.session.council.secretariat_staff.add(people["secretary"])
    return commitment


def keys():
    return sorted(Reminder.objects.values_list("kind", "recipient__username", "occurrence"))


def test_reminder_goes_to_focal_points_of_the_agency_and_above(people):
    due_commitment(people, D(2026, 12, 2))
    # The message counts the days left on the day it is sent: send it on the scan's day.
    with time_machine.travel(datetime.datetime(2026, 11, 25, 9, 0, tzinfo=ALMATY), tick=False):
        services.reminders_scan(today=D(2026, 11, 25))
    assert ("before_deadline", "focal", D(2026, 11, 25)) in keys()
    assert not Reminder.objects.filter(recipient=people["other_focal"]).exists()
    assert [m.to for m in mail.outbox if "Due in 7 days" in m.subject] == [["focal@example.org"]]


def test_a_reminder_sent_late_counts_the_days_left_on_the_day_it_goes(people):
    due_commitment(people, D(2026, 12, 2))
    services.reminders_record_due(
        today=D(2026, 11, 25)
    )  # recorded on the day; the mail is down until the 30th
    with time_machine.travel(datetime.datetime(2026, 11, 30, 9, 0, tzinfo=ALMATY), tick=False):
        services.reminders_scan(today=D(2026, 11, 30))
    subjects = [m.subject for m in mail.outbox if m.to == ["focal@example.org"]]
    assert len(subjects) == 1 and subjects[0].startswith("Due in 2 days:"), subjects


def test_scanning_twice_or_after_an_outage_sends_once(people):
    due_commitment(people, D(2026, 12, 24))
    first = services.reminders_scan(today=D(2026, 11, 25))  # 29 days left: the 30-day reminder
    again = services.reminders_scan(today=D(2026, 11, 25))
    later = services.reminders_scan(today=D(2026, 11, 30))  # scans in between missed: nothing new
    assert first["created"] >= 1 and again["created"] == 0
    assert later["created"] == 1  # only the manager's new weekly digest (30 Nov is a Monday)
    assert Reminder.objects.filter(recipient=people["focal"]).count() == 1
    assert len([m for m in mail.outbox if m.to == ["focal@example.org"]]) == 1
    services.reminders_scan(today=D(2026, 12, 17))  # 7 days before
    assert len([m for m in mail.outbox if m.to == ["focal@example.org"]]) == 2


def test_overdue_then_weekly_and_escalation_to_managers(people):
    due_commitment(people, D(2026, 11, 1))
    services.reminders_scan(today=D(2026, 11, 2))
    services.reminders_scan(today=D(2026, 11, 9))
    services.reminders_scan(today=D(2026, 11, 15))
    got = keys()
    assert ("overdue", "focal", D(2026, 11, 2)) in got and (
        "overdue",
        "focal",
        D(2026, 11, 9),
    ) in got
    assert ("escalation", "manager", D(2026, 11, 15)) in got
    assert not any(kind == "escalation" and user == "focal" for kind, user, _ in got)


def test_nobody_at_the_agency_means_the_secretariat_is_reminded(people):
    due_commitment(people, D(2026, 11, 26), agency=AgencyFactory(party=PartyFactory(code="KG")))
    services.reminders_scan(today=D(2026, 11, 25))
    assert [user for kind, user, _ in keys() if kind != "weekly_digest"] == ["secretary"]


def test_muted_council_gets_no_reminders(people):
    commitment = due_commitment(people, D(2026, 11, 26))
    ReminderMute.objects.create(user=people["focal"], council=commitment.session.council)
    services.reminders_scan(today=D(2026, 11, 25))
    assert not Reminder.objects.filter(recipient=people["focal"]).exists()


def test_done_before_delivery_is_skipped_not_sent(people):
    commitment = due_commitment(people, D(2026, 11, 26))
    services.reminders_record_due(today=D(2026, 11, 25))
    services.commitment_change_status(commitment=commitment, to="completed", by=None)
    services.reminders_scan(today=D(2026, 11, 25))
    assert Reminder.objects.get(commitment=commitment).status == "skipped"
    assert not [m for m in mail.outbox if m.to == ["focal@example.org"]]


def test_session_preparation_asks_responsible_focal_points(people):
    commitment = due_commitment(people, D(2027, 6, 1))
    Session.objects.create(
        council=commitment.session.council, number=99, status="planned", start_date=D(2026, 12, 10)
    )
    services.reminders_scan(today=D(2026, 11, 19))  # 21 days before
    prep = Reminder.objects.get(kind="session_preparation")
    assert prep.recipient == people["focal"] and prep.occurrence == D(2026, 11, 19)
    message = next(m for m in mail.outbox if "Status report needed" in m.subject)
    assert commitment.title in message.body


def test_weekly_digest_for_managers(people):
    due_commitment(people, D(2026, 11, 1))
    services.reminders_scan(today=D(2026, 11, 25))
    digest = Reminder.objects.get(kind="weekly_digest", recipient=people["manager"])
    assert digest.occurrence == D(2026, 11, 23)
    message = next(
        m for m in mail.outbox if m.to == ["manager@example.org"] and "digest" in m.subject
    )
    assert "1 overdue" in message.body


def test_email_has_text_and_html_and_links_to_the_item(people, settings):
    settings.SITE_URL = "https://council.example.org"
    commitment = due_commitment(people, D(2026, 11, 26))
    services.reminders_scan(today=D(2026, 11, 25))
    message = next(m for m in mail.outbox if m.to == ["focal@example.org"])
    link = f"https://council.example.org/commitments/{commitment.pk}/"
    assert link in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html" and link in html and "<html" in html


def test_inactive_rule_sends_nothing(people):
    ReminderRule.objects.update(is_active=False)
    due_commitment(people, D(2026, 11, 26))
    assert services.reminders_scan(today=D(2026, 11, 25))["created"] == 0


def test_mail_failure_keeps_the_reminder_for_the_next_scan(people, monkeypatch):
    due_commitment(people, D(2026, 11, 26))

    def broken(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.message.EmailMessage.send", broken)
        services.reminders_scan(today=D(2026, 11, 25))
    reminder = Reminder.objects.get(recipient=people["focal"])
    assert (
        reminder.status == "pending"
        and reminder.attempts == 1
        and "SMTP down" in reminder.last_error
    )
    services.reminders_scan(today=D(2026, 11, 25))
    reminder.refresh_from_db()
    assert reminder.status == "sent"
    assert len([m for m in mail.outbox if m.to == ["focal@example.org"]]) == 1


def test_today_is_the_day_in_almaty_not_in_utc(people):
    due_commitment(people, D(2026, 12, 2))  # 7 days before: 25 November
    # 19:30 UTC on the 24th is already 00:30 on the 25th in Almaty.
    with time_machine.travel(
        datetime.datetime(2026, 11, 24, 19, 30, tzinfo=datetime.UTC), tick=False
    ):
        services.reminders_scan()
    assert ("before_deadline", "focal", D(2026, 11, 25)) in keys()


def test_command_dry_run_lists_and_changes_nothing(people, capsys):
    due_commitment(people, D(2026, 11, 26))
    call_command("send_reminders", "--dry-run", "--today", "2026-11-25")
    out = capsys.readouterr().out
    assert "would send before_deadline" in out and not Reminder.objects.exists() and not mail.outbox
    call_command("send_reminders", "--today", "2026-11-25")
    assert Reminder.objects.filter(status="sent").exists()


def test_reminders_are_listed_read_and_muted_in_the_app(client, people):
    commitment = due_commitment(people, D(2026, 11, 26))
    services.reminders_scan(today=D(2026, 11, 25))
    client.force_login(people["focal"])
    page = client.get("/notifications/").content.decode()
    assert commitment.title in page and "unread" in page
    client.post("/notifications/read/")
    assert not Reminder.objects.filter(recipient=people["focal"], read_at__isnull=True).exists()
    client.post(f"/notifications/mute/{commitment.session.council.pk}/", {"mute": "1"})
    assert ReminderMute.objects.filter(user=people["focal"]).exists()


# Hostile titles and failures that retrying cannot fix ------------------------------------


@pytest.fixture
def on_the_day():
    """Sent on the day the scan records them: the subject counts 7 days left."""
    with time_machine.travel(datetime.datetime(2026, 11, 25, 9, tzinfo=ALMATY), tick=False):
        yield


@pytest.mark.parametrize(
    "title",
    ["Trade\nroute", "Trade\u2028route", "Trade\r\nroute\x0b", "Trade\x85route\x01"],
)
def test_a_title_with_a_line_break_is_sent_on_one_line(people, title, on_the_day):
    commitment = due_commitment(people, D(2026, 12, 2))
    commitment.title = title
    commitment.save()
    services.reminders_scan(today=D(2026, 11, 25))
    reminder = Reminder.objects.get(recipient=people["focal"])
    assert reminder.status == "sent", reminder.last_error
    message = next(m for m in mail.outbox if m.to == ["focal@example.org"])
    assert message.subject == f"Due in 7 days: {commitment.clause} Trade route"
    message.message()  # the headers serialise


def test_a_long_title_makes_a_subject_of_one_sensible_line(people):
    commitment = due_commitment(people, D(2026, 12, 2))
    commitment.title = "Build the road " * 20
    commitment.save()
    services.reminders_scan(today=D(2026, 11, 25))
    message = next(m for m in mail.outbox if m.to == ["focal@example.org"])
    assert len(message.subject) <= 200 and message.subject.endswith("…")


def test_markup_in_a_title_is_escaped_in_the_html_title(people, on_the_day):
    commitment = due_commitment(people, D(2026, 12, 2))
    commitment.title = "</title><script>alert(1)</script>"
    commitment.save()
    services.reminders_scan(today=D(2026, 11, 25))
    message = next(m for m in mail.outbox if m.to == ["focal@example.org"])
    html = message.alternatives[0].content
    assert "<script>" not in html
    assert f"<title>Due in 7 days: {commitment.clause} &lt;/title&gt;&lt;script&gt;" in html
    assert message.subject.endswith("</title><script>alert(1)</script>")  # plain text


def _fail_sending(monkeypatch, error):
    def broken(self, *args, **kwargs):
        raise error

    monkeypatch.setattr("django.core.mail.message.EmailMessage.send", broken)


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPRecipientsRefused({"focal@example.org": (550, b"No such user")}),
        smtplib.SMTPDataError(554, b"Message rejected"),
    ],
    ids=["recipient refused", "message refused"],
)
def test_a_permanent_refusal_fails_at_once(people, monkeypatch, error):
    due_commitment(people, D(2026, 12, 2))
    _fail_sending(monkeypatch, error)
    services.reminders_scan(today=D(2026, 11, 25))
    reminder = Reminder.objects.get(recipient=people["focal"])
    assert reminder.status == "failed" and reminder.attempts == 1
    assert type(error).__name__ in reminder.last_error
    services.reminders_scan(today=D(2026, 11, 25))
    reminder.refresh_from_db()
    assert reminder.attempts == 1  # not tried again


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPRecipientsRefused({"focal@example.org": (450, b"Mailbox busy")}),
        smtplib.SMTPServerDisconnected("gone"),
        smtplib.SMTPAuthenticationError(535, b"bad credentials"),
        TimeoutError("timed out"),
    ],
    ids=["greylisted", "disconnected", "login refused", "timeout"],
)
def test_a_transient_failure_is_retried_then_fails(people, monkeypatch, error):
    due_commitment(people, D(2026, 12, 2))
    _fail_sending(monkeypatch, error)
    for attempt in range(1, reminders.MAX_ATTEMPTS + 2):
        services.reminders_scan(today=D(2026, 11, 25))
        reminder = Reminder.objects.get(recipient=people["focal"])
        assert reminder.attempts == min(attempt, reminders.MAX_ATTEMPTS)
    assert reminder.status == "failed"


def test_a_message_that_cannot_be_built_fails_at_once(people, monkeypatch):
    due_commitment(people, D(2026, 12, 2))

    def unbuildable(reminder):
        raise ValueError("Header values may not contain linefeed or carriage return characters")

    monkeypatch.setattr(reminder_services, "build_message", unbuildable)
    services.reminders_scan(today=D(2026, 11, 25))
    services.reminders_scan(today=D(2026, 11, 25))
    reminder = Reminder.objects.get(recipient=people["focal"])
    assert reminder.status == "failed" and reminder.attempts == 1
    assert "linefeed" in reminder.last_error
