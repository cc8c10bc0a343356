"""Every page of the staff app, opened by each demo user on the demo data, with lazy
loads blocked (the ``no_lazy_loads`` fixture, on for every test in this folder).

The personas' world in ``conftest.py`` is small on purpose; the demo has what a real
council has — co-chairs, participants, speakers, carried-over commitments, reviews,
signatories, indicators, events, notifications — so a page that reads one of those
without selecting it fails here with FieldFetchBlocked. A new URL without a row here
fails ``test_every_url_is_opened``.
"""

import pytest
from django.urls import get_resolver, reverse

from council import services
from council import urls as council_urls
from council.models import (
    AgendaItem,
    AgendaItemVersion,
    Attachment,
    Commitment,
    CommitmentVersion,
    ComplianceScore,
    Council,
    ExtensionRequest,
    Indicator,
    Participant,
    ProtocolFile,
    Responsibility,
    Review,
    RiskFlag,
    Session,
    StatusUpdate,
    User,
)

from ..conftest import DEMO_TODAY

pytestmark = [
    pytest.mark.django_db,
    # The demo, loaded once for the module (see ``demo_once``): its tests only read it.
    pytest.mark.usefixtures("demo_once"),
    pytest.mark.xdist_group("demo-pages"),
]

USERS = ["admin", "secretariat", "focal", "focal.kg", "manager"]
HX = {"HTTP_HX_REQUEST": "true"}


def commitments_of_every_shape() -> list[tuple[int, int]]:
    """(pk, session) of one demo commitment per shape a page draws differently: its status
    and kind of deadline, how many agencies and sides, whether it has reports, evidence,
    reviews, a carried-over origin, an extension, a risk flag, text versions. Lazy loads
    come from what a record has, not from which record it is; opening one of each shape
    (not all of the demo's clauses) keeps the crawl to what it proves."""
    from django.db.models import Count, Exists, OuterRef

    shapes: dict[tuple, tuple[int, int]] = {}
    rows = (
        Commitment.objects.annotate(
            agencies=Count("responsibilities", distinct=True),
            parties=Count("sides", distinct=True),
            reports=Exists(StatusUpdate.objects.filter(commitment=OuterRef("pk"))),
            evidence=Exists(Attachment.objects.filter(update__commitment=OuterRef("pk"))),
            reviewed=Exists(Review.objects.filter(commitment=OuterRef("pk"))),
            extended=Exists(ExtensionRequest.objects.filter(commitment=OuterRef("pk"))),
            flagged=Exists(RiskFlag.objects.filter(commitment=OuterRef("pk"))),
            translated=Exists(CommitmentVersion.objects.filter(commitment=OuterRef("pk"))),
        )
        .order_by("pk")
        .values_list(
            "pk", "session_id", "status", "deadline_kind", "carries_over_id",
            "agencies", "parties", "reports", "evidence", "reviewed", "extended", "flagged",
            "translated",
        )
    )  # fmt: skip
    for pk, session, status, kind, carried, *rest in rows:
        shapes.setdefault((status, kind, carried is not None, *rest), (pk, session))
    return list(shapes.values())


