"""How many SMS segments a text takes: GSM-7 (160, or 153 per part) or UCS-2 (70, or 67).

Khmer is not in the GSM-7 alphabet, so a Khmer text is sent as UCS-2 and one segment holds 70
characters (UTF-16 code units).
"""

from __future__ import annotations

import math

GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = set("^{}\\[~]|€\f")  # each takes two septets


def encoding(text: str) -> str:
    """``gsm7`` when every character is in the GSM-7 alphabet, else ``ucs2``."""
    return "gsm7" if all(c in GSM_BASIC or c in GSM_EXTENDED for c in text) else "ucs2"


def length(text: str) -> int:
    """The text's length in its encoding's units (septets, or UTF-16 code units)."""
    if encoding(text) == "gsm7":
        return sum(2 if c in GSM_EXTENDED else 1 for c in text)
    return len(text.encode("utf-16-le")) // 2


def segments(text: str) -> int:
    """How many SMS segments the text is sent in."""
    single, part = (160, 153) if encoding(text) == "gsm7" else (70, 67)
    units = length(text)
    return 1 if units <= single else math.ceil(units / part)
