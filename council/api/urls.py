"""``/api/v1/``: the resources, the OpenAPI schema and its interactive docs."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views, writes

router = DefaultRouter()
router.register("councils", views.CouncilViewSet, basename="council")
router.register("sessions", views.SessionViewSet, basename="session")
router.register("agenda-items", views.AgendaItemViewSet, basename="agenda-item")
router.register("commitments", views.CommitmentViewSet, basename="commitment")
router.register("progress-reports", views.ProgressReportViewSet, basename="progress-report")
router.register("reviews", views.ReviewViewSet, basename="review")
router.register("protocols", views.ProtocolViewSet, basename="protocol")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("observations", views.ObservationViewSet, basename="observation")


def _open(patterns):
    """The API signs its callers in by token: the site's "sign in first" redirect would
    answer a program with an HTML page."""
    for pattern in patterns:
        pattern.callback = login_not_required(pattern.callback)
    return patterns


urlpatterns = _open(
    [
        *router.urls,
        path(
            "commitments/<int:pk>/progress-reports/",
            writes.report_create,
            name="commitment-report-create",
        ),
        path("commitments/<int:pk>/status/", writes.status_create, name="commitment-status"),
        path(
            "commitments/<int:pk>/extension-requests/",
            writes.extension_create,
            name="commitment-extension-create",
        ),
        path("commitments/<int:pk>/reviews/", writes.review_create, name="commitment-review"),
        path("schema/", SpectacularAPIView.as_view(), name="schema"),
    ]
)
docs_patterns = _open(
    [path("docs", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs")]
)
