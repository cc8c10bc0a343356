"""Writes on sessions and protocols from the staff app: one path through the services,
double submits refused with a form error, changes on the owning page's history."""

from django.urls import reverse

from council.models import Protocol, Session

from ..factories import SessionFactory


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
