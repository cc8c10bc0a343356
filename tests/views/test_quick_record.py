"""Recording a session quickly: the dialog adding a missing agency or person (its form,
a refusal with errors in place, the new option), the commitment form's responsible
agencies (any number of rows), its deadline and sector, and a planned session linked to
instead of a dead end."""

import datetime

from django.urls import reverse

from council import forms
from council.models import Agency, AgendaItem, Commitment, Person, Sector, Session

from ..factories import AgencyFactory, CommitmentFactory, SessionFactory
from .pages import HX


def agency_url(world):
    return reverse("council:agency-quick-add", args=[world.council.pk])


def person_url(world):
    return reverse("council:person-quick-add", args=[world.council.pk])


# The quick-add dialog ---------------------------------------------------------------


def test_the_dialog_form_offers_only_the_councils_parties(login, world):
    client = login(world.users["secretariat"])
    response = client.get(agency_url(world), **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'hx-post="{agency_url(world)}"' in html
    assert 'name="quick-agency-name"' in html
    party = response.context["form"].fields["party"]
    assert sorted(p.code for p in party.queryset) == ["KG", "KZ"]
    assert "<html" not in html  # the dialog's form only


def test_an_empty_agency_name_comes_back_422_with_the_error_and_what_was_typed(login, world):
    client = login(world.users["secretariat"])
    kz = world.council.parties.get(code="KZ")
    before = Agency.objects.count()
    response = client.post(
        agency_url(world),
        {"quick-agency-party": kz.pk, "quick-agency-name": "", "quick-agency-short_name": "МЦР"},
        **HX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "This field is required." in html
    assert 'aria-invalid="true"' in html
    assert 'value="МЦР"' in html  # input kept
    assert Agency.objects.count() == before


def test_a_duplicate_agency_is_refused_in_the_dialog(login, world):
    client = login(world.users["secretariat"])
    kz = world.council.parties.get(code="KZ")
    AgencyFactory(party=kz, name="Ministry of Trade and Integration", short_name="MTI")
    response = client.post(
        agency_url(world),
        {
            "quick-agency-party": kz.pk,
            "quick-agency-name": "ministry of trade and integration",
            "quick-agency-kind": "ministry",
        },
        **HX,
    )
    assert response.status_code == 422
    assert "is already recorded for this party" in response.content.decode()


def test_an_added_agency_answers_with_its_option_selected(login, world):
    client = login(world.users["secretariat"])
    kg = world.council.parties.get(code="KG")
    response = client.post(
        agency_url(world),
        {
            "quick-agency-party": kg.pk,
            "quick-agency-name": "Ministry of Digital Development",
            "quick-agency-short_name": "MDD",
            "quick-agency-kind": "ministry",
        },
        **HX,
    )
    assert response.status_code == 200
    agency = Agency.objects.get(name="Ministry of Digital Development")
    assert response.content.decode() == f'<option value="{agency.pk}" selected>MDD (KG)</option>'
    assert response["HX-Reswap"] == "none"  # the page adds it; the dialog's form stays


def test_an_added_person_answers_with_its_option(login, world):
    client = login(world.users["admin"])
    kz = world.council.parties.get(code="KZ")
    response = client.post(
        person_url(world),
        {"quick-person-party": kz.pk, "quick-person-name": "Олжас <Бектенов>"},
        **HX,
    )
    assert response.status_code == 200
    person = Person.objects.get(name="Олжас <Бектенов>")
    assert response.content.decode() == (
        f'<option value="{person.pk}" selected>Олжас &lt;Бектенов&gt;</option>'
    )


def test_without_javascript_the_dialog_is_a_page_returning_to_the_form(login, world):
    client = login(world.users["secretariat"])
    kz = world.council.parties.get(code="KZ")
    back = reverse("council:commitment-create", args=[world.session.pk])
    assert client.get(person_url(world) + f"?next={back}").status_code == 200
    response = client.post(
        person_url(world),
        {"quick-person-party": kz.pk, "quick-person-name": "Nurlan Ivanov", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    elsewhere = client.post(
        person_url(world),
        {"quick-person-party": kz.pk, "quick-person-name": "A B", "next": "https://evil.test/"},
    )
    assert elsewhere["Location"] == world.council.get_absolute_url()


def test_who_may_not_add_is_refused(login, world):
    kz = world.council.parties.get(code="KZ")
    data = {"quick-agency-party": kz.pk, "quick-agency-name": "X", "quick-agency-kind": "other"}
    assert login(world.users["manager"]).post(agency_url(world), data, **HX).status_code == 403
    # A council they cannot see is not there at all.
    assert login(world.users["secretariat_other"]).get(agency_url(world)).status_code == 404
    assert not Agency.objects.filter(name="X").exists()


def test_the_session_forms_have_the_dialog_next_to_their_lists(login, world):
    client = login(world.users["secretariat"])
    pages = {
        "agency": reverse("council:commitment-create", args=[world.session.pk]),
        "person": reverse("council:participant-create", args=[world.session.pk]),
    }
    for kind, url in pages.items():
        html = client.get(url).content.decode()
        assert f'<dialog class="quick-add-dialog" id="quick-add-{kind}"' in html
        assert f'data-quick-add-open="quick-add-{kind}"' in html
        assert f'data-quick-add-kind="{kind}"' in html
        # Without JavaScript the opener is a link to the form as a page, returning here.
        quick = agency_url(world) if kind == "agency" else person_url(world)
        assert f'href="{quick}?next={url}"' in html
    html = client.get(reverse("council:protocol-edit", args=[world.session.pk])).content.decode()
    assert 'data-quick-add-for="id_signatories-0-person"' in html


# The commitment form ------------------------------------------------------------------


def commitment_data(world, agencies, **extra):
    data = {
        "clause": "3.1",
        "title": "Joint trade house",
        "text": "The Parties shall open a joint trade house.",
        "deadline_kind": "date",
        "deadline": "2027-06-30",
        "agencies-TOTAL_FORMS": str(len(agencies)),
        "agencies-INITIAL_FORMS": "0",
        "agencies-MIN_NUM_FORMS": "0",
        "agencies-MAX_NUM_FORMS": "30",
    }
    for index, (agency, role) in enumerate(agencies):
        data[f"agencies-{index}-agency"] = agency.pk if agency else ""
        data[f"agencies-{index}-role"] = role
    data.update(extra)
    return data


def test_the_form_has_an_add_another_row_template_and_no_save_for_more_rows(login, world):
    client = login(world.users["secretariat"])
    html = client.get(reverse("council:commitment-create", args=[world.session.pk])).content
    html = html.decode()
    assert "<template data-formset-template>" in html
    assert 'name="agencies-__prefix__-agency"' in html
    assert "data-formset-add" in html
    assert "Save to get more empty rows" not in html


def test_any_number_of_responsible_agencies_is_saved(login, world):
    kz, kg = world.council.parties.get(code="KZ"), world.council.parties.get(code="KG")
    agencies = [AgencyFactory(party=kz) for _ in range(3)] + [AgencyFactory(party=kg)]
    rows = [(agencies[0], "lead"), (agencies[1], "co_executor"), (agencies[2], "co_executor")]
    rows += [(None, "lead"), (agencies[3], "lead")]  # a row left empty in the middle
    client = login(world.users["secretariat"])
    response = client.post(
        reverse("council:commitment-create", args=[world.session.pk]),
        commitment_data(world, rows),
    )
    assert response.status_code == 302
    commitment = Commitment.objects.get(session=world.session, clause="3.1")
    assert sorted(commitment.responsibilities.values_list("agency", flat=True)) == sorted(
        a.pk for a in agencies
    )


def test_a_row_removed_on_the_page_leaves_a_gap_the_server_accepts(login, world):
    kz = world.council.parties.get(code="KZ")
    agency = AgencyFactory(party=kz)
    data = commitment_data(world, [(agency, "lead")], **{"agencies-TOTAL_FORMS": "3"})
    client = login(world.users["secretariat"])
    response = client.post(reverse("council:commitment-create", args=[world.session.pk]), data)
    assert response.status_code == 302


def test_no_deadline_date_is_asked_by_the_next_session_or_ongoing(login, world):
    kz = world.council.parties.get(code="KZ")
    agency = AgencyFactory(party=kz)
    client = login(world.users["secretariat"])
    url = reverse("council:commitment-create", args=[world.session.pk])
    for clause, kind, date in [("4.1", "next_session", ""), ("4.2", "ongoing", "2027-01-01")]:
        data = commitment_data(
            world, [(agency, "lead")], clause=clause, deadline_kind=kind, deadline=date
        )
        assert client.post(url, data).status_code == 302
        commitment = Commitment.objects.get(session=world.session, clause=clause)
        assert (commitment.deadline_kind, commitment.deadline) == (kind, None)
    # By a date, the date is still required, and said so on the field.
    data = commitment_data(world, [(agency, "lead")], clause="4.3", deadline="")
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["deadline"]


def test_the_sector_starts_as_the_agenda_items(login, world):
    energy = Sector.objects.create(code="energy-q", name="Energy Q")
    item = AgendaItem.objects.create(session=world.session, order=2, title="Energy", sector=energy)
    # Opened with an agenda item chosen, the sector is the item's.
    form = forms.CommitmentForm(session=world.session, initial={"agenda_item": item.pk})
    assert form["sector"].value() == energy.pk
    # A commitment of that item with no sector yet opens with it too.
    commitment = CommitmentFactory(session=world.session, agenda_item=item, sector=None)
    client = login(world.users["secretariat"])
    response = client.get(reverse("council:commitment-edit", args=[commitment.pk]))
    assert response.context["form"]["sector"].value() == energy.pk
    # The select carries each item's sector, for the page to follow a change.
    assert f'data-sector-of="{{&quot;{item.pk}&quot;: {energy.pk}}}"' in response.content.decode()
    # A sector chosen is kept.
    water = Sector.objects.create(code="water-q", name="Water Q")
    form = forms.CommitmentForm(
        session=world.session, initial={"agenda_item": item.pk, "sector": water.pk}
    )
    assert form["sector"].value() == water.pk


# A planned session ---------------------------------------------------------------------


def test_recording_a_session_points_to_the_planned_one(login, world):
    planned = SessionFactory(
        council=world.council,
        number=14,
        status=Session.Status.PLANNED,
        start_date=datetime.date(2027, 1, 20),
    )
    client = login(world.users["secretariat"])
    url = reverse("council:session-create", args=[world.council.pk])
    html = client.get(url).content.decode()
    assert "Session 14 is already planned" in html
    assert f'href="{planned.get_absolute_url()}"' in html
    # Typing its number is refused, with the way to it.
    response = client.post(
        url, {"number": 14, "kind": "regular", "status": "held", "start_date": "2027-01-20"}
    )
    html = response.content.decode()
    assert "Session 14 of this council is already recorded." in html
    assert "data-taken-session" in html and f'href="{planned.get_absolute_url()}"' in html
    assert Session.objects.filter(council=world.council, number=14).count() == 1
    # The council page links to it as the session to record.
    html = client.get(world.council.get_absolute_url()).content.decode()
    assert "Record session 14" in html
    html = client.get(planned.get_absolute_url()).content.decode()
    assert "data-planned-session" in html
