"""How a signed-in person is told: the channel rule for users, in one place (no Flask, no
database), beside tracker.raiser_channel for raisers.

A user chooses email or Telegram on /account. Telegram serves only while the bot is configured
and the user's chat is linked; otherwise their messages go by email, so nothing waits on a
channel that cannot deliver. Representatives and agency focal points may turn the weekly
digest off; officers and admins may not (the digest is part of their work).
"""

from __future__ import annotations

USER_CHANNELS = ("email", "telegram")
DIGEST_OPTIONAL_ROLES = ("representative", "agency")


def user_channel(chosen: str | None, chat_id: str | None, telegram_enabled: bool) -> str:
    """The channel a user's messages take: Telegram when chosen, linked and configured."""
    if chosen == "telegram" and chat_id and telegram_enabled:
        return "telegram"
    return "email"


def digest_optional(role: str | None) -> bool:
    """Tell whether a user of this role may turn the weekly digest off."""
    return role in DIGEST_OPTIONAL_ROLES
