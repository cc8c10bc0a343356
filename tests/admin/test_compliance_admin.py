"""Compliance scores in admin: read, set by hand through the service (a reason
required), never added or deleted there."""

from django.urls import reverse

from council import services
from council.models import ComplianceScore
from tests.services.test_compliance import build_example


def test_admin_sets_a_score_only_with_a_reason(world, admin_client):
    example = build_example(world)
    services.compliance_assess_session(session=world.session, by=None)
    score = ComplianceScore.objects.get(commitment=example["1.3"], party=example["kg"])
    url = reverse("admin:council_compliancescore_change", args=[score.pk])
    assert admin_client.get(url).status_code == 200
    refused = admin_client.post(url, {"override": "-1", "override_reason": ""})
    assert refused.status_code == 200  # the form again, with the refusal
    score.refresh_from_db()
    assert score.override is None
    saved = admin_client.post(url, {"override": "-1", "override_reason": "No report"})
    assert saved.status_code == 302
    score.refresh_from_db()
    assert (score.override, score.override_reason) == (-1, "No report")
    assert admin_client.get(reverse("admin:council_compliancescore_add")).status_code == 403
    delete = reverse("admin:council_compliancescore_delete", args=[score.pk])
    assert admin_client.get(delete).status_code == 403
