"""Django admin: every page opens for a superuser, and changelists do not grow queries."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from council import services
from council.models import Commitment, Council, ReminderMute, StatusUpdate

from ..factories import CommitmentFactory, ResponsibilityFactory

pytestmark = [
    pytest.mark.django_db,
    # The demo, loaded once for the module (see ``demo_once``): its tests only read it.
    pytest.mark.usefixtures("demo_once"),
    pytest.mark.xdist_group("demo-admin-pages"),
]

MODELS = [m for m in admin.site._registry if m._meta.app_label == "council"]


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_admin_page_opens_for_a_superuser(admin_client, superuser, demo):
    request = RequestFactory().get("/")
    request.user = superuser
    # The demo mutes nothing; one muted council so its admin pages have a row.
    ReminderMute.objects.create(user=superuser, council=Council.objects.first())
    failures = []
    for model in MODELS:
        model_admin = admin.site._registry[model]
        obj = model.objects.first()
        if obj is None:
            failures.append(f"the demo has no {model.__name__}")
            continue
        expected = {
            _url(model, "changelist"): 200,
            _url(model, "changelist") + "?q=Kazakhstan": 200,
            _url(model, "add"): 200 if model_admin.has_add_permission(request) else 403,
            _url(model, "change", obj.pk): 200,
            _url(model, "history", obj.pk): 200,
        }
        for url, status in expected.items():
            got = admin_client.get(url).status_code
            if got != status:
                failures.append(f"{url}: {got}, expected {status}")
    assert failures == []


def test_every_model_is_registered():
    from django.apps import apps

    registered = set(admin.site._registry)
    ours = {
        m
        for m in apps.get_app_config("council").get_models()
        if not m.__name__.startswith("Historical")
    }
    assert ours - registered == set()


@pytest.mark.parametrize("model", [Commitment, StatusUpdate])
def test_changelist_queries_do_not_grow_with_rows(admin_client, demo, model):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(_url(model, "changelist")).status_code == 200
        return len(queries)

    before = count()
    for _ in range(15):
        commitment = CommitmentFactory()
        ResponsibilityFactory(commitment=commitment)
        services.commitment_change_status(commitment=commitment, to="in_progress", by=None)
    assert count() == before


def test_status_changes_in_admin_go_through_the_service(admin_client, superuser):
    commitment = CommitmentFactory()
    url = _url(Commitment, "change", commitment.pk)
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "session": commitment.session.pk,
            "sector": commitment.sector.pk,
            "deadline": commitment.deadline.isoformat(),
            "change_status_to": "cancelled",
            "status_note": "",
            "responsibilities-TOTAL_FORMS": 0,
            "responsibilities-INITIAL_FORMS": 0,
            "updates-TOTAL_FORMS": 0,
            "updates-INITIAL_FORMS": 0,
        }
    )
    data.pop("carries_over", None)
    data.pop("agenda_item", None)
    # Cancelling without a reason is refused on the form, nothing saved.
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Say why" in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.status == "not_started"
    data["status_note"] = "Overtaken by events"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    commitment.refresh_from_db()
    assert commitment.status == "cancelled"
    update = commitment.updates.get()
    assert update.author == superuser and update.note == "Overtaken by events"


def test_admin_cannot_delete_recorded_sessions_or_commitments(admin_client, demo):
    commitment = Commitment.objects.first()
    assert admin_client.get(_url(Commitment, "delete", commitment.pk)).status_code == 403