def pages(token: str) -> dict[str, list[tuple[str, str, dict]]]:
    """URL name → requests (method, url, data) that open it on every demo record."""
    councils = list(Council.objects.values_list("pk", flat=True))
    sessions = list(Session.objects.values_list("pk", flat=True))
    commitments = commitments_of_every_shape()
    sides = list(
        Responsibility.objects.filter(commitment__in=[c for c, _ in commitments[:3]])
        .values_list("commitment_id", "party_id")
        .distinct()
    )
    items = list(AgendaItem.objects.values_list("pk", flat=True))
    per = {
        "dashboard": [("get", reverse("council:dashboard"), {})],
        "profile": [
            ("get", reverse("council:profile"), {}),
            ("post", reverse("council:profile"), {"email": "not an address"}),
        ],
        "council-list": [("get", reverse("council:council-list"), {})],
        "council-detail": [
            ("get", reverse("council:council-detail", args=[c]), {}) for c in councils
        ],
        "session-create": [
            ("get", reverse("council:session-create", args=[c]), {}) for c in councils
        ],
        "agency-quick-add": [
            (method, reverse("council:agency-quick-add", args=[c]), {})
            for c in councils
            for method in ("get", "post")  # the form, and the form refused (422)
        ],
        "person-quick-add": [
            (method, reverse("council:person-quick-add", args=[c]), {})
            for c in councils
            for method in ("get", "post")
        ],
        "session-detail": [
            ("get", reverse("council:session-detail", args=[s]), {}) for s in sessions
        ],
        "session-edit": [("get", reverse("council:session-edit", args=[s]), {}) for s in sessions],
        "participant-create": [
            ("get", reverse("council:participant-create", args=[s]), {}) for s in sessions
        ],
        "agenda-item-create": [
            ("get", reverse("council:agenda-item-create", args=[s]), {}) for s in sessions
        ]
        + [("post", reverse("council:agenda-item-create", args=[s]), {}) for s in sessions],
        "agenda-item-edit": [
            ("get", reverse("council:agenda-item-edit", args=[i]), {}) for i in items
        ],
        "agenda-item-move": [
            ("post", reverse("council:agenda-item-move", args=[i]), {"direction": "down"})
            for i in items[:3]
        ],
        "commitment-create": [
            ("get", reverse("council:commitment-create", args=[s]), {}) for s in sessions
        ],
        "import-upload": [
            ("get", reverse("council:import-upload", args=[s]), {}) for s in sessions
        ],
        "import-confirm": [
            ("post", reverse("council:import-confirm", args=[s]), {}) for s in sessions
        ],
        "commitment-list": [
            ("get", reverse("council:commitment-list"), params)
            for params in (
                {},
                {"status": "overdue"},
                {"status": "open", "ordering": "-deadline"},
                {"council": councils[0], "page": 2},
                {"q": "trade"},
            )
        ],
        "commitment-detail": [
            ("get", reverse("council:commitment-detail", args=[c]), {}) for c, _ in commitments
        ],
        "commitment-edit": [
            ("get", reverse("council:commitment-edit", args=[c]), {}) for c, _ in commitments
        ],
        # An empty report: the form comes back with its error, the page rendered again.
        "search": [
            ("get", reverse("council:search"), params)
            for params in ({}, {"q": "Хан-Тенгри"}, {"q": "Тәңірі"}, {"q": "2.8"})
        ],
        "commitment-version-create": [
            ("get", reverse("council:commitment-version-create", args=[c]), {})
            for c, _ in commitments
        ]
        + [
            # Refused in place: no title, and a language the clause already has.
            ("post", reverse("council:commitment-version-create", args=[c]), {"language": "en"})
            for c, _ in commitments[:3]
        ],
        "commitment-version-edit": [
            ("get", reverse("council:commitment-version-edit", args=[pk]), {})
            for pk in CommitmentVersion.objects.values_list("pk", flat=True)[:5]
        ]
        + [
            ("post", reverse("council:commitment-version-edit", args=[pk]), {"title": ""})
            for pk in CommitmentVersion.objects.values_list("pk", flat=True)[:2]
        ],
        "commitment-version-withdraw": [
            ("post", reverse("council:commitment-version-withdraw", args=[pk]), {"reason": ""})
            for pk in CommitmentVersion.objects.values_list("pk", flat=True)[:2]
        ],
        "agenda-item-version-create": [
            ("get", reverse("council:agenda-item-version-create", args=[i]), {}) for i in items[:3]
        ]
        + [
            ("post", reverse("council:agenda-item-version-create", args=[i]), {"language": "ru"})
            for i in items[:2]
        ],
        "agenda-item-version-edit": [
            ("get", reverse("council:agenda-item-version-edit", args=[pk]), {})
            for pk in AgendaItemVersion.objects.values_list("pk", flat=True)[:3]
        ]
        + [
            ("post", reverse("council:agenda-item-version-edit", args=[pk]), {"title": ""})
            for pk in AgendaItemVersion.objects.values_list("pk", flat=True)[:2]
        ],
        "agenda-item-version-withdraw": [
            ("post", reverse("council:agenda-item-version-withdraw", args=[pk]), {"reason": ""})
            for pk in AgendaItemVersion.objects.values_list("pk", flat=True)[:2]
        ],
        "commitment-report": [
            ("post", reverse("council:commitment-report", args=[c]), {"note": ""})
            for c, _ in commitments
        ],
        # A reporting cycle refused (a day no month lacks), and a stop where there may be
        # none: the panel (or the page) comes back with its error.
        "reporting-cycle-set": [
            ("post", reverse("council:reporting-cycle-set", args=[c]), {"due_day": "31"})
            for c, _ in commitments
        ],
        "reporting-cycle-stop": [
            ("post", reverse("council:reporting-cycle-stop", args=[c]), {})
            for c, _ in commitments[:3]
        ],
        # A return without a reason: the review panel comes back with its error.
        "commitment-return-completion": [
            ("post", reverse("council:commitment-return-completion", args=[c]), {"reason": ""})
            for c, _ in commitments
        ],
        # Sides: a reminder (then refused, once a day), a flag without a reason, a clear.
        "commitment-remind-side": [
            ("post", reverse("council:commitment-remind-side", args=side), {"note": ""})
            for side in sides
        ],
        "commitment-flag-risk": [
            ("post", reverse("council:commitment-flag-risk", args=side), {"reason": ""})
            for side in sides
        ],
        "risk-flag-clear": [
            ("post", reverse("council:risk-flag-clear", args=[pk]), {"note": ""})
            for pk in RiskFlag.objects.values_list("pk", flat=True)
        ],
        "commitment-accept-completion": [
            ("post", reverse("council:commitment-accept-completion", args=[c]), {})
            for c, _ in commitments
        ],
        # Refused in place: a request without a date or a reason, a refusal without a
        # comment, and decisions on requests the demo has already decided.
        "extension-request": [
            ("post", reverse("council:extension-request", args=[c]), {"reason": ""})
            for c, _ in commitments
        ],
        "extension-refuse": [
            ("post", reverse("council:extension-refuse", args=[pk]), {"comment": ""})
            for pk in ExtensionRequest.objects.values_list("pk", flat=True)
        ],
        "extension-grant": [
            ("post", reverse("council:extension-grant", args=[pk]), {})
            for pk in ExtensionRequest.objects.exclude(status="pending").values_list(
                "pk", flat=True
            )
        ],
        "extension-withdraw": [
            ("post", reverse("council:extension-withdraw", args=[pk]), {})
            for pk in ExtensionRequest.objects.exclude(status="pending").values_list(
                "pk", flat=True
            )
        ],
        "protocol-detail": [
            ("get", reverse("council:protocol-detail", args=[s]), {}) for s in sessions
        ],
        "protocol-print": [
            ("get", reverse("council:protocol-print", args=[s]), {}) for s in sessions
        ],
        "protocol-edit": [
            ("get", reverse("council:protocol-edit", args=[s]), {}) for s in sessions
        ],
        "protocol-file-create": [
            ("post", reverse("council:protocol-file-create", args=[s]), {}) for s in sessions
        ],
        "protocol-file-download": [
            ("get", reverse("council:protocol-file-download", args=[pk]), {})
            for pk in ProtocolFile.objects.values_list("pk", flat=True)
        ],
        "attachment-download": [
            ("get", reverse("council:attachment-download", args=[pk]), {})
            for pk in Attachment.objects.values_list("pk", flat=True)
        ],
        "status-update-withdraw": [
            ("post", reverse("council:status-update-withdraw", args=[pk]), {"reason": ""})
            for pk in StatusUpdate.objects.values_list("pk", flat=True)[:3]
        ],
        "protocol-file-withdraw": [
            ("post", reverse("council:protocol-file-withdraw", args=[pk]), {"reason": ""})
            for pk in ProtocolFile.objects.values_list("pk", flat=True)[:2]
        ],
        "participant-withdraw": [
            ("post", reverse("council:participant-withdraw", args=[pk]), {"reason": ""})
            for pk in Participant.objects.values_list("pk", flat=True)[:2]
        ],
        "session-review": [
            ("get", reverse("council:session-review", args=[s]), {"by": by})
            for s in sessions
            for by in ("sector", "agency")
        ],
        "session-review-print": [
            ("get", reverse("council:session-review-print", args=[s]), {}) for s in sessions
        ],
        "session-review-export": [
            ("get", reverse("council:session-review-export", args=[s]), {}) for s in sessions
        ],
        # A decision without its required fields: the row comes back with the errors.
        "session-review-decide": [
            ("post", reverse("council:session-review-decide", args=[s, c]), {"decision": "extend"})
            for c, s in commitments
        ],
        "notification-list": [("get", reverse("council:notification-list"), {})],
        "notification-read": [("post", reverse("council:notification-read"), {})],
        "reminder-mute": [
            ("post", reverse("council:reminder-mute", args=[c]), {"mute": "1"}) for c in councils
        ],
        "report-dashboard": [("get", reverse("council:report-dashboard"), {})]
        + [("get", reverse("council:report-dashboard"), {"council": c}) for c in councils],
        "commitment-export": [
            ("get", reverse("council:commitment-export", args=[fmt]), {}) for fmt in ("xlsx", "csv")
        ],
        "session-decisions-export": [
            ("get", reverse("council:session-decisions-export", args=[s]), {}) for s in sessions
        ],
        "indicator-list": [
            ("get", reverse("council:indicator-list", args=[c]), {}) for c in councils
        ],
        "indicator-detail": [
            ("get", reverse("council:indicator-detail", args=[pk]), {})
            for pk in Indicator.objects.values_list("pk", flat=True)
        ],
        "calendar-deadlines": [("get", reverse("council:calendar-deadlines", args=[token]), {})],
        "calendar-sessions": [
            ("get", reverse("council:calendar-sessions", args=[token, c]), {}) for c in councils
        ],
        "calendar-reset": [],  # changes the token the feeds above use; covered by the matrix
        "council-compliance": [
            ("get", reverse("council:council-compliance", args=[c]), {}) for c in councils
        ],
        "compliance-export": [
            ("get", reverse("council:compliance-export", args=[c]), {}) for c in councils
        ],
        "compliance-assess": [
            ("post", reverse("council:compliance-assess", args=[s]), {}) for s in sessions
        ],
        "compliance-override": [
            ("post", reverse("council:compliance-override", args=[pk]), {"value": "0"})
            for pk in ComplianceScore.objects.values_list("pk", flat=True)
        ],
        "api-token-create": [("post", reverse("council:api-token-create"), {})],
        "api-token-revoke": [],  # a person's own token: covered by the matrix
    }
    return per


