"""The demo's compliance page: the KZ–KG council's 12th and 13th sessions, both parties,
and one score the secretariat set by hand with a Russian reason."""

import pytest
from django.urls import reverse

from council.models import ComplianceScore, Council
from council.reporting import compliance

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("demo_once"),
    pytest.mark.xdist_group("demo-compliance"),
]


def igc():
    return Council.objects.get(sessions__number=13, parent__isnull=True)


def test_both_sessions_show_scores_for_both_parties(demo):
    overview = compliance.overview(igc())
    assert [row.label for row in overview.by_session] == ["12", "13"]
    assert [p.code for p in overview.parties] == ["KZ", "KG"]
    for row in overview.by_session:
        assert all(row.cells.get(p.pk) for p in overview.parties)
    kz, kg = overview.parties
    session_12 = overview.by_session[0]
    # Assessed at the 13th session: 1.1, 1.3 and 1.7 completed (+1), 1.8 in progress
    # (0, interim), the Kyrgyz side of 1.8 set to −1; 1.2, 1.4, 1.5 replaced and 1.6
    # cancelled are not scored.
    assert session_12.cells[kz.pk].percent == 87.5
    assert session_12.cells[kg.pk].percent == 75.0
    assert session_12.cells[kz.pk].final == 3 and session_12.cells[kz.pk].interim == 1
    assert overview.by_session[1].cells[kz.pk].live == overview.by_session[1].cells[kz.pk].sides


def test_one_score_is_set_by_hand_in_russian(demo):
    overridden = ComplianceScore.objects.get(override__isnull=False)
    assert overridden.party.code == "KG" and overridden.score == -1
    assert "Кыргызская сторона" in overridden.override_reason


def test_the_page_renders_for_the_demo_secretariat(demo, client, no_lazy_loads):
    client.force_login(demo.users["secretariat"])
    response = client.get(reverse("council:council-compliance", args=[igc().pk]))
    assert response.status_code == 200
    assert "Кыргызская сторона" in response.content.decode()
