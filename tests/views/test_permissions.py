"""The permission matrix: every URL of the staff app × every role → the expected answer.

A new URL without a row here fails `test_every_url_is_in_the_matrix`.
"""

import datetime

import pytest
from django.urls import get_resolver, reverse

from council import services
from council import urls as council_urls
from council.models import AgendaItemVersion, CommitmentVersion, ComplianceScore

ROLES = [
    "anonymous",
    "admin",
    "secretariat",
    "secretariat_other",
    "focal_a",
    "focal_b",
    "focal_uz",
    "manager",
]
ALL = {role: 200 for role in ROLES if role != "anonymous"}
# What anonymous requests get where it is not the login page.
ANONYMOUS = {"calendar-deadlines": 200, "calendar-sessions": 200}
# Those who may see the KZ–KG council; the others get 404, as if it did not exist.
SEE = {
    "admin": 200,
    "secretariat": 200,
    "focal_a": 200,
    "focal_b": 200,
    "manager": 200,
    "secretariat_other": 404,
    "focal_uz": 404,
}
# Those who may record the council's sessions: its secretariat and admins.
EDIT = SEE | {"focal_a": 403, "focal_b": 403, "manager": 403}
# Those who may accept or return a reported completion: managers (and admins).
REVIEW = SEE | {"admin": 422, "manager": 422, "secretariat": 403, "focal_a": 403, "focal_b": 403}


def kazakh_text(w) -> int:
    """The pk of commitment A's Kazakh text, recorded on first use."""
    found = CommitmentVersion.objects.filter(commitment=w.commitment_a, language="kk").first()
    if found is None:
        found = services.commitment_version_save(
            version=CommitmentVersion(
                commitment=w.commitment_a, language="kk", title="Атауы", text="Мәтіні"
            ),
            by=None,
        )
    return found.pk


def kazakh_title(w) -> int:
    """The pk of the agenda item's Kazakh title, recorded on first use."""
    found = AgendaItemVersion.objects.filter(agenda_item=w.agenda_item, language="kk").first()
    if found is None:
        found = services.agenda_item_version_save(
            version=AgendaItemVersion(agenda_item=w.agenda_item, language="kk", title="Сауда"),
            by=None,
        )
    return found.pk


def compliance_score(w) -> int:
    """The pk of a compliance score of commitment A's Kazakh side, recorded on first use."""
    score, _created = ComplianceScore.objects.get_or_create(
        commitment=w.commitment_a,
        party=w.commitment_a.responsibilities.first().party,
        session=w.session,
        defaults={"kind": "interim", "derived": -1},
    )
    return score.pk


def extension_asked(w) -> int:
    """The pk of focal_a's pending request to extend commitment A, made on first use."""
    from council.models import ExtensionRequest

    found = ExtensionRequest.objects.filter(commitment=w.commitment_a).first()
    if found is None:
        commitment = w.commitment_a
        found = services.extension_request(
            commitment=commitment,
            party=commitment.responsibilities.get(agency=w.users["focal_a"].agency).party,
            new_deadline=commitment.deadline + datetime.timedelta(days=90),
            reason="Ждём согласования",
            by=w.users["focal_a"],
        )
    return found.pk


def risk_flagged(w, party_id: int) -> int:
    """The pk of the open at-risk flag on commitment A's Kazakh side, raised on first use."""
    from council.models import Party, RiskFlag

    found = RiskFlag.objects.filter(commitment=w.commitment_a, party_id=party_id).first()
    if found is None:
        found = services.risk_flag_raise(
            commitment=w.commitment_a,
            party=Party.objects.get(pk=party_id),
            reason="Нет финансирования",
            by=w.users["secretariat"],
        )
    return found.pk


