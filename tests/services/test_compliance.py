"""Compliance scores on a worked example whose numbers are all here.

The KZ–KG council of ``world``: its 13th session (14.11.2025) reviews four commitments
adopted at the 12th, with the parties' agencies as below (kz1 and kz2 are Kazakh, kg1
Kyrgyz; c3 binds Kazakhstan only), so seven sides:

    clause  sector  deadline    status        decision at 13th  agencies     assessment
    1.2     trade   30.06.2025  completed     —                 kz1, kg1     final   +1 +1
    1.3     trade   30.06.2026  in progress   —                 kz1, kg1     interim  0  0
    1.4     energy  31.05.2025  not started   —                 kz2          final   −1
    1.5     energy  31.10.2025  in progress   completed         kz1, kz2, kg1 final  +1 +1

Percent = (average + 1) / 2 × 100:
    by session 12: KZ (1 + 0 − 1 + 1) / 4 = 0.25 → 62.5 %; KG (1 + 0 + 1) / 3 → 83.3 %
    by sector: trade KZ 75 %, KG 75 %; energy KZ (−1 + 1) / 2 = 0 → 50 %, KG 100 %
    by agency: kz1 (1 + 0 + 1) / 3 → 83.3 %; kz2 (−1 + 1) / 2 → 50 %; kg1 → 83.3 %
The 13th session's own commitments (``world``'s 2.1: KZ and KG, 2.2: KZ, not started),
assessed by no later session yet, count as derived today: −1 each, 0 %.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from council import services
from council.models import Commitment, ComplianceScore
from council.reporting import compliance
from tests.factories import AgencyFactory, CommitmentFactory, ResponsibilityFactory, SectorFactory

D = datetime.date


def build_example(world) -> dict:
    council = world.council
    council.parties.filter(code="KZ").update(order=1)
    council.parties.filter(code="KG").update(order=2)
    kz, kg = council.parties.get(code="KZ"), council.parties.get(code="KG")
    kz1 = AgencyFactory(party=kz, short_name="kz1")
    kz2 = AgencyFactory(party=kz, short_name="kz2")
    kg1 = AgencyFactory(party=kg, short_name="kg1")
    trade = SectorFactory(code="trade", name="Trade")
    energy = SectorFactory(code="energy", name="Energy")
    earlier = world.commitment_old.session
    rows = [
        ("1.2", trade, D(2025, 6, 30), Commitment.Status.COMPLETED, [kz1, kg1]),
        ("1.3", trade, D(2026, 6, 30), Commitment.Status.IN_PROGRESS, [kz1, kg1]),
        ("1.4", energy, D(2025, 5, 31), Commitment.Status.NOT_STARTED, [kz2]),
        ("1.5", energy, D(2025, 10, 31), Commitment.Status.IN_PROGRESS, [kz1, kz2, kg1]),
    ]
    made = {}
    for clause, sector, deadline, status, agencies in rows:
        commitment = CommitmentFactory(
            session=earlier, clause=clause, sector=sector, deadline=deadline
        )
        for index, agency in enumerate(agencies):
            role = "co_executor" if agency == kz2 and index else "lead"
            ResponsibilityFactory(commitment=commitment, agency=agency, role=role)
        Commitment.objects.filter(pk=commitment.pk).update(status=status)
        made[clause] = commitment
    # ``world``'s old commitment has no agency: no side, no score.
    Commitment.objects.filter(pk=world.commitment_old.pk).update(is_monitored=False)
    services.review_record_decision(
        commitment=Commitment.objects.get(pk=made["1.5"].pk),
        session=world.session,
        decision="completed",
        by=None,
    )
    return {"kz": kz, "kg": kg, "kz1": kz1, "kz2": kz2, "kg1": kg1, **made}


def percents(rows, parties):
    return {
        row.label: {
            p.code: (row.cells[p.pk].percent if p.pk in row.cells else None) for p in parties
        }
        for row in rows
    }


@pytest.fixture
def example(world):
    return build_example(world)


def test_the_review_derives_the_worked_example(world, example):
    counts = services.compliance_assess_session(
        session=world.session, by=world.users["secretariat"]
    )
    assert counts == {"created": 7, "updated": 0, "unchanged": 0}
    scored = {
        (s.commitment.clause, s.party.code): (s.kind, s.derived)
        for s in ComplianceScore.objects.select_related("commitment", "party")
    }
    assert scored == {
        ("1.2", "KZ"): ("final", 1),
        ("1.2", "KG"): ("final", 1),
        ("1.3", "KZ"): ("interim", 0),
        ("1.3", "KG"): ("interim", 0),
        ("1.4", "KZ"): ("final", -1),
        ("1.5", "KZ"): ("final", 1),
        ("1.5", "KG"): ("final", 1),
    }
    overview = compliance.overview(world.council)
    parties = overview.parties
    assert [p.code for p in parties] == ["KZ", "KG"]
    assert percents(overview.by_session, parties) == {
        "12": {"KZ": 62.5, "KG": 83.3},
        "13": {"KZ": 0.0, "KG": 0.0},
    }
    session_12 = overview.by_session[0].cells[example["kz"].pk]
    assert (session_12.sides, session_12.final, session_12.interim, session_12.live) == (
        4,
        3,
        1,
        0,
    )
    session_13 = overview.by_session[1].cells[example["kz"].pk]
    assert (session_13.sides, session_13.live) == (2, 2)
    by_sector = percents(overview.by_sector, parties)
    assert by_sector["Trade"] == {"KZ": 75.0, "KG": 75.0}
    assert by_sector["Energy"] == {"KZ": 50.0, "KG": 100.0}
    by_agency = percents(overview.by_agency, parties)
    assert by_agency["kz1 (KZ)"] == {"KZ": 83.3, "KG": None}
    assert by_agency["kz2 (KZ)"] == {"KZ": 50.0, "KG": None}
    assert by_agency["kg1 (KG)"] == {"KZ": None, "KG": 83.3}


def test_before_any_assessment_the_page_derives_today(world, example):
    """Nothing recorded: each side counts with today's status (1.5 is completed since the
    session's decision), the same figures, every side marked not yet assessed."""
    overview = compliance.overview(world.council)
    assert percents(overview.by_session, overview.parties)["12"] == {"KZ": 62.5, "KG": 83.3}
    assert overview.by_session[0].cells[example["kg"].pk].live == 3
    # Work falls back on 1.2: its sides count 0 (in progress) at once.
    Commitment.objects.filter(pk=example["1.2"].pk).update(status="in_progress")
    overview = compliance.overview(world.council)
    # KZ: (0 + 0 − 1 + 1) / 4 = 0 → 50 %; KG: (0 + 0 + 1) / 3 → 66.7 %.
    assert percents(overview.by_session, overview.parties)["12"] == {"KZ": 50.0, "KG": 66.7}


