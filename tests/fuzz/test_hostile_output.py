"""Hostile text and extreme dates, once recorded, never break an output.

Where ``test_hostile_input`` throws values at the forms, this plants them straight in
the records (as an import, the admin or an older version might have left them) and
fetches every output: pages, the Word documents, the XLSX and CSV exports, both
calendar feeds, and every kind of reminder e-mail. Nothing may answer 500, no reminder
may stay unsent, no markup may reach the HTML, and the text must come out cleaned but
whole in the files (read back with python-docx, openpyxl, icalendar).
"""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from openpyxl import load_workbook

from council import services
from council.documents.tables import neutralise
from council.models import Commitment, Reminder, Review, Session
from council.text import xml_safe

pytestmark = pytest.mark.usefixtures("no_lazy_loads")

HOSTILE_TEXT = {
    # Word pastes a vertical tab for a manual line break; other C0 controls come with it.
    "vertical tab": "Line one\x0bline two\x0cpage",
    "controls": "Bell\x07 start\x01 unit\x1f escape\x1b end",
    "line separators": "First\u2028second\u2029third\x85fourth\r\nfifth\rsixth",
    "markup": "</title><script>alert(1)</script><b>&amp;</b> \"quoted\" 'single'",
    "formula": '=HYPERLINK("http://example.org")',
    "controls before a formula": "\x01=1+2",
    "bidi and zero width": "\u202eevil\u200b\ufeff\u2066x",
    "cyrillic, dashes, quotes": 'Протокол «13-го» заседания – решения "№ 5"',
    "noncharacters": "bad\ufffe\uffff end",
    "100k characters": "Long text " * 10_000,
}
EXTREME_DATES = {
    "first day": datetime.date(1, 1, 1),
    "last day": datetime.date(9999, 12, 31),
}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def fit(model, field: str, value: str) -> str:
    """What the database can hold: PostgreSQL refuses a value longer than the column."""
    max_length = model._meta.get_field(field).max_length
    return value[:max_length] if max_length else value


def plant_text(world, value):  # noqa: F811
    """``value`` in every recorded text that reaches an output."""
    session, old = world.session, world.commitment_old
    agency = world.commitment_a.responsibilities.select_related("agency").first().agency
    agency.name = fit(type(agency), "name", value)
    agency.short_name = fit(type(agency), "short_name", value)
    agency.save()
    council = world.council
    council.name = fit(type(council), "name", value)
    council.short_name = fit(type(council), "short_name", value)
    council.save()
    session.city = fit(Session, "city", value)
    session.venue = fit(Session, "venue", value)
    session.summary = value
    session.save()
    world.agenda_item.title = fit(type(world.agenda_item), "title", value)
    world.agenda_item.save()
    for commitment in (world.commitment_a, old):
        commitment.clause = fit(Commitment, "clause", value)
        commitment.title = fit(Commitment, "title", value)
        commitment.text = value
        commitment.save()
    world.commitment_a.sector.name = fit(type(world.commitment_a.sector), "name", value)
    world.commitment_a.sector.save()
    world.protocol.title = fit(type(world.protocol), "title", value)
    world.protocol.notes = value
    world.protocol.save()
    services.commitment_report_progress(commitment=world.commitment_a, by=None, note=value)
    services.commitment_report_progress(commitment=old, by=None, note=value)
    Review.objects.create(
        commitment=old, session=session, decision=Review.Decision.KEEP, note=value
    )


def plant_date(world, day):  # noqa: F811
    """``day`` in every recorded date a form or the admin lets through."""
    for commitment in (world.commitment_a, world.commitment_old):
        commitment.deadline = day
        commitment.save()
    Session.objects.filter(pk=world.session.pk).update(end_date=max(day, world.session.start_date))
    world.protocol.signed_on = day
    world.protocol.save()
    Review.objects.create(
        commitment=world.commitment_old,
        session=world.session,
        decision=Review.Decision.EXTEND,
        new_deadline=day,
    )
    # A planned session on that day (the last day cannot end a day later).
    Session.objects.create(council=world.council, number=99, start_date=day)


