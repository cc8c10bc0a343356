"""Adding an agency or a person from a session's forms: the council's secretariat and
administrators may, nobody else; a name already recorded (in any letter case) is refused
saying which; the history says who added it and that it came from the session form."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from council import services
from council.models import Agency, Person

from ..factories import AgencyFactory, PersonFactory

pytestmark = pytest.mark.django_db

add_agency = services.reference.agency_add_quick
add_person = services.reference.person_add_quick


@pytest.mark.parametrize("who", ["secretariat", "admin"])
def test_the_councils_secretariat_and_admins_add_an_agency_with_its_history(world, who):
    kz = world.council.parties.get(code="KZ")
    by = world.users[who]
    agency = add_agency(
        council=world.council, party=kz, name="  Ministry of   Digital Development ", by=by
    )
    assert agency.pk and agency.party == kz
    assert agency.name == "Ministry of Digital Development"
    record = agency.history.get()
    assert record.history_type == "+"
    assert record.history_user == by
    assert record.history_change_reason == "added from the session form"


@pytest.mark.parametrize("who", ["secretariat", "admin"])
def test_the_councils_secretariat_and_admins_add_a_person_with_its_history(world, who):
    kg = world.council.parties.get(code="KG")
    by = world.users[who]
    person = add_person(
        council=world.council, party=kg, name="Aigul Toktosunova", position="Deputy", by=by
    )
    assert (person.party, person.position) == (kg, "Deputy")
    record = person.history.get()
    assert record.history_user == by
    assert record.history_change_reason == "added from the session form"


@pytest.mark.parametrize("who", ["secretariat_other", "focal_a", "manager"])
def test_anyone_else_is_refused_and_nothing_is_added(world, who):
    kz = world.council.parties.get(code="KZ")
    agencies, people = Agency.objects.count(), Person.objects.count()
    with pytest.raises(PermissionDenied):
        add_agency(council=world.council, party=kz, name="New ministry", by=world.users[who])
    with pytest.raises(PermissionDenied):
        add_person(council=world.council, party=kz, name="New Person", by=world.users[who])
    assert (Agency.objects.count(), Person.objects.count()) == (agencies, people)


def test_a_party_not_on_the_council_is_refused(world):
    uz = world.other_council.parties.get(code="UZ")
    with pytest.raises(ValidationError) as refused:
        add_agency(council=world.council, party=uz, name="X", by=world.users["secretariat"])
    assert "party" in refused.value.error_dict


def test_an_agency_already_recorded_under_its_name_or_short_name_is_refused(world):
    kz = world.council.parties.get(code="KZ")
    AgencyFactory(party=kz, name="Министерство энергетики", short_name="МЭ")
    by = world.users["secretariat"]
    for name, short in [("министерство  ЭНЕРГЕТИКИ", ""), ("Energy ministry", "мэ")]:
        with pytest.raises(ValidationError) as refused:
            add_agency(council=world.council, party=kz, name=name, short_name=short, by=by)
        assert refused.value.message_dict["name"] == [
            "“Министерство энергетики” is already recorded for this party: choose it from the list."
        ]
    assert Agency.objects.filter(name__icontains="энергетики").count() == 1
    # The same name on the other side is another agency.
    kg = world.council.parties.get(code="KG")
    assert add_agency(council=world.council, party=kg, name="Министерство энергетики", by=by)


def test_a_person_already_recorded_for_the_party_is_refused(world):
    kz = world.council.parties.get(code="KZ")
    PersonFactory(party=kz, name="Serik Zhumangarin")
    with pytest.raises(ValidationError) as refused:
        add_person(
            council=world.council, party=kz, name="serik  zhumangarin", by=world.users["admin"]
        )
    assert "already recorded" in refused.value.message_dict["name"][0]


def test_an_empty_name_is_refused(world):
    kz = world.council.parties.get(code="KZ")
    with pytest.raises(ValidationError) as refused:
        add_agency(council=world.council, party=kz, name="   ", by=world.users["secretariat"])
    assert "name" in refused.value.error_dict


def test_an_agency_recorded_in_another_language_is_refused_too(world):
    from django.utils import translation

    kz = world.council.parties.get(code="KZ")
    agency = AgencyFactory(party=kz, name="Ministry of Energy")
    Agency.objects.filter(pk=agency.pk).update(name_ru="Министерство энергетики")
    with translation.override("en"), pytest.raises(ValidationError):
        add_agency(
            council=world.council,
            party=kz,
            name="министерство энергетики",
            by=world.users["secretariat"],
        )
