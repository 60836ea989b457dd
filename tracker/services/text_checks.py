"""Checks on free text and typed-in numbers, shared by every service that stores them."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from tracker.services.errors import ValidationFailed

CONTROL_MESSAGE = "Must not contain control characters."
MAX_ID = 2_147_483_647  # the largest id the databases' integer columns hold


def has_control_characters(value: str, *, multiline: bool = False) -> bool:
    """Tell whether text holds control characters (NUL, escapes, …); tabs and, if multiline,
    line breaks are allowed. Such characters break PostgreSQL (NUL), spreadsheets, emails and
    terminals."""
    allowed = {"\t", *(("\n", "\r") if multiline else ())}
    return any(unicodedata.category(c) == "Cc" and c not in allowed for c in value)


def control_character_errors(
    data: Mapping[str, Any], names: Iterable[str], *, multiline: bool = True
) -> dict[str, list[str]]:
    """The field errors of the named free texts of ``data`` that hold control characters
    (tab and line breaks allowed): the one check every free text passes."""
    texts = {name: data[name] for name in names if isinstance(data.get(name), str)}
    return {
        name: [CONTROL_MESSAGE]
        for name, value in texts.items()
        if has_control_characters(value, multiline=multiline)
    }


def check_texts(data: Mapping[str, Any], names: Iterable[str], *, multiline: bool = True) -> None:
    """Refuse control characters in the named free texts; ValidationFailed names each field."""
    errors = control_character_errors(data, names, multiline=multiline)
    if errors:
        raise ValidationFailed(
            "Some texts contain control characters: " + ", ".join(sorted(errors)) + ".", errors
        )


def check_text(name: str, value: Any, *, multiline: bool = True) -> None:
    """Refuse control characters in one free text, naming the field."""
    check_texts({name: value}, (name,), multiline=multiline)


def whole_number_text(value: Any, limit: int = MAX_ID) -> int | None:
    """The number written in decimal digits (ASCII or Khmer ០-៩; surrounding spaces allowed),
    if at most ``limit``; None for anything else (signs, superscripts, thousands of digits)."""
    text = value.strip() if isinstance(value, str) else ""
    if not text.isdecimal() or len(text) > len(str(limit)):
        return None
    number = int(text)
    return number if number <= limit else None
