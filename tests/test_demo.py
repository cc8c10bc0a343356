"""The demo data set carries every fact of the seed press release."""

from decimal import Decimal

import pytest

from council.models import (
    AgendaItem,
    Commitment,
    Council,
    Event,
    Observation,
    Participant,
    Person,
    Protocol,
    Review,
    Session,
)

from .conftest import DEMO_TODAY

pytestmark = [
    pytest.mark.django_db,
    # The demo, loaded once for the module (see ``demo_once``): its tests only read it.
    pytest.mark.usefixtures("demo_once"),
    pytest.mark.xdist_group("demo-facts"),
]


@pytest.fixture
def council(demo):
    return Council.objects.get(kind=Council.Kind.INTERGOVERNMENTAL_COUNCIL)


def test_council_parties_and_co_chairs(council):
    assert "Kazakhstan" in council.name and "Kyrgyzstan" in council.name
    assert set(council.parties.values_list("code", flat=True)) == {"KZ", "KG"}
    co_chairs = {c.party.code: c for c in council.co_chairs.select_related("person", "party")}
    assert co_chairs["KZ"].person.name == "Olzhas Bektenov"
    assert "Prime Minister" in co_chairs["KZ"].position
    assert co_chairs["KG"].person.name == "Adylbek Kasymaliev"
    assert "Chairman of the Cabinet of Ministers" in co_chairs["KG"].position
    assert "Head of the Presidential Administration" in co_chairs["KG"].position


def test_heads_of_state_and_their_visits(council):
    names = set(Person.objects.values_list("name", flat=True))
    assert {"Kassym-Jomart Tokayev", "Sadyr Japarov"} <= names
    visits = Event.objects.filter(council=council, kind=Event.Kind.OFFICIAL_VISIT)
    assert {(v.city, v.host_party.code) for v in visits} == {("Astana", "KZ"), ("Bishkek", "KG")}


def test_13th_session_held_with_both_co_chairs_and_signed_protocol(council):
    session = Session.objects.get(council=council, number=13)
    assert session.status == Session.Status.HELD
    co_chairs = Participant.objects.filter(session=session, role=Participant.Role.CO_CHAIR)
    assert {p.person.name for p in co_chairs} == {"Olzhas Bektenov", "Adylbek Kasymaliev"}
    protocol = session.protocol
    assert protocol.status == Protocol.Status.SIGNED
    assert {s.person.name for s in protocol.signatories.all()} == {
        "Olzhas Bektenov",
        "Adylbek Kasymaliev",
    }
    signed = protocol.files.get(kind="signed")
    assert signed.file.read(5) == b"%PDF-"
    # The release does not give the date or city: the record says so.
    assert session.is_illustrative and session.illustrative_note
    assert protocol.is_illustrative


def test_every_sector_named_is_on_the_13th_agenda(council):
    sectors = set(
        AgendaItem.objects.filter(session__council=council, session__number=13).values_list(
            "sector__code", flat=True
        )
    )
    assert {
        "trade",
        "industry",
        "investment",
        "energy",
        "water",
        "agro",
        "transport",
        "tourism",
        "culture",
        "other",
    } <= sectors


def test_khan_tengri_mountain_tourism_is_recorded(council):
    item = AgendaItem.objects.get(session__number=13, sector__code="tourism")
    assert "Khan Tengri" in item.summary and "both countries" in item.summary
    assert Commitment.objects.filter(session__number=13, title__icontains="Khan Tengri").exists()


def test_12th_session_measures_were_reviewed_at_the_13th(council):
    twelfth = Session.objects.get(council=council, number=12)
    measures = Commitment.objects.filter(session=twelfth)
    assert measures.count() >= 5
    reviewed = Review.objects.filter(session__number=13, commitment__session=twelfth)
    # One decision is left for the secretariat to enter in the demo.
    undecided = measures.exclude(reviews__session__number=13)
    assert reviewed.count() == measures.count() - 1
    assert [c.clause for c in undecided] == ["1.8"] and undecided.get().is_monitored
    decisions = set(reviewed.values_list("decision", flat=True))
    assert {"completed", "replace", "cancel"} <= decisions
    # Every replaced measure is continued by a commitment of the 13th session.
    for review in reviewed.filter(decision="replace"):
        assert review.replacement.session.number == 13
        assert review.replacement.carries_over == review.commitment
    assert AgendaItem.objects.filter(
        session__number=13, title__icontains="implementation of the joint measures"
    ).exists()


def test_indicators_carry_the_quoted_figures(council):
    trade = Observation.objects.get(indicator__council=council, indicator__code="trade-turnover")
    assert trade.value == Decimal("1400000000") and trade.change_pct == Decimal("21")
    assert (trade.period_start.month, trade.period_end.month) == (1, 8)
    agri = Observation.objects.get(indicator__code="agri-trade")
    assert agri.value == Decimal("326000000") and agri.change_pct == Decimal("42")
    share = Observation.objects.get(indicator__code="agri-trade-kz-export-share")
    assert share.value == Decimal("80") and share.qualifier == Observation.Qualifier.OVER
    assert trade.reported_at.number == 13 and trade.source


def test_cultural_events_in_bishkek(council):
    events = Event.objects.filter(council=council, kind=Event.Kind.CULTURAL)
    titles = " | ".join(events.values_list("title", flat=True))
    assert "Days of Kazakhstan cinema" in titles
    assert "Nurgisa Tlendiyev" in titles and "100th anniversary" in titles
    monument = events.get(title__icontains="Golden Bridge")
    assert "Auezov" in monument.description and "Aitmatov" in monument.description
    assert all(e.city == "Bishkek" for e in events)


def test_outcome_trade_figure_and_commitment_to_deepen_relations(council):
    summary = Session.objects.get(council=council, number=13).summary
    assert "USD 1.4 billion" in summary and "21%" in summary
    assert "deepening bilateral relations" in summary


def test_enough_work_in_every_state_for_the_screens(demo):
    open_ = Commitment.objects.open()
    assert open_.overdue(today=DEMO_TODAY).count() >= 2
    assert open_.due_within(30, today=DEMO_TODAY).count() >= 2
    assert Commitment.objects.filter(status=Commitment.Status.COMPLETED).count() >= 3
    assert Commitment.objects.filter(status=Commitment.Status.COMPLETION_REPORTED).exists()
    assert Session.objects.upcoming(today=DEMO_TODAY).filter(number=14).exists()
    assert Council.objects.filter(parent__isnull=False).exists()


def test_illustrative_details_are_marked_on_the_records(demo):
    assert not Commitment.objects.filter(is_illustrative=False).exists()
    assert Person.objects.get(name="Olzhas Bektenov").is_illustrative is False
    assert Person.objects.filter(is_illustrative=True).exists()


def test_status_history_of_demo_commitments_is_backdated(demo):
    roadmap = Commitment.objects.get(session__number=12, clause="1.1")
    dates = [h.history_date.date() for h in roadmap.history.order_by("history_date")]
    assert dates == sorted(dates)
    assert dates[-1].year == 2025  # decided at the 13th session, not on the day of loading
