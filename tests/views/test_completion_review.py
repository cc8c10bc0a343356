"""The manager's day on the pages: the review panel on a commitment (accept, return with a
reason, refused in place without one), the queue on the dashboard, the list's "mine" and
"awaiting review" filters, its folded filters' count, and the list's page links."""

import re

import pytest
from django.urls import reverse

from council import services
from council.models import Commitment
from council.paging import KeysetPage

from ..factories import CommitmentFactory
from .pages import HX, grow

S = Commitment.Status


def _reported(commitment):
    services.commitment_change_status(commitment=commitment, to=S.COMPLETION_REPORTED, by=None)
    return commitment


def _accept_url(commitment):
    return reverse("council:commitment-accept-completion", args=[commitment.pk])


def _return_url(commitment):
    return reverse("council:commitment-return-completion", args=[commitment.pk])


# The review panel -------------------------------------------------------------------------


def test_manager_sees_accept_and_return_not_the_progress_form(client, world):
    commitment = _reported(world.commitment_a)
    client.force_login(world.users["manager"])
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert 'id="completion-review"' in page
    assert "Accept completion" in page and "Return with this reason" in page
    # The manager reports nothing: no progress form with the review moves in its select.
    assert reverse("council:commitment-report", args=[commitment.pk]) not in page
    # The panel comes before the history in the page (first on a phone).
    assert page.index('id="completion-review"') < page.index('id="history-heading"')


def test_focal_point_sees_no_review_panel(client, world):
    commitment = _reported(world.commitment_a)
    client.force_login(world.users["focal_a"])
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert 'id="completion-review"' not in page and "Accept completion" not in page


def test_admin_gets_the_panel_and_a_form_without_the_review_moves(client, world):
    commitment = _reported(world.commitment_a)
    client.force_login(world.users["admin"])
    response = client.get(commitment.get_absolute_url())
    assert 'id="completion-review"' in response.content.decode()
    offered = [
        value for value, _label in response.context["update_form"].fields["to_status"].choices
    ]
    # A reported completion moves only by the review: the form keeps the status.
    assert offered == [""]


def test_return_without_a_reason_is_refused_in_place(client, world):
    commitment = _reported(world.commitment_a)
    client.force_login(world.users["manager"])
    response = client.post(_return_url(commitment), {"reason": "   "}, **HX)
    assert response.status_code == 422
    html = response.content.decode()
    # Only the panel comes back, the textarea marked invalid and described by the error.
    assert html.lstrip().startswith('<section id="completion-review"')
    assert 'aria-invalid="true"' in html and 'id="return-reason-error"' in html
    assert "Say why the completion is returned" in html
    commitment.refresh_from_db()
    assert commitment.status == S.COMPLETION_REPORTED


def test_a_refused_return_keeps_what_was_typed(client, world):
    """A reason too long for the record is refused by the model, and stays in the box."""
    commitment = _reported(world.commitment_a)
    client.force_login(world.users["manager"])
    response = client.post(_return_url(commitment), {"reason": "x" * 6000}, **HX)
    assert response.status_code == 422
    assert "x" * 6000 in response.content.decode()
    assert "Keep the reason under 5000 characters" in response.content.decode()


