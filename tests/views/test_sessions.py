"""Session pages from the staff app: recording a session, its agenda, a session with many
commitments; writes through one path of services, double submits refused with a form
error, changes on the owning page's history."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from council import services
from council.models import (
    AgendaItem,
    Participant,
    Protocol,
    ProtocolFile,
    Session,
    Signatory,
)

from ..factories import PersonFactory, SessionFactory
from .pages import HX, grow


def _after_validation(monkeypatch, model, make_duplicate):
    """Insert the competing row right after ``model`` is first validated: what another
    request does when it commits between this one's checks and its insert."""
    full_clean = model.full_clean

    def validated_then_raced(self, *args, **kwargs):
        full_clean(self, *args, **kwargs)
        if self.pk is None:
            monkeypatch.setattr(model, "full_clean", full_clean)
            make_duplicate(self)

    monkeypatch.setattr(model, "full_clean", validated_then_raced)


def test_second_of_two_session_creates_gets_a_form_error_not_a_500(login, world, monkeypatch):
    client = login(world.users["secretariat"])
    _after_validation(
        monkeypatch,
        Session,
        lambda s: Session.objects.create(
            council=world.council, number=s.number, start_date=s.start_date
        ),
    )
    response = client.post(
        reverse("council:session-create", args=[world.council.pk]),
        {"number": 14, "kind": "regular", "status": "planned", "start_date": "2026-11-14"},
    )
    assert response.status_code == 200
    assert "Session 14 of this council is already recorded." in response.content.decode()
    assert Session.objects.filter(council=world.council, number=14).count() == 1


