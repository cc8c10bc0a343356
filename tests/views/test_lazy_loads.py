"""The ``no_lazy_loads`` fixture bites: a page reading a relation it did not select
fails, streamed content included; one that selects it, and the test's own code, do not."""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import FieldFetchBlocked
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import path

from council.models import Commitment


@login_not_required
def lazy(request):
    commitment = Commitment.objects.order_by("pk").first()
    return HttpResponse(commitment.session.number)  # session was not selected


@login_not_required
def selected(request):
    commitment = Commitment.objects.select_related("session").order_by("pk").first()
    return HttpResponse(commitment.session.number)


@login_not_required
def streamed(request):
    def rows():
        for commitment in Commitment.objects.order_by("pk"):
            yield f"{commitment.session.number}\n"

    return StreamingHttpResponse(rows())


urlpatterns = [
    path("lazy/", lazy),
    path("selected/", selected),
    path("streamed/", streamed),
]

pytestmark = pytest.mark.urls(__name__)


def test_a_lazy_load_in_a_view_raises(client, world):
    with pytest.raises(FieldFetchBlocked, match="Commitment.session"):
        client.get("/lazy/")


def test_a_lazy_load_while_streaming_raises(client, world):
    response = client.get("/streamed/")
    with pytest.raises(FieldFetchBlocked, match="Commitment.session"):
        b"".join(response.streaming_content)


def test_what_a_view_selects_is_read_freely(client, world):
    assert client.get("/selected/").content == str(world.commitment_old.session.number).encode()


def test_the_tests_own_code_may_follow_relations(client, world):
    client.get("/selected/")
    commitment = Commitment.objects.order_by("pk").first()
    assert commitment.session.number == world.commitment_old.session.number