def test_assessing_again_changes_nothing_and_keeps_an_override(world, example):
    secretariat = world.users["secretariat"]
    services.compliance_assess_session(session=world.session, by=secretariat)
    assert services.compliance_assess_session(session=world.session, by=secretariat) == {
        "created": 0,
        "updated": 0,
        "unchanged": 7,
    }
    score = ComplianceScore.objects.get(commitment=example["1.3"], party=example["kg"])
    services.compliance_override(
        score=score, value=-1, reason="Nothing reported by the Kyrgyz side", by=secretariat
    )
    # KG: (1 − 1 + 1) / 3 → 66.7 %.
    overview = compliance.overview(world.council)
    assert percents(overview.by_session, overview.parties)["12"]["KG"] == 66.7
    # The work is then completed: the derived score moves, the override stays.
    Commitment.objects.filter(pk=example["1.3"].pk).update(status="completed")
    assert services.compliance_assess_session(session=world.session, by=secretariat) == {
        "created": 0,
        "updated": 2,
        "unchanged": 5,
    }
    score.refresh_from_db()
    assert (score.derived, score.override, score.score) == (1, -1, -1)
    assert score.overridden_by == secretariat
    assert score.override_reason == "Nothing reported by the Kyrgyz side"
    overview = compliance.overview(world.council)
    assert percents(overview.by_session, overview.parties)["12"] == {"KZ": 75.0, "KG": 66.7}
    reasons = list(score.history.values_list("history_change_reason", flat=True))
    assert "Nothing reported by the Kyrgyz side" in reasons


def test_an_override_needs_a_reason_and_a_valid_score(world, example):
    services.compliance_assess_session(session=world.session, by=None)
    score = ComplianceScore.objects.get(commitment=example["1.2"], party=example["kz"])
    with pytest.raises(ValidationError) as refused:
        services.compliance_override(score=score, value=0, reason="  ", by=None)
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.compliance_override(score=score, value=5, reason="why", by=None)
    assert "value" in refused.value.message_dict
    score.refresh_from_db()
    assert score.override is None
    # Cleared with a reason: the derived score counts again.
    services.compliance_override(score=score, value=0, reason="Partly done", by=None)
    services.compliance_override(score=score, value=None, reason="Evidence received", by=None)
    score.refresh_from_db()
    assert (score.override, score.override_reason, score.score) == (None, "", 1)


def test_only_the_councils_secretariat_assesses_and_overrides(world, example):
    with pytest.raises(PermissionDenied):
        services.compliance_assess_session(
            session=world.session, by=world.users["secretariat_other"]
        )
    with pytest.raises(PermissionDenied):
        services.compliance_assess_session(session=world.session, by=world.users["focal_a"])
    services.compliance_assess_session(session=world.session, by=world.users["admin"])
    score = ComplianceScore.objects.first()
    for user in ("focal_a", "manager", "secretariat_other"):
        with pytest.raises(PermissionDenied):
            services.compliance_override(score=score, value=0, reason="x", by=world.users[user])


