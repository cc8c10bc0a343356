"""The commitment pages: the list (filters, keyset pages, counts), the forms, the detail
page with its timeline and history, and concurrent edits."""

import datetime
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from council import services
from council.models import Commitment, Session, StatusUpdate

from ..factories import AgencyFactory, CommitmentFactory, ResponsibilityFactory
from .pages import HX, grow, queries, sql_sent


def test_commitment_page_query_count_does_not_grow_with_its_history(client, world):
    client.force_login(world.users["focal_a"])
    commitment = world.commitment_a
    url = commitment.get_absolute_url()
    small = queries(client, url)
    for n in range(60):
        services.commitment_report_progress(
            commitment=commitment, by=world.users["focal_a"], note=f"step {n}"
        )
    assert queries(client, url) == small


# Commitment list -----------------------------------------------------------------------


def listed(client, **params):
    response = client.get(reverse("council:commitment-list"), params)
    assert response.status_code == 200
    return {c.pk for c in response.context["page"].object_list}


def test_filters(client, world):
    client.force_login(world.users["manager"])
    a, b, old = world.commitment_a, world.commitment_b, world.commitment_old
    assert listed(client) == {a.pk, b.pk, old.pk}
    assert listed(client, agency=world.users["focal_b"].agency.pk) == {b.pk}
    assert listed(client, party=world.council.parties.get(code="KG").pk) == {a.pk}
    assert listed(client, q="2.2") == {b.pk}
    assert listed(client, q=a.title) == {a.pk}
    Commitment.objects.filter(pk=a.pk).update(deadline=datetime.date(2020, 1, 1))
    assert listed(client, status="overdue") == {a.pk}
    assert listed(client, deadline_after="2019-01-01", deadline_before="2021-01-01") == {a.pk}
    services.commitment_change_status(commitment=b, to="cancelled", by=None, note="moot")
    assert listed(client, status="open") == {a.pk, old.pk}
    assert listed(client, status="cancelled") == {b.pk}
    assert listed(client, council=world.council.pk, session=world.session.pk) == {a.pk, b.pk}


def test_agency_filter_reads_few_ids_or_filters_alike(client, world, monkeypatch):
    """An agency of few commitments is filtered by their ids, a busy one by a semi-join:
    both list the same rows."""
    from council import search

    client.force_login(world.users["manager"])
    agency = world.users["focal_a"].agency.pk
    few = listed(client, agency=agency)
    assert few == {world.commitment_a.pk}
    monkeypatch.setattr(search, "FEW_MATCHES", 0)  # every agency is busy now
    assert listed(client, agency=agency) == few
    assert listed(client, agency=agency, ordering="deadline") == few


def test_a_deadline_range_open_at_one_end_leaves_out_undated_commitments(client, world):
    """The range is also said on the sort key, where an undated deadline sorts last (as
    the latest date): it must still not be in a range with no end."""
    client.force_login(world.users["manager"])
    ongoing = CommitmentFactory(session=world.session, deadline=None, deadline_kind="ongoing")
    every = listed(client)
    assert ongoing.pk in every
    after = listed(client, deadline_after="2000-01-01", ordering="deadline")
    assert after == every - {ongoing.pk}
    assert listed(client, deadline_before="2100-01-01") == every - {ongoing.pk}


# The sorted-apart key (``paging.Ordering.apart``): COALESCE(x, x), in the ORDER BY.
SORTED_APART = re.compile(r"ORDER BY COALESCE\(([^()]+(?:\([^()]*\))?[^()]*), \1\)")


