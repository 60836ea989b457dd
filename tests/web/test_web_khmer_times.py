"""Times on Khmer pages use the 24-hour clock, never CLDR's Latin AM/PM."""

from __future__ import annotations

import re
from datetime import UTC, datetime

LATIN_DAY_PERIOD = re.compile(r"\b(AM|PM)\b")
LOGGED_AT = datetime(2026, 3, 4, 8, 30, tzinfo=UTC)  # 15:30 in Phnom Penh


def test_a_khmer_reader_sees_the_24_hour_clock(client, login, make_user, make_case):
    reader = make_user("officer", language="km")
    reference = make_case(now=LOGGED_AT).case.reference
    login(reader)
    html = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert "15:30" in html
    assert not LATIN_DAY_PERIOD.search(html)


def test_an_english_reader_keeps_the_english_clock(client, login, make_user, make_case):
    reader = make_user("officer", language="en")
    reference = make_case(now=LOGGED_AT).case.reference
    login(reader)
    html = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert "3:30" in html and "PM" in html


def test_the_logged_date_and_the_logged_state_have_different_words(
    client, login, make_user, make_case
):
    reference = make_case(now=LOGGED_AT).case.reference
    login(make_user("officer", language="km"))
    html = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert "<dt>ថ្ងៃកត់ត្រា</dt>" in html  # the date
    assert "បានកត់ត្រា" in html  # the state badge
