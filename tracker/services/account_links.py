"""One-time links that set a password: invitations and resets, emailed through the outbox."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update

from tracker import access
from tracker.extensions import db
from tracker.models import AccountLink, User, now_utc
from tracker.services.audit import email_label, record_admin_action
from tracker.services.credentials import hash_token, revoke_credentials, set_password
from tracker.services.directory import user_by_email
from tracker.services.errors import Gone, NotFound, PermissionDenied
from tracker.services.passwords import NO_PASSWORD
from tracker.services.unit_of_work import unit_of_work
from tracker.signals import account_link_issued


@dataclass(frozen=True)
class Purpose:
    """What a kind of link sends, where it points, how long it lives, what using it records."""

    template: str
    path: str
    lifetime_setting: str
    action: str


PURPOSES = {
    "invite": Purpose(
        "account_invite", "/invitation/", "INVITATION_LIFETIME_HOURS", "invitation_accepted"
    ),
    "reset": Purpose(
        "password_reset", "/password/reset/", "PASSWORD_RESET_LIFETIME_HOURS", "password_reset"
    ),
}
LINK_GONE = "This link has expired or was already used. Ask for a new one."


def _lifetime(purpose: str) -> timedelta:
    return timedelta(hours=float(current_app.config[PURPOSES[purpose].lifetime_setting]))


def send_link(user: User, purpose: str, *, now: datetime) -> None:
    """Store a new link's hash and queue the email carrying it (the caller commits)."""
    token = secrets.token_urlsafe(32)
    lifetime = _lifetime(purpose)
    db.session.add(
        AccountLink(
            user_id=user.id,
            purpose=purpose,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    kind = PURPOSES[purpose]
    link = current_app.config["BASE_URL"].rstrip("/") + kind.path + token
    context = {"link": link, "name": user.name, "hours": round(lifetime.total_seconds() / 3600)}
    account_link_issued.send(user, template=kind.template, context=context, now=now)


def invite(user: User, *, now: datetime) -> None:
    """Email a new user the link to choose their first password (the caller commits)."""
    send_link(user, "invite", now=now)


def _recent_resets(user: User, now: datetime) -> int:
    since = now - timedelta(hours=1)
    query = select(func.count()).where(
        AccountLink.user_id == user.id,
        AccountLink.purpose == "reset",
        AccountLink.created_at >= since,
    )
    return db.session.scalar(query) or 0


def request_password_reset(email: str, *, ip: str | None, now: datetime | None = None) -> None:
    """Email a reset link if an active user has this address; answer the same either way."""
    now = now or now_utc()
    user = user_by_email(email)
    per_hour = int(current_app.config["PASSWORD_RESET_PER_ADDRESS_PER_HOUR"])
    with unit_of_work():
        if user is not None and user.active and _recent_resets(user, now) < per_hour:
            send_link(user, "reset", now=now)
        label = email_label(email)
        record_admin_action(
            None, "password_reset_requested", label, ip=ip, actor_label=label, at=now
        )


def send_reset_link(
    actor: User, user_id: int, *, ip: str | None, now: datetime | None = None
) -> User:
    """As an admin: end the user's password, sessions and tokens now and email a reset link."""
    if not access.is_admin(actor):
        raise PermissionDenied("Only admins may reset other users' passwords.")
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"No user {user_id}.")
    now = now or now_utc()
    with unit_of_work():
        user.password_hash = NO_PASSWORD
        revoke_credentials(user, now=now)
        send_link(user, "reset", now=now)
        record_admin_action(actor, "password_reset_sent", user.email, ip=ip, at=now)
    return user


def open_link(token: str, purpose: str, *, now: datetime | None = None) -> User:
    """The user a live link belongs to, or Gone (used, expired, unknown or user disabled)."""
    link = db.session.scalar(
        select(AccountLink).where(
            AccountLink.token_hash == hash_token(token or ""), AccountLink.purpose == purpose
        )
    )
    user = db.session.get(User, link.user_id) if link is not None else None
    if (
        link is None
        or user is None
        or not user.active
        or link.used_at is not None
        or link.expires_at <= (now or now_utc())
    ):
        raise Gone(LINK_GONE)
    return user


def use_link(
    token: str, purpose: str, password: str, *, ip: str | None, now: datetime | None = None
) -> User:
    """Set the password through a live link, once: the link is spent in the same transaction."""
    now = now or now_utc()
    user = open_link(token, purpose, now=now)
    with unit_of_work():
        spent = db.session.execute(
            update(AccountLink)
            .where(AccountLink.token_hash == hash_token(token), AccountLink.used_at.is_(None))
            .values(used_at=now)
        )
        if not spent.rowcount:  # another request used it a moment ago
            raise Gone(LINK_GONE)
        set_password(user, password, now=now)
        record_admin_action(user, PURPOSES[purpose].action, user.email, ip=ip, at=now)
    return user