def matrix(w):
    s, c = w.session.pk, w.commitment_a.pk
    token = w.users["secretariat"].calendar_token
    v = kazakh_text(w)
    focal = w.users["focal_a"]
    api_token = services.api_token_create(user=focal, name="ЕСЭДО", days=30, by=focal)[0]
    asked = extension_asked(w)
    kz = w.commitment_a.responsibilities.get(agency=focal.agency).party_id
    flag = risk_flagged(w, kz)
    return {
        # name: (method, url, {role: status}); anonymous is always sent to the login page.
        "dashboard": ("get", reverse("council:dashboard"), ALL),
        "profile": ("get", reverse("council:profile"), ALL),
        "council-list": ("get", reverse("council:council-list"), ALL),
        "council-detail": ("get", reverse("council:council-detail", args=[w.council.pk]), SEE),
        "session-create": ("get", reverse("council:session-create", args=[w.council.pk]), EDIT),
        # An agency or person added from a session's forms: who records the council.
        "agency-quick-add": (
            "get",
            reverse("council:agency-quick-add", args=[w.council.pk]),
            EDIT,
        ),
        "person-quick-add": (
            "get",
            reverse("council:person-quick-add", args=[w.council.pk]),
            EDIT,
        ),
        "session-detail": ("get", reverse("council:session-detail", args=[s]), SEE),
        "session-edit": ("get", reverse("council:session-edit", args=[s]), EDIT),
        "participant-create": ("get", reverse("council:participant-create", args=[s]), EDIT),
        "participant-withdraw": (
            "post",
            reverse("council:participant-withdraw", args=[w.participant.pk]),
            EDIT | {"admin": 302, "secretariat": 302},
        ),
        "agenda-item-create": ("get", reverse("council:agenda-item-create", args=[s]), EDIT),
        "agenda-item-edit": (
            "get",
            reverse("council:agenda-item-edit", args=[w.agenda_item.pk]),
            EDIT,
        ),
        "agenda-item-move": (
            "post",
            reverse("council:agenda-item-move", args=[w.agenda_item.pk]),
            EDIT | {"admin": 302, "secretariat": 302},
        ),
        "commitment-create": ("get", reverse("council:commitment-create", args=[s]), EDIT),
        "import-upload": ("get", reverse("council:import-upload", args=[s]), EDIT),
        # No file waiting: the secretariat is sent back to upload it again.
        "import-confirm": (
            "post",
            reverse("council:import-confirm", args=[s]),
            EDIT | {"admin": 302, "secretariat": 302},
        ),
        "commitment-list": ("get", reverse("council:commitment-list"), ALL),
        "commitment-detail": ("get", reverse("council:commitment-detail", args=[c]), SEE),
        "commitment-edit": ("get", reverse("council:commitment-edit", args=[c]), EDIT),
        "search": ("get", reverse("council:search"), ALL),
        "commitment-version-create": (
            "get",
            reverse("council:commitment-version-create", args=[c]),
            EDIT,
        ),
        # Before the withdrawal below: a withdrawn text is no longer edited (404).
        "agenda-item-version-create": (
            "get",
            reverse("council:agenda-item-version-create", args=[w.agenda_item.pk]),
            EDIT,
        ),
        "agenda-item-version-edit": (
            "get",
            reverse("council:agenda-item-version-edit", args=[kazakh_title(w)]),
            EDIT,
        ),
        "agenda-item-version-withdraw": (
            "post",
            reverse("council:agenda-item-version-withdraw", args=[kazakh_title(w)]),
            EDIT | {"admin": 302, "secretariat": 302},
        ),
        "commitment-version-edit": (
            "get",
            reverse("council:commitment-version-edit", args=[v]),
            EDIT,
        ),
        "commitment-version-withdraw": (
            "post",
            reverse("council:commitment-version-withdraw", args=[v]),
            EDIT | {"admin": 302, "secretariat": 302},
        ),
        # Reporting: the secretariat and the responsible agency's focal point only;
        # focal point B tries to update agency A's commitment by URL and is refused.
        "commitment-report": (
            "post",
            reverse("council:commitment-report", args=[c]),
            SEE
            | {"admin": 302, "secretariat": 302, "focal_a": 302, "focal_b": 403, "manager": 403},
        ),
        # A reporting cycle: the council's secretariat sets it, then stops it.
        "reporting-cycle-set": (
            "post",
            reverse("council:reporting-cycle-set", args=[c]),
            EDIT | {"admin": 302, "secretariat": 302},
        ),
        "reporting-cycle-stop": (
            "post",
            reverse("council:reporting-cycle-stop", args=[c]),
            EDIT | {"admin": 302, "secretariat": 302},
        ),
        # A manager's review of a reported completion (commitment A is not reported: the
        # reviewers are told so in the panel, 422); nobody else reviews.
        "commitment-accept-completion": (
            "post",
            reverse("council:commitment-accept-completion", args=[c]),
            REVIEW,
        ),
        "commitment-return-completion": (
            "post",
            reverse("council:commitment-return-completion", args=[c]),
            REVIEW,
        ),
        "protocol-detail": ("get", reverse("council:protocol-detail", args=[s]), SEE),
        "protocol-print": ("get", reverse("council:protocol-print", args=[s]), SEE),
        "protocol-edit": ("get", reverse("council:protocol-edit", args=[s]), EDIT),
        "protocol-file-create": (
            "post",
            reverse("council:protocol-file-create", args=[s]),
            EDIT | {"admin": 422, "secretariat": 422},  # empty upload: form errors
        ),
        "protocol-file-download": (
            "get",
            reverse("council:protocol-file-download", args=[w.protocol_file.pk]),
            SEE,
        ),
        "session-review": ("get", reverse("council:session-review", args=[s]), SEE),
        "session-review-print": ("get", reverse("council:session-review-print", args=[s]), SEE),
        "session-review-export": ("get", reverse("council:session-review-export", args=[s]), SEE),
        "session-review-decide": (
            "post",
            reverse("council:session-review-decide", args=[s, w.commitment_old.pk]),
            EDIT | {"admin": 302, "secretariat": 302},
        ),
        "notification-list": ("get", reverse("council:notification-list"), ALL),
        "notification-read": (
            "post",
            reverse("council:notification-read"),
            dict.fromkeys(ALL, 302),
        ),
        "reminder-mute": (
            "post",
            reverse("council:reminder-mute", args=[w.council.pk]),
            {r: 302 if code == 200 else code for r, code in SEE.items()},
        ),
        "report-dashboard": ("get", reverse("council:report-dashboard"), ALL),
        "commitment-export": ("get", reverse("council:commitment-export", args=["xlsx"]), ALL),
        "session-decisions-export": (
            "get",
            reverse("council:session-decisions-export", args=[s]),
            SEE,
        ),
        "indicator-list": ("get", reverse("council:indicator-list", args=[w.council.pk]), SEE),
        "indicator-detail": (
            "get",
            reverse("council:indicator-detail", args=[w.indicator.pk]),
            SEE,
        ),
        # Feeds are read by calendar apps: the secret in the URL is the credential, so the
        # answer is the same for everyone holding it (the secretariat user's token here).
        "calendar-deadlines": ("get", reverse("council:calendar-deadlines", args=[token]), ALL),
        "calendar-sessions": (
            "get",
            reverse("council:calendar-sessions", args=[token, w.council.pk]),
            ALL,
        ),
        "calendar-reset": ("post", reverse("council:calendar-reset"), dict.fromkeys(ALL, 302)),
        # Extensions: a side's focal point (or the secretariat) asks; the secretariat or a
        # manager decides; the requester withdraws. Nothing posted: the request form
        # refuses in place (422); a decision without a comment grants, a refusal without
        # one is sent back with the reason (302 to the page, the message there).
        "extension-request": (
            "post",
            reverse("council:extension-request", args=[c]),
            # Refused without htmx: back to the page, the errors there as messages.
            SEE
            | {"admin": 302, "secretariat": 302, "focal_a": 302, "focal_b": 403, "manager": 403},
        ),
        "extension-grant": (
            "post",
            reverse("council:extension-grant", args=[asked]),
            SEE
            | {"admin": 302, "secretariat": 302, "manager": 302, "focal_a": 403, "focal_b": 403},
        ),
        "extension-refuse": (
            "post",
            reverse("council:extension-refuse", args=[asked]),
            SEE
            | {"admin": 302, "secretariat": 302, "manager": 302, "focal_a": 403, "focal_b": 403},
        ),
        "extension-withdraw": (
            "post",
            reverse("council:extension-withdraw", args=[asked]),
            # In this order a decider has just decided the request: no longer pending, the
            # withdrawal is refused and sent back to the page (302); focal_b could not
            # decide, so the request still waits and is not theirs (403).
            SEE
            | {"admin": 302, "secretariat": 302, "manager": 302, "focal_a": 302, "focal_b": 403},
        ),
        # Remind a side now: the secretariat (nothing posted: a note is optional).
        "commitment-remind-side": (
            "post",
            reverse("council:commitment-remind-side", args=[c, kz]),
            EDIT | {"admin": 302, "secretariat": 302},
        ),
        # Flag a side at risk: its own focal point or the secretariat; no reason: 422.
        "commitment-flag-risk": (
            "post",
            reverse("council:commitment-flag-risk", args=[c, kz]),
            # Refused without htmx (no reason): back to the page, the error there.
            SEE
            | {"admin": 302, "secretariat": 302, "focal_a": 302, "focal_b": 403, "manager": 403},
        ),
        "risk-flag-clear": (
            "post",
            reverse("council:risk-flag-clear", args=[flag]),
            SEE
            | {"admin": 302, "secretariat": 302, "focal_a": 302, "focal_b": 403, "manager": 403},
        ),
        # Nothing posted: the token form refuses (422) whoever asks.
        "api-token-create": ("post", reverse("council:api-token-create"), dict.fromkeys(ALL, 422)),
        # A token is revoked by its person (others are told it does not exist).
        "api-token-revoke": (
            "post",
            reverse("council:api-token-revoke", args=[api_token.pk]),
            dict.fromkeys(ALL, 404) | {"focal_a": 302},
        ),
        "status-update-withdraw": (
            "post",
            reverse("council:status-update-withdraw", args=[w.attachment.update_id]),
            SEE
            | {"admin": 302, "secretariat": 302, "focal_a": 403, "focal_b": 403, "manager": 403},
        ),
        "protocol-file-withdraw": (
            "post",
            reverse("council:protocol-file-withdraw", args=[w.protocol_file.pk]),
            EDIT | {"admin": 302, "secretariat": 302},
        ),
        "attachment-download": (
            "get",
            reverse("council:attachment-download", args=[w.attachment.pk]),
            SEE,
        ),
        "council-compliance": (
            "get",
            reverse("council:council-compliance", args=[w.council.pk]),
            SEE,
        ),
        "compliance-export": (
            "get",
            reverse("council:compliance-export", args=[w.council.pk]),
            SEE,
        ),
        "compliance-assess": (
            "post",
            reverse("council:compliance-assess", args=[s]),
            EDIT | {"admin": 302, "secretariat": 302},
        ),
        # Sent without a reason: refused in place (422) for those who may set a score.
        "compliance-override": (
            "post",
            reverse("council:compliance-override", args=[compliance_score(w)]),
            EDIT | {"admin": 422, "secretariat": 422},
        ),
    }


