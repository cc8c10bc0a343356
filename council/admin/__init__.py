"""Django admin for the people who maintain reference data and fix records.

Every admin saves through the services and deletes nothing; one module per aggregate."""

# Importing each module registers its admins with the site.
from .accounts import UserAdmin
from .api_tokens import ApiTokenAdmin
from .base import ServiceAdmin, WithdrawableAdmin
from .commitments import (
    AttachmentAdmin,
    CommitmentAdmin,
    ResponsibilityAdmin,
    ReviewAdmin,
    StatusUpdateAdmin,
)
from .compliance import ComplianceScoreAdmin
from .councils import CoChairAdmin, CouncilAdmin, EventAdmin
from .cycles import ReportingCycleAdmin
from .extensions import ExtensionRequestAdmin
from .indicators import IndicatorAdmin, ObservationAdmin, TargetAdmin
from .nudges import RiskFlagAdmin, SideNudgeAdmin
from .protocols import ProtocolAdmin, ProtocolFileAdmin, SignatoryAdmin
from .reference import AgencyAdmin, PartyAdmin, PersonAdmin, SectorAdmin
from .reminders import ReminderAdmin, ReminderMuteAdmin, ReminderRuleAdmin
from .reports import ComplianceTallyAdmin, ReportTallyAdmin
from .sessions import AgendaItemAdmin, ParticipantAdmin, SessionAdmin
from .sides import CommitmentSideAdmin
from .versions import AgendaItemVersionAdmin, CommitmentVersionAdmin
from .webhooks import WebhookDeliveryAdmin, WebhookEndpointAdmin

__all__ = [
    "CommitmentSideAdmin",
    "ExtensionRequestAdmin",
    "ComplianceScoreAdmin",
    "WebhookEndpointAdmin",
    "WebhookDeliveryAdmin",
    "ApiTokenAdmin",
    "RiskFlagAdmin",
    "SideNudgeAdmin",
    "CommitmentVersionAdmin",
    "AgendaItemVersionAdmin",
    "ServiceAdmin",
    "WithdrawableAdmin",
    "UserAdmin",
    "PartyAdmin",
    "AgencyAdmin",
    "PersonAdmin",
    "SectorAdmin",
    "CouncilAdmin",
    "CoChairAdmin",
    "EventAdmin",
    "SessionAdmin",
    "ParticipantAdmin",
    "AgendaItemAdmin",
    "CommitmentAdmin",
    "ResponsibilityAdmin",
    "StatusUpdateAdmin",
    "AttachmentAdmin",
    "ReviewAdmin",
    "ProtocolAdmin",
    "SignatoryAdmin",
    "ProtocolFileAdmin",
    "IndicatorAdmin",
    "ObservationAdmin",
    "TargetAdmin",
    "ReminderRuleAdmin",
    "ReminderAdmin",
    "ComplianceTallyAdmin",
    "ReportTallyAdmin",
    "ReminderMuteAdmin",
    "ReportingCycleAdmin",
]
