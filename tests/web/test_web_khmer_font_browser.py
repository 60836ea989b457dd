"""Khmer keeps its bold weight: headings and labels in Khmer use a font that has one."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# The faces of the Khmer family that the page has loaded, once its fonts are ready.
LOADED_FACES = """async () => {
  await document.fonts.ready;
  return [...document.fonts]
    .filter((face) => face.family.replace(/"/g, "") === "Tracker Khmer" && face.status === "loaded")
    .map((face) => face.weight);
}"""


def test_khmer_pages_load_a_bold_khmer_face(tab_factory, make_user, make_case):
    """A Khmer reader's case page uses the regular and the bold face of the Khmer font."""
    reader = make_user("officer", language="km")
    reference = make_case(title="ការចុះឈ្មោះភាគទាន").case.reference
    tab = tab_factory(width=360, height=740)
    tab.log_in(reader)
    page = tab.page
    page.goto(f"/cases/{reference}")
    weights = page.evaluate(LOADED_FACES)
    assert "700" in weights and "400" in weights, weights
    heading = page.evaluate("getComputedStyle(document.querySelector('h1')).fontWeight")
    assert int(heading) >= 600
    family = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert family.startswith('"Tracker Khmer"')
    tab.shot("khmer-case-page-bold")
