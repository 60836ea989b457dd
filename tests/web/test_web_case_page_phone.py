"""The case page puts the work first: state, due date and owner at the top, the next step's
form before the details, and one owner control."""

from __future__ import annotations

import re

import pytest

from tracker.services.transitions import fire_trigger

OWNER_SELECTS = re.compile(r'<select[^>]*name="(?:[a-z_]+-)?owner_id"')


def test_one_owner_control_while_nobody_owns_the_case(client, login, officer, make_case):
    """A new case: only the analyse step asks for the owner, and says nobody owns it yet."""
    reference = make_case().case.reference
    login(officer)
    html = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert len(OWNER_SELECTS.findall(html)) == 1
    assert f'action="/cases/{reference}/assign"' not in html
    assert "Nobody owns this case yet" in html
    start = html.index("data-case-status")
    status = html[start : html.index("</p>", start)]
    assert "Nobody yet" in status


def test_an_owned_case_has_its_owner_control_preset_to_the_owner(
    client, login, officer, make_user, make_case
):
    """Once analysed, the owner panel is the one control, preset to the real owner."""
    other = make_user("officer")
    reference = make_case().case.reference
    fire_trigger(officer, reference, "analyse", {"owner_id": other.id, "note": "Checked."})
    login(officer)
    html = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert len(OWNER_SELECTS.findall(html)) == 1
    selected = rf'<option selected value="{other.id}">|<option value="{other.id}" selected'
    assert re.search(selected, html)
    assert "Nobody owns this case yet" not in html
    assert html.index("data-next-step") < html.index('id="details-heading"')


@pytest.mark.browser
def test_the_next_step_form_is_above_the_fold_on_a_phone(tab_factory, officer, make_case):
    """At 360 × 740 the first step's form and its button show without scrolling."""
    reference = make_case(title="Clinic asked NSSF members to pay for a check-up").case.reference
    tab = tab_factory(width=360, height=740)
    tab.log_in(officer)
    page = tab.page
    page.goto(f"/cases/{reference}")
    box = page.locator("[data-next-step] details[open] form").bounding_box()
    assert box is not None
    assert box["y"] + 80 < 740  # the form and its first field start on the first screen
    assert page.locator("[data-case-status]").bounding_box()["y"] < box["y"]
    details = page.locator("#details-heading").bounding_box()
    assert details["y"] > box["y"]
    assert tab.fits_width()
    tab.shot("case-page-phone")