@pytest.mark.parametrize("ordering", ["", "session", "-session", "deadline", "-title"])
@pytest.mark.parametrize("bound", ["deadline range", "agency", "search"])
def test_a_filter_of_few_rows_sorts_them_in_the_list_order(client, world, ordering, bound):
    """A deadline range in an order by adoption, or an agency's or a search's few
    commitments, have their rows sorted instead of found by walking the sort's index (on
    PostgreSQL): every page, from either end, lists each matching commitment once in the
    chosen order."""
    from council import search

    client.force_login(world.users["manager"])
    grow(world, 30)  # due in 5 days, one session, the focal point's agency
    soon = datetime.date.today() + datetime.timedelta(days=5)
    for number, deadline in ((61, soon), (62, soon + datetime.timedelta(days=400)), (63, None)):
        commitment = CommitmentFactory(
            session__council=world.council,
            session__number=number,
            deadline=deadline,
            deadline_kind="date" if deadline else "ongoing",
        )
        ResponsibilityFactory(commitment=commitment, agency=world.users["focal_a"].agency)
    # Matches no filter: another agency's, due later, under another title.
    CommitmentFactory(
        session=world.session,
        title="Transit road map",
        deadline=soon + datetime.timedelta(days=1100),
    )
    if bound == "agency":
        params = {"agency": world.users["focal_a"].agency.pk}
        matching = set(
            Commitment.objects.filter(
                responsibilities__agency=world.users["focal_a"].agency
            ).values_list("pk", flat=True)
        )
    elif bound == "search":
        params = {"q": "Commitment"}  # the factory's titles
        matching = {
            c.pk for c in search.commitments_matching(Commitment.objects.all(), "Commitment")
        }
    else:
        params = {"deadline_after": soon.isoformat(), "deadline_before": soon.isoformat()}
        matching = set(Commitment.objects.filter(deadline=soon).values_list("pk", flat=True))
    params = {**params, "ordering": ordering} if ordering else params
    expected = [pk for pk in _expected(ordering) if pk in matching]
    assert 25 < len(expected) < Commitment.objects.count()
    with sql_sent() as sent:
        forward = _walk(client, params)
    assert [c.pk for p in forward for c in p.object_list] == expected
    backward = _walk(client, params, direction="before")
    assert [c.pk for p in backward for c in p.object_list] == expected
    apart = any(SORTED_APART.search(sql) for sql in sent)
    by_adoption = ordering in ("", "session", "-session")
    few = bound != "deadline range"
    assert apart == (connection.vendor == "postgresql" and (few or by_adoption))


def _walk(client, params, direction="after"):
    """Every page of the list, following the Next (or, from the end, Previous) links."""
    url = reverse("council:commitment-list")
    response = client.get(url, {**params, **({"last": "1"} if direction == "before" else {})})
    pages = [response.context["page"]]
    while True:
        page = pages[-1]
        cursor = page.next_cursor if direction == "after" else page.previous_cursor
        if not cursor:
            break
        response = client.get(url, {**params, direction: cursor})
        assert response.status_code == 200
        pages.append(response.context["page"])
    if direction == "before":
        pages.reverse()
    return pages


def _expected(ordering):
    """The list's order, computed independently: undated deadlines last, ties by id."""
    rows = list(Commitment.objects.select_related("session"))
    key, descending = ordering.lstrip("-"), ordering.startswith("-")
    sort_keys = {
        "deadline": lambda c: (c.deadline or datetime.date.max, c.pk),
        "title": lambda c: (c.title, c.pk),
        "status": lambda c: (c.status, c.pk),
        "session": lambda c: (c.session.start_date, c.session_id, c.pk),
        "": lambda c: (-c.session.start_date.toordinal(), -c.session_id, c.pk),
    }
    return [c.pk for c in sorted(rows, key=sort_keys[key], reverse=descending)]


@pytest.mark.parametrize(
    "ordering",
    ["deadline", "-deadline", "title", "-title", "status", "-status", "session", "-session", ""],
)
def test_list_pages_by_keyset_in_every_order(client, world, ordering):
    """Following Next from the first page, or Previous from the last, lists every
    commitment once, in the chosen order, ties and undated deadlines included."""
    client.force_login(world.users["manager"])
    grow(world, 30)
    # A number of its own: the factory's sequence may reach the world's 12 and 13.
    later = CommitmentFactory(
        session__council=world.council, session__number=99, title="Same title"
    )
    CommitmentFactory(
        session=later.session, title="Same title", deadline=None, deadline_kind="ongoing"
    )
    CommitmentFactory(session=later.session, title="Same title", deadline=later.deadline)
    expected = _expected(ordering)
    assert len(expected) == 36
    forward = _walk(client, {"ordering": ordering})
    assert [c.pk for p in forward for c in p.object_list] == expected
    assert [len(p.object_list) for p in forward] == [25, 11]
    assert [(p.start_index, p.end_index) for p in forward] == [(1, 25), (26, 36)]
    assert all(p.count == 36 and not p.count_capped for p in forward)
    backward = _walk(client, {"ordering": ordering}, direction="before")
    assert [c.pk for p in backward for c in p.object_list] == expected


