"""Khmer digits (០១២៣៤៥៦៧៨៩) for readers who ask for them on their account page.

CLDR's Khmer locale writes Latin digits by default, and Babel formats numbers and dates with
them; a reader who prefers Khmer digits gets the same text with the digits replaced. References
and access codes are identifiers people type, so they keep their Latin digits.
"""

from __future__ import annotations

from typing import Any

from flask_babel import format_decimal
from flask_login import current_user

from tracker.web.choices import language

KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")


def wants_khmer_digits() -> bool:
    """Tell whether the reader reads Khmer and chose Khmer digits."""
    return (
        language() == "km"
        and bool(getattr(current_user, "is_authenticated", False))
        and bool(getattr(current_user, "khmer_digits", False))
    )


def local_digits(text: str) -> str:
    """The text with Khmer digits for a reader who chose them; unchanged for anyone else."""
    return text.translate(KHMER_DIGITS) if text and wants_khmer_digits() else text


def number(value: Any) -> str:
    """A number in the reader's locale (grouping) and digits."""
    if value is None:
        return ""
    return local_digits(format_decimal(value))
