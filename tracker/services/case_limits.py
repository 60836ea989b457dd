"""Daily limits on raising cases, so an account cannot make the tracker mail strangers at will.

Counted over the last 24 hours: cases raised by one user, and cases naming one raiser address
(whoever logged them). Staff (officers, admins) are accountable employees who log whole forums
at once and are not limited. Two requests racing past the last free place may both pass: the
limit is a brake, not an exact count.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Select, func, select

from tracker import access
from tracker.extensions import db
from tracker.models import Case, User
from tracker.services.errors import TooManyRequests

WINDOW = timedelta(hours=24)


def check_case_limits(actor: User, fields: Mapping[str, Any], now: datetime) -> None:
    """Refuse a new case past CASE_LIMIT_PER_USER_PER_DAY or CASE_LIMIT_PER_ADDRESS_PER_DAY."""
    if access.is_staff(actor):
        return
    since = now - WINDOW
    _check(
        select(Case.created_at).where(Case.created_by_id == actor.id, Case.created_at > since),
        int(current_app.config["CASE_LIMIT_PER_USER_PER_DAY"]),
        now,
        "You have raised as many cases as one account may in a day. Try again later.",
    )
    check_address_limit(fields, now)


def check_address_limit(fields: Mapping[str, Any], now: datetime) -> None:
    """Refuse a new case naming a raiser address given on too many cases in the last day."""
    since = now - WINDOW
    email = (fields.get("raised_by_email") or "").lower()
    if email:
        _check(
            select(Case.created_at).where(
                func.lower(Case.raised_by_email) == email, Case.created_at > since
            ),
            int(current_app.config["CASE_LIMIT_PER_ADDRESS_PER_DAY"]),
            now,
            "This email address has been given on as many cases as allowed in a day.",
        )


def _check(recent: Select, limit: int, now: datetime, message: str) -> None:
    """Raise TooManyRequests when ``limit`` cases are in the window, until the oldest leaves."""
    times = db.session.scalars(recent.order_by(Case.created_at.desc()).limit(limit)).all()
    if len(times) >= limit:
        free_at = min(times) + WINDOW
        raise TooManyRequests(message, max(1, math.ceil((free_at - now).total_seconds())))
