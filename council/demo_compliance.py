"""The demo's compliance scores: the 13th session's review assessed (the 12th session's
commitments, final and interim), and one score the secretariat set by hand. The 13th
session's own commitments, which no later session has reviewed yet, show on the
compliance page as derived from today's status."""

from __future__ import annotations

from . import services
from .models import ComplianceScore


def load_compliance(loader) -> None:
    secretariat = loader.users["secretariat"]
    services.compliance_assess_session(session=loader.sessions["igc-13"], by=secretariat)
    # Clause 1.8 (ongoing, in progress): the Kyrgyz side sent nothing for the review.
    silent = ComplianceScore.objects.get(
        session=loader.sessions["igc-13"],
        commitment=loader.commitments["c12-8"],
        party=loader.parties["KG"],
    )
    services.compliance_override(
        score=silent,
        value=ComplianceScore.Value.NONE,
        reason=(
            "Кыргызская сторона не представила к заседанию сведений о ходе исполнения;"
            " мероприятия по графику не начаты."
        ),
        by=secretariat,
    )
