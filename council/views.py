from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import Commitment, Council, Session


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The front page: what the installation holds, and the way in."""
    context = {
        "council_count": Council.objects.count(),
        "session_count": Session.objects.count(),
        "open_count": Commitment.objects.open().count(),
        "overdue_count": Commitment.objects.overdue().count(),
    }
    return render(request, "council/home.html", context)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
