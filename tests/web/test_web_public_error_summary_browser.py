"""On a 360 × 740 phone in Khmer, the public forms' failed submits show the error summary on
screen and focused too: /raise, /status, "Was it resolved?" and the agency's answer link (which
shows what was asked right above its answer box)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.public.conftest import closed_case  # noqa: F401  (a fixture)
from tests.public.test_agency_link import referred
from tests.web.test_web_error_summary_browser import PHONE, SUMMARY_ON_SCREEN, submit_and_check
from tracker.extensions import db
from tracker.models import Referral
from tracker.public_links import referral_token

pytestmark = pytest.mark.browser


def test_the_public_forms_show_their_summary_focused_on_a_phone(
    tab_factory,
    closed_case,  # noqa: F811  (the fixture imported above)
    make_case,
    officer,
    agency,
):
    tab = tab_factory(**PHONE)
    page = tab.page
    page.goto("/raise")
    page.click("form.lang button[value=km]")
    submit_and_check(tab, "/raise", "form.form-grid button[type=submit]")
    assert page.title().startswith("កំហុស")  # "Error:" in Khmer
    tab.shot("error-summary-raise-km-phone")

    ref, code = closed_case.case.reference, closed_case.access_code
    wrong = {"#reference": ref, "#access_code": "AAAA-BBBB-CCCC"}
    submit_and_check(tab, "/status", "form:has(#access_code) button[type=submit]", wrong)
    page.fill("#reference", ref)
    page.fill("#access_code", code)
    with page.expect_navigation():
        page.click("form:has(#access_code) button[type=submit]")
    with page.expect_navigation():
        page.click(".feedback-form button[type=submit]")  # nothing chosen
    assert page.evaluate(SUMMARY_ON_SCREEN) == "ok"
    page.click("[data-error-summary] a[href='#resolved']")
    assert page.evaluate("document.activeElement.id") == "resolved"
    tab.shot("error-summary-feedback-km-phone")

    referred(make_case, officer, agency)  # its second referral: the closed case had the first
    newest = db.session.scalar(select(Referral).order_by(Referral.id.desc()).limit(1))
    path = f"/referrals/answer/{referral_token(newest.id)}"
    page.goto(path)
    asked = page.locator("[data-referral-note]")
    assert "Check it." in asked.inner_text()
    box, answer = asked.bounding_box(), page.locator("#response").bounding_box()
    assert box["y"] + box["height"] <= answer["y"]  # what was asked, just above the answer box
    submit_and_check(tab, path, "main form button[type=submit]")
    tab.shot("error-summary-answer-link-km-phone")
