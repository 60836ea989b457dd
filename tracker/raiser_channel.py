"""How a raiser is told of their case: the channel rule, in one place (no Flask, no database).

Issue 11 moves raisers to their own records; these functions take plain values so they move
with them unchanged.
"""

from __future__ import annotations

import re

from tracker.codes import CHANNELS

# Outbox rows are written for every channel but "none".
MESSAGE_CHANNELS = ("email", "telegram", "sms")

_SEPARATORS = re.compile(r"[\s().-]+")


def default_channel(email: str | None, phone: str | None) -> str:
    """Email if an address is given, else SMS if a phone number is, else none."""
    if (email or "").strip():
        return "email"
    if phone_number(phone) is not None:
        return "sms"
    return "none"


def preferred_channel(channel: str | None, email: str | None, phone: str | None) -> str:
    """The channel chosen for the raiser, or the default when none was chosen."""
    return channel if channel in CHANNELS else default_channel(email, phone)


def phone_number(phone: str | None) -> str | None:
    """A phone number in E.164 (+855…), or None when it is no usable number.

    Cambodian numbers are written 012 345 678 or 855 12 345 678; a leading + keeps any
    country code as it is.
    """
    digits = _SEPARATORS.sub("", (phone or "").strip())
    if digits.startswith("+"):
        number = digits[1:]
    elif digits.startswith("00"):
        number = digits[2:]
    elif digits.startswith("855"):
        number = digits
    elif digits.startswith("0"):
        number = "855" + digits[1:]
    else:
        return None
    if not number.isdigit() or not 8 <= len(number) <= 15:
        return None
    return "+" + number


def channel_problem(channel: str | None, email: str | None, phone: str | None) -> str | None:
    """Why the chosen channel cannot reach the raiser, or None when it can (or is the default)."""
    if channel == "email" and not (email or "").strip():
        return "Email needs the raiser's email address."
    if channel == "sms" and phone_number(phone) is None:
        return "SMS needs the raiser's phone number (for example 012 345 678)."
    return None
