"""Services of sessions, protocols, indicators, councils and reference data: the policy
is asked, refusals are readable, history says who and why, nothing is deleted."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from council import services
from council.models import (
    AgendaItem,
    CoChair,
    Event,
    Observation,
    Participant,
    Party,
    Person,
    ProtocolFile,
    Sector,
    Session,
    Signatory,
    Target,
)

from ..factories import PersonFactory, SessionFactory

pytestmark = pytest.mark.django_db

OUTSIDERS = ["secretariat_other", "focal_a", "manager"]


def _writes(w):
    """One call of each service on the KZ–KG council's records, as user ``by``."""
    kz = w.council.parties.get(code="KZ")
    person = PersonFactory(party=kz)
    return {
        "session_create": lambda by: services.session_create(
            session=Session(council=w.council, number=40, start_date=datetime.date(2027, 1, 1)),
            by=by,
        ),
        "session_edit": lambda by: services.session_edit(session=w.session, by=by),
        "participant_add": lambda by: services.participant_add(
            participant=Participant(session=w.session, person=person), by=by
        ),
        "agenda_item_create": lambda by: services.agenda_item_create(
            item=AgendaItem(session=w.session, title="Water"), by=by
        ),
        "agenda_item_move": lambda by: services.agenda_item_move(
            item=w.agenda_item, direction="down", by=by
        ),
        "protocol_save": lambda by: services.protocol_save(protocol=w.protocol, by=by),
        "signatory_add": lambda by: services.signatory_add(
            signatory=Signatory(protocol=w.protocol, person=person), by=by
        ),
        "protocol_file_upload": lambda by: services.protocol_file_upload(
            protocol_file=ProtocolFile(protocol=w.protocol, language="ru"),
            upload=ContentFile(b"%PDF-1.4", name="text.pdf"),
            by=by,
        ),
        "protocol_file_withdraw": lambda by: services.protocol_file_withdraw(
            upload=w.protocol_file, by=by, reason="Wrong file"
        ),
        "observation_save": lambda by: services.observation_save(
            observation=Observation(
                indicator=w.indicator,
                period_start=datetime.date(2025, 1, 1),
                period_end=datetime.date(2025, 12, 31),
                value=Decimal("100"),
            ),
            by=by,
        ),
        "target_save": lambda by: services.target_save(
            target=Target(
                indicator=w.indicator, target_date=datetime.date(2030, 1, 1), value=Decimal(1)
            ),
            by=by,
        ),
        "event_save": lambda by: services.event_save(
            event=Event(council=w.council, kind="forum", title="Business forum"), by=by
        ),
        "cochair_save": lambda by: services.cochair_save(
            cochair=CoChair(council=w.council, party=kz, person=person), by=by
        ),
    }


@pytest.mark.parametrize("role", OUTSIDERS)
def test_only_the_councils_secretariat_or_an_admin_may_write_its_records(world, role):  # noqa: F811
    refused = []
    for name, write in _writes(world).items():
        try:
            write(world.users[role])
        except PermissionDenied:
            continue
        refused.append(name)
    assert refused == [], f"{role} was allowed: {refused}"


@pytest.mark.parametrize("role", ["secretariat", "admin"])
def test_the_secretariat_and_admins_write_with_their_name_on_the_history(world, role):  # noqa: F811
    by = world.users[role]
    for name, write in _writes(world).items():
        result = write(by)
        if result is not None and hasattr(result, "history"):
            assert result.history.first().history_user == by, name
    world.protocol_file.refresh_from_db()
    assert world.protocol_file.is_withdrawn and world.protocol_file.withdrawn_by == by


def test_reference_data_is_kept_by_admins_people_also_by_the_secretariat(world):  # noqa: F811
    secretariat, admin = world.users["secretariat"], world.users["admin"]
    with pytest.raises(PermissionDenied):
        services.party_save(
            party=Party(code="TM", name="Turkmenistan", short_name="TM"), by=secretariat
        )
    with pytest.raises(PermissionDenied):
        services.sector_save(sector=Sector(code="water", name="Water"), by=secretariat)
    services.sector_save(sector=Sector(code="water", name="Water"), by=admin)
    person = services.person_save(
        person=Person(name="A. Official", party=world.council.parties.get(code="KZ")),
        by=secretariat,
    )
    assert person.pk
    with pytest.raises(PermissionDenied):
        services.person_save(person=person, by=world.users["focal_a"])
    with pytest.raises(ValidationError) as refused:
        services.sector_save(sector=Sector(code="water", name="Water again"), by=admin)
    assert "code" in refused.value.message_dict