def pages(world):  # noqa: F811
    session = world.session
    return [
        reverse("council:dashboard"),
        reverse("council:council-detail", args=[world.council.pk]),
        reverse("council:session-detail", args=[session.pk]),
        reverse("council:session-review", args=[session.pk]),
        reverse("council:session-review-print", args=[session.pk]),
        reverse("council:protocol-detail", args=[session.pk]),
        reverse("council:protocol-print", args=[session.pk]),
        reverse("council:commitment-list"),
        reverse("council:commitment-detail", args=[world.commitment_a.pk]),
        reverse("council:commitment-detail", args=[world.commitment_old.pk]),
        reverse("council:report-dashboard"),
        reverse("council:notification-list"),
    ]


def docx_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    document = Document(io.BytesIO(response.content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def fetch_everything(client, world) -> dict:  # noqa: F811
    """Every output, fetched as the secretariat; answers checked here, content returned."""
    client.force_login(world.users["secretariat"])
    for url in pages(world):
        response = client.get(url)
        assert response.status_code == 200, url
    out = {
        "decisions": docx_text(
            client.get(reverse("council:session-decisions-export", args=[world.session.pk]))
        ),
        "review": docx_text(
            client.get(reverse("council:session-review-export", args=[world.session.pk]))
        ),
    }
    for by in ("sector", "agency"):
        response = client.get(
            reverse("council:session-review-export", args=[world.session.pk]), {"by": by}
        )
        assert response.status_code == 200
    response = client.get(reverse("council:commitment-export", args=["xlsx"]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    out["xlsx"] = list(workbook.active.iter_rows(values_only=True))
    response = client.get(reverse("council:commitment-export", args=["csv"]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    out["csv"] = list(csv.reader(io.StringIO(content)))
    token = world.users["secretariat"].calendar_token
    client.logout()  # calendar clients carry no session
    feeds = [
        reverse("council:calendar-deadlines", args=[token]),
        reverse("council:calendar-sessions", args=[token, world.council.pk]),
    ]
    out["ical"] = []
    for url in feeds:
        response = client.get(url)
        assert response.status_code == 200, url
        out["ical"].append(Calendar.from_ical(response.content))
    return out


def send_every_reminder(world) -> list:  # noqa: F811
    """One reminder of every kind about the planted records, delivered through the
    locmem mail backend; each must be sent."""
    recipient = world.users["focal_a"]
    recipient.email = "focal@example.org"
    recipient.save()
    Session.objects.filter(pk=world.session.pk).update(status=Session.Status.PLANNED)
    today = timezone.localdate()
    rows = [
        Reminder.objects.create(
            key=f"{kind}:{today}",
            kind=kind,
            recipient=recipient,
            occurrence=today,
            council=world.council,
            commitment=world.commitment_a
            if kind in ("before_deadline", "overdue", "escalation")
            else None,
            session=world.session if kind == "session_preparation" else None,
        )
        for kind in ("before_deadline", "overdue", "escalation", "session_preparation")
    ]
    rows.append(
        Reminder.objects.create(
            key=f"digest:{today}", kind="weekly_digest", recipient=recipient, occurrence=today
        )
    )
    mail.outbox.clear()
    for row in rows:
        assert services.reminder_deliver(reminder_id=row.pk) == Reminder.Status.SENT, (
            row.kind,
            row.last_error,
        )
    assert len(mail.outbox) == len(rows)
    for message in mail.outbox:
        message.message()  # serialises: headers and bodies must be valid
        assert "\n" not in message.subject and len(message.subject) <= 200
        assert not any(ch in message.subject for ch in "\r\x0b\x0c\x85\u2028\u2029\x01")
        html = message.alternatives[0].content
        assert "<script>" not in html and html.count("</title>") == 1
        for body in (message.body, html):
            assert body == xml_safe(body)
    return mail.outbox


@pytest.mark.parametrize("value", HOSTILE_TEXT.values(), ids=HOSTILE_TEXT.keys())
def test_hostile_text_in_every_output(client, world, value):  # noqa: F811
    plant_text(world, value)
    out = fetch_everything(client, world)
    title = fit(Commitment, "title", value)
    # Word: the title and the text, cleaned, line breaks kept as line breaks.
    cleaned = xml_safe(title)
    assert cleaned in out["decisions"]
    assert cleaned in out["review"]
    assert xml_safe(value.strip()) in out["review"]  # the progress note and the review note
    # Spreadsheets: the same cell, cleaned, then neutralised.
    expected = neutralise(xml_safe(title))
    assert any(row[4] == expected for row in out["xlsx"][1:])
    assert any(row[4] == expected for row in out["csv"][1:])
    assert all(xml_safe(cell) == cell for row in out["csv"] for cell in row)
    # Calendars: every event parsed back, its text cleaned.
    for calendar in out["ical"]:
        for event in calendar.walk("VEVENT"):
            for name in ("summary", "description", "location"):
                if name in event:
                    assert xml_safe(str(event[name])) == str(event[name])
    send_every_reminder(world)


@pytest.mark.parametrize("day", EXTREME_DATES.values(), ids=EXTREME_DATES.keys())
def test_extreme_dates_in_every_output(client, world, day):  # noqa: F811
    plant_date(world, day)
    out = fetch_everything(client, world)
    assert out["decisions"] and out["review"]
    deadlines = [row[9] for row in out["xlsx"][1:] if row[9]]
    # A date Excel can hold stays a date; one before 1900 comes out as ISO text.
    assert day.isoformat() in {
        d.date().isoformat() if isinstance(d, datetime.datetime) else d for d in deadlines
    }
    events = [e for calendar in out["ical"] for e in calendar.walk("VEVENT")]
    starts = [e.decoded("dtstart") for e in events]
    assert day in starts
    for event in events:
        if "dtend" in event:
            assert event.decoded("dtend") > event.decoded("dtstart")
    send_every_reminder(world)
    services.reminders_scan()  # the rules' date arithmetic on the planted dates
    assert not Reminder.objects.filter(status=Reminder.Status.FAILED).exists()


# Any text a database column holds (PostgreSQL refuses NUL; forms refuse it too).
# What a form can record: any character but NUL and lone surrogates (a request's UTF-8
# is decoded with replacement, so no surrogate reaches the database).
recordable = st.text(
    st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), min_size=1, max_size=300
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(title=recordable, note=recordable)
def test_any_text_survives_the_documents_and_the_mail(client, world, title, note):  # noqa: F811
    """Random Unicode, controls included, in a title and a progress note: the Word
    documents open and hold it cleaned, and a reminder about it is sent."""
    commitment = world.commitment_old
    commitment.title = title
    commitment.save()
    if note.strip():
        services.commitment_report_progress(commitment=commitment, by=None, note=note)
    client.force_login(world.users["secretariat"])
    docx_text(client.get(reverse("council:session-decisions-export", args=[world.session.pk])))
    review = docx_text(
        client.get(reverse("council:session-review-export", args=[world.session.pk]))
    )
    assert xml_safe(title) in review
    recipient = world.users["focal_a"]
    recipient.email = "focal@example.org"
    recipient.save()
    reminder = Reminder.objects.create(
        key=f"overdue:{Reminder.objects.count()}",
        kind="overdue",
        recipient=recipient,
        occurrence=timezone.localdate(),
        council=world.council,
        commitment=commitment,
    )
    mail.outbox.clear()
    assert services.reminder_deliver(reminder_id=reminder.pk) == Reminder.Status.SENT, (
        reminder.last_error
    )
    mail.outbox[0].message()
