"""The start tokens of the bot's deep links ``t.me/<bot>?start=<token>``.

Telegram's start payload holds at most 64 characters of ``[A-Za-z0-9_-]``, too few for an
itsdangerous token (which also uses "."), so a token is a letter, an id and 22 characters of
an HMAC-SHA256:

- ``c<case id>-…``, a slip's QR code: names one case. The HMAC covers the case's access-code
  hash: reissuing the code (a lost slip) makes the old slip's Telegram link stop working too.
- ``u<user id>-…``, the link on /account: names one user. The HMAC covers the user's
  ``telegram_link_nonce``, cleared when the link is used (so it works once) and replaced when
  a new link is made.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from urllib.parse import quote

from flask import current_app
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Case, User

_TOKEN = re.compile(r"^c([1-9][0-9]{0,17})-([A-Za-z0-9_-]{22})$")
_USER_TOKEN = re.compile(r"^u([1-9][0-9]{0,17})-([A-Za-z0-9_-]{22})$")


def _mac(purpose: bytes, message: str) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    key = hmac.new(secret, purpose, hashlib.sha256).digest()
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:22]


def _signature(case: Case) -> str:
    return _mac(b"forum-case-tracker telegram start v1", f"{case.id}:{case.access_code_hash}")


def _user_signature(user: User) -> str:
    nonce = user.telegram_link_nonce or ""
    return _mac(b"forum-case-tracker telegram staff link v1", f"{user.id}:{nonce}")


def start_token(case: Case) -> str:
    """The start payload of the case's Telegram link."""
    return f"c{case.id}-{_signature(case)}"


def case_of_token(token: str) -> Case | None:
    """The case a start payload names, or None for a tampered, stale or foreign one."""
    found = _TOKEN.match(token or "")
    if found is None:
        return None
    case = db.session.get(Case, int(found.group(1)))
    if case is None or not hmac.compare_digest(_signature(case), found.group(2)):
        return None
    return case


def is_user_token(token: str) -> bool:
    """Tell whether a start payload is of the /account kind (``u…``), not a slip's."""
    return (token or "").startswith("u")


def user_start_token(user: User) -> str | None:
    """The start payload of the user's /account link, or None when no link is open."""
    if not user.telegram_link_nonce:
        return None
    return f"u{user.id}-{_user_signature(user)}"


def user_of_token(token: str) -> User | None:
    """The active user an open /account link names, or None (used, replaced, made up)."""
    found = _USER_TOKEN.match(token or "")
    if found is None:
        return None
    # Locked (its own row only: the joined agency and organisation may be NULL) so two presses
    # of one link cannot both use it.
    user = db.session.scalar(
        select(User).where(User.id == int(found.group(1))).with_for_update(of=User)
    )
    if user is None or not user.active or not user.telegram_link_nonce:
        return None
    if not hmac.compare_digest(_user_signature(user), found.group(2)):
        return None
    return user


def bot_configured_for_links() -> bool:
    """Tell whether deep links can be made: a bot token and the bot's username are set."""
    config = current_app.config
    return bool(config.get("TELEGRAM_BOT_USERNAME") and config.get("TELEGRAM_BOT_TOKEN"))


def _deep_link(payload: str | None) -> str | None:
    if payload is None or not bot_configured_for_links():
        return None
    return f"https://t.me/{quote(current_app.config['TELEGRAM_BOT_USERNAME'])}?start={payload}"


def bot_link(case: Case) -> str | None:
    """``https://t.me/<bot>?start=<token>``, or None when no bot is configured."""
    return _deep_link(start_token(case))


def user_bot_link(user: User) -> str | None:
    """The /account deep link that links the user's chat, or None (no bot, no open link)."""
    return _deep_link(user_start_token(user))
