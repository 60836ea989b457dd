"""Khmer as chromium draws it: small text stays readable, underlines clear the subscripts."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SMALL_TEXT = (".facts dt", ".tl-meta", ".footer")


def font_px(tab, selector: str) -> float:
    """The computed font size of the first element matching ``selector``."""
    return tab.page.locator(selector).first.evaluate(
        "el => parseFloat(getComputedStyle(el).fontSize)"
    )


def test_small_khmer_text_is_at_least_15px(tab_factory, make_user, make_case):
    reference = make_case().case.reference
    tab = tab_factory(width=360, height=740)
    tab.log_in(make_user("officer", language="km"))
    tab.page.goto(f"/cases/{reference}")
    for selector in SMALL_TEXT:
        assert font_px(tab, selector) >= 15, selector
    offset = tab.page.locator("a").first.evaluate("el => getComputedStyle(el).textUnderlineOffset")
    assert offset not in ("auto", "0px"), offset


def test_small_english_text_keeps_its_smaller_size(tab_factory, make_user, make_case):
    reference = make_case().case.reference
    tab = tab_factory()
    tab.log_in(make_user("officer", language="en"))
    tab.page.goto(f"/cases/{reference}")
    assert font_px(tab, ".facts dt") < 15