def test_default_order_is_newest_session_first_in_clause_order(client, world):
    client.force_login(world.users["manager"])
    grow(world, 3)
    rows = [c for p in _walk(client, {}) for c in p.object_list]
    # The page loads only what a row shows: read the sessions' dates here.
    held_on = dict(Session.objects.values_list("pk", "start_date"))
    keys = [(-held_on[c.session_id].toordinal(), -c.session_id, c.pk) for c in rows]
    assert keys == sorted(keys) and len(rows) == Commitment.objects.count()


def test_list_counts_up_to_a_cap_and_says_more(client, world, monkeypatch):
    from council.views import commitments

    client.force_login(world.users["manager"])
    grow(world, 30)
    response = client.get(reverse("council:commitment-list"))
    assert "33 commitments" in response.content.decode()
    monkeypatch.setattr(commitments, "LIST_COUNT_CAP", 20)
    response = client.get(reverse("council:commitment-list"))
    page = response.context["page"]
    assert page.count == 20 and page.count_capped and len(page.object_list) == 25
    assert "More than 20 commitments" in response.content.decode()


def test_following_pages_carry_the_count_instead_of_counting_again(client, world):
    client.force_login(world.users["manager"])
    grow(world, 30)
    url = reverse("council:commitment-list")
    first = client.get(url, {"ordering": "deadline"}).context["page"]
    with CaptureQueriesContext(connection) as first_queries:
        client.get(url, {"ordering": "deadline"})
    with CaptureQueriesContext(connection) as next_queries:
        second = client.get(url, {"ordering": "deadline", "after": first.next_cursor})
    assert second.context["page"].count == 33
    assert "33 commitments" in second.content.decode()
    assert len(next_queries) == len(first_queries) - 1


def test_a_tampered_or_foreign_cursor_gives_the_first_page(client, world):
    client.force_login(world.users["manager"])
    grow(world, 30)
    url = reverse("council:commitment-list")
    first = client.get(url, {"ordering": "title"}).context["page"]
    by_deadline = client.get(url, {"ordering": "deadline"}).context["page"]
    for params in (
        {"ordering": "title", "after": first.next_cursor[:-3] + "abc"},
        {"ordering": "title", "after": by_deadline.next_cursor},  # another sort's cursor
        {"ordering": "title", "before": "not-a-cursor"},
        {"ordering": "title", "after": "x" * 5000},
    ):
        response = client.get(url, params)
        assert response.status_code == 200
        assert [c.pk for c in response.context["page"].object_list] == [
            c.pk for c in first.object_list
        ]


def test_bad_filter_values_get_a_message_not_an_error(client, world):
    client.force_login(world.users["manager"])
    for params in (
        {"council": "abc"},
        {"deadline_after": "31.02.2025"},
        {"status": "<script>"},
        {"page": "999"},
        {"after": "%00"},
        {"last": "yes"},
    ):
        response = client.get(reverse("council:commitment-list"), params)
        assert response.status_code == 200


def test_a_reversed_deadline_range_is_refused_with_its_dates_kept(client, world):
    """A first date after the second lists nothing, and says why (in the results an htmx
    filter swaps in, and under the field on a full page), keeping both dates."""
    client.force_login(world.users["manager"])
    params = {"deadline_after": "2020-12-31", "deadline_before": "2020-01-01"}
    for headers in ({}, HX):
        response = client.get(reverse("council:commitment-list"), params, **headers)
        body = response.content.decode()
        assert response.status_code == 200 and not response.context["page"].object_list
        assert "The first date is after the second: swap them." in body
    full = client.get(reverse("council:commitment-list"), params).content.decode()
    assert 'value="2020-12-31"' in full and 'value="2020-01-01"' in full
    assert 'class="invalid-feedback d-block">The first date is after the second' in full
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    ru = client.get(reverse("council:commitment-list"), params).content.decode()
    assert "Первая дата позже второй: поменяйте их местами." in ru
    # The same day at both ends is a range of one day, not a reversed one.
    same = {"deadline_after": "2020-06-01", "deadline_before": "2020-06-01"}
    assert "swap them" not in client.get(reverse("council:commitment-list"), same).content.decode()


