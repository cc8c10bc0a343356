"""The staff app's views, one module per area; ``council.urls`` reaches them all from here.

An htmx request gets the page's partial (``template#partial``), any other request the
whole page, so every htmx endpoint also works without JavaScript. Views ask the policy,
call a service and render; they never write a row themselves."""

from ._access import LIST_COUNT_CAP, PAGE_SIZE, SESSION_ROWS_SHOWN
from .account import healthz, profile, set_language
from .api_tokens import api_token_create, api_token_revoke
from .commitments import (
    attachment_download,
    commitment_accept_completion,
    commitment_create,
    commitment_detail,
    commitment_edit,
    commitment_list,
    commitment_report,
    commitment_return_completion,
    status_update_withdraw,
)
from .compliance import (
    compliance_assess,
    compliance_export,
    compliance_override,
    council_compliance,
)
from .councils import council_detail, council_list
from .cycles import reporting_cycle_set, reporting_cycle_stop
from .dashboard import dashboard
from .errors import permission_denied
from .extensions import (
    extension_grant,
    extension_refuse,
    extension_request,
    extension_withdraw,
)
from .feeds import calendar_deadlines, calendar_reset, calendar_sessions
from .imports import import_confirm, import_upload
from .indicators import indicator_detail, indicator_list
from .notifications import notification_list, notifications_mark_read, reminder_mute
from .nudges import commitment_flag_risk, commitment_remind_side, risk_flag_clear
from .protocols import (
    protocol_detail,
    protocol_edit,
    protocol_file_download,
    protocol_file_upload,
    protocol_file_withdraw,
    protocol_print,
)
from .reference import agency_quick_add, person_quick_add
from .reports import commitment_export, report_dashboard, session_decisions_export
from .review import (
    session_review,
    session_review_decide,
    session_review_export,
    session_review_print,
)
from .search import search_everything
from .sessions import (
    agenda_item_create,
    agenda_item_edit,
    agenda_item_move,
    participant_add,
    participant_withdraw,
    session_create,
    session_detail,
    session_edit,
)

__all__ = [
    "extension_grant",
    "extension_refuse",
    "extension_request",
    "extension_withdraw",
    "reporting_cycle_set",
    "reporting_cycle_stop",
    "compliance_assess",
    "compliance_export",
    "compliance_override",
    "council_compliance",
    "commitment_flag_risk",
    "commitment_remind_side",
    "risk_flag_clear",
    "search_everything",
    "LIST_COUNT_CAP",
    "PAGE_SIZE",
    "SESSION_ROWS_SHOWN",
    "permission_denied",
    "healthz",
    "profile",
    "api_token_create",
    "api_token_revoke",
    "set_language",
    "dashboard",
    "council_list",
    "council_detail",
    "protocol_detail",
    "protocol_print",
    "protocol_edit",
    "protocol_file_upload",
    "protocol_file_download",
    "protocol_file_withdraw",
    "session_create",
    "session_edit",
    "session_detail",
    "participant_add",
    "participant_withdraw",
    "agenda_item_create",
    "agenda_item_edit",
    "agenda_item_move",
    "commitment_list",
    "commitment_detail",
    "commitment_report",
    "commitment_accept_completion",
    "commitment_return_completion",
    "commitment_create",
    "commitment_edit",
    "attachment_download",
    "status_update_withdraw",
    "session_review",
    "session_review_print",
    "session_review_export",
    "session_review_decide",
    "notification_list",
    "notifications_mark_read",
    "reminder_mute",
    "report_dashboard",
    "commitment_export",
    "session_decisions_export",
    "import_upload",
    "import_confirm",
    "indicator_list",
    "indicator_detail",
    "calendar_sessions",
    "calendar_deadlines",
    "calendar_reset",
    "agency_quick_add",
    "person_quick_add",
]
