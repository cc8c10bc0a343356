"""Every state change goes through here: views, admin, tasks, commands and imports alike.

One module per aggregate; each function is named ``<entity>_<action>`` and takes keyword
arguments only. Import from the package (``from council import services``).
"""

from .accounts import (
    notifications_mark_read,
    reminder_mute,
    reminder_unmute,
    user_create,
    user_reset_calendar_token,
    user_save_by_admin,
    user_save_profile,
    user_set_language,
)
from .api_tokens import api_token_authenticate, api_token_create, api_token_revoke
from .commitments import (
    InvalidTransition,
    check_responsibilities,
    commitment_accept_completion,
    commitment_change_status,
    commitment_create,
    commitment_edit,
    commitment_move_deadline,
    commitment_report_progress,
    commitment_return_completion,
    record_withdraw,
    status_update_withdraw,
)
from .compliance import compliance_assess_session, compliance_override
from .councils import cochair_save, cochair_withdraw, council_save, event_save
from .cycles import reporting_cycle_set, reporting_cycle_stop
from .extensions import (
    extension_grant,
    extension_refuse,
    extension_request,
    extension_withdraw,
)
from .imports import import_confirm, import_prepare, import_read
from .indicators import indicator_save, observation_save, target_save
from .notifications import notify
from .nudges import risk_flag_clear, risk_flag_raise, side_remind_now
from .protocols import (
    protocol_file_upload,
    protocol_file_withdraw,
    protocol_save,
    signatory_add,
    signatory_edit,
    signatory_withdraw,
)
from .reference import agency_save, party_save, person_save, sector_save
from .reminders import (
    reminder_deliver,
    reminder_retry,
    reminder_rule_save,
    reminders_record_due,
    reminders_scan,
)
from .reports import (
    compliance_tallies_refresh,
    compliance_tally_follow,
    report_tallies_refresh,
    report_tallies_scan,
)
from .reviews import review_record_decision
from .sessions import (
    agenda_item_create,
    agenda_item_edit,
    agenda_item_move,
    agenda_item_withdraw,
    agenda_next_order,
    participant_add,
    participant_edit,
    participant_withdraw,
    session_create,
    session_edit,
)
from .versions import (
    agenda_item_version_save,
    agenda_item_version_withdraw,
    commitment_version_save,
    commitment_version_withdraw,
)
from .webhooks import (
    webhook_deliver,
    webhook_delivery_retry,
    webhook_emit,
    webhook_endpoint_rotate_secret,
    webhook_endpoint_save,
    webhooks_scan,
)

__all__ = [
    "reporting_cycle_set",
    "reporting_cycle_stop",
    "webhook_deliver",
    "webhook_delivery_retry",
    "webhook_emit",
    "webhook_endpoint_rotate_secret",
    "webhook_endpoint_save",
    "webhooks_scan",
    "api_token_authenticate",
    "api_token_create",
    "api_token_revoke",
    "notify",
    "risk_flag_clear",
    "risk_flag_raise",
    "side_remind_now",
    "commitment_version_save",
    "commitment_version_withdraw",
    "agenda_item_version_save",
    "agenda_item_version_withdraw",
    "user_create",
    "InvalidTransition",
    "check_responsibilities",
    "commitment_accept_completion",
    "commitment_change_status",
    "commitment_create",
    "commitment_edit",
    "commitment_move_deadline",
    "extension_grant",
    "extension_refuse",
    "extension_request",
    "extension_withdraw",
    "commitment_report_progress",
    "commitment_return_completion",
    "record_withdraw",
    "status_update_withdraw",
    "review_record_decision",
    "compliance_assess_session",
    "compliance_override",
    # Sessions, protocols, indicators, councils and reference data.
    "agency_save",
    "agenda_item_create",
    "agenda_item_edit",
    "agenda_item_move",
    "agenda_item_withdraw",
    "agenda_next_order",
    "cochair_save",
    "cochair_withdraw",
    "council_save",
    "event_save",
    "import_confirm",
    "import_prepare",
    "import_read",
    "report_tallies_refresh",
    "report_tallies_scan",
    "compliance_tallies_refresh",
    "compliance_tally_follow",
    "indicator_save",
    "observation_save",
    "participant_add",
    "participant_edit",
    "participant_withdraw",
    "party_save",
    "person_save",
    "protocol_file_upload",
    "protocol_file_withdraw",
    "protocol_save",
    "sector_save",
    "session_create",
    "session_edit",
    "signatory_add",
    "signatory_edit",
    "signatory_withdraw",
    "target_save",
    "notifications_mark_read",
    "reminder_mute",
    "reminder_unmute",
    "reminder_retry",
    "reminder_rule_save",
    "reminder_deliver",
    "reminders_record_due",
    "reminders_scan",
    "user_reset_calendar_token",
    "user_save_by_admin",
    "user_save_profile",
    "user_set_language",
]
