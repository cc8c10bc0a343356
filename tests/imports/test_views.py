"""The "Import clauses" pages: upload, preview, correct, confirm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from council.models import Agency, Commitment, ProtocolFile

from . import samples
from .helpers import not_the_bytes

pytestmark = [pytest.mark.usefixtures("demo_once"), pytest.mark.xdist_group("demo")]


@pytest.fixture
def session(demo):
    return demo.sessions["igc-14"]


@pytest.fixture
def secretariat_client(client, demo):
    client.force_login(demo.users["secretariat"])
    return client


def upload(client, session, name, data):
    return client.post(
        reverse("council:import-upload", args=[session.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )


def form_data(response) -> dict:
    """What the preview form sends untouched, as a browser would."""
    data = {"token": response.context["token"], "rows": str(len(response.context["rows"]))}
    for item in response.context["rows"]:
        row, i = item["row"], item["index"]
        data[f"r{i}-clause"] = row.clause
        data[f"r{i}-title"] = row.title
        if row.existing:
            data[f"r{i}-version"] = str(row.existing.version)
        if row.skip:
            data[f"r{i}-skip"] = "on"
        if row.can_import:
            data[f"r{i}-deadline_kind"] = row.deadline_kind or ""
            data[f"r{i}-deadline"] = row.deadline.isoformat() if row.deadline else ""
            for a in item["agencies"]:
                data[f"r{i}-a{a['n']}-agency"] = str(a["id"] or "")
                data[f"r{i}-a{a['n']}-role"] = a["role"]
    return data


def index_of(response, clause):
    return next(item["index"] for item in response.context["rows"] if item["row"].clause == clause)


def test_the_session_and_protocol_pages_link_to_the_import(secretariat_client, session):
    page = secretariat_client.get(session.get_absolute_url()).content.decode()
    assert reverse("council:import-upload", args=[session.pk]) in page


def test_upload_shows_the_preview_and_saves_nothing(secretariat_client, session):
    response = upload(secretariat_client, session, "Протокол.docx", samples.protocol_docx())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Разработать Дорожную карту" in page
    assert "Агентству по защите и развитию конкуренции" in page  # in a warning
    assert "по согласованию Сторон" in page
    assert not Commitment.objects.filter(session=session).exists()


def test_correct_an_agency_and_a_deadline_then_confirm(secretariat_client, session):
    response = upload(secretariat_client, session, "Протокол.docx", samples.protocol_docx())
    data = form_data(response)
    mfa = Agency.objects.get(party__code="KZ", short_name_ru="МИД")
    i13, i7 = index_of(response, "1.3"), index_of(response, "7")
    data[f"r{i13}-a0-agency"], data[f"r{i13}-a0-role"] = str(mfa.pk), "lead"
    data[f"r{i7}-deadline_kind"] = "next_session"
    done = secretariat_client.post(reverse("council:import-confirm", args=[session.pk]), data)
    assert done.status_code == 302
    assert done["Location"].endswith(f"?session={session.pk}")
    assert Commitment.objects.filter(session=session).count() == 14
    c13 = Commitment.objects.get(session=session, clause="1.3")
    assert list(c13.responsibilities.values_list("agency", flat=True)) == [mfa.pk]
    assert ProtocolFile.objects.filter(protocol__session=session).count() == 1
    listing = secretariat_client.get(done["Location"]).content.decode()
    assert "Разработать Дорожную карту" in listing


def test_a_row_left_without_deadline_comes_back_with_its_error(secretariat_client, session):
    response = upload(secretariat_client, session, "Протокол.docx", samples.protocol_docx())
    data = form_data(response)
    i11 = index_of(response, "1.1")
    data[f"r{i11}-title"] = "Дорожная карта (исправлено)"
    again = secretariat_client.post(reverse("council:import-confirm", args=[session.pk]), data)
    assert again.status_code == 422
    page = again.content.decode()
    assert "Choose the deadline" in page
    assert "Дорожная карта (исправлено)" in page  # the person's input is kept
    assert not Commitment.objects.filter(session=session).exists()


def test_skip_a_clause(secretariat_client, session):
    response = upload(secretariat_client, session, "plan.xlsx", samples.plan_xlsx())
    data = form_data(response)
    data[f"r{index_of(response, '4')}-skip"] = "on"
    done = secretariat_client.post(reverse("council:import-confirm", args=[session.pk]), data)
    assert done.status_code == 302
    assert sorted(Commitment.objects.filter(session=session).values_list("clause", flat=True)) == [
        "1",
        "2",
        "3",
    ]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("protocol.docx", b"MZ not a document", "not a Word"),
        ("plan.xlsm", samples.plan_xlsx(), "Macro-enabled"),
        ("empty.csv", b" ", "empty"),
    ],
    ids=not_the_bytes,
)
def test_a_bad_file_gets_a_clear_message_in_place(secretariat_client, session, name, data, message):
    response = upload(secretariat_client, session, name, data)
    assert response.status_code == 422
    assert message in response.content.decode()


def test_an_expired_upload_asks_to_upload_again(secretariat_client, session):
    response = secretariat_client.post(
        reverse("council:import-confirm", args=[session.pk]), {"token": "nope", "rows": "0"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("council:import-upload", args=[session.pk])


def test_focal_points_may_not_import(client, demo, session):
    client.force_login(demo.users["focal"])
    assert client.get(reverse("council:import-upload", args=[session.pk])).status_code == 403


def test_the_preview_loads_no_relation_row_by_row(secretariat_client, session, no_lazy_loads):
    """The preview of a re-import (rows compared with recorded commitments and their
    agencies) reads every relation it shows up front."""
    first = upload(secretariat_client, session, "plan.xlsx", samples.plan_xlsx())
    data = form_data(first)
    data[f"r{index_of(first, '4')}-deadline_kind"] = "ongoing"
    secretariat_client.post(reverse("council:import-confirm", args=[session.pk]), data)
    again = upload(secretariat_client, session, "plan.csv", samples.plan_csv())
    assert again.status_code == 200
    # The same plan as CSV: nothing changed, and clause 4's deadline, still not understood
    # in the file, stays as chosen at the first import.
    assert {item["row"].status for item in again.context["rows"]} == {"unchanged"}
