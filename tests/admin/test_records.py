"""Admin keeps what is recorded: nothing is deleted, stored files are never replaced,
and every change goes through the services, with who and why in the history."""

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from council.models import (
    AgendaItem,
    CoChair,
    Council,
    Participant,
    Person,
    Protocol,
    ProtocolFile,
    ReminderMute,
    Session,
)

pytestmark = [
    pytest.mark.django_db,
    # The demo, loaded once for the module (see ``demo_once``): its tests only read it.
    pytest.mark.usefixtures("demo_once"),
    pytest.mark.xdist_group("demo-admin-records"),
]

# Every admin of this app. (The log-in lockouts of django-axes are not records: admins
# delete them to unlock an account.)
RECORD_ADMINS = {
    model: model_admin
    for model, model_admin in admin.site._registry.items()
    if model._meta.app_label == "council"
}


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_no_admin_and_no_inline_can_delete_anything(superuser, demo):
    ReminderMute.objects.create(user=superuser, council=Council.objects.first())
    request = _request(superuser)
    deletable = []
    for model, model_admin in RECORD_ADMINS.items():
        obj = model.objects.first()
        assert obj is not None, f"the demo has no {model.__name__}"
        if model_admin.has_delete_permission(request) or model_admin.has_delete_permission(
            request, obj
        ):
            deletable.append(model.__name__)
        if "delete_selected" in model_admin.get_actions(request):
            deletable.append(f"{model.__name__}: delete_selected")
        for inline in model_admin.get_inline_instances(request, obj):
            if inline.can_delete and inline.has_delete_permission(request, obj):
                deletable.append(f"{model.__name__} inline {inline.model.__name__}")
    assert deletable == []


