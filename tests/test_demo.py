"""The demo data set carries every fact of the seed press release, recorded in Russian."""

import re
from decimal import Decimal

import pytest

from council.models import (
    AgendaItem,
    AgendaItemVersion,
    Commitment,
    CommitmentVersion,
    Council,
    Event,
    ExtensionRequest,
    Observation,
    Participant,
    Person,
    Protocol,
    Review,
    Session,
    StatusUpdate,
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
    assert co_chairs["KZ"].person.name == "Олжас Бектенов"
    assert "Prime Minister" in co_chairs["KZ"].position
    assert co_chairs["KG"].person.name == "Адылбек Касымалиев"
    assert "Chairman of the Cabinet of Ministers" in co_chairs["KG"].position
    assert "Head of the Presidential Administration" in co_chairs["KG"].position


def test_heads_of_state_and_their_visits(council):
    names = set(Person.objects.values_list("name", flat=True))
    assert {"Касым-Жомарт Токаев", "Садыр Жапаров"} <= names
    visits = Event.objects.filter(council=council, kind=Event.Kind.OFFICIAL_VISIT)
    assert {(v.city, v.host_party.code) for v in visits} == {("Астана", "KZ"), ("Бишкек", "KG")}


def test_13th_session_held_with_both_co_chairs_and_signed_protocol(council):
    session = Session.objects.get(council=council, number=13)
    assert session.status == Session.Status.HELD
    co_chairs = Participant.objects.filter(session=session, role=Participant.Role.CO_CHAIR)
    assert {p.person.name for p in co_chairs} == {"Олжас Бектенов", "Адылбек Касымалиев"}
    protocol = session.protocol
    assert protocol.status == Protocol.Status.SIGNED
    assert {s.person.name for s in protocol.signatories.all()} == {
        "Олжас Бектенов",
        "Адылбек Касымалиев",
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
    assert "Хан-Тенгри" in item.summary and "обеих стран" in item.summary
    assert Commitment.objects.filter(session__number=13, title__icontains="Хан-Тенгри").exists()


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
        session__number=13, title__icontains="реализации совместных мер"
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
    assert "Дни казахстанского кино" in titles
    assert "Нургисы Тлендиева" in titles and "100-летию" in titles
    monument = events.get(title__contains="Золотой мост")
    assert "Ауэзову" in monument.description and "Айтматову" in monument.description
    assert all(e.city == "Бишкек" for e in events)


def test_outcome_trade_figure_and_commitment_to_deepen_relations(council):
    summary = Session.objects.get(council=council, number=13).summary
    assert "1,4 млрд долларов США" in summary and "21%" in summary
    assert "углублению двусторонних взаимоотношений" in summary


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
    assert Person.objects.get(name="Олжас Бектенов").is_illustrative is False
    assert Person.objects.filter(is_illustrative=True).exists()


def test_status_history_of_demo_commitments_is_backdated(demo):
    roadmap = Commitment.objects.get(session__number=12, clause="1.1")
    dates = [h.history_date.date() for h in roadmap.history.order_by("history_date")]
    assert dates == sorted(dates)
    assert dates[-1].year == 2025  # decided at the 13th session, not on the day of loading


def test_the_council_records_are_in_russian_as_a_protocol_reads(council):
    """What the council recorded is in its working language: a Russian page shows
    Cyrillic, not English, for the demo's sessions, agenda, commitments and reports."""
    commitments = Commitment.objects.filter(session__council=council)
    assert set(commitments.values_list("language", flat=True)) == {"ru"}
    assert set(AgendaItem.objects.values_list("language", flat=True)) == {"ru"}
    clause = commitments.get(session__number=13, clause="2.1")
    assert clause.text.startswith(
        "Министерству торговли и интеграции Республики Казахстан совместно с "
        "Министерством экономики и коммерции Кыргызской Республики"
    )
    latin = re.compile(r"[A-Za-z]")
    recorded = [
        *commitments.values_list("title", flat=True),
        *AgendaItem.objects.values_list("title", flat=True),
        *StatusUpdate.objects.values_list("note", flat=True),
        *Event.objects.values_list("title", flat=True),
        *Session.objects.values_list("summary", flat=True),
    ]
    # Only proper names written in Latin letters (Kazakh Invest) may remain.
    assert [text for text in recorded if latin.search(text.replace("Kazakh Invest", ""))] == []


def test_english_stays_as_a_working_translation_and_a_few_clauses_in_kazakh_and_kyrgyz():
    commitments = Commitment.objects.all()
    english = CommitmentVersion.objects.filter(language="en")
    # Every commitment and agenda item keeps its English text, marked a translation.
    assert english.count() == commitments.count()
    assert not english.filter(is_translation=False).exists()
    assert AgendaItemVersion.objects.filter(language="en").count() == AgendaItem.objects.count()
    tengri = Commitment.objects.get(session__number=13, clause="2.8")
    versions = {v.language: v for v in tengri.versions.all()}
    assert versions["en"].title == "Revive the mountain tourist routes to Khan Tengri"
    assert "Хан Тәңірі" in versions["kk"].title and not versions["kk"].is_translation
    assert "Хан-Теңири" in versions["ky"].text and not versions["ky"].is_translation
    authentic = CommitmentVersion.objects.filter(language__in=["kk", "ky"])
    clauses = set(authentic.values_list("commitment__clause", flat=True))
    assert 3 <= len(clauses) <= 5
    assert set(authentic.values_list("commitment__session__number", flat=True)) == {13}
    # Each version is kept with its history, recorded with its commitment.
    assert versions["kk"].history.count() == 1


def test_protocol_of_the_13th_session_is_signed_in_three_languages(council):
    protocol = Session.objects.get(council=council, number=13).protocol
    assert protocol.title.startswith("Протокол 13-го заседания")
    assert set(protocol.languages.split(",")) == {"ru", "kk", "ky"}


def test_one_granted_one_refused_and_one_pending_extension(demo):
    requests = ExtensionRequest.objects.select_related("commitment", "party")
    by_status = {r.status: r for r in requests}
    assert set(by_status) == {"granted", "refused", "pending"}
    granted = by_status["granted"].commitment
    assert granted.was_extended
    assert granted.deadline == by_status["granted"].new_deadline
    assert by_status["refused"].decision_comment
    assert by_status["pending"].requested_at.date() < DEMO_TODAY
    assert {r.commitment.council.short_name for r in requests} == {demo.councils["igc"].short_name}
