"""Credential changes: every one ends all web sessions and API tokens of the user, in one place."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import update

from tracker.extensions import db
from tracker.models import AccountLink, ApiToken, User, now_utc
from tracker.services.audit import record_admin_action
from tracker.services.errors import ValidationFailed
from tracker.services.passwords import hash_password, password_problems, verify_password
from tracker.services.unit_of_work import unit_of_work


def hash_token(token: str) -> str:
    """Return the stored form of a bearer token or one-time link (SHA-256: they are random)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def revoke_user_tokens(user_id: int, *, now: datetime | None = None) -> int:
    """Revoke every token of a user in the caller's transaction; return how many."""
    result = db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now or now_utc())
    )
    return int(result.rowcount or 0)


def revoke_credentials(user: User, *, now: datetime | None = None) -> int:
    """End every web session, API token and open password link of the user; return the tokens.

    Runs in the caller's transaction. Called on a password set, changed or reset, a role
    change, disabling and logout-everywhere; re-enabling a user later revives none of them.
    """
    now = now or now_utc()
    user.session_generation = (user.session_generation or 0) + 1
    db.session.execute(
        update(AccountLink)
        .where(AccountLink.user_id == user.id, AccountLink.used_at.is_(None))
        .values(used_at=now)
    )
    return revoke_user_tokens(user.id, now=now)


def set_password(
    user: User, password: str, *, field: str = "password", now: datetime | None = None
) -> None:
    """Give the user a new password (checked by the one rule) and end everything issued before."""
    problems = password_problems(password)
    if problems:
        raise ValidationFailed("The password was not accepted.", {field: problems})
    user.password_hash = hash_password(password)
    revoke_credentials(user, now=now)


def change_own_password(
    user: User,
    current_password: str,
    new_password: str,
    *,
    ip: str | None,
    now: datetime | None = None,
) -> None:
    """A user changes their password: the current one must be right; everything else ends."""
    if not verify_password(user.password_hash, current_password or ""):
        raise ValidationFailed(
            "The password was not changed.",
            {"current_password": ["The current password is not correct."]},
        )
    now = now or now_utc()
    with unit_of_work():
        set_password(user, new_password, field="new_password", now=now)
        record_admin_action(user, "password_changed", user.email, ip=ip, at=now)


def log_out_everywhere(user: User, *, ip: str | None, now: datetime | None = None) -> int:
    """End every web session and API token of the user; return how many tokens."""
    now = now or now_utc()
    with unit_of_work():
        revoked = revoke_credentials(user, now=now)
        record_admin_action(user, "logout_everywhere", user.email, ip=ip, at=now)
    return revoked
