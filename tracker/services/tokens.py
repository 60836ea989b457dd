"""API bearer tokens: issued for email + password, stored as a SHA-256 hash, expiring, revocable."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from tracker.extensions import db
from tracker.models import ApiToken, User, now_utc
from tracker.services.audit import record_admin_action
from tracker.services.credentials import hash_token
from tracker.services.errors import NotAuthenticated
from tracker.services.unit_of_work import unit_of_work
from tracker.services.users import authenticate

DEFAULT_TOKEN_LIFETIME = timedelta(hours=12)


@dataclass(frozen=True)
class IssuedToken:
    """A new token in clear (shown once) and when it stops working."""

    token: str
    expires_at: datetime
    user: User


def issue_token(
    email: str,
    password: str,
    *,
    lifetime: timedelta = DEFAULT_TOKEN_LIFETIME,
    now: datetime | None = None,
    ip: str | None = None,
) -> IssuedToken:
    """Exchange valid credentials of an active user for a new bearer token."""
    user = authenticate(email, password, now=now, ip=ip, via="api")
    if user is None:
        raise NotAuthenticated("The email or password is not correct.")
    return issue_token_for(user, lifetime=lifetime, now=now, ip=ip)


def issue_token_for(
    user: User,
    *,
    lifetime: timedelta = DEFAULT_TOKEN_LIFETIME,
    now: datetime | None = None,
    ip: str | None = None,
) -> IssuedToken:
    """Issue a token for a user already authenticated (or created by an admin tool); audited."""
    if not user.active:
        raise NotAuthenticated("This account is disabled.")
    now = now or now_utc()
    token = secrets.token_urlsafe(32)
    with unit_of_work():
        db.session.add(
            ApiToken(
                user_id=user.id,
                token_hash=hash_token(token),
                created_at=now,
                expires_at=now + lifetime,
            )
        )
        record_admin_action(user, "token_issued", user.email, ip=ip, at=now)
    return IssuedToken(token, now + lifetime, user)


def user_for_token(token: str, *, now: datetime | None = None) -> User | None:
    """Return the active user a live token belongs to, or None."""
    if not token or len(token) > 200:
        return None
    # One query for the token and its user: it runs before every API request.
    return db.session.scalar(
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == hash_token(token),
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > (now or now_utc()),
            User.active.is_(True),
        )
    )


def revoke_token(
    token: str, *, actor: User | None = None, ip: str | None = None, now: datetime | None = None
) -> bool:
    """Revoke one token; tell whether a live token was revoked (audited when one was)."""
    with unit_of_work():
        result = db.session.execute(
            update(ApiToken)
            .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None))
            .values(revoked_at=now or now_utc())
        )
        if result.rowcount:
            label = actor.email if actor is not None else ""
            record_admin_action(actor, "token_revoked", label, ip=ip, at=now)
    return bool(result.rowcount)
