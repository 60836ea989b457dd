"""The tracker's typed SQLAlchemy models."""

from tracker.models.account import LINK_PURPOSES, AccountLink, AuditEntry
from tracker.models.base import UTCDateTime, now_utc
from tracker.models.case import (
    Case,
    CaseTeamMember,
    Comment,
    DayOff,
    DeadlinePolicy,
    Event,
    Feedback,
    IdempotencyKey,
    ReferenceCounter,
    Referral,
)
from tracker.models.links import CaseLink
from tracker.models.raiser import Raiser
from tracker.models.reference import Agency, Category, Forum, Organisation
from tracker.models.telegram import TelegramChat, TelegramLink
from tracker.models.user import ROLES, ApiToken, User

__all__ = [
    "LINK_PURPOSES",
    "ROLES",
    "AccountLink",
    "Agency",
    "ApiToken",
    "AuditEntry",
    "Case",
    "CaseLink",
    "CaseTeamMember",
    "Category",
    "Comment",
    "DayOff",
    "DeadlinePolicy",
    "Event",
    "Feedback",
    "Forum",
    "IdempotencyKey",
    "Organisation",
    "Raiser",
    "ReferenceCounter",
    "Referral",
    "TelegramChat",
    "TelegramLink",
    "UTCDateTime",
    "User",
    "now_utc",
]

# The notification tables (outbox, reminder and digest marks, scheduler lease).
from tracker.models import notifications as _notification_models  # noqa: F401