def test_list_htmx_request_gets_only_the_results(client, world):
    client.force_login(world.users["manager"])
    response = client.get(reverse("council:commitment-list"), {"status": "open"}, **HX)
    body = response.content.decode()
    assert "<html" not in body and 'id="results"' in body
    assert "HX-Request" in response["Vary"]
    full = client.get(reverse("council:commitment-list"), {"status": "open"})
    assert "<html" in full.content.decode() and "HX-Request" in full["Vary"]


def test_other_councils_commitments_are_not_listed(client, world):
    hidden = CommitmentFactory(session__council=world.other_council)
    client.force_login(world.users["focal_a"])
    assert hidden.pk not in listed(client)


# Commitments -----------------------------------------------------------------------------


def commitment_data(world, **extra):
    kz_agency = world.users["focal_a"].agency
    kg_agency = AgencyFactory(party=world.council.parties.get(code="KG"))
    data = {
        "clause": "2.9",
        "title": "Open a trade house",
        "text": "The Parties shall open a trade house.",
        "deadline_kind": "date",
        "deadline": "2027-03-01",
        "agencies-TOTAL_FORMS": 2,
        "agencies-INITIAL_FORMS": 0,
        "agencies-0-agency": kz_agency.pk,
        "agencies-0-role": "lead",
        "agencies-1-agency": kg_agency.pk,
        "agencies-1-role": "lead",
    }
    data.update(extra)
    return data


def test_secretariat_adds_a_commitment_with_responsible_agencies(client, world):
    client.force_login(world.users["secretariat"])
    response = client.post(
        reverse("council:commitment-create", args=[world.session.pk]), commitment_data(world)
    )
    commitment = Commitment.objects.get(title="Open a trade house")
    assert response.status_code == 302
    assert set(commitment.responsibilities.values_list("party__code", flat=True)) == {"KZ", "KG"}


def test_commitment_form_refuses_two_leads_of_one_party_and_taken_clause(client, world):
    client.force_login(world.users["secretariat"])
    same_party = AgencyFactory(party=world.council.parties.get(code="KZ"))
    response = client.post(
        reverse("council:commitment-create", args=[world.session.pk]),
        commitment_data(world, clause="2.1", **{"agencies-1-agency": same_party.pk}),
    )
    assert response.status_code == 200
    assert "at most one lead" in response.content.decode()
    assert "already used" in response.content.decode()
    response = client.post(
        reverse("council:commitment-create", args=[world.session.pk]),
        commitment_data(world, deadline="", **{"agencies-TOTAL_FORMS": 0}),
    )
    assert "Give the deadline date" in response.content.decode()
    assert "at least one responsible agency" in response.content.decode()
    assert not Commitment.objects.filter(title="Open a trade house").exists()


