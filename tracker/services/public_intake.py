"""A concern raised by the public, without an account (the /raise form; later the bot).

The case is marked as raised by the public in its creation event (actor label "public" and
``{"raised_by": "public", "channel": …}``); no new column is needed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tracker.models import User, now_utc
from tracker.services.case_fields import clean_case_fields
from tracker.services.case_limits import check_address_limit
from tracker.services.cases import LoggedCase, add_case
from tracker.services.unit_of_work import unit_of_work

# What a member of the public may say about a concern (the rest is staff's to fill in).
PUBLIC_FIELDS = (
    "title",
    "description",
    "category",
    "province",
    "raised_by_name",
    "raised_by_email",
    "raised_by_phone",
    "language",
    "consent_share",
)
CHANNELS = ("web", "telegram")


def public_actor() -> User:
    """Who logs a publicly raised concern: nobody with an account (never stored)."""
    return User(id=None, role="public", name="public", email="", active=True)


def raise_concern(
    data: Mapping[str, Any],
    *,
    channel: str = "web",
    now: datetime | None = None,
    remote_addr: str | None = None,
) -> LoggedCase:
    """Log a concern raised by the public; answer with its reference and access code."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    fields = clean_case_fields(
        {name: data[name] for name in PUBLIC_FIELDS if name in data}, creating=True
    )
    fields["workflow"] = "case"
    now = now or now_utc()
    check_address_limit(fields, now)
    with unit_of_work():
        return add_case(
            public_actor(),
            fields,
            now,
            remote_addr=remote_addr,
            event_data={"raised_by": "public", "channel": channel},
        )