def test_posting_to_every_delete_url_is_refused_and_deletes_nothing(admin_client, superuser, demo):
    ReminderMute.objects.create(user=superuser, council=Council.objects.first())
    deleted = []
    for model in RECORD_ADMINS:
        obj = model.objects.first()
        response = admin_client.post(_url(model, "delete", obj.pk), {"post": "yes"})
        if response.status_code != 403 or not model.objects.filter(pk=obj.pk).exists():
            deleted.append(f"{model.__name__}: {response.status_code}")
        # The bulk action is not offered either: the changelist refuses it.
        admin_client.post(
            _url(model, "changelist"),
            {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
        )
        if not model.objects.filter(pk=obj.pk).exists():
            deleted.append(f"{model.__name__}: delete_selected")
    assert deleted == []


@pytest.fixture
def signed_file(demo, superuser):
    protocol = Protocol.objects.select_related("session").first()
    stored = ProtocolFile(protocol=protocol, language="ru", original_name="signed.pdf")
    stored.file.save("signed.pdf", ContentFile(b"%PDF-1.4 the signed original"), save=False)
    stored.save()
    return stored


def test_admin_cannot_replace_a_stored_protocol_file(admin_client, signed_file):
    url = _url(ProtocolFile, "change", signed_file.pk)
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "file" not in page.context["adminform"].form.fields
    admin_client.post(
        url,
        {
            "protocol": signed_file.protocol_id,
            "kind": "signed",
            "language": "ru",
            "file": SimpleUploadedFile("signed.pdf", b"%PDF-1.4 forged bytes"),
            "original_name": "signed.pdf",
        },
    )
    signed_file.refresh_from_db()
    with signed_file.file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 the signed original"
    assert not signed_file.is_withdrawn


def test_protocol_page_in_admin_adds_files_but_never_changes_a_stored_one(
    admin_client, signed_file
):
    protocol = signed_file.protocol
    url = _url(Protocol, "change", protocol.pk)
    response = admin_client.get(url)
    files = next(
        f for f in response.context["inline_admin_formsets"] if f.opts.model is ProtocolFile
    )
    assert not files.has_change_permission
    data = {
        "session": protocol.session_id,
        "title": protocol.title,
        "number": protocol.number,
        "status": protocol.status,
        "signed_on": protocol.signed_on.isoformat() if protocol.signed_on else "",
        "signed_in": protocol.signed_in,
        "languages": protocol.languages,
        "notes": protocol.notes,
        "source": protocol.source,
        "illustrative_note": protocol.illustrative_note,
        "signatories-TOTAL_FORMS": 0,
        "signatories-INITIAL_FORMS": 0,
        "files-TOTAL_FORMS": 1,
        "files-INITIAL_FORMS": 0,
        "files-0-kind": "text",
        "files-0-language": "kk",
        "files-0-file": SimpleUploadedFile("text-kk.pdf", b"%PDF-1.4 the Kazakh text"),
    }
    if protocol.is_illustrative:
        data["is_illustrative"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    added = protocol.files.get(original_name="text-kk.pdf")
    assert added.uploaded_by.username == "root"
    assert added.history.get().history_user.username == "root"
    with signed_file.file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 the signed original"


def test_replacing_a_file_is_a_withdrawal_with_a_reason_shown_on_the_protocol_page(
    admin_client, signed_file
):
    url = _url(ProtocolFile, "change", signed_file.pk)
    response = admin_client.post(url, {"withdraw_reason": "Unsigned scan uploaded by mistake"})
    assert response.status_code == 302
    signed_file.refresh_from_db()
    assert signed_file.is_withdrawn
    assert signed_file.withdrawal_reason == "Unsigned scan uploaded by mistake"
    assert signed_file.withdrawn_by.username == "root"
    record = signed_file.history.first()
    assert record.history_user.username == "root"
    assert "Unsigned scan uploaded by mistake" in record.history_change_reason
    page = admin_client.get(
        reverse("council:protocol-detail", args=[signed_file.protocol.session_id])
    )
    assert "Unsigned scan uploaded by mistake" in page.content.decode()


def test_a_participant_recorded_by_mistake_is_withdrawn_not_deleted(admin_client, demo):
    participant = Participant.objects.select_related("session").first()
    response = admin_client.post(
        _url(Participant, "change", participant.pk),
        {"withdraw_reason": "Did not attend"} | _participant_data(participant),
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.is_withdrawn and participant.withdrawal_reason == "Did not attend"
    page = admin_client.get(reverse("council:session-detail", args=[participant.session_id]))
    body = page.content.decode()
    assert "Did not attend" in body  # in the session's history


def _participant_data(participant):
    data = {
        "session": participant.session_id,
        "person": participant.person_id,
        "party": participant.party_id,
        "agency": participant.agency_id or "",
        "role": participant.role,
        "order": participant.order,
    }
    for code in ("en", "ru", "kk", "ky"):
        data[f"position_{code}"] = getattr(participant, f"position_{code}") or ""
    return data


def test_session_edits_in_admin_are_in_its_history_with_who(admin_client, demo):
    session = Session.objects.first()
    url = _url(Session, "change", session.pk)
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(
        {
            "venue": "A new venue",
            "start_date": session.start_date.isoformat(),
            "end_date": session.end_date.isoformat() if session.end_date else "",
        }
    )
    for prefix in ("participants", "agenda_items", "commitments"):
        data[f"{prefix}-TOTAL_FORMS"] = 0
        data[f"{prefix}-INITIAL_FORMS"] = 0
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = session.history.first()
    assert latest.venue == "A new venue" and latest.history_user.username == "root"


def test_agenda_items_added_in_admin_take_the_next_number(admin_client, demo):
    session = Session.objects.filter(agenda_items__isnull=False).first()
    last = max(session.agenda_items.values_list("order", flat=True))
    response = admin_client.post(
        _url(AgendaItem, "add"), {"session": session.pk, "order": 0, "title": "Any other business"}
    )
    assert response.status_code == 302
    assert AgendaItem.objects.get(title="Any other business").order == last + 1


def test_a_co_chair_recorded_by_mistake_is_withdrawn_and_no_longer_current(admin_client, demo):
    co_chair = CoChair.objects.filter(end_date__isnull=True).first()
    data = {
        "council": co_chair.council_id,
        "party": co_chair.party_id,
        "person": co_chair.person_id,
        "withdraw_reason": "Wrong person",
    }
    for code in ("en", "ru", "kk", "ky"):
        data[f"position_{code}"] = getattr(co_chair, f"position_{code}") or ""
    response = admin_client.post(_url(CoChair, "change", co_chair.pk), data)
    assert response.status_code == 302
    co_chair.refresh_from_db()
    assert co_chair.is_withdrawn
    # Another current co-chair for the party may now be recorded.
    person = Person.objects.filter(party=co_chair.party).exclude(pk=co_chair.person_id).first()
    CoChair.objects.create(council=co_chair.council, party=co_chair.party, person=person)


def _session_post_data(client, session):
    form = client.get(_url(Session, "change", session.pk)).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(
        {
            "start_date": session.start_date.isoformat(),
            "end_date": session.end_date.isoformat() if session.end_date else "",
        }
    )
    for prefix in ("participants", "agenda_items", "commitments"):
        data[f"{prefix}-TOTAL_FORMS"] = 0
        data[f"{prefix}-INITIAL_FORMS"] = 0
    return {k: ("on" if v is True else v) for k, v in data.items() if v is not False}


def test_a_refusal_of_a_service_in_admin_is_a_message_and_saves_nothing(admin_client, demo):
    session = Session.objects.first()
    person = Person.objects.filter(party__in=session.council.parties.all()).exclude(
        participations__session=session
    )[0]
    data = _session_post_data(admin_client, session) | {"venue": "Not saved either"}
    data["participants-TOTAL_FORMS"] = 2
    for index in (0, 1):  # the same person twice on one submit
        data |= {
            f"participants-{index}-person": person.pk,
            f"participants-{index}-party": person.party_id,
            f"participants-{index}-role": "member",
            f"participants-{index}-position_en": "Adviser",
            f"participants-{index}-order": 0,
        }
    response = admin_client.post(_url(Session, "change", session.pk), data, follow=True)
    assert response.status_code == 200
    assert "This person is already a participant." in response.content.decode()
    assert not Participant.objects.filter(session=session, person=person).exists()
    session.refresh_from_db()
    assert session.venue != "Not saved either"


def test_staff_of_another_council_cannot_change_its_session_in_admin(client, demo):
    from council import roles
    from council.models import User

    session = Session.objects.first()
    outsider = User.objects.create_user(username="outsider", password="x" * 20, is_staff=True)
    outsider.groups.add(roles.roles_sync()[roles.SECRETARIAT])
    client.force_login(outsider)
    data = _session_post_data(client, session) | {"venue": "Moved by an outsider"}
    response = client.post(_url(Session, "change", session.pk), data)
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.venue != "Moved by an outsider"
