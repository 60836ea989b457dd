"""Khmer digits on the pages: the reader is the signed-in user (the rule: tracker.digits)."""

from __future__ import annotations

from typing import Any

from flask_babel import format_decimal
from flask_login import current_user

from tracker.digits import in_reader_digits
from tracker.web.choices import language


def wants_khmer_digits() -> bool:
    """Tell whether the reader reads Khmer and chose Khmer digits."""
    return (
        language() == "km"
        and bool(getattr(current_user, "is_authenticated", False))
        and bool(getattr(current_user, "khmer_digits", False))
    )


def local_digits(text: str) -> str:
    """The text with Khmer digits for a reader who chose them; unchanged for anyone else."""
    return in_reader_digits(text, "km", wants_khmer_digits())


def number(value: Any) -> str:
    """A number in the reader's locale (grouping) and digits."""
    if value is None:
        return ""
    return local_digits(format_decimal(value))