POST_DATA = {
    "agenda-item-move": {"direction": "up"},
    "commitment-report": {"note": "Work goes on"},
    "reporting-cycle-set": {"period": "quarterly", "due_day": "10", "starts_on": "2026-07-01"},
    "commitment-return-completion": {"reason": "The act is not signed."},
    "protocol-file-create": {},
    "session-review-decide": {"decision": "keep"},
    "reminder-mute": {"mute": "1"},
    "status-update-withdraw": {"reason": "Recorded twice."},
    "protocol-file-withdraw": {"reason": "Wrong file."},
    "participant-withdraw": {"reason": "Recorded by mistake."},
    "commitment-version-withdraw": {"reason": "Recorded by mistake."},
    "compliance-override": {"value": "-1"},
}


def test_every_url_is_in_the_matrix(world):
    names = {pattern.name for pattern in get_resolver(council_urls).url_patterns[0].url_patterns}
    assert names == set(matrix(world))


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, world, role):
    if role != "anonymous":
        client.force_login(world.users[role])
    failures = []
    for name, (method, url, expected) in matrix(world).items():
        want = ANONYMOUS.get(name, 302) if role == "anonymous" else expected[role]
        response = getattr(client, method)(url, POST_DATA.get(name, {}))
        if response.status_code != want:
            failures.append(
                f"{name} {method.upper()} {url}: {response.status_code}, expected {want}"
            )
        elif role == "anonymous" and want == 302:
            assert response["Location"].startswith(reverse("login"))
    assert failures == []