def test_focal_point_reports_progress_with_an_attachment(client, world):
    client.force_login(world.users["focal_a"])
    upload = SimpleUploadedFile("act.pdf", b"%PDF-1.4 act", content_type="application/pdf")
    response = client.post(
        reverse("council:commitment-report", args=[world.commitment_a.pk]),
        {"note": "Act signed", "to_status": "completion_reported", "attachment": upload},
        **HX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and "Status changed" in body and "act.pdf" in body
    # The attachment's mark is a drawn icon, not an emoji some systems have no glyph for.
    link = body[body.index("act.pdf") - 700 : body.index("act.pdf")]
    assert "<svg" in link and "\N{PAPERCLIP}" not in body
    update = StatusUpdate.objects.filter(commitment=world.commitment_a).first()
    assert (
        update.author == world.users["focal_a"] and update.agency == world.users["focal_a"].agency
    )
    assert update.to_status == "completion_reported"


def test_focal_point_may_not_complete_or_cancel(client, world):
    client.force_login(world.users["focal_a"])
    url = reverse("council:commitment-report", args=[world.commitment_a.pk])
    for status in ("completed", "cancelled"):
        response = client.post(url, {"to_status": status, "note": "done"}, **HX)
        assert response.status_code == 422
        assert "Select a valid choice" in response.content.decode()
    world.commitment_a.refresh_from_db()
    assert world.commitment_a.status == "not_started"


def test_manager_accepts_or_returns_a_reported_completion(client, world):
    services.commitment_change_status(
        commitment=world.commitment_a, to="completion_reported", by=None
    )
    client.force_login(world.users["manager"])
    url = reverse("council:commitment-report", args=[world.commitment_a.pk])
    response = client.post(url, {"to_status": "in_progress"}, **HX)
    assert response.status_code == 422 and "Say why" in response.content.decode()
    response = client.post(url, {"to_status": "completed", "note": "Checked"})
    assert response.status_code == 302
    world.commitment_a.refresh_from_db()
    assert world.commitment_a.status == "completed"


def test_invalid_transition_shows_why(client, world):
    client.force_login(world.users["secretariat"])
    services.commitment_change_status(
        commitment=world.commitment_a, to="cancelled", by=None, note="moot"
    )
    response = client.post(
        reverse("council:commitment-report", args=[world.commitment_a.pk]),
        {"to_status": "in_progress", "note": "x"},
    )
    assert response.status_code == 422
    # Cancelled is final: no move is offered, and the one asked for is refused.
    assert "Select a valid choice" in response.content.decode()


def test_empty_report_is_refused(client, world):
    client.force_login(world.users["focal_a"])
    response = client.post(
        reverse("council:commitment-report", args=[world.commitment_a.pk]), {"note": " "}, **HX
    )
    assert response.status_code == 422 and "Write what has been done" in response.content.decode()


def test_attachment_of_unknown_type_is_refused(client, world):
    client.force_login(world.users["focal_a"])
    upload = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        reverse("council:commitment-report", args=[world.commitment_a.pk]),
        {"note": "x", "attachment": upload},
        **HX,
    )
    assert response.status_code == 422 and "PDF, Word, Excel or image" in response.content.decode()


def test_commitment_page_shows_timeline_reviews_and_history(client, world):
    client.force_login(world.users["manager"])
    later = Session.objects.create(
        council=world.council, number=14, start_date=datetime.date(2026, 11, 1)
    )
    services.review_record_decision(
        commitment=world.commitment_a, session=later, decision="keep", by=None
    )
    page = client.get(world.commitment_a.get_absolute_url()).content.decode()
    assert "Draft sent" in page and "evidence.pdf" in page
    assert "Kept under monitoring" in page and "session 14" in page
    assert "Change history" in page


def test_second_of_two_concurrent_edits_is_refused_not_lost(client, world):
    """Two people open the same commitment; the first saves; the second is told, and
    nothing the first saved is overwritten."""
    client.force_login(world.users["secretariat"])
    url = reverse("council:commitment-edit", args=[world.commitment_a.pk])
    form = client.get(url).context["form"]
    assert form["version"].value() == 1

    def post(title, version):
        data = commitment_data(world, title=title, version=version, clause="2.1")
        data.update({"agencies-TOTAL_FORMS": 0, "agencies-INITIAL_FORMS": 0})
        rows = list(world.commitment_a.responsibilities.all())
        data["agencies-TOTAL_FORMS"] = data["agencies-INITIAL_FORMS"] = len(rows)
        for i, r in enumerate(rows):
            data.update(
                {
                    f"agencies-{i}-id": r.pk,
                    f"agencies-{i}-agency": r.agency_id,
                    f"agencies-{i}-role": r.role,
                }
            )
        return client.post(url, data)

    first = post("First editor's title", 1)
    assert first.status_code == 302
    second = post("Second editor's title", 1)
    assert second.status_code == 409
    body = second.content.decode()
    assert "while you were editing" in body and "Reload the current version" in body
    world.commitment_a.refresh_from_db()
    assert world.commitment_a.title == "First editor's title" and world.commitment_a.version == 2
    assert post("Second editor, after reloading", 2).status_code == 302


