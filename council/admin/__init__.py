"""Django admin for the people who maintain reference data and fix records.

Every admin saves through the services and deletes nothing; one module per aggregate."""

# Importing each module registers its admins with the site.
from .accounts import UserAdmin
from .base import ServiceAdmin, WithdrawableAdmin
from .commitments import (
    AttachmentAdmin,
    CommitmentAdmin,
    ResponsibilityAdmin,
    ReviewAdmin,
    StatusUpdateAdmin,
)
from .councils import CoChairAdmin, CouncilAdmin, EventAdmin
from .indicators import IndicatorAdmin, ObservationAdmin, TargetAdmin
from .nudges import RiskFlagAdmin, SideNudgeAdmin
from .protocols import ProtocolAdmin, ProtocolFileAdmin, SignatoryAdmin
from .reference import AgencyAdmin, PartyAdmin, PersonAdmin, SectorAdmin
from .reminders import ReminderAdmin, ReminderMuteAdmin, ReminderRuleAdmin
from .sessions import AgendaItemAdmin, ParticipantAdmin, SessionAdmin
from .versions import AgendaItemVersionAdmin, CommitmentVersionAdmin

__all__ = [
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
    "ReminderMuteAdmin",
]
