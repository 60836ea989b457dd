"""Checks on free text shared by every service that stores it."""

from __future__ import annotations

import unicodedata

_LINE_BREAKS = frozenset("\r\n")


def has_control_characters(value: str, *, multiline: bool = False) -> bool:
    """Tell whether text holds control characters (NUL, escapes, …); tabs and, if multiline,
    line breaks are allowed. Such characters break PostgreSQL (NUL), spreadsheets and emails."""
    allowed = {"\t", *(_LINE_BREAKS if multiline else ())}
    return any(unicodedata.category(c) == "Cc" and c not in allowed for c in value)
