"""An admin's look at anyone's weekly digest as it would be sent now: nothing is sent, no
outbox row is written and no week is claimed (the digest's own lists and templates, read only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from notifications.digest import (
    BUILDERS,
    digest_audience,
    digest_template,
    has_news,
    message_context,
    with_reader,
)
from notifications.email import render_email
from notifications.recipients import language_of, user_recipient
from notifications.short_text import render_chat
from tracker.extensions import db
from tracker.models import User
from tracker.working_days import working_calendar
from workflows.time_rules import week_of


@dataclass(frozen=True)
class DigestPreview:
    """One person's digest: where it would go, and its parts as the outbox would render them."""

    user: User
    would_send: bool  # active, and not turned off
    channel: str  # "email" or "telegram" (tracker.user_channel)
    subject: str
    text: str
    html: str
    chat_text: str | None  # the Telegram message, when that is the user's channel
    nothing_new: bool = False  # would get one, but nothing is open and nothing changed


def digest_message(user: User, now: datetime) -> tuple[str, dict[str, Any]]:
    """The template and context of the user's digest at ``now`` (the one place that builds
    them for a preview; the queue's own: ``with_reader`` and ``message_context``)."""
    week = week_of(now, working_calendar())
    number = (week.year, week.number)
    context = with_reader(user, BUILDERS[user.role]([user], now)[user.id], number)
    return digest_template(user), message_context(user, context, number)


def preview_digest(user: User, now: datetime) -> DigestPreview:
    """The user's digest as it would be sent now; writes nothing."""
    template, context = digest_message(user, now)
    recipient = user_recipient(user)
    language = recipient.language if recipient else language_of(user.language)
    channel = recipient.channel if recipient else "email"
    rendered = render_email(template, language, context)
    wanted = db.session.scalar(select(User.id).where(User.id == user.id, digest_audience()))
    reachable = wanted is not None and recipient is not None
    news = has_news(context)
    return DigestPreview(
        user=user,
        # Nothing open and nothing changed: no digest goes (notifications.digest.has_news).
        would_send=reachable and news,
        nothing_new=reachable and not news,
        channel=channel,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        chat_text=render_chat(template, language, context).text if channel == "telegram" else None,
    )