# The commitment workflow beyond "may post to the URL": the same URL, a commitment in a
# given status, what is posted → the answer per role. 302: done; 422: the form refuses a
# move the user is not offered; 403: the user may not act on it at all.
WORKFLOW = {
    # Progress reports: the secretariat and the responsible agency's focal point only; a
    # manager reviews a reported completion but does not report.
    "report on a reported completion": (
        "completion_reported",
        {"note": "Work goes on"},
        SEE | {"admin": 302, "secretariat": 302, "focal_a": 302, "focal_b": 403, "manager": 403},
    ),
    # Nobody completes a commitment in progress: completion is reported, then accepted.
    "complete from in progress": (
        "in_progress",
        {"to_status": "completed", "note": "Done"},
        SEE | {"admin": 422, "secretariat": 422, "focal_a": 422, "focal_b": 403, "manager": 403},
    ),
    # Accepting a reported completion: managers (and admins) only.
    "accept a reported completion": (
        "completion_reported",
        {"to_status": "completed", "note": "Accepted"},
        SEE | {"admin": 302, "secretariat": 422, "focal_a": 422, "focal_b": 403, "manager": 302},
    ),
}


@pytest.mark.parametrize("row", list(WORKFLOW))
@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_commitment_workflow_matrix(client, world, role, row):
    from council import services

    status, data, expected = WORKFLOW[row]
    commitment = world.commitment_a
    path = {"in_progress": ["in_progress"], "completion_reported": ["completion_reported"]}
    for step in path[status]:
        services.commitment_change_status(commitment=commitment, to=step, by=None)
    client.force_login(world.users[role])
    response = client.post(reverse("council:commitment-report", args=[commitment.pk]), data)
    assert response.status_code == expected[role]


def test_login_page_is_open_to_anonymous_users(client, db):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
