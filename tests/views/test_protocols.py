"""The protocol page: recording it with signatories, its files, the print view, the empty state."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from council.models import Session

# Protocols --------------------------------------------------------------------------------


def test_secretariat_records_the_protocol_with_signatories(client, world):
    client.force_login(world.users["secretariat"])
    person = world.council.parties.get(code="KZ").people.first()
    response = client.post(
        reverse("council:protocol-edit", args=[world.session.pk]),
        {
            "title": "Protocol of the 13th session",
            "status": "signed",
            "signed_on": "2025-11-14",
            "signed_in": "Astana",
            "languages": "ru",
            "signatories-TOTAL_FORMS": 1,
            "signatories-INITIAL_FORMS": 0,
            "signatories-0-person": person.pk,
        },
    )
    assert response.status_code == 302
    world.protocol.refresh_from_db()
    assert world.protocol.status == "signed"
    signatory = world.protocol.signatories.get()
    assert signatory.position == person.position and signatory.party == person.party


def test_signed_protocol_needs_a_date(client, world):
    client.force_login(world.users["secretariat"])
    response = client.post(
        reverse("council:protocol-edit", args=[world.session.pk]),
        {
            "title": "P",
            "status": "signed",
            "signatories-TOTAL_FORMS": 0,
            "signatories-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200 and "needs its date of signing" in response.content.decode()


def test_protocol_file_upload_and_download(client, world):
    client.force_login(world.users["secretariat"])
    upload = SimpleUploadedFile("protocol-kg.pdf", b"%PDF-1.4 kg", content_type="application/pdf")
    response = client.post(
        reverse("council:protocol-file-create", args=[world.session.pk]),
        {"kind": "signed", "language": "ky", "file": upload},
    )
    assert response.status_code == 302
    stored = world.protocol.files.get(language="ky")
    download = client.get(reverse("council:protocol-file-download", args=[stored.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 kg"
    assert (
        "attachment" in download["Content-Disposition"]
        and download["X-Content-Type-Options"] == "nosniff"
    )


def test_print_view_is_a_clean_document(client, world):
    client.force_login(world.users["manager"])
    page = client.get(reverse("council:protocol-print", args=[world.session.pk])).content.decode()
    assert "navbar" not in page and world.commitment_a.title in page


def test_protocol_page_without_protocol_has_an_empty_state(client, world):
    client.force_login(world.users["secretariat"])
    session = Session.objects.create(
        council=world.council, number=14, start_date=datetime.date(2027, 1, 1)
    )
    page = client.get(reverse("council:protocol-detail", args=[session.pk])).content.decode()
    assert "No protocol is recorded" in page and "Record the protocol" in page
    assert client.get(reverse("council:protocol-print", args=[session.pk])).status_code == 404


def test_a_protocol_file_is_withdrawn_not_deleted(client, world):
    client.force_login(world.users["focal_a"])
    url = reverse("council:protocol-file-withdraw", args=[world.protocol_file.pk])
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(world.users["secretariat"])
    client.post(url, {"reason": "Unsigned draft uploaded by mistake."})
    world.protocol_file.refresh_from_db()
    assert world.protocol_file.is_withdrawn
    page = client.get(reverse("council:protocol-detail", args=[world.session.pk])).content.decode()
    assert "Unsigned draft uploaded by mistake." in page


def test_protocol_languages_are_chosen_by_name_and_shown_by_name(client, world):
    """Checkboxes named after the interface languages, not a field of typed codes."""
    client.force_login(world.users["secretariat"])
    url = reverse("council:protocol-edit", args=[world.session.pk])
    form = client.get(url).content.decode()
    assert 'type="checkbox" name="languages" value="kk"' in form and ">Kazakh</label>" in form
    data = {
        "title": "Protocol of the 13th session",
        "number": "13",
        "status": "signed",
        "signed_on": "2025-11-14",
        "signed_in": "Astana",
        "languages": ["ky", "ru", "kk"],
        "notes": "",
        "signatories-TOTAL_FORMS": "0",
        "signatories-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    world.session.refresh_from_db()
    assert world.session.protocol.languages == "ru,kk,ky"
    page = client.get(reverse("council:protocol-detail", args=[world.session.pk])).content
    assert "Russian, Kazakh, Kyrgyz" in page.decode()
    refused = client.post(url, {**data, "languages": ["xx"]})
    assert refused.status_code == 200 and "xx is not one of the available choices" in (
        refused.content.decode()
    )
