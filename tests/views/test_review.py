"""The implementation review page: summary and group index against counts made here by
hand, pagination with group headings, filters, the by-agency semantics, the decision
form, and query counts that do not grow with the number of rows."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from council import roles, services
from council.models import Commitment, Responsibility, Review
from council.reporting import review

from ..conftest import make_user
from ..factories import (
    AgencyFactory,
    CommitmentFactory,
    CouncilFactory,
    PartyFactory,
    ResponsibilityFactory,
    SectorFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


class Data:
    """A council whose 13th session reviews its 11th and 12th sessions' commitments."""

    def __init__(self, n: int, suffix: str = ""):
        self.kz, self.kg = PartyFactory(code="KZ"), PartyFactory(code="KG")
        self.council = CouncilFactory(parties=[self.kz, self.kg])
        self.trade = SectorFactory(code="trade", name="Trade", order=1)
        self.energy = SectorFactory(code="energy", name="Energy", order=2)
        # Agencies of one data set only, so two sets can live in one test.
        self.mti = AgencyFactory(party=self.kz, name=f"Ministry of Trade KZ{suffix}")
        self.energy_kg = AgencyFactory(party=self.kg, name=f"Ministry of Energy KG{suffix}")
        self.water_kg = AgencyFactory(party=self.kg, name=f"Ministry of Water KG{suffix}")
        year = datetime.timedelta(days=365)
        self.s11 = SessionFactory(council=self.council, number=11, start_date=TODAY - 2 * year)
        self.s12 = SessionFactory(council=self.council, number=12, start_date=TODAY - year)
        self.s13 = SessionFactory(council=self.council, number=13, start_date=TODAY)
        self.reviewed: list[Commitment] = []
        sectors = [self.trade, self.energy, None]
        for i in range(n):
            c = CommitmentFactory(
                session=self.s11 if i % 3 == 0 else self.s12,
                sector=sectors[i % 3],
                deadline=TODAY + datetime.timedelta(days=-10 if i % 4 == 0 else 30),
            )
            ResponsibilityFactory(commitment=c, agency=self.mti if i % 2 else self.energy_kg)
            self.reviewed.append(c)
        # Two lead agencies (one per party): listed under each when grouped by agency.
        self.two_leads = CommitmentFactory(session=self.s12, sector=self.trade, title="Two leads")
        ResponsibilityFactory(commitment=self.two_leads, agency=self.mti)
        ResponsibilityFactory(commitment=self.two_leads, agency=self.energy_kg)
        # A co-executor only: listed under that agency.
        self.co_only = CommitmentFactory(session=self.s12, sector=self.energy, title="Co only")
        ResponsibilityFactory(
            commitment=self.co_only, agency=self.water_kg, role=Responsibility.Role.CO_EXECUTOR
        )
        # A lead and a co-executor: listed under the lead only.
        self.lead_and_co = CommitmentFactory(session=self.s11, sector=None, title="Lead and co")
        ResponsibilityFactory(commitment=self.lead_and_co, agency=self.mti)
        ResponsibilityFactory(
            commitment=self.lead_and_co,
            agency=self.water_kg,
            role=Responsibility.Role.CO_EXECUTOR,
        )
        # No agency named.
        self.nobody = CommitmentFactory(session=self.s12, sector=self.trade, title="Nobody")
        self.reviewed += [self.two_leads, self.co_only, self.lead_and_co, self.nobody]
        # Decided at the 13th: one kept (still monitored), one completed (left monitoring
        # but still part of this session's review).
        services.review_record_decision(
            commitment=self.reviewed[0], session=self.s13, decision="keep", by=None
        )
        services.review_record_decision(
            commitment=self.reviewed[1], session=self.s13, decision="completed", by=None
        )
        # Not reviewed: no longer monitored, adopted at the 13th itself, another council.
        gone = CommitmentFactory(session=self.s12, is_monitored=False, title="Gone")
        CommitmentFactory(session=self.s13, title="Adopted at 13")
        CommitmentFactory(title="Other council")
        self.not_reviewed = {gone.pk}


def build(n: int = 6, suffix: str = "") -> Data:
    return Data(n, suffix)


@pytest.fixture
def data():
    return build()