@pytest.fixture
def demo_world(demo):
    services.reminders_scan(today=DEMO_TODAY)  # notifications to list
    users = {username: User.objects.get(username=username) for username in USERS}
    services.user_reset_calendar_token(user=users["secretariat"], by=None)
    return users


def test_every_url_is_opened(demo_world):
    names = {pattern.name for pattern in get_resolver(council_urls).url_patterns[0].url_patterns}
    assert names == set(pages("token"))


def consume(response) -> None:
    """Read a streamed body, so what streams is rendered under the fixture too."""
    if response.streaming:
        b"".join(response.streaming_content)


@pytest.fixture
def asks_htmx(monkeypatch):
    """Whether a page asked if its request came from htmx (django-htmx's ``request.htmx``
    reads every header through one method): one that did not answers htmx with the same
    page, which need not be opened twice."""
    from django_htmx.middleware import HtmxDetails

    asked = []
    read = HtmxDetails._get_header_value

    def recording(details, name):
        asked.append(name)
        return read(details, name)

    monkeypatch.setattr(HtmxDetails, "_get_header_value", recording)
    return asked


@pytest.mark.parametrize("username", USERS)
def test_every_page_renders_without_lazy_loads(client, demo_world, username, asks_htmx):
    client.force_login(demo_world[username])
    token = demo_world["secretariat"].calendar_token
    opened = as_fragment = 0
    for name, requests in pages(token).items():
        for method, url, data in requests:
            asks_htmx.clear()
            for extra in ({}, HX):
                response = getattr(client, method)(url, data, **extra)
                consume(response)
                assert response.status_code < 500, f"{name} {method} {url}"
                opened += response.status_code in (200, 422)
                if not asks_htmx:
                    break
                as_fragment += bool(extra)
    assert opened > 100 and as_fragment > 20
