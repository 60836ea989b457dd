"""The admin trail: record admin actions, sign-ins and credential changes; list them for admins."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from tracker import access
from tracker.extensions import db
from tracker.models import AuditEntry, User, now_utc
from tracker.services.case_queries import Page, paged
from tracker.services.errors import PermissionDenied, ValidationFailed

# Keys whose values are never written to the trail, whatever a caller passes in ``details``.
SECRET_WORDS = ("password", "token", "access_code", "secret", "hash")
ACTIONS = (
    "login",
    "login_failed",
    "logout",
    "logout_everywhere",
    "token_issued",
    "token_revoked",
    "password_changed",
    "password_reset_requested",
    "password_reset",
    "password_set",
    "password_reset_sent",
    "invitation_accepted",
    "user_invited",
    "user_created",
    "user_changed",
    "agency_created",
    "agency_changed",
    "organisation_created",
    "organisation_changed",
    "forum_created",
    "forum_changed",
    "category_changed",
    "outbox_retried",
    "deadline_changed",
    "day_off_added",
    "day_off_removed",
    "telegram_linked",
    "telegram_unlinked",
)


def _safe(details: Mapping[str, Any] | None) -> dict[str, Any]:
    """The details with every secret-looking key left out, at any depth."""
    return {
        key: _safe(value) if isinstance(value, Mapping) else value
        for key, value in (details or {}).items()
        if not any(word in key.lower() for word in SECRET_WORDS)
    }


def email_label(email: str) -> str:
    """An email someone typed, for the trail, only if it looks like one (never a password)."""
    email = email.strip()
    plausible = "@" in email and len(email) <= 254 and email.isprintable() and " " not in email
    return email.lower() if plausible else "(not an email address)"


def record_admin_action(
    actor: User | None,
    action: str,
    target: str = "",
    *,
    ip: str | None,
    details: Mapping[str, Any] | None = None,
    actor_label: str | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Add one entry to the trail in the caller's transaction (the caller commits)."""
    entry = AuditEntry(
        at=at or now_utc(),
        actor_id=actor.id if actor is not None else None,
        actor_label=(actor_label or (actor.email if actor is not None else "system"))[:254],
        action=action,
        target=str(target)[:200],
        ip=(ip or None) and ip[:45],
        details=_safe(details),
    )
    db.session.add(entry)
    return entry


@dataclass(frozen=True)
class AuditFilter:
    """What an admin narrows the trail to: an actor's email, an action, a time range."""

    actor: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def list_audit(viewer: User, where: AuditFilter, *, page: int = 1, per_page: int = 50) -> Page:
    """One page of the trail, newest first, for admins only."""
    if not access.is_admin(viewer):
        raise PermissionDenied("Only admins may read the audit trail.")
    if where.action and where.action not in ACTIONS:
        raise ValidationFailed(
            "Unknown action.", {"action": [f"Must be one of: {', '.join(ACTIONS)}."]}
        )
    query = select(AuditEntry)
    if where.actor:
        query = query.where(func.lower(AuditEntry.actor_label) == where.actor.strip().lower())
    if where.action:
        query = query.where(AuditEntry.action == where.action)
    if where.since:
        query = query.where(AuditEntry.at >= where.since)
    if where.until:
        query = query.where(AuditEntry.at < where.until)
    return paged(query, [AuditEntry.at.desc(), AuditEntry.id.desc()], page=page, per_page=per_page)
