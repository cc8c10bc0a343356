"""Property-based fuzzing of every form and filter of the staff app.

Random and hostile strings (XSS, SQL fragments, very long text, Unicode edge cases,
malformed dates and ids) go into every field. The app must answer with a page, a form
error, 400, 403, 404, 409 or 422 — never a 500 — and must not store what it refused.
"""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from council.models import AgendaItem, Commitment, Observation, Participant, Session, StatusUpdate

# The pages these forms come back on are rendered with lazy loads blocked.
pytestmark = pytest.mark.usefixtures("no_lazy_loads")

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE council_commitment; --",
    "1 OR 1=1",
    "../../etc/passwd",
    "%00",
    "\x00",
    "\u202e\u200b\ufeff",
    "Word line\x0bbreak\x01\x1f",  # pasted from Word: a vertical tab per line break
    "line\u2028separator\u2029\x85",
    "</title><b>bold</b>",
    "𝕿𝖊𝖘𝖙 🏔️ Хан-Тенгри",
    '=HYPERLINK("http://x")',
    "x" * 20_000,
    "2025-02-31",
    "9999-12-31",
    "0001-01-01",
    "31.12.2025",
    "-1",
    "99999999999999999999",
    "1e309",
    "NaN",
    "",
    " ",
]
hostile = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300))
ALLOWED = {200, 302, 400, 403, 404, 409, 422}
EXAMPLES = 40
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TRIED: dict[str, int] = {}
LIST_FILTERS = (
    "q",
    "council",
    "session",
    "sector",
    "party",
    "agency",
    "status",
    "deadline_after",
    "deadline_before",
    "ordering",
    "page",
)
SESSION_FIELDS = (
    "number",
    "kind",
    "status",
    "start_date",
    "end_date",
    "city",
    "country",
    "host_party",
    "venue",
    "summary",
)
DOCUMENT_FIELDS = (
    "title",
    "number",
    "status",
    "signed_on",
    "signed_in",
    "languages",
    "notes",
    "kind",
    "language",
    "decision",
    "new_deadline",
    "replacement",
    "note",
    "period_start",
    "period_end",
    "qualifier",
    "value",
    "change_pct",
    "reported_at",
    "source",
)


def send(client, method, url, data):
    try:
        response = getattr(client, method)(url, data)
    except ValueError as error:
        # The test client itself refuses NUL bytes in form data, as a browser would.
        assert "null" in str(error).lower()
        return None
    assert response.status_code in ALLOWED, (url, data, response.status_code)
    TRIED[url.split("/")[1]] = TRIED.get(url.split("/")[1], 0) + 1
    return response


@pytest.fixture
def secretariat_client(client, world):  # noqa: F811
    client.force_login(world.users["secretariat"])
    return client


@FUZZ
@given(data=st.fixed_dictionaries(dict.fromkeys(LIST_FILTERS, hostile)))
def test_commitment_list_filters(secretariat_client, data):
    send(secretariat_client, "get", reverse("council:commitment-list"), data)
    send(secretariat_client, "get", reverse("council:commitment-export", args=["csv"]), data)


@FUZZ
@given(data=st.fixed_dictionaries(dict.fromkeys(SESSION_FIELDS, hostile)))
def test_session_form(secretariat_client, world, data):  # noqa: F811
    before = Session.objects.count()
    response = send(
        secretariat_client, "post", reverse("council:session-create", args=[world.council.pk]), data
    )
    if response is not None and response.status_code != 302:
        assert Session.objects.count() == before


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "clause": hostile,
            "title": hostile,
            "text": hostile,
            "sector": hostile,
            "agenda_item": hostile,
            "deadline_kind": hostile,
            "deadline": hostile,
            "carries_over": hostile,
            "version": hostile,
            "agencies-TOTAL_FORMS": st.sampled_from(["1", "0", "-1", "x", "1000000"]),
            "agencies-INITIAL_FORMS": st.sampled_from(["0", "x"]),
            "agencies-0-agency": hostile,
            "agencies-0-role": hostile,
        }
    )
)
def test_commitment_forms(secretariat_client, world, data):  # noqa: F811
    before = Commitment.objects.count()
    response = send(
        secretariat_client,
        "post",
        reverse("council:commitment-create", args=[world.session.pk]),
        data,
    )
    if response is not None and response.status_code != 302:
        assert Commitment.objects.count() == before
    send(
        secretariat_client,
        "post",
        reverse("council:commitment-edit", args=[world.commitment_a.pk]),
        data,
    )


@FUZZ
@given(data=st.fixed_dictionaries({"to_status": hostile, "note": hostile}))
def test_status_update_form(client, world, data):  # noqa: F811
    client.force_login(world.users["focal_a"])
    before = StatusUpdate.objects.count()
    response = send(
        client, "post", reverse("council:commitment-report", args=[world.commitment_a.pk]), data
    )
    if response is not None and response.status_code not in (200, 302):
        assert StatusUpdate.objects.count() == before
    world.commitment_a.refresh_from_db()
    assert world.commitment_a.status in Commitment.Status.values


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "title": hostile,
            "sector": hostile,
            "speakers": hostile,
            "summary": hostile,
            "direction": hostile,
            "person": hostile,
            "role": hostile,
            "position": hostile,
        }
    )
)
def test_agenda_and_participant_forms(secretariat_client, world, data):  # noqa: F811
    before = (AgendaItem.objects.count(), Participant.objects.count())
    send(
        secretariat_client,
        "post",
        reverse("council:agenda-item-create", args=[world.session.pk]),
        data,
    )
    send(
        secretariat_client,
        "post",
        reverse("council:agenda-item-edit", args=[world.agenda_item.pk]),
        data,
    )
    send(
        secretariat_client,
        "post",
        reverse("council:agenda-item-move", args=[world.agenda_item.pk]),
        data,
    )
    send(
        secretariat_client,
        "post",
        reverse("council:participant-create", args=[world.session.pk]),
        data,
    )
    assert (
        AgendaItem.objects.count() - before[0] <= 1 and Participant.objects.count() - before[1] <= 1
    )


@FUZZ
@given(data=st.fixed_dictionaries(dict.fromkeys(DOCUMENT_FIELDS, hostile)))
def test_protocol_review_and_indicator_forms(secretariat_client, world, data):  # noqa: F811
    data = data | {"signatories-TOTAL_FORMS": "0", "signatories-INITIAL_FORMS": "0"}
    observations = Observation.objects.count()
    send(
        secretariat_client, "post", reverse("council:protocol-edit", args=[world.session.pk]), data
    )
    send(
        secretariat_client,
        "post",
        reverse("council:protocol-file-create", args=[world.session.pk]),
        data,
    )
    send(
        secretariat_client,
        "post",
        reverse("council:session-review-decide", args=[world.session.pk, world.commitment_old.pk]),
        data,
    )
    response = send(
        secretariat_client,
        "post",
        reverse("council:indicator-detail", args=[world.indicator.pk]),
        data,
    )
    if response is not None and response.status_code != 302:
        assert Observation.objects.count() == observations
    send(secretariat_client, "post", reverse("council:profile"), data)


@FUZZ
@given(
    ident=st.one_of(
        st.integers(min_value=-(2**70), max_value=2**70), st.sampled_from(["abc", "1.5", "%2e%2e"])
    )
)
def test_malformed_ids_in_urls(secretariat_client, ident):
    for path in (
        "commitments",
        "sessions",
        "councils",
        "indicators",
        "protocol-files",
        "attachments",
    ):
        response = secretariat_client.get(f"/{path}/{ident}/")
        assert response.status_code in ALLOWED
