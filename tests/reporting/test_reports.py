"""Reporting: aggregates against hand-counted data, exports re-opened cell by cell,
calendar feeds parsed back, and query counts that do not grow with the data."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook

from council import services
from council.models import Commitment, Council, Indicator, Observation, StatusUpdate
from council.reporting import figures as reports

from ..factories import (
    AgencyFactory,
    CommitmentFactory,
    CouncilFactory,
    PartyFactory,
    ResponsibilityFactory,
    SectorFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 25)
D = datetime.date


def complete(commitment, on: datetime.date):
    services.commitment_change_status(commitment=commitment, to="completed", by=None)
    moment = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    StatusUpdate.objects.filter(commitment=commitment, to_status="completed").update(
        created_at=moment
    )


@pytest.fixture
def data():
    """Hand-counted: 6 commitments in two sessions of one council, one in another council."""
    kz, kg = PartyFactory(code="KZ"), PartyFactory(code="KG")
    council = CouncilFactory(parties=[kz, kg])
    trade, energy = (
        SectorFactory(code="trade", name="Trade"),
        SectorFactory(code="energy", name="Energy"),
    )
    mti = AgencyFactory(party=kz, name="MTI", short_name="MTI")
    energy_kg = AgencyFactory(party=kg, name="Energy KG", short_name="Energy KG")
    s12 = SessionFactory(council=council, number=12, start_date=D(2024, 11, 1))
    s13 = SessionFactory(council=council, number=13, start_date=D(2025, 11, 1))

    def make(session, sector, deadline, agencies):
        c = CommitmentFactory(session=session, sector=sector, deadline=deadline)
        for agency in agencies:
            ResponsibilityFactory(commitment=c, agency=agency)
        return c

    a = make(s12, trade, D(2025, 6, 1), [mti])  # completed on time
    b = make(s12, energy, D(2025, 6, 1), [energy_kg])  # completed late
    c = make(s12, trade, D(2026, 11, 20), [mti, energy_kg])  # open, 5 days overdue
    d = make(s13, energy, D(2026, 6, 1), [energy_kg])  # open, 177 days overdue
    e = make(s13, trade, D(2027, 1, 1), [mti])  # open, not due
    f = make(s13, energy, D(2027, 1, 1), [mti])  # cancelled
    complete(a, D(2025, 5, 30))
    complete(b, D(2025, 7, 15))
    services.commitment_change_status(commitment=f, to="cancelled", by=None, note="moot")
    services.review_record_decision(commitment=c, session=s13, decision="keep", by=None)
    services.review_record_decision(commitment=a, session=s13, decision="completed", by=None)
    other = CommitmentFactory(deadline=D(2020, 1, 1))  # another council: excluded below
    report = reports.Report(Commitment.objects.for_council(council), council.pk, TODAY)
    return {
        "report": report,
        "council": council,
        "s12": s12,
        "s13": s13,
        "mti": mti,
        "energy_kg": energy_kg,
        "kz": kz,
        "kg": kg,
        "other": other,
        "commitments": [a, b, c, d, e, f],
    }


def values(bars):
    return {bar.label: bar.value for bar in bars}


def test_counts_by_status(data):
    assert values(data["report"].bars().by_status()) == {
        "Not started": 3,
        "In progress": 0,
        "Completion reported": 0,
        "Completed": 2,
        "Cancelled": 1,
        "Superseded": 0,
    }


def test_open_by_sector_and_party_and_agency(data):
    by_sector = {bar.label: (bar.value, bar.total) for bar in data["report"].bars().by_sector()}
    assert by_sector == {"Trade": (2, 3), "Energy": (1, 3)}
    assert {bar.label: bar.value for bar in data["report"].bars().by_party()} == {
        "Republic KZ": 2,
        "Republic KG": 2,
    }
    agencies = {bar.label: (bar.value, bar.total) for bar in data["report"].bars().by_agency()}
    assert agencies == {"MTI (KZ)": (2, 1), "Energy KG (KG)": (2, 2)}  # (open, of which overdue)


def test_chart_labels_are_in_the_reader_language_with_its_fallback(data):
    from django.utils import translation

    from council.models import Agency, Council, Party, Sector

    Sector.objects.filter(code="trade").update(name_ru="Торговля")
    Party.objects.filter(code="KZ").update(name_ru="Республика Казахстан")
    Agency.objects.filter(pk=data["mti"].pk).update(short_name_ru="МТИ")
    Council.objects.filter(pk=data["council"].pk).update(short_name_ru="МПС")
    data["mti"].party.refresh_from_db()
    with translation.override("ru"):
        report = reports.Report(Commitment.objects.for_council(data["council"]), None, TODAY)
        assert "Торговля" in values(report.bars().by_sector())
        assert "Республика Казахстан" in values(report.bars().by_party())
        assert "МТИ (KZ)" in values(report.bars().by_agency())
        assert "МТИ (KZ)" in values(report.bars().on_time_by_agency())
        assert {bar.label.split(" · ")[0] for bar in report.bars().on_time_by_session()} == {"МПС"}
    with translation.override("kk"):  # Kazakh falls back to Russian, then English
        report = reports.Report(Commitment.objects.for_council(data["council"]), None, TODAY)
        assert set(values(report.bars().by_sector())) == {"Торговля", "Energy"}
        assert "Energy KG (KG)" in values(report.bars().by_agency())


def test_overdue_ages(data):
    assert [bar.value for bar in data["report"].bars().overdue_ages()] == [1, 0, 1, 0]
    assert data["report"].bars().overdue_summary() == {"count": 2, "oldest_days": 177}


def test_on_time_rates(data):
    by_session = {
        bar.label.split(" · ")[1]: (bar.value, bar.total)
        for bar in data["report"].bars().on_time_by_session()
    }
    assert by_session == {"12": (1, 2)}
    by_agency = {
        bar.label: (bar.value, bar.total, bar.rate)
        for bar in data["report"].bars().on_time_by_agency()
    }
    assert by_agency == {"MTI (KZ)": (1, 1, 100.0), "Energy KG (KG)": (0, 1, 0.0)}


def test_trend_across_sessions(data):
    trend = {
        row["session"].number: (row["adopted"], row["completed"], row["carried"])
        for row in data["report"].bars().trend()
    }
    assert trend == {12: (3, 2, 1), 13: (3, 0, 0)}


def test_chart_segments_link_to_the_filtered_list(data):
    council = data["council"].pk
    status = {bar.label: bar.url for bar in data["report"].bars().by_status()}
    assert status["Completed"] == f"/commitments/?council={council}&status=completed"
    agency = data["report"].bars().by_agency()[0]
    assert (
        f"agency={agency.url.split('agency=')[1].split('&')[0]}" in agency.url
        and "status=open" in agency.url
    )


def test_dashboard_page_and_constant_queries(client, data, superuser):
    manager = superuser
    client.force_login(manager)
    url = reverse("council:report-dashboard") + f"?council={data['council'].pk}"
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and "Data table" in body and "status=completed" in body
    for _ in range(500):
        c = CommitmentFactory(session=data["s13"], deadline=D(2026, 1, 1))
        ResponsibilityFactory(commitment=c, agency=data["mti"])
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)
    assert client.get(reverse("council:report-dashboard") + "?council=999999").status_code == 404


def test_on_a_large_archive_figures_add_up_the_councils_tallies_with_their_time(
    client, data, monkeypatch, superuser, settings, midday
):
    """Each council's counts are kept (the background scan counts them again every
    REPORT_CACHE_SECONDS); the page adds them up and says when they were counted. A
    council with no tally of today, or one older than twice the period (no scan ran),
    is counted when the page asks."""
    import time_machine

    from council.models import ReportTally

    monkeypatch.setattr(reports, "archive_is_large", lambda: True)
    council = data["council"]

    def completed_bar(council_ids):
        # As the page counts: as of the (travelled) day.
        today = timezone.localdate()
        report = reports.Report(Commitment.objects.for_council(council), council.pk, today)
        figures = reports.figures(report, council_ids=council_ids)
        return figures.cached, values(figures.by_status)["Completed"]

    start = midday
    with time_machine.travel(start, tick=False):
        assert completed_bar([council.pk]) == (True, 2)  # counted now: no tally yet
        assert ReportTally.objects.get(council=council).day == timezone.localdate()
        client.force_login(superuser)
        url = reverse("council:report-dashboard") + f"?council={council.pk}"
        page = client.get(url).content.decode()
    assert 'id="figures-as-of"' in page and "computed again every 10 minutes" in page
    services.commitment_change_status(commitment=data["commitments"][4], to="completed", by=None)
    with time_machine.travel(start + datetime.timedelta(minutes=5), tick=False):
        with CaptureQueriesContext(connection) as read:
            assert completed_bar([council.pk]) == (True, 2)  # as counted before
        assert not [q for q in read.captured_queries if "council_commitment" in q["sql"]]
        assert services.report_tallies_scan() == Council.objects.count()
        assert completed_bar([council.pk]) == (True, 3)  # the scan counted again
    # Without a scan, a tally older than twice the period is counted when asked.
    services.commitment_change_status(
        commitment=data["commitments"][2], to="completed", by=None, note="done"
    )
    with time_machine.travel(start + datetime.timedelta(minutes=26), tick=False):
        assert completed_bar([council.pk]) == (True, 4)
    # Several councils add up: the other council's commitment is in "all".
    other = data["other"]
    services.commitment_change_status(commitment=other, to="completed", by=None, note="done")
    with time_machine.travel(start + datetime.timedelta(minutes=26), tick=False):
        assert completed_bar([council.pk, other.council_id]) == (True, 5)


def test_the_tallies_of_every_council_add_up_to_the_live_figures(data):
    """What the page shows on a large archive (the sum of the councils' tallies) is what
    it shows on a small one (one live count over all of them), figure by figure."""
    services.commitment_change_status(
        commitment=data["other"], to="completed", by=None, note="done"
    )
    everything = reports.Report(Commitment.objects.all(), None, TODAY)
    live = reports.Figures.of(everything)
    tallies = services.report_tallies_refresh(today=TODAY)
    kept = [reports.Tally.from_json(t.counts) for t in tallies]
    total = reports.Tally.total_of(kept)
    assert total == everything.tally()
    assert sum(kept, reports.Tally()) == total  # added pairwise, the same
    assert kept == [reports.Tally.from_json(t.counts) for t in tallies]  # none changed
    added = reports.Figures.of_tally(total, None, TODAY, computed_at=timezone.now())
    for name in ("by_status", "by_sector", "by_party", "by_agency", "overdue_ages",
                 "on_time_by_session", "on_time_by_agency", "punctuality"):  # fmt: skip
        assert getattr(added, name) == getattr(live, name), name
    assert added.overdue == live.overdue
    assert [(r["label"], r["adopted"], r["completed"], r["carried"]) for r in added.trend] == [
        (r["label"], r["adopted"], r["completed"], r["carried"]) for r in live.trend
    ]


def test_the_beat_counts_every_councils_tally_on_a_large_archive_only(settings, monkeypatch, data):
    from council import tasks
    from council.models import ReportTally

    scan = settings.CELERY_BEAT_SCHEDULE["report-tallies-scan"]
    assert scan["task"] == "council.tasks.report_tallies_scan"
    assert scan["schedule"] == settings.REPORT_CACHE_SECONDS
    monkeypatch.setattr(reports, "archive_is_large", lambda: False)
    assert tasks.report_tallies_scan() == 0  # a small archive is counted live
    assert not ReportTally.objects.exists()
    monkeypatch.setattr(reports, "archive_is_large", lambda: True)
    assert tasks.report_tallies_scan() == Council.objects.count()
    assert set(ReportTally.objects.values_list("council", flat=True)) == set(
        Council.objects.values_list("pk", flat=True)
    )


def test_the_archive_counts_as_large_by_the_planner_estimate(settings):
    if connection.vendor != "postgresql":
        assert reports.archive_is_large() is False  # small installations compute live
        return
    settings.REPORT_LIVE_LIMIT = 100_000
    assert reports.archive_is_large() is False
    settings.REPORT_LIVE_LIMIT = -2  # reltuples is -1 before the first ANALYZE
    assert reports.archive_is_large() is True


# Exports ----------------------------------------------------------------------------------

PAYLOADS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)"]


@pytest.fixture
def exported(client, data, superuser):
    user = superuser
    client.force_login(user)
    a = data["commitments"][0]
    Commitment.objects.filter(pk=a.pk).update(title=PAYLOADS[0], text=PAYLOADS[3], clause="+1+1")
    return client


def test_xlsx_export_cell_by_cell(exported, data):
    response = exported.get(
        reverse("council:commitment-export", args=["xlsx"]),
        {"council": data["council"].pk, "ordering": "deadline"},
    )
    assert response.status_code == 200 and response.streaming
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Council", "Session", "Session date", "Clause", "Title")
    assert len(rows) == 1 + 6  # the other council's commitment is filtered out
    first = next(row for row in rows[1:] if row[4] == "'" + PAYLOADS[0])
    assert first[3] == "'+1+1" and first[4] == "'" + PAYLOADS[0] and first[5] == "'" + PAYLOADS[3]
    assert isinstance(first[2], datetime.datetime) and first[2].date() == D(2024, 11, 1)
    assert isinstance(first[9], datetime.datetime) and first[9].date() == D(2025, 6, 1)
    assert first[11] == "Completed" and first[7] == "MTI (KZ)"
    # No cell of the file starts a formula.
    for row in rows:
        for value in row:
            assert not (isinstance(value, str) and value and value[0] in "=+-@")


def test_csv_export_with_the_same_filters(exported, data):
    response = exported.get(
        reverse("council:commitment-export", args=["csv"]),
        {"council": data["council"].pk, "status": "overdue"},
    )
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Council" and len(rows) == 1 + 2
    assert {row[9] for row in rows[1:]} == {"2026-11-20", "2026-06-01"}


def test_export_injection_payloads_in_csv(exported, data):
    text = b"".join(
        exported.get(
            reverse("council:commitment-export", args=["csv"]), {"council": data["council"].pk}
        ).streaming_content
    ).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    for row in rows:
        assert not any(cell and cell[0] in "=+-@" for cell in row)
    assert ["'" + PAYLOADS[0], "'" + PAYLOADS[3]] in [row[4:6] for row in rows]


def test_export_refuses_bad_filters_with_400(exported):
    assert (
        exported.get(
            reverse("council:commitment-export", args=["csv"]), {"council": "x"}
        ).status_code
        == 400
    )
    assert exported.get("/commitments/export.pdf").status_code == 404


def test_decisions_export_is_a_word_document(exported, data):
    from docx import Document

    response = exported.get(reverse("council:session-decisions-export", args=[data["s13"].pk]))
    document = Document(io.BytesIO(response.content))
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == [
        "Clause",
        "Text",
        "Responsible",
        "Deadline",
    ]
    assert len(table.rows) == 1 + 3


def test_review_export_is_a_word_document(exported, data):
    from docx import Document

    response = exported.get(reverse("council:session-review-export", args=[data["s13"].pk]))
    document = Document(io.BytesIO(response.content))
    text = "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "Kept under monitoring" in text and "Completed, removed from monitoring" in text


# Calendar -------------------------------------------------------------------------------


def test_calendar_feeds_parse_and_reset(client, data, superuser):
    user = superuser
    token = services.user_reset_calendar_token(user=user, by=None)
    response = client.get(reverse("council:calendar-deadlines", args=[token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    open_dated = Commitment.objects.open().filter(deadline__isnull=False).count()
    assert len(events) == open_dated
    for event in events:
        start = event.decoded("dtstart")
        assert type(start) is datetime.date  # all-day
        assert event.decoded("dtend") - start == datetime.timedelta(days=1)
        assert event.get("uid").endswith("@council-tracker")
    feed = client.get(reverse("council:calendar-sessions", args=[token, data["council"].pk]))
    sessions = Calendar.from_ical(feed.content)
    assert sessions.walk("VTIMEZONE")[0]["TZID"] == "Asia/Almaty"
    assert sorted(e.decoded("dtstart") for e in sessions.walk("VEVENT")) == [
        D(2024, 11, 1),
        D(2025, 11, 1),
    ]
    client.force_login(user)
    client.post(reverse("council:calendar-reset"))
    assert client.get(reverse("council:calendar-deadlines", args=[token])).status_code == 404


def test_calendar_only_shows_councils_the_user_may_see(client, data):
    outsider = UserFactory()
    token = services.user_reset_calendar_token(user=outsider, by=None)
    assert (
        client.get(
            reverse("council:calendar-sessions", args=[token, data["council"].pk])
        ).status_code
        == 404
    )
    assert (
        len(
            Calendar.from_ical(
                client.get(reverse("council:calendar-deadlines", args=[token])).content
            ).walk("VEVENT")
        )
        == 0
    )


# Indicators --------------------------------------------------------------------------------


def test_indicator_series_change_and_new_value(client, data, superuser):
    indicator = Indicator.objects.create(
        council=data["council"], code="trade", name="Trade turnover", unit="USD"
    )
    Observation.objects.create(
        indicator=indicator, period_start=D(2024, 1, 1), period_end=D(2024, 8, 31), value=1000
    )
    Observation.objects.create(
        indicator=indicator,
        period_start=D(2025, 1, 1),
        period_end=D(2025, 8, 31),
        value=1210,
        change_pct=21,
    )
    admin = superuser
    client.force_login(admin)
    url = reverse("council:indicator-detail", args=[indicator.pk])
    response = client.get(url)
    series = response.context["series"]
    assert series[1]["change"] == pytest.approx(21)  # computed from the two periods
    assert "<svg" in response.content.decode()
    response = client.post(
        url,
        {
            "period_start": "2025-01-01",
            "period_end": "2025-08-31",
            "qualifier": "exact",
            "value": "5",
        },
    )
    assert response.status_code == 422 and "already recorded" in response.content.decode()
    response = client.post(
        url,
        {
            "period_start": "2026-01-01",
            "period_end": "2026-08-31",
            "qualifier": "exact",
            "value": "1500",
        },
    )
    assert response.status_code == 302 and indicator.observations.count() == 3


def test_a_tally_kept_by_another_release_still_reads():
    kept = reports.Tally(status={"completed": 2}, party={3: [1, 2]}, overdue=1).as_json()
    kept["a_figure_since_removed"] = {"1": 5}
    del kept["trend"]  # a figure added since
    tally = reports.Tally.from_json(kept)
    assert tally.status == {"completed": 2} and tally.party == {3: [1, 2]}
    assert tally.overdue == 1 and tally.trend == {}