def test_a_session_number_taken_by_a_concurrent_request_is_a_field_error(world, monkeypatch):  # noqa: F811
    """The duplicate appears after the service's own check, so the insert itself fails:
    the service answers with the number's error, and the transaction is still usable."""
    full_clean = Session.full_clean

    def raced(self, *args, **kwargs):
        full_clean(self, *args, **kwargs)
        monkeypatch.setattr(Session, "full_clean", full_clean)
        Session.objects.create(
            council=world.council, number=self.number, start_date=self.start_date
        )

    monkeypatch.setattr(Session, "full_clean", raced)
    session = Session(council=world.council, number=41, start_date=datetime.date(2027, 1, 1))
    with pytest.raises(ValidationError) as refused:
        services.session_create(session=session, by=world.users["secretariat"])
    assert refused.value.message_dict == {
        "number": ["Session 41 of this council is already recorded."]
    }
    assert session.pk is None
    assert Session.objects.filter(council=world.council, number=41).count() == 1


def test_agenda_items_take_the_next_number_from_one_rule(world):  # noqa: F811
    secretariat = world.users["secretariat"]
    session = SessionFactory(council=world.council, number=30)
    assert services.agenda_next_order(session) == 1
    first = services.agenda_item_create(item=AgendaItem(session=session, title="A"), by=secretariat)
    services.agenda_item_create(
        item=AgendaItem(session=session, title="B", order=7), by=secretariat
    )
    third = services.agenda_item_create(item=AgendaItem(session=session, title="C"), by=secretariat)
    assert (first.order, third.order) == (1, 8)
    # A withdrawn item keeps its place in the record; moves renumber the others.
    services.agenda_item_withdraw(item=first, by=secretariat, reason="Duplicate")
    services.agenda_item_move(item=third, direction="up", by=secretariat)
    orders = dict(
        session.agenda_items.filter(withdrawn_at__isnull=True).values_list("title", "order")
    )
    assert orders == {"C": 1, "B": 2}
    with pytest.raises(ValidationError):
        services.agenda_item_move(item=first, direction="down", by=secretariat)
    with pytest.raises(ValidationError):
        services.agenda_item_move(item=third, direction="sideways", by=secretariat)


def test_a_withdrawn_participant_may_be_recorded_again_and_both_stay(world):  # noqa: F811
    secretariat = world.users["secretariat"]
    person = PersonFactory(party=world.council.parties.get(code="KG"), position="Minister")
    first = services.participant_add(
        participant=Participant(session=world.session, person=person), by=secretariat
    )
    with pytest.raises(ValidationError) as refused:
        services.participant_add(
            participant=Participant(session=world.session, person=person), by=secretariat
        )
    assert "person" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.participant_withdraw(participant=first, by=secretariat, reason="  ")
    services.participant_withdraw(participant=first, by=secretariat, reason="Wrong session")
    again = services.participant_add(
        participant=Participant(session=world.session, person=person, role="head"), by=secretariat
    )
    assert again.order == first.order + 1
    assert Participant.objects.filter(session=world.session, person=person).count() == 2
    with pytest.raises(ValidationError):
        services.participant_edit(participant=first, by=secretariat)


def test_corrections_of_values_are_edits_with_history(world):  # noqa: F811
    secretariat = world.users["secretariat"]
    observation = services.observation_save(
        observation=Observation(
            indicator=world.indicator,
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 6, 30),
            value=Decimal("10"),
        ),
        by=secretariat,
    )
    observation.value = Decimal("12")
    services.observation_save(observation=observation, by=secretariat, reason="Revised figure")
    latest = observation.history.first()
    assert latest.value == Decimal("12") and latest.history_change_reason == "Revised figure"
    assert latest.history_user == secretariat
    duplicate = Observation(
        indicator=world.indicator,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 6, 30),
        value=Decimal("11"),
    )
    with pytest.raises(ValidationError):
        services.observation_save(observation=duplicate, by=secretariat)


def test_a_co_chair_who_changed_gets_an_end_date_and_the_next_one_is_recorded(world):  # noqa: F811
    secretariat = world.users["secretariat"]
    kz = world.council.parties.get(code="KZ")
    old = services.cochair_save(
        cochair=CoChair(council=world.council, party=kz, person=PersonFactory(party=kz)),
        by=secretariat,
    )
    new = CoChair(council=world.council, party=kz, person=PersonFactory(party=kz))
    with pytest.raises(ValidationError) as refused:
        services.cochair_save(cochair=new, by=secretariat)
    assert refused.value.messages
    old.end_date = datetime.date(2026, 1, 1)
    services.cochair_save(cochair=old, by=secretariat, reason="New prime minister")
    services.cochair_save(cochair=new, by=secretariat)
    assert old.history.first().history_change_reason == "New prime minister"


def test_an_old_copy_does_not_bring_a_withdrawn_record_back(world):  # noqa: F811
    """A stale form, or admin's "revert" to a version before the withdrawal, holds a copy
    without the withdrawal: saving it is refused."""
    secretariat = world.users["secretariat"]
    stale = Participant.objects.get(pk=world.participant.pk)
    services.participant_withdraw(
        participant=world.participant, by=secretariat, reason="Recorded twice"
    )
    stale.position = "Deputy Minister"
    with pytest.raises(ValidationError):
        services.participant_edit(participant=stale, by=secretariat)
    world.participant.refresh_from_db()
    assert world.participant.is_withdrawn and world.participant.position == "Minister"
