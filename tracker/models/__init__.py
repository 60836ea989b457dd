"""The tracker's typed SQLAlchemy models."""

from tracker.models.base import UTCDateTime, now_utc
from tracker.models.case import (
    Case,
    Comment,
    DeadlinePolicy,
    Event,
    IdempotencyKey,
    ReferenceCounter,
    Referral,
)
from tracker.models.reference import Agency, Category, Forum, Organisation
from tracker.models.user import ROLES, ApiToken, User

__all__ = [
    "ROLES",
    "Agency",
    "ApiToken",
    "Case",
    "Category",
    "Comment",
    "DeadlinePolicy",
    "Event",
    "Forum",
    "IdempotencyKey",
    "Organisation",
    "ReferenceCounter",
    "Referral",
    "UTCDateTime",
    "User",
    "now_utc",
]

# The notification tables (outbox, reminder and digest marks, scheduler lease).
from tracker.models import notifications as _notification_models  # noqa: F401