def test_second_of_two_first_protocol_saves_gets_a_form_error_not_a_500(login, world, monkeypatch):
    session = SessionFactory(council=world.council, number=20)
    client = login(world.users["secretariat"])
    _after_validation(
        monkeypatch, Protocol, lambda p: Protocol.objects.create(session=session, title="Theirs")
    )
    response = client.post(
        reverse("council:protocol-edit", args=[session.pk]),
        {
            "title": "Mine",
            "status": "draft",
            "languages": "ru",
            "signatories-TOTAL_FORMS": 0,
            "signatories-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 409
    assert "Someone recorded the protocol" in response.content.decode()
    assert Protocol.objects.get(session=session).title == "Theirs"


def _history_section(response) -> str:
    body = response.content.decode()
    return body[body.index('id="history-heading"') :]


def test_participant_and_agenda_changes_are_on_the_session_page_before_and_after(login, world):
    client = login(world.users["secretariat"])
    session, secretariat = world.session, world.users["secretariat"]
    person = PersonFactory(party=world.council.parties.get(code="KZ"), position="Minister")
    response = client.post(
        reverse("council:participant-create", args=[session.pk]),
        {"person": person.pk, "role": "member", "position": ""},
    )
    assert response.status_code == 302
    participant = Participant.objects.get(session=session, person=person)
    assert participant.position == "Minister" and participant.party.code == "KZ"
    participant.role = "head"
    services.participant_edit(participant=participant, by=secretariat, reason="Led the delegation")
    services.participant_withdraw(participant=participant, by=secretariat, reason="Did not come")
    client.post(reverse("council:agenda-item-create", args=[session.pk]), {"title": "Energy"})
    client.post(
        reverse("council:agenda-item-move", args=[world.agenda_item.pk]), {"direction": "down"}
    )

    page = client.get(reverse("council:session-detail", args=[session.pk]))
    history = _history_section(page)
    assert f"Participant {person.name}" in history
    assert "Led the delegation" in history
    assert "<del>Delegation member</del> → <ins>Head of delegation</ins>" in history
    assert "Did not come" in history
    assert "Agenda item “Energy”" in history
    assert "<del>1</del> → <ins>2</ins>" in history  # Trade moved below Energy
    # A withdrawn participant leaves the list and stays in the history.
    participants = page.content.decode().split('id="participants"')[1].split("</section>")[0]
    assert person.name not in participants
    energy = AgendaItem.objects.get(session=session, title="Energy")
    assert energy.order == 1 and energy.history.first().history_user == secretariat


def test_signatory_and_file_changes_are_on_the_protocol_page(login, world):
    client = login(world.users["secretariat"])
    secretariat = world.users["secretariat"]
    person = PersonFactory(party=world.council.parties.get(code="KG"), position="Prime Minister")
    response = client.post(
        reverse("council:protocol-edit", args=[world.session.pk]),
        {
            "title": world.protocol.title,
            "status": "draft",
            "languages": "ru",
            "signatories-TOTAL_FORMS": 1,
            "signatories-INITIAL_FORMS": 0,
            "signatories-0-person": person.pk,
            "signatories-0-position": "",
        },
    )
    assert response.status_code == 302
    signatory = Signatory.objects.get(protocol=world.protocol, person=person)
    assert signatory.position == "Prime Minister" and signatory.order == 1
    signatory.position = "Chairman of the Cabinet"
    services.signatory_edit(signatory=signatory, by=secretariat, reason="Title at signing")
    client.post(
        reverse("council:protocol-file-withdraw", args=[world.protocol_file.pk]),
        {"reason": "Unsigned draft"},
    )
    client.post(
        reverse("council:protocol-file-create", args=[world.session.pk]),
        {
            "kind": "signed",
            "language": "ru",
            "file": SimpleUploadedFile("signed-final.pdf", b"%PDF-1.4 signed"),
        },
    )
    page = client.get(reverse("council:protocol-detail", args=[world.session.pk]))
    history = _history_section(page)
    assert f"Signatory {person.name}" in history
    assert "<del>Prime Minister</del> → <ins>Chairman of the Cabinet</ins>" in history
    assert "File signed.pdf" in history and "Unsigned draft" in history
    assert "File signed-final.pdf" in history
    uploaded = ProtocolFile.objects.get(original_name="signed-final.pdf")
    assert uploaded.uploaded_by == secretariat
    assert uploaded.history.get().history_user == secretariat


def test_secretariat_withdraws_a_participant_with_a_reason_and_it_stays_in_history(login, world):
    client = login(world.users["secretariat"])
    url = reverse("council:participant-withdraw", args=[world.participant.pk])
    # No reason, no withdrawal: the refusal is said on the page.
    response = client.post(url, {"reason": " "}, follow=True)
    assert "Say why it is withdrawn." in response.content.decode()
    world.participant.refresh_from_db()
    assert not world.participant.is_withdrawn
    response = client.post(url, {"reason": "Came to the 12th session"}, follow=True)
    world.participant.refresh_from_db()
    assert world.participant.is_withdrawn
    assert world.participant.withdrawn_by == world.users["secretariat"]
    history = _history_section(response)
    assert "Came to the 12th session" in history
    assert f"Participant {world.participant.person.name}" in history


def test_a_session_with_many_commitments_shows_the_first_and_links_to_all(client, world):
    from council.views import SESSION_ROWS_SHOWN

    client.force_login(world.users["secretariat"])
    grow(world, SESSION_ROWS_SHOWN + 5)
    total = world.session.commitments.count()
    body = client.get(reverse("council:session-detail", args=[world.session.pk])).content
    body = body.decode()
    first = world.session.commitments.order_by("pk")
    assert f'href="{first[0].get_absolute_url()}"' in body
    assert f'href="{first[SESSION_ROWS_SHOWN].get_absolute_url()}"' not in body
    assert f"The first {SESSION_ROWS_SHOWN} of {total} commitments" in body
    listing = reverse("council:commitment-list") + f"?session={world.session.pk}"
    assert f'href="{listing}"' in body
    assert client.get(listing).context["page"].count == total


# Sessions and agenda --------------------------------------------------------------------


def test_secretariat_records_a_session(client, world):
    client.force_login(world.users["secretariat"])
    url = reverse("council:session-create", args=[world.council.pk])
    assert client.get(url).context["form"].initial["number"] == 14
    data = {
        "number": 14,
        "kind": "regular",
        "status": "planned",
        "start_date": "2026-12-10",
        "city": "Bishkek",
    }
    response = client.post(url, data)
    session = Session.objects.get(council=world.council, number=14)
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    assert session.history.count() == 1


def test_session_form_refuses_bad_input_with_messages(client, world):
    client.force_login(world.users["secretariat"])
    url = reverse("council:session-create", args=[world.council.pk])
    response = client.post(
        url,
        {
            "number": 13,
            "kind": "regular",
            "status": "planned",
            "start_date": "2026-12-10",
            "end_date": "2026-12-01",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "end_date" in errors and "already recorded" in errors["number"][0]
    response = client.post(
        url, {"number": "x", "kind": "regular", "status": "held", "start_date": "not a date"}
    )
    assert response.status_code == 200 and {"number", "start_date"} <= set(
        response.context["form"].errors
    )
    assert Session.objects.filter(council=world.council).count() == 2  # the 12th and 13th only


def test_agenda_items_are_added_and_reordered_in_place(client, world):
    client.force_login(world.users["secretariat"])
    session = world.session
    response = client.post(
        reverse("council:agenda-item-create", args=[session.pk]), {"title": "Energy"}, **HX
    )
    assert response.status_code == 200 and "<html" not in response.content.decode()
    energy = AgendaItem.objects.get(session=session, title="Energy")
    assert energy.order == 2
    response = client.post(
        reverse("council:agenda-item-move", args=[energy.pk]), {"direction": "up"}, **HX
    )
    assert response.status_code == 200
    titles = list(session.agenda_items.order_by("order").values_list("title", flat=True))
    assert titles == ["Energy", "Trade"]
    body = response.content.decode()
    assert body.index("Energy") < body.index("Trade") and 'id="agenda"' in body
    assert (
        client.post(
            reverse("council:agenda-item-move", args=[energy.pk]), {"direction": "sideways"}
        ).status_code
        == 400
    )


def test_invalid_agenda_item_returns_the_form_with_errors(client, world):
    client.force_login(world.users["secretariat"])
    response = client.post(
        reverse("council:agenda-item-create", args=[world.session.pk]), {"title": ""}, **HX
    )
    assert response.status_code == 422 and "This field is required" in response.content.decode()
