"""The token of a slip's Telegram QR code: ``t.me/<bot>?start=<token>`` names one case.

Telegram's start payload holds at most 64 characters of ``[A-Za-z0-9_-]``, too few for an
itsdangerous token (which also uses "."), so the token is ``c<case id>-<22 characters of an
HMAC-SHA256>``. The HMAC covers the case's access-code hash: reissuing the code (a lost
slip) makes the old slip's Telegram link stop working too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from urllib.parse import quote

from flask import current_app

from tracker.extensions import db
from tracker.models import Case

_TOKEN = re.compile(r"^c([1-9][0-9]{0,17})-([A-Za-z0-9_-]{22})$")


def _signature(case: Case) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    key = hmac.new(secret, b"forum-case-tracker telegram start v1", hashlib.sha256).digest()
    message = f"{case.id}:{case.access_code_hash}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:22]


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


def bot_link(case: Case) -> str | None:
    """``https://t.me/<bot>?start=<token>``, or None when no bot is configured."""
    username = current_app.config.get("TELEGRAM_BOT_USERNAME")
    if not username or not current_app.config.get("TELEGRAM_BOT_TOKEN"):
        return None
    return f"https://t.me/{quote(username)}?start={start_token(case)}"