def test_a_progress_report_is_withdrawn_with_a_reason_never_deleted(client, world):
    update = world.commitment_a.updates.get()
    client.force_login(world.users["focal_b"])  # neither its author nor the secretariat
    url = reverse("council:status-update-withdraw", args=[update.pk])
    assert client.post(url, {"reason": "wrong"}).status_code == 403
    client.force_login(world.users["secretariat"])
    response = client.post(url, {"reason": " "}, follow=True)
    assert "Say why" in response.content.decode()
    response = client.post(url, {"reason": "Reported on the wrong commitment."}, follow=True)
    update.refresh_from_db()
    assert update.is_withdrawn and update.withdrawn_by == world.users["secretariat"]
    page = response.content.decode()
    assert "Reported on the wrong commitment." in page and "text-decoration-line-through" in page
    assert StatusUpdate.objects.filter(pk=update.pk).exists()


def test_history_shows_who_when_and_before_after(client, world):
    client.force_login(world.users["secretariat"])
    session = world.session
    session.city = "Bishkek"
    session._change_reason = "Venue moved"
    session.save()
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Change history" in page and "Venue moved" in page
    assert "<del>Astana</del>" in page and "<ins>Bishkek</ins>" in page


def test_carries_over_lists_earlier_clauses_in_protocol_order_by_session(client, world):
    """2.1, 2.2, 2.9, 2.10 — not 2.1, 2.10, 2.2 — each under its session, newest first."""
    earlier = Session.objects.create(
        council=world.council, number=5, start_date=datetime.date(2015, 5, 1)
    )
    for clause in ["2.10", "2.2", "2.9", "2.1"]:
        CommitmentFactory(session=earlier, clause=clause, title=f"Clause {clause}")
    later = Session.objects.create(
        council=world.council, number=world.session.number + 1, start_date=datetime.date(2027, 5, 1)
    )
    client.force_login(world.users["secretariat"])
    page = client.get(reverse("council:commitment-create", args=[later.pk])).content.decode()
    select = page[page.index('name="carries_over"') :]
    select = select[: select.index("</select>")]
    order = [select.index(f"Clause {c}<") for c in ["2.1", "2.2", "2.9", "2.10"]]
    assert order == sorted(order)
    groups = [select.index(f'label="{s}"') for s in (world.session, earlier)]  # 13, then 5
    assert groups == sorted(groups)  # the newer session's clauses come first


@pytest.mark.parametrize("ordering", ["deadline", "-deadline", "title", "-status", ""])
def test_a_few_councils_are_read_council_by_council(client, world, ordering):
    """A secretariat of a few councils has their list read council by council and merged
    (on PostgreSQL: each council's own index instead of walking the whole one). Every
    commitment of theirs comes once, in the chosen order, from either end."""
    from ..factories import CouncilFactory

    user = world.users["secretariat"]
    grow(world, 8)
    for number in range(2):
        council = CouncilFactory()
        council.secretariat_staff.add(user)
        first = CommitmentFactory(session__council=council, session__number=50 + number)
        for _ in range(9):
            CommitmentFactory(session=first.session)
    CommitmentFactory(session__council=world.other_council, session__number=70)  # not theirs
    theirs = set(
        Commitment.objects.filter(council__secretariat_staff=user).values_list("pk", flat=True)
    )
    expected = [pk for pk in _expected(ordering) if pk in theirs]
    assert 25 < len(expected) < Commitment.objects.count()
    client.force_login(user)
    with sql_sent() as sent:
        forward = _walk(client, {"ordering": ordering})
    assert [c.pk for p in forward for c in p.object_list] == expected
    backward = _walk(client, {"ordering": ordering}, direction="before")
    assert [c.pk for p in backward for c in p.object_list] == expected
    grouped = any(" UNION ALL " in sql for sql in sent)
    assert grouped == (connection.vendor == "postgresql")
