"""Every file the app sends is named with Django's Content-Disposition helper: Cyrillic
and dashes arrive intact (RFC 5987 ``filename*``), a quote cannot add a parameter, a line
break cannot split the header; Word documents are named after their session. Links in
what a request builds point at the address the request came to."""

import datetime
import io
from email.message import Message

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from council.models import Attachment, Council, ProtocolFile

NAMES = {
    "cyrillic and en dash": "Совет КЗ–КГ",
    "quote": 'KZ "KG"; filename="evil.exe',
    "line break": "KZ\r\nSet-Cookie: stolen=1",
}


def disposition(response) -> tuple[str, str]:
    """(disposition, file name) as a mail or HTTP client parses the header."""
    header = response["Content-Disposition"]
    assert "\r" not in header and "\n" not in header
    parsed = Message()
    parsed["Content-Disposition"] = header
    params = parsed.get_params(header="Content-Disposition")
    assert [key for key, _value in params[1:]] in (["filename"], ["filename*"]), header
    return params[0][0], parsed.get_filename()


@pytest.fixture
def named(world):
    def rename(name):
        Council.objects.filter(pk=world.council.pk).update(short_name=name)
        ProtocolFile.objects.filter(pk=world.protocol_file.pk).update(original_name=f"{name}.pdf")
        Attachment.objects.filter(pk=world.attachment.pk).update(original_name=f"{name}.pdf")
        return name.replace('"', "'").replace("\r\n", " ").replace(":", "-")

    return rename


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_word_documents_are_named_after_their_session(client, world, named, name):
    shown = named(name)
    client.force_login(world.users["secretariat"])
    decisions = client.get(reverse("council:session-decisions-export", args=[world.session.pk]))
    assert decisions.status_code == 200
    assert disposition(decisions) == ("attachment", f"{shown}, session 13 – decisions.docx")
    review = client.get(reverse("council:session-review-export", args=[world.session.pk]))
    assert review.status_code == 200
    assert disposition(review) == (
        "attachment",
        f"{shown}, session 13 – implementation review.docx",
    )


def test_word_documents_are_named_in_russian_as_they_are_said(client, world, named, settings):
    """The file name reads as a ministry would title the document, not as a translated label."""
    named("МПС КЗ–КГ")
    client.force_login(world.users["secretariat"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    decisions = client.get(reverse("council:session-decisions-export", args=[world.session.pk]))
    assert disposition(decisions) == ("attachment", "Решения 13-го заседания МПС КЗ–КГ.docx")
    review = client.get(reverse("council:session-review-export", args=[world.session.pk]))
    assert disposition(review) == (
        "attachment",
        "Рассмотрение исполнения решений 13-го заседания МПС КЗ–КГ.docx",
    )


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_uploaded_files_keep_their_names_safely(client, world, named, name):
    shown = named(name)
    client.force_login(world.users["secretariat"])
    for url in (
        reverse("council:protocol-file-download", args=[world.protocol_file.pk]),
        reverse("council:attachment-download", args=[world.attachment.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert disposition(response) == ("attachment", f"{shown}.pdf")


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_calendar_feeds_are_named_inline(client, world, named, name):
    shown = named(name)
    token = world.users["secretariat"].calendar_token
    feed = client.get(reverse("council:calendar-sessions", args=[token, world.council.pk]))
    assert disposition(feed) == ("inline", f"{shown} – sessions.ics")
    feed = client.get(reverse("council:calendar-deadlines", args=[token]))
    assert disposition(feed) == ("inline", "Deadlines.ics")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_exports_are_named_by_day(client, world, fmt):
    client.force_login(world.users["secretariat"])
    response = client.get(reverse("council:commitment-export", args=[fmt]))
    kind, name = disposition(response)
    assert kind == "attachment"
    assert name.startswith("Commitments ") and name.endswith(f".{fmt}")
    datetime.date.fromisoformat(name.split(" ")[1].removesuffix(f".{fmt}"))
    b"".join(response.streaming_content)


def test_request_built_links_use_the_requests_address(client, world, settings):
    """SITE_URL is for e-mails sent by tasks; what a request builds links back to where
    the request came (its host already checked against ALLOWED_HOSTS)."""
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.ALLOWED_HOSTS = ["council.example.org"]
    expected = f"http://council.example.org/commitments/{world.commitment_a.pk}/"
    client.force_login(world.users["secretariat"])
    host = {"HTTP_HOST": "council.example.org"}
    response = client.get(reverse("council:commitment-export", args=["csv"]), **host)
    assert expected in b"".join(response.streaming_content).decode("utf-8-sig")
    response = client.get(reverse("council:commitment-export", args=["xlsx"]), **host)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert expected in [row[14] for row in sheet.iter_rows(values_only=True)]
    token = world.users["secretariat"].calendar_token
    feed = client.get(reverse("council:calendar-deadlines", args=[token]), **host)
    assert expected.encode() in feed.content.replace(b"\r\n ", b"")
    assert b"127.0.0.1" not in feed.content
