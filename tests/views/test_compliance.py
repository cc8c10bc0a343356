"""The compliance page: who sees it, who sets a score, its queries, and its Excel file."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from council import services
from council.models import ComplianceScore
from tests.factories import CommitmentFactory, ResponsibilityFactory
from tests.services.test_compliance import build_example


@pytest.fixture
def assessed(world):
    example = build_example(world)
    services.compliance_assess_session(session=world.session, by=world.users["secretariat"])
    return example


def page_url(world):
    return reverse("council:council-compliance", args=[world.council.pk])


def test_the_page_shows_each_partys_percentages_and_the_method(
    world, assessed, login, no_lazy_loads
):
    client = login(world.users["focal_a"])
    response = client.get(page_url(world), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    text = response.content.decode()
    assert "62.5%" in text and "83.3%" in text  # session 12: KZ, KG
    assert "(average + 1) / 2" in text
    assert "<svg" in text
    # A focal point sees the scores but gets no form to set one.
    assert 'name="reason"' not in text
    assert "Assess at session" not in text


def test_the_secretariat_assesses_and_sets_a_score_in_place(world, assessed, login, no_lazy_loads):
    client = login(world.users["secretariat"])
    text = client.get(page_url(world)).content.decode()
    assert 'name="reason"' in text and "data-assess-form" in text
    score = ComplianceScore.objects.get(commitment=assessed["1.3"], party=assessed["kg"])
    url = reverse("council:compliance-override", args=[score.pk])
    refused = client.post(url, {"value": "-1", "reason": ""}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422
    body = refused.content.decode()
    assert body.lstrip().startswith("<tr")
    assert 'aria-invalid="true"' in body
    assert '<option value="-1" selected>' in body  # the input is kept
    score.refresh_from_db()
    assert score.override is None
    saved = client.post(url, {"value": "-1", "reason": "Nothing reported"}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200
    assert "Nothing reported" in saved.content.decode()
    score.refresh_from_db()
    assert (score.override, score.overridden_by) == (-1, world.users["secretariat"])
    # Assessing again from the page keeps it.
    assess = reverse("council:compliance-assess", args=[world.session.pk])
    assert client.post(assess).status_code == 302
    score.refresh_from_db()
    assert score.override == -1


def test_focal_points_may_not_set_or_assess_and_outsiders_see_nothing(world, assessed, login):
    score = ComplianceScore.objects.first()
    override = reverse("council:compliance-override", args=[score.pk])
    assess = reverse("council:compliance-assess", args=[world.session.pk])
    client = login(world.users["focal_a"])
    assert client.post(override, {"value": "0", "reason": "x"}).status_code == 403
    assert client.post(assess).status_code == 403
    client = login(world.users["focal_uz"])
    assert client.get(page_url(world)).status_code == 404
    assert client.post(override, {"value": "0", "reason": "x"}).status_code == 404
    assert client.post(assess).status_code == 404
    export = reverse("council:compliance-export", args=[world.council.pk])
    assert client.get(export).status_code == 404
    score.refresh_from_db()
    assert score.override is None


def test_the_page_runs_as_many_queries_for_many_commitments(world, assessed, login):
    client = login(world.users["secretariat"])
    client.get(page_url(world))
    with CaptureQueriesContext(connection) as few:
        assert client.get(page_url(world)).status_code == 200
    for index in range(6):
        commitment = CommitmentFactory(session=assessed["1.2"].session, clause=f"9.{index}")
        ResponsibilityFactory(commitment=commitment, agency=assessed["kz1"])
        ResponsibilityFactory(commitment=commitment, agency=assessed["kg1"])
    services.compliance_assess_session(session=world.session, by=None)
    with CaptureQueriesContext(connection) as many:
        assert client.get(page_url(world)).status_code == 200
    assert len(many) == len(few)


def test_the_excel_file_has_the_numbers_and_local_dates(world, assessed, login):
    client = login(world.users["secretariat"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.get(reverse("council:compliance-export", args=[world.council.pk]))
    assert response.status_code == 200
    assert ".xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.freeze_panes == "A2"
    by_session = {(r[1], r[3]): r for r in rows[1:] if r[0] == "Заседание"}
    kz = by_session[("Заседание 12", "Country KZ")]
    assert kz[4] == 62.5 and kz[5:9] == (4, 3, 1, 0)
    assert by_session[("Заседание 12", "Country KG")][4] == 83.3
    assert kz[2].date().isoformat() == "2024-11-22"
    assert sheet.cell(2, 3).number_format == "dd.mm.yyyy"


def test_the_review_page_offers_the_assessment_and_comes_back(world, assessed, login):
    review = reverse("council:session-review", args=[world.session.pk])
    assess = reverse("council:compliance-assess", args=[world.session.pk])
    text = login(world.users["focal_a"]).get(review).content.decode()
    assert page_url(world) in text and assess not in text
    client = login(world.users["secretariat"])
    assert assess in client.get(review).content.decode()
    response = client.post(assess, {"back": "review"})
    assert response.status_code == 302 and response["Location"] == review


def test_without_htmx_a_refusal_comes_back_on_the_whole_page(world, assessed, login, no_lazy_loads):
    client = login(world.users["secretariat"])
    score = ComplianceScore.objects.get(commitment=assessed["1.3"], party=assessed["kg"])
    url = reverse("council:compliance-override", args=[score.pk])
    response = client.post(url, {"value": "1", "reason": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    text = response.content.decode()
    assert 'role="alert"' in text
    # The refused form is open in its own row only, with the choice kept.
    assert text.count('aria-invalid="true"') == 1
    assert text.count('<details class="mt-1 no-print" open>') == 1


def test_the_recorded_scores_page_through_in_order_each_once(world, assessed, login, monkeypatch):
    """The table of recorded scores reads a page's ids first, then its rows: every score
    comes once, in the table's order (adopting session, clause, party), page after page,
    and the session filter narrows it."""
    from council.reporting import compliance
    from council.views import compliance as view

    monkeypatch.setattr(view, "SCORES_PER_PAGE", 3)
    client = login(world.users["secretariat"])
    listed, number = [], 1
    while True:
        response = client.get(page_url(world), {"page": number})
        page = response.context["page"]
        listed += [score.pk for score in page.object_list]
        if not page.has_next():
            break
        number += 1
    expected = list(compliance.scores(world.council).values_list("pk", flat=True))
    assert listed == expected and len(expected) == 7 and number == 3
    session = assessed["1.5"].session_id
    narrowed = client.get(page_url(world), {"session": session}).context["page"]
    assert {s.commitment.session_id for s in narrowed.object_list} == {session}
