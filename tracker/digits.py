"""Khmer digits (០១២៣៤៥៦៧៨៩): the one rule, for pages and emails alike.

CLDR's Khmer locale writes Latin digits by default, and Babel formats numbers and dates with
them; a reader of Khmer who chose Khmer digits on their account page gets the same text with the
digits replaced. References and access codes are identifiers people type, so they keep their
Latin digits: apply this to dates, counts and sentences without identifiers only.
"""

from __future__ import annotations

KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")


def in_reader_digits(text: str, language: str, khmer_digits: bool) -> str:
    """The text in the digits this reader chose (Khmer digits only for a Khmer reader)."""
    if text and language == "km" and khmer_digits:
        return text.translate(KHMER_DIGITS)
    return text
