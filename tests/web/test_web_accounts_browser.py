"""Accounts in a real browser: forgotten password → emailed link → new password → log in."""

from __future__ import annotations

import pytest

from tests.web.accounts_support import outbox_link

pytestmark = pytest.mark.browser

NEW_PASSWORD = "typed in the browser"


def test_a_forgotten_password_is_reset_through_the_link(tab_factory, officer):
    tab = tab_factory(width=390, height=844)  # a phone
    page = tab.page
    page.goto("/login")
    with page.expect_navigation():
        page.click("text=Forgotten your password?")
    page.fill("#email", officer.email)
    with page.expect_navigation():
        page.click("form:has(#email) button[type=submit]")
    assert "If an account has this address" in page.inner_text("main")
    tab.shot("accounts-forgot-sent")
    page.goto(outbox_link("password_reset", officer.email))
    assert officer.email in page.inner_text("main")
    assert tab.fits_width()
    tab.shot("accounts-reset-form")
    page.fill("#password", NEW_PASSWORD)
    page.fill("#confirm", NEW_PASSWORD)
    with page.expect_navigation():
        page.click("form:has(#password) button[type=submit]")
    assert page.url.endswith("/login")
    tab.log_in(officer, NEW_PASSWORD)
    page.click("a.who")
    page.wait_for_url("**/account")
    tab.shot("accounts-account-page")
    assert "Log out everywhere" in page.inner_text("main")
