"""On a 360 × 740 phone, a failed submit of each main form shows its error summary on screen,
focused, and its links take the reader to the field."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
SUMMARY_ON_SCREEN = """() => {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) return "no summary";
  const box = summary.getBoundingClientRect();
  if (document.activeElement !== summary) return "not focused";
  if (box.top < 0 || box.top >= window.innerHeight) return "off screen at " + box.top;
  return "ok";
}"""


def submit_and_check(tab, url: str, button: str, fill: dict[str, str] | None = None) -> None:
    """Open the form, fill it, send it, and check the summary is focused and in the viewport."""
    page = tab.page
    page.goto(url)
    for selector, value in (fill or {}).items():
        page.fill(selector, value)
    with page.expect_navigation():
        page.click(button)
    assert page.evaluate(SUMMARY_ON_SCREEN) == "ok", url


def test_every_main_form_shows_its_summary_focused_on_a_phone(
    tab_factory, officer, admin, forum, make_case
):
    """New concern, a transition, forum intake, upload, user invitation, password change."""
    reference = make_case().case.reference
    tab = tab_factory(**PHONE)
    tab.log_in(officer)
    page = tab.page

    submit_and_check(tab, "/cases/new", "form.form-grid button.primary[type=submit]")
    tab.shot("error-summary-new-concern-phone")
    page.click("[data-error-summary] a[href='#category']")
    assert page.evaluate("document.activeElement.id") == "category"

    page.goto(f"/cases/{reference}")
    page.locator("details.move:has(form[action$='/analyse'])").evaluate("d => d.open = true")
    with page.expect_navigation():
        page.click("form[action$='/transitions/analyse'] button[type=submit]")
    assert page.evaluate(SUMMARY_ON_SCREEN) == "ok"
    page.click("[data-error-summary] a[href='#analyse-note']")
    assert page.evaluate("document.activeElement.id") == "analyse-note"
    tab.shot("error-summary-transition-phone")

    submit_and_check(
        tab, f"/intake/{forum.id}", "form.intake-form button[type=submit]",
        {"#rows-0-title": "Clinic refuses NSSF card"},
    )  # fmt: skip
    submit_and_check(tab, f"/intake/{forum.id}", "form.upload-form button[type=submit]")
    submit_and_check(
        tab, "/account", "form[action$='/account'] button[type=submit]",
        {"#current_password": "wrong", "#new_password": "a long new password", "#confirm": "x"},
    )  # fmt: skip

    admin_tab = tab_factory(**PHONE)
    admin_tab.log_in(admin)
    submit_and_check(
        admin_tab, "/admin/users/new", "form.panel button[type=submit]", {"#email": "nobody"}
    )
    admin_tab.shot("error-summary-invite-phone")
