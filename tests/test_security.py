"""Defences a user relies on: brute-force throttling, upload checks, headers."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from council import forms

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_login_is_locked_after_five_failures(client):
    UserFactory(username="aigerim", password="a-long-test-password")
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "aigerim", "password": "wrong"})
    assert response.status_code in (403, 429)
    # Even the right password is refused while locked out.
    response = client.post(
        reverse("login"), {"username": "aigerim", "password": "a-long-test-password"}
    )
    assert response.status_code in (403, 429) and "Too many failed" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_successful_login_resets_the_counter(client):
    UserFactory(username="daniyar", password="a-long-test-password")
    for _ in range(4):
        client.post(reverse("login"), {"username": "daniyar", "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": "daniyar", "password": "a-long-test-password"}
    )
    assert response.status_code == 302


def test_security_headers_on_pages(client):
    response = client.get(reverse("login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("act.pdf", b"%PDF-1.7\n...", True),
        ("act.pdf", b"MZ\x90\x00 not a pdf", False),  # an executable named .pdf
        ("photo.png", b"\x89PNG\r\n\x1a\n....", True),
        ("photo.jpg", b"<script>alert(1)</script>", False),
        ("table.xlsx", "xl/workbook.xml", True),
        ("letter.docx", "word/document.xml", True),
        ("letter.docx", "xl/workbook.xml", False),  # a spreadsheet named .docx
        ("letter.docx", b"PK\x03\x04 broken zip", False),
        ("letter.docx", b"%PDF-1.4", False),  # content does not match the name
        ("run.exe", b"MZ", False),
    ],
)
def test_uploads_are_checked_by_content_not_only_by_name(name, content, ok):
    if isinstance(content, str):  # a real Office file: a ZIP holding that part
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(content, "<xml/>")
        content = buffer.getvalue()
    upload = SimpleUploadedFile(name, content)
    if ok:
        forms.check_upload(upload)
    else:
        with pytest.raises(forms.ValidationError):
            forms.check_upload(upload)


def test_upload_size_limit(settings):
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 10)
    upload.size = forms.MAX_UPLOAD_BYTES + 1
    with pytest.raises(forms.ValidationError, match="20 MB"):
        forms.check_upload(upload)