@pytest.fixture
def staff(client, db):
    roles.roles_sync()
    user = make_user("manager", group=roles.MANAGER)
    client.force_login(user)
    return client


@pytest.fixture
def secretariat(client, data):
    roles.roles_sync()
    user = make_user("secretariat", group=roles.SECRETARIAT)
    data.council.secretariat_staff.add(user)
    client.force_login(user)
    return client


def url(data, **query):
    base = reverse("council:session-review", args=[data.s13.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def shown(response) -> list[tuple[str, int]]:
    """(group heading, commitment pk) of every row on the page, in order."""
    return [
        (f"{g.title} — {g.subtitle}" if g.subtitle else g.title, c.pk)
        for g in response.context["groups"]
        for c in g.rows
    ]


def decided_here(data) -> set[int]:
    return set(Review.objects.filter(session=data.s13).values_list("commitment_id", flat=True))


def test_reviewed_set(data):
    pks = set(review.reviewed_commitments(data.s13).values_list("pk", flat=True))
    assert pks == {c.pk for c in data.reviewed}
    assert not pks & data.not_reviewed


def test_summary_matches_hand_counts(staff, data):
    commitments = Commitment.objects.filter(pk__in=[c.pk for c in data.reviewed])
    decided = decided_here(data)
    summary = staff.get(url(data)).context["summary"]
    assert summary["total"] == len(data.reviewed) == 10
    assert summary["decided"] == len(decided) == 2
    assert summary["undecided"] == 8
    assert summary["overdue"] == sum(c.is_overdue() for c in commitments)
    for status in Commitment.Status.values:
        assert summary[f"status_{status}"] == commitments.filter(status=status).count()
    assert summary["status_completed"] == 1


def test_group_index_by_sector_matches_hand_counts(staff, data):
    index = staff.get(url(data, by="sector")).context["index"]
    decided = decided_here(data)
    expected = []
    for sector, title in ((data.trade, "Trade"), (data.energy, "Energy"), (None, "Other")):
        members = [c for c in data.reviewed if c.sector_id == (sector.pk if sector else None)]
        key = str(sector.pk) if sector else review.NO_GROUP
        expected.append((key, title, len(members), sum(c.pk in decided for c in members)))
    assert [(g.key, g.title, g.total, g.decided) for g in index] == expected


def test_group_index_by_agency_matches_hand_counts(staff, data):
    index = staff.get(url(data, by="agency")).context["index"]
    counts = {(g.title, g.subtitle): g.total for g in index}
    leads_of = {}
    for c in data.reviewed:
        responsibilities = list(c.responsibilities.all())
        leads = [r for r in responsibilities if r.role == "lead"] or responsibilities
        leads_of[c.pk] = {r.agency.name for r in leads}
    expected = {}
    for names in leads_of.values():
        for name in names or {""}:
            expected[name] = expected.get(name, 0) + 1
    assert {subtitle: n for (_, subtitle), n in counts.items()} == expected
    # Parties in their order (then name), agencies by name, "No agency named" last.
    assert [(g.title, g.subtitle) for g in index] == [
        ("Republic KG", "Ministry of Energy KG"),
        ("Republic KG", "Ministry of Water KG"),
        ("Republic KZ", "Ministry of Trade KZ"),
        ("No agency named", ""),
    ]


def test_two_lead_agencies_list_the_commitment_under_each(staff, data):
    rows = shown(staff.get(url(data, by="agency")))
    under = {heading for heading, pk in rows if pk == data.two_leads.pk}
    assert under == {
        "Republic KZ — Ministry of Trade KZ",
        "Republic KG — Ministry of Energy KG",
    }
    assert {h for h, pk in rows if pk == data.co_only.pk} == {"Republic KG — Ministry of Water KG"}
    assert {h for h, pk in rows if pk == data.lead_and_co.pk} == {
        "Republic KZ — Ministry of Trade KZ"
    }
    assert {h for h, pk in rows if pk == data.nobody.pk} == {"No agency named"}


def test_rows_ordered_by_group_then_session_then_id(staff, data):
    rows = shown(staff.get(url(data)))
    by_pk = {c.pk: c for c in data.reviewed}
    order = {"Trade": 0, "Energy": 1, "Other": 2}
    keys = [(order[h], by_pk[pk].session.number, pk) for h, pk in rows]
    assert keys == sorted(keys) and len(rows) == len(data.reviewed)


def test_group_filter(staff, data):
    response = staff.get(url(data, group=data.energy.pk))
    assert {h for h, _ in shown(response)} == {"Energy"}
    assert {pk for _, pk in shown(response)} == {
        c.pk for c in data.reviewed if c.sector_id == data.energy.pk
    }
    other = staff.get(url(data, group="none"))
    assert {pk for _, pk in shown(other)} == {c.pk for c in data.reviewed if c.sector_id is None}
    agency = staff.get(url(data, by="agency", group=data.water_kg.pk))
    assert [pk for _, pk in shown(agency)] == [data.co_only.pk]
    # An unknown group is ignored, not an error.
    assert len(shown(staff.get(url(data, group="12345")))) == len(data.reviewed)


def test_undecided_filter(staff, data):
    response = staff.get(url(data, undecided=1))
    pks = [pk for _, pk in shown(response)]
    assert set(pks) == {c.pk for c in data.reviewed} - decided_here(data)
    page = response.content.decode()
    assert 'name="undecided" value="1" id="review-undecided" checked' in page
    # The grouping links keep the filter.
    assert "?by=agency&amp;undecided=1" in page


def test_pagination_with_continued_heading(staff):
    data = build(150)  # 154 rows: Trade 52, Energy 51, Other 51
    first = staff.get(url(data))
    page = first.content.decode()
    assert len(shown(first)) == review.PAGE_SIZE
    assert '<nav aria-label="Pages">' in page and 'aria-current="page"' in page
    assert "Page 1 of 4" in page and "by=sector&amp;page=2" in page
    second = staff.get(url(data, page=2))
    groups = second.context["groups"]
    assert groups[0].title == "Trade" and groups[0].continued
    assert groups[1].title == "Energy" and not groups[1].continued
    assert "(continued)" in second.content.decode()
    # Every row once across the pages, in the order of one query over them all.
    every = []
    for number in range(1, 5):
        every += [pk for _, pk in shown(staff.get(url(data, page=number)))]
    expected = list(review.ordered(review.rows(data.s13, "sector")).values_list("pk", flat=True))
    assert every == expected and len(every) == 154
    # The filters travel with the pages.
    filtered = staff.get(url(data, by="agency", undecided=1, page=2)).content.decode()
    assert "by=agency&amp;undecided=1&amp;page=1" in filtered


def test_few_rows_show_no_pagination_nor_filters(staff, data):
    page = staff.get(url(data)).content.decode()
    assert 'aria-label="Pages"' not in page
    assert 'id="review-group"' not in page


def count_queries(client, path) -> int:
    client.get(path)  # warm caches (content types, translations)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("by", ["sector", "agency"])
def test_query_count_does_not_grow_with_rows(staff, by):
    small = build(3)
    small_count = count_queries(staff, url(small, by=by))
    large = build(120, " (2)")
    large_count = count_queries(staff, url(large, by=by, page=2))
    # Session, user, groups, the reviewing session; the group index, the page's ids, the
    # summary; the page's rows, their agencies, their decisions, their latest reports,
    # their sides; their stale sides (the councils' cutoffs, the sides); the unread
    # notifications badge.
    assert small_count == large_count == 15


def test_print_and_word_queries_do_not_grow_with_rows(staff, monkeypatch):
    monkeypatch.setattr(review, "CHUNK_SIZE", 1000)
    small, large = build(3), build(80, " (2)")
    for name in ("council:session-review-print", "council:session-review-export"):
        counts = [
            count_queries(staff, reverse(name, args=[d.s13.pk]) + "?by=agency")
            for d in (small, large)
        ]
        assert counts[0] == counts[1], name


def test_print_view_lists_every_row(staff):
    data = build(60)
    page = staff.get(reverse("council:session-review-print", args=[data.s13.pk]))
    assert len(shown(page)) == len(data.reviewed)
    assert not any(g.continued for g in page.context["groups"])


def test_word_document_lists_every_row_under_each_lead(staff, data):
    from docx import Document

    response = staff.get(
        reverse("council:session-review-export", args=[data.s13.pk]) + "?by=agency"
    )
    document = Document(io.BytesIO(response.content))
    titles = [row.cells[2].text.split("\n")[0] for t in document.tables for row in t.rows[1:]]
    assert titles.count(str(data.two_leads.title)) == 2
    assert len(titles) == len(data.reviewed) + 1


def test_decision_form_records_and_shows_the_decision(secretariat, data):
    target = data.reviewed[4]
    page = secretariat.get(url(data)).content.decode()
    decide = reverse("council:session-review-decide", args=[data.s13.pk, target.pk])
    assert f'hx-post="{decide}"' in page
    response = secretariat.post(
        decide,
        {"decision": "extend", "new_deadline": "2030-06-30", "note": "One more year."},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert re.search(r"<tr id=\"review-\d+", body)
    assert "Deadline extended" in body and "One more year." in body
    assert Review.objects.get(commitment=target, session=data.s13).decision == "extend"
    # Without JavaScript: a redirect back to the review, which now counts it decided.
    other = data.reviewed[5]
    response = secretariat.post(
        reverse("council:session-review-decide", args=[data.s13.pk, other.pk]),
        {"decision": "keep"},
    )
    assert response.status_code == 302
    assert secretariat.get(url(data)).context["summary"]["decided"] == 4


def test_page_says_how_many_commitments_are_still_undecided(secretariat, data):
    """The count near the top is the review's, and leads to the undecided rows."""
    total = len(data.reviewed)
    page = secretariat.get(url(data)).content.decode()
    line = re.search(r"<p[^>]*data-undecided-count>(.*?)</p>", page, re.S).group(1)
    assert f"{total - 2} of {total} commitments still undecided" in line
    assert 'href="?by=sector&amp;undecided=1"' in line
    target = data.reviewed[4]
    secretariat.post(
        reverse("council:session-review-decide", args=[data.s13.pk, target.pk]),
        {"decision": "keep"},
    )
    page = secretariat.get(url(data, by="agency")).content.decode()
    assert f"{total - 3} of {total} commitments still undecided" in page
    assert 'href="?by=agency&amp;undecided=1"' in page
    undecided = secretariat.get(url(data, undecided=1))
    assert undecided.context["page"].paginator.count == total - 3


def test_decision_starts_empty_and_is_required(secretariat, data):
    """A row left as it came must not end monitoring: no decision is chosen in advance,
    and a form sent without one records nothing."""
    target = data.reviewed[4]
    page = secretariat.get(url(data)).content.decode()
    select = re.search(
        rf'<select[^>]*name="decision" id="decision-{target.pk}".*?</select>', page, re.S
    ).group(0)
    selected = re.findall(r'<option value="([^"]*)" selected>', select)
    assert selected == [""] and "— choose a decision —" in select
    response = secretariat.post(
        reverse("council:session-review-decide", args=[data.s13.pk, target.pk]),
        {"decision": "", "note": "kept text"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 422 and "<html" not in body
    assert "Choose a decision." in body and "kept text" in body
    assert f'id="decision-{target.pk}-error"' in body
    assert not Review.objects.filter(commitment=target, session=data.s13).exists()


def test_decision_form_errors_return_the_row(secretariat, data):
    target = data.reviewed[4]
    response = secretariat.post(
        reverse("council:session-review-decide", args=[data.s13.pk, target.pk]),
        {"decision": "extend"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.content.decode()


def test_decision_form_errors_without_javascript_show_on_the_page_and_the_row(secretariat, data):
    target = data.reviewed[4]
    response = secretariat.post(
        reverse("council:session-review-decide", args=[data.s13.pk, target.pk]),
        {"decision": "extend", "note": "kept text"},
    )
    body = response.content.decode()
    assert response.status_code == 422 and "<html" in body
    assert f"The decision on {target} was not recorded" in body
    assert 'aria-invalid="true"' in body and "kept text" in body  # the row keeps the input
    assert not Review.objects.filter(commitment=target, session=data.s13).exists()


def test_not_reviewed_commitment_cannot_be_decided(secretariat, data):
    (gone,) = data.not_reviewed
    response = secretariat.post(
        reverse("council:session-review-decide", args=[data.s13.pk, gone]), {"decision": "keep"}
    )
    assert response.status_code == 404
