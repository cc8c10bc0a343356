"""The council's records, one module per aggregate, all importable from here
(``from council.models import Session``)."""

from .accounts import User
from .api_tokens import ApiToken
from .base import Sourced, Withdrawable, choices_check
from .commitments import (
    DEADLINE_KEY,
    Attachment,
    Commitment,
    CommitmentDeadlineKind,
    CommitmentStatus,
    Responsibility,
    ResponsibilityRole,
    Review,
    ReviewDecision,
    StatusUpdate,
    attachment_path,
)
from .compliance import ComplianceKind, ComplianceScore, ComplianceValue
from .councils import CoChair, Council, CouncilKind
from .cycles import ReportingCycle, ReportingPeriod
from .events import Event, EventKind
from .extensions import ExtensionRequest, ExtensionStatus
from .indicators import Indicator, IndicatorUnit, Observation, ObservationQualifier, Target
from .nudges import RiskFlag, SideNudge, stale_parties_by_commitment, stale_sides
from .protocols import (
    Protocol,
    ProtocolFile,
    ProtocolFileKind,
    ProtocolStatus,
    Signatory,
    protocol_file_path,
)
from .reference import Agency, AgencyKind, Party, Person, Sector
from .reminders import (
    NotificationEvent,
    Reminder,
    ReminderKind,
    ReminderMute,
    ReminderRule,
    ReminderStatus,
)
from .reports import ComplianceTally, ReportTally
from .sessions import AgendaItem, Participant, ParticipantRole, Session, SessionKind, SessionStatus
from .sides import SILENCE_DAYS, CommitmentSide, SideStatus, derived_status
from .versions import AgendaItemVersion, CommitmentVersion
from .webhooks import WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint, WebhookEvent

__all__ = [
    "choices_check",
    "Sourced",
    "Withdrawable",
    "User",
    "ApiToken",
    "WebhookEndpoint",
    "WebhookEvent",
    "WebhookDelivery",
    "WebhookDeliveryStatus",
    "Party",
    "AgencyKind",
    "Agency",
    "Person",
    "Sector",
    "CouncilKind",
    "Council",
    "CoChair",
    "SessionStatus",
    "SessionKind",
    "Session",
    "ParticipantRole",
    "Participant",
    "AgendaItem",
    "EventKind",
    "Event",
    "CommitmentStatus",
    "CommitmentDeadlineKind",
    "DEADLINE_KEY",
    "Commitment",
    "ResponsibilityRole",
    "Responsibility",
    "StatusUpdate",
    "attachment_path",
    "Attachment",
    "SideStatus",
    "CommitmentSide",
    "SILENCE_DAYS",
    "derived_status",
    "ReviewDecision",
    "Review",
    "ProtocolStatus",
    "Protocol",
    "Signatory",
    "protocol_file_path",
    "ProtocolFileKind",
    "ProtocolFile",
    "IndicatorUnit",
    "Indicator",
    "ObservationQualifier",
    "Observation",
    "Target",
    "ReminderKind",
    "NotificationEvent",
    "RiskFlag",
    "SideNudge",
    "stale_parties_by_commitment",
    "stale_sides",
    "ReminderRule",
    "ReminderStatus",
    "Reminder",
    "ComplianceTally",
    "ReportTally",
    "ReminderMute",
    "CommitmentVersion",
    "ComplianceKind",
    "ComplianceValue",
    "ComplianceScore",
    "AgendaItemVersion",
    "ExtensionStatus",
    "ExtensionRequest",
    "ReportingPeriod",
    "ReportingCycle",
]
