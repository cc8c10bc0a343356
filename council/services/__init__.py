"""Every state change goes through here: views, admin, tasks, commands and imports alike.

One module per aggregate; each function is named ``<entity>_<action>`` and takes keyword
arguments only. Import from the package (``from council import services``).
"""

from .commitments import (
    InvalidTransition,
    check_responsibilities,
    commitment_change_status,
    commitment_create,
    commitment_edit,
    commitment_report_progress,
    record_withdraw,
    status_update_withdraw,
)
from .reviews import review_record_decision

__all__ = [
    "InvalidTransition",
    "check_responsibilities",
    "commitment_change_status",
    "commitment_create",
    "commitment_edit",
    "commitment_report_progress",
    "record_withdraw",
    "status_update_withdraw",
    "review_record_decision",
]