@pytest.mark.django_db
def test_each_party_is_scored_on_its_own_side(world):
    """Clause 1.9 of the 12th session binds both parties; the Kazakh side's completion was
    accepted while the Kyrgyz side never started: +1 for Kazakhstan, −1 for Kyrgyzstan
    (the commitment as a whole is only "in progress")."""
    council = world.council
    kz, kg = council.parties.get(code="KZ"), council.parties.get(code="KG")
    commitment = services.commitment_create(
        session=world.commitment_old.session,
        fields={
            "clause": "1.9",
            "title": "Пункт пропуска",
            "text": "Открыть.",
            "deadline_kind": "date",
            "deadline": D(2025, 6, 30),
        },
        responsibilities=[(AgencyFactory(party=kz), "lead"), (AgencyFactory(party=kg), "lead")],
        by=None,
    )
    kz_side = commitment.sides.get(party=kz)
    services.commitment_change_status(
        commitment=commitment, to="completion_reported", side=kz_side, by=None, note="Готово"
    )
    services.commitment_accept_completion(commitment=commitment, side=kz_side, by=None)
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.IN_PROGRESS
    services.compliance_assess_session(session=world.session, by=None)
    scores = dict(
        ComplianceScore.objects.filter(commitment=commitment).values_list("party__code", "derived")
    )
    assert scores == {"KZ": 1, "KG": -1}


def test_on_a_large_archive_the_page_reads_the_councils_tally(world, example, monkeypatch, midday):
    """A large archive adds up each council's scores ahead (the scan, every
    REPORT_CACHE_SECONDS): the page reads them, the same figures as added up live, with
    the time they were added up. An assessment or an override adds its council's up again
    at once; a change of status waits for the scan, and a tally older than twice the
    period (no scan ran) is added up when the page asks."""
    import time_machine
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from council.models import ComplianceTally
    from council.reporting import figures

    live = compliance.overview(world.council)
    assert live.computed_at is None
    monkeypatch.setattr(figures, "archive_is_large", lambda: True)
    start = midday
    with time_machine.travel(start, tick=False):
        read = compliance.overview(world.council)  # no tally yet: added up now, and kept
        assert ComplianceTally.objects.filter(council=world.council).exists()
        assert read.computed_at == start
        with CaptureQueriesContext(connection) as queries:
            again = compliance.overview(world.council)
        assert not [q for q in queries.captured_queries if "council_responsibility" in q["sql"]]
    for name in ("by_session", "by_sector", "by_agency"):
        assert [(r.key, r.cells) for r in getattr(again, name)] == [
            (r.key, r.cells) for r in getattr(live, name)
        ], name
    secretariat = world.users["secretariat"]
    with time_machine.travel(start + datetime.timedelta(minutes=5), tick=False):
        services.compliance_assess_session(session=world.session, by=secretariat)
        score = ComplianceScore.objects.get(commitment=example["1.3"], party=example["kg"])
        services.compliance_override(
            score=score, value=-1, reason="Nothing reported", by=secretariat
        )
        overview = compliance.overview(world.council)
        assert percents(overview.by_session, overview.parties)["12"]["KG"] == 66.7
        assert overview.by_session[0].cells[example["kg"].pk].final == 2
        # A status moved (2.1 and 2.2, adopted at the 13th, count as derived today): the
        # tally stays as added up until the scan.
        Commitment.objects.filter(session=world.session).update(status="completed")
        kept = percents(compliance.overview(world.council).by_session, overview.parties)
        assert kept["13"] == {"KZ": 0.0, "KG": 0.0}
    with time_machine.travel(start + datetime.timedelta(minutes=26), tick=False):
        refreshed = compliance.overview(world.council)  # no scan ran: added up when asked
        assert refreshed.computed_at == start + datetime.timedelta(minutes=26)
        assert percents(refreshed.by_session, refreshed.parties)["13"] == {
            "KZ": 100.0,
            "KG": 100.0,
        }
        assert services.report_tallies_scan() > 0
        assert ComplianceTally.objects.count() == world.council.__class__.objects.count()


def test_the_scan_adds_up_every_council_in_one_pass_as_each_alone(world, example):
    """Adding up all councils in one read, council after council, gives each council
    what it gets alone: no side of one council is counted in another."""
    other = CommitmentFactory(session__council=world.other_council, session__number=40)
    ResponsibilityFactory(commitment=other, agency=example["kz1"])
    ResponsibilityFactory(commitment=other, agency=AgencyFactory(party=example["kg"]))
    councils = [world.council, world.other_council]
    together = dict(compliance.sums_by_council([c.pk for c in councils]))
    assert together == {c.pk: compliance.sums(c) for c in councils}
    assert together[world.other_council.pk]["agency"][str(example["kz1"].pk)] == {
        str(example["kz"].pk): [-1, 1, 0, 0, 1]  # not started, derived today
    }
    tallies = services.compliance_tallies_refresh()
    assert {t.council_id: t.sums for t in tallies if t.council_id in together} == together
