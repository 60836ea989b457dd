"""The notification tables, which live with the other tables in tracker.models.notifications."""

from tracker.models.notifications import (
    STATUSES,
    DigestMark,
    OutboxMessage,
    ReminderMark,
    SchedulerLease,
)

__all__ = ["STATUSES", "DigestMark", "OutboxMessage", "ReminderMark", "SchedulerLease"]
