from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from . import views
from .api import urls as api_urls
from .views import public as public_views
from .views import versions as version_views

council_patterns = [
    path("", views.dashboard, name="dashboard"),
    path("profile/", views.profile, name="profile"),
    path("councils/", views.council_list, name="council-list"),
    path("councils/<int:pk>/", views.council_detail, name="council-detail"),
    path("councils/<int:pk>/compliance/", views.council_compliance, name="council-compliance"),
    path("councils/<int:pk>/compliance.xlsx", views.compliance_export, name="compliance-export"),
    path("sessions/<int:pk>/compliance/assess/", views.compliance_assess, name="compliance-assess"),
    path(
        "compliance-scores/<int:pk>/override/",
        views.compliance_override,
        name="compliance-override",
    ),
    path("councils/<int:council_pk>/sessions/new/", views.session_create, name="session-create"),
    path(
        "councils/<int:council_pk>/agencies/new/",
        views.agency_quick_add,
        name="agency-quick-add",
    ),
    path("councils/<int:council_pk>/people/new/", views.person_quick_add, name="person-quick-add"),
    path("sessions/<int:pk>/", views.session_detail, name="session-detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session-edit"),
    path("sessions/<int:pk>/participants/new/", views.participant_add, name="participant-create"),
    path(
        "participants/<int:pk>/withdraw/",
        views.participant_withdraw,
        name="participant-withdraw",
    ),
    path("sessions/<int:pk>/agenda/new/", views.agenda_item_create, name="agenda-item-create"),
    path("agenda-items/<int:pk>/edit/", views.agenda_item_edit, name="agenda-item-edit"),
    path("agenda-items/<int:pk>/move/", views.agenda_item_move, name="agenda-item-move"),
    path(
        "sessions/<int:session_pk>/commitments/new/",
        views.commitment_create,
        name="commitment-create",
    ),
    path("sessions/<int:pk>/import/", views.import_upload, name="import-upload"),
    path("sessions/<int:pk>/import/confirm/", views.import_confirm, name="import-confirm"),
    path("commitments/", views.commitment_list, name="commitment-list"),
    path(
        "commitments/<int:pk>/versions/new/",
        version_views.commitment_version_create,
        name="commitment-version-create",
    ),
    path(
        "commitment-versions/<int:pk>/edit/",
        version_views.commitment_version_edit,
        name="commitment-version-edit",
    ),
    path(
        "agenda-items/<int:pk>/versions/new/",
        version_views.agenda_item_version_create,
        name="agenda-item-version-create",
    ),
    path(
        "agenda-item-versions/<int:pk>/edit/",
        version_views.agenda_item_version_edit,
        name="agenda-item-version-edit",
    ),
    path(
        "agenda-item-versions/<int:pk>/withdraw/",
        version_views.agenda_item_version_withdraw,
        name="agenda-item-version-withdraw",
    ),
    path(
        "commitment-versions/<int:pk>/withdraw/",
        version_views.commitment_version_withdraw,
        name="commitment-version-withdraw",
    ),
    path("search/", views.search_everything, name="search"),
    path("commitments/<int:pk>/", views.commitment_detail, name="commitment-detail"),
    path("commitments/<int:pk>/edit/", views.commitment_edit, name="commitment-edit"),
    path("commitments/<int:pk>/report/", views.commitment_report, name="commitment-report"),
    path(
        "commitments/<int:pk>/reporting-cycle/",
        views.reporting_cycle_set,
        name="reporting-cycle-set",
    ),
    path(
        "commitments/<int:pk>/reporting-cycle/stop/",
        views.reporting_cycle_stop,
        name="reporting-cycle-stop",
    ),
    path(
        "commitments/<int:pk>/sides/<int:party_pk>/remind/",
        views.commitment_remind_side,
        name="commitment-remind-side",
    ),
    path(
        "commitments/<int:pk>/sides/<int:party_pk>/risk/",
        views.commitment_flag_risk,
        name="commitment-flag-risk",
    ),
    path("risk-flags/<int:pk>/clear/", views.risk_flag_clear, name="risk-flag-clear"),
    path(
        "commitments/<int:pk>/accept/",
        views.commitment_accept_completion,
        name="commitment-accept-completion",
    ),
    path(
        "commitments/<int:pk>/return/",
        views.commitment_return_completion,
        name="commitment-return-completion",
    ),
    path("commitments/<int:pk>/extension/", views.extension_request, name="extension-request"),
    path("extensions/<int:pk>/grant/", views.extension_grant, name="extension-grant"),
    path("extensions/<int:pk>/refuse/", views.extension_refuse, name="extension-refuse"),
    path("extensions/<int:pk>/withdraw/", views.extension_withdraw, name="extension-withdraw"),
    path("sessions/<int:session_pk>/protocol/", views.protocol_detail, name="protocol-detail"),
    path("sessions/<int:session_pk>/protocol/edit/", views.protocol_edit, name="protocol-edit"),
    path("sessions/<int:session_pk>/protocol/print/", views.protocol_print, name="protocol-print"),
    path(
        "sessions/<int:session_pk>/protocol/files/",
        views.protocol_file_upload,
        name="protocol-file-create",
    ),
    path("protocol-files/<int:pk>/", views.protocol_file_download, name="protocol-file-download"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("updates/<int:pk>/withdraw/", views.status_update_withdraw, name="status-update-withdraw"),
    path(
        "protocol-files/<int:pk>/withdraw/",
        views.protocol_file_withdraw,
        name="protocol-file-withdraw",
    ),
    path("sessions/<int:pk>/review/", views.session_review, name="session-review"),
    path(
        "sessions/<int:pk>/review/print/", views.session_review_print, name="session-review-print"
    ),
    path(
        "sessions/<int:pk>/review/export/",
        views.session_review_export,
        name="session-review-export",
    ),
    path(
        "sessions/<int:pk>/review/<int:commitment_pk>/",
        views.session_review_decide,
        name="session-review-decide",
    ),
    path("reports/", views.report_dashboard, name="report-dashboard"),
    re_path(
        r"^commitments/export\.(?P<fmt>xlsx|csv)$",
        views.commitment_export,
        name="commitment-export",
    ),
    path(
        "sessions/<int:pk>/decisions.docx",
        views.session_decisions_export,
        name="session-decisions-export",
    ),
    path("councils/<int:council_pk>/indicators/", views.indicator_list, name="indicator-list"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator-detail"),
    path("calendar/<str:token>/deadlines.ics", views.calendar_deadlines, name="calendar-deadlines"),
    path(
        "calendar/<str:token>/councils/<int:council_pk>.ics",
        views.calendar_sessions,
        name="calendar-sessions",
    ),
    path("profile/tokens/", views.api_token_create, name="api-token-create"),
    path("profile/tokens/<int:pk>/revoke/", views.api_token_revoke, name="api-token-revoke"),
    path("profile/calendar/reset/", views.calendar_reset, name="calendar-reset"),
    path("notifications/", views.notification_list, name="notification-list"),
    path("notifications/read/", views.notifications_mark_read, name="notification-read"),
    path("notifications/mute/<int:council_pk>/", views.reminder_mute, name="reminder-mute"),
]

urlpatterns = [
    path("", include((council_patterns, "council"))),
    path("api/v1/", include((api_urls.urlpatterns, "api"))),
    path("api/", include((api_urls.docs_patterns, "api-docs"))),
    path(
        "public/<str:lang>/councils/<int:pk>/", public_views.council_public, name="council-public"
    ),
    path(
        "public/<str:lang>/councils/<int:pk>/sessions/<int:number>/",
        public_views.session_public,
        name="session-public",
    ),
    path(
        "public/<str:lang>/councils/<int:pk>/sessions/<int:number>.<slug:fmt>",
        public_views.session_public_data,
        name="session-public-data",
    ),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler403 = "council.views.permission_denied"