def test_return_without_htmx_shows_the_whole_page_with_the_error(client, world):
    commitment = _reported(world.commitment_a)
    client.force_login(world.users["manager"])
    response = client.post(_return_url(commitment), {"reason": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" in html and "Say why the completion is returned" in html


def test_return_with_a_reason(client, world):
    commitment = _reported(world.commitment_a)
    client.force_login(world.users["manager"])
    response = client.post(_return_url(commitment), {"reason": "Attach the signed act."}, **HX)
    assert response.status_code == 200
    html = response.content.decode()
    # In place: the panel goes; status, timeline (with the message) and history follow.
    assert html.lstrip().startswith('<div id="completion-review" hidden></div>')
    assert '<section id="updates" aria-labelledby="updates-heading" hx-swap-oob="true">' in html
    assert '<div id="commitment-status" hx-swap-oob="true">' in html
    assert '<div id="commitment-history" hx-swap-oob="true">' in html
    assert "Completion returned: the commitment is in progress again" in html
    assert "Completion returned: Attach the signed act." in html  # the history's reason
    commitment.refresh_from_db()
    assert commitment.status == S.IN_PROGRESS
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert "Completion returned" in page and "Attach the signed act." in page
    assert 'id="completion-review"' not in page  # nothing left to review


def test_accept(client, world):
    commitment = _reported(world.commitment_a)
    client.force_login(world.users["manager"])
    response = client.post(_accept_url(commitment))
    assert response.status_code == 302 and response.url == commitment.get_absolute_url()
    commitment.refresh_from_db()
    assert commitment.status == S.COMPLETED
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert "Completion accepted" in page


@pytest.mark.parametrize("persona", ["focal_a", "secretariat"])
def test_others_may_not_review(client, world, persona):
    commitment = _reported(world.commitment_a)
    client.force_login(world.users[persona])
    assert client.post(_accept_url(commitment), **HX).status_code == 403
    assert client.post(_return_url(commitment), {"reason": "no"}, **HX).status_code == 403
    commitment.refresh_from_db()
    assert commitment.status == S.COMPLETION_REPORTED


def test_reviewing_what_is_no_longer_reported_says_so_in_the_panel(client, world):
    commitment = world.commitment_a  # not reported (say, accepted by another manager)
    client.force_login(world.users["manager"])
    response = client.post(_accept_url(commitment), **HX)
    assert response.status_code == 422
    assert "no longer waiting for a review" in response.content.decode()


# The queue on the dashboard ---------------------------------------------------------------


def _queue_count(html):
    card = re.search(r'id="review-queue-card".*?</a>', html, re.S).group(0)
    return int(re.search(r'display-6[^"]*">(\d+)<', card).group(1)), card


def test_dashboard_counts_the_queue_and_links_to_it(client, world):
    _reported(world.commitment_a)
    _reported(world.commitment_b)
    client.force_login(world.users["manager"])
    html = client.get(reverse("council:dashboard")).content.decode()
    count, card = _queue_count(html)
    assert count == 2 and "?scope=review" in card
    assert "Completions awaiting your review" in card
    listed = client.get(reverse("council:commitment-list"), {"scope": "review"})
    assert {c.pk for c in listed.context["page"].object_list} == {
        world.commitment_a.pk,
        world.commitment_b.pk,
    }


def test_dashboard_counts_more_than_it_lists(client, world):
    grow(world, 12)
    for commitment in Commitment.objects.filter(status=S.IN_PROGRESS):
        services.commitment_change_status(commitment=commitment, to=S.COMPLETION_REPORTED, by=None)
    client.force_login(world.users["manager"])
    response = client.get(reverse("council:dashboard"))
    assert response.context["awaiting_review_count"] == 12
    assert len(response.context["awaiting_review"]) == 10
    assert "All 12 completions awaiting review" in response.content.decode()


def test_the_queue_counts_a_side_that_reported_while_the_other_works(client, world):
    """Eleven commitments in progress with the Kazakh side reported done, one reported
    whole: more than the dashboard lists, so the card's figure is counted."""
    from ..factories import AgencyFactory

    focal_a = world.users["focal_a"]
    kg_agency = AgencyFactory(party=world.council.parties.get(code="KG"))
    for n in range(12):
        commitment = services.commitment_create(
            session=world.session,
            fields={
                "title": f"Joint measure {n}",
                "text": "Both do it",
                "deadline_kind": "next_session",
            },
            responsibilities=[(focal_a.agency, "lead"), (kg_agency, "lead")],
            by=world.users["secretariat"],
        )
        services.commitment_change_status(
            commitment=commitment, to=S.IN_PROGRESS, by=focal_a, note="Started"
        )
        services.commitment_change_status(
            commitment=Commitment.objects.get(pk=commitment.pk),
            to=S.COMPLETION_REPORTED,
            by=focal_a if n else None,  # the first reported whole, by the secretariat
            note="Done on our side",
        )
    statuses = Commitment.objects.filter(title__startswith="Joint measure").values_list(
        "status", flat=True
    )
    assert sorted(statuses) == [S.COMPLETION_REPORTED] + [S.IN_PROGRESS] * 11
    client.force_login(world.users["manager"])
    response = client.get(reverse("council:dashboard"))
    assert response.context["awaiting_review_count"] == 12
    assert len(response.context["awaiting_review"]) == 10


def test_focal_point_sees_their_own_completions_awaiting_review(client, world):
    _reported(world.commitment_a)  # agency A's
    _reported(world.commitment_b)  # agency B's
    client.force_login(world.users["focal_a"])
    html = client.get(reverse("council:dashboard")).content.decode()
    count, card = _queue_count(html)
    assert count == 1 and "awaiting your review" not in card


# The list's filters -----------------------------------------------------------------------


def _listed(client, **params):
    response = client.get(reverse("council:commitment-list"), params)
    assert response.status_code == 200
    return {c.pk for c in response.context["page"].object_list}


def test_my_commitments_filter(client, world):
    a, b, old = world.commitment_a, world.commitment_b, world.commitment_old
    elsewhere = CommitmentFactory(session__council=world.other_council)
    client.force_login(world.users["focal_a"])
    assert _listed(client) == {a.pk, b.pk, old.pk}  # the council's, as a party's
    assert _listed(client, scope="mine") == {a.pk}  # their agency's only
    client.force_login(world.users["secretariat_other"])
    assert _listed(client, scope="mine") == {elsewhere.pk}  # their council's
    client.force_login(world.users["manager"])
    assert _listed(client, scope="mine") == {a.pk, b.pk, old.pk, elsewhere.pk}


def test_awaiting_review_filter_combines_with_the_others(client, world):
    _reported(world.commitment_a)
    _reported(world.commitment_b)
    client.force_login(world.users["manager"])
    assert _listed(client, scope="review", q="2.2") == {world.commitment_b.pk}
    client.force_login(world.users["focal_b"])
    assert _listed(client, scope="review") == {world.commitment_b.pk}


def test_an_unknown_scope_is_the_forms_error_not_a_server_error(client, world):
    client.force_login(world.users["manager"])
    response = client.get(reverse("council:commitment-list"), {"scope": "everything'--"})
    assert response.status_code == 200
    assert "Some filters are not valid" in response.content.decode()


def test_folded_filters_button_counts_the_filters_set(client, world):
    client.force_login(world.users["manager"])
    url = reverse("council:commitment-list")
    page = client.get(url).content.decode()
    assert 'aria-controls="filters-panel"' in page and "(filters set:" not in page
    params = {
        "scope": "mine",
        "status": "open",
        "deadline_after": "2020-01-01",
        "ordering": "title",
    }
    page = client.get(url, params).content.decode()
    assert "(filters set: 3)" in page  # the sort is not a filter
    # Changing a filter (htmx) brings the count along, out of band.
    partial = client.get(url, {"status": "open"}, **HX).content.decode()
    assert 'id="filter-count" hx-swap-oob="true"' in partial and "(filters set: 1)" in partial


def test_a_row_opens_its_commitment_as_a_page(client, world):
    """The results page by htmx (their links are boosted into #results); a row's link
    must load the commitment's page, not swap it into the list."""
    client.force_login(world.users["manager"])
    page = client.get(reverse("council:commitment-list")).content.decode()
    rows = page[page.index("<tbody") : page.index("</tbody>")]
    assert rows.startswith('<tbody hx-boost="false">')
    assert world.commitment_a.get_absolute_url() in rows


# The list's page links ----------------------------------------------------------------------


def _page(**kwargs):
    defaults = {
        "object_list": [],
        "next_cursor": "n",
        "previous_cursor": "p",
        "count_capped": False,
        "size": 25,
    }
    return KeysetPage(**(defaults | kwargs))


@pytest.mark.parametrize(
    ("start", "rows", "count", "first", "last"),
    [
        (1, 25, 30, False, False),  # two pages: Next is the last page
        (26, 5, 30, False, False),  # on the last of two: Previous is the first
        (26, 25, 80, False, True),  # page 2 of 4: Previous is the first, Last is its own
        (51, 25, 80, True, False),  # page 3 of 4: Next is the last
        (1, 25, 100, False, True),
    ],
)
def test_first_and_last_are_shown_only_when_they_are_pages_of_their_own(
    start, rows, count, first, last
):
    page = _page(
        object_list=list(range(rows)),
        start_index=start,
        count=count,
        has_previous=start > 1,
        has_next=start + rows - 1 < count,
    )
    assert (page.show_first, page.show_last) == (first, last)


def test_the_last_page_holds_the_rest_and_does_not_overlap_the_first(client, world):
    grow(world, 27)  # 30 commitments: 25 on the first page, 5 on the last
    client.force_login(world.users["manager"])
    url = reverse("council:commitment-list")
    first = client.get(url).context["page"]
    last = client.get(url, {"last": "1"}).context["page"]
    assert (last.start_index, last.end_index) == (26, 30) and len(last.object_list) == 5
    assert not {c.pk for c in first.object_list} & {c.pk for c in last.object_list}
    html = client.get(url).content.decode()
    assert "last=1" not in html  # Next already leads to the last page
    html = client.get(url, {"last": "1"}).content.decode()
    assert ">First<" not in html and ">Previous<" in html


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("manager", 200),
        ("admin", 200),
        ("secretariat", 403),
        ("focal_a", 403),
        ("focal_b", 403),
        ("focal_uz", 404),  # does not see the council at all
        ("secretariat_other", 404),
    ],
)
def test_who_may_return_a_reported_completion(client, world, persona, status):
    commitment = _reported(world.commitment_a)
    client.force_login(world.users[persona])
    response = client.post(_return_url(commitment), {"reason": "Not signed."}, **HX)
    assert response.status_code == status
    commitment.refresh_from_db()
    assert commitment.status == (S.IN_PROGRESS if status == 200 else S.COMPLETION_REPORTED)
