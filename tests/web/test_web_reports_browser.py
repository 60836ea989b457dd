"""Reports, the forum brief and the outbox in chromium: charts drawn, phone width, print styles.

Screenshots land in test-artifacts/screenshots/ (40-…) for people to look at.
"""

from __future__ import annotations

import pytest

from notifications.jobs import deliver
from tests.services.reports_scenario import build_referrals

pytestmark = pytest.mark.browser


@pytest.fixture
def scenario(officer, agency, other_agency, organisation, other_organisation, forum, make_case):
    """The dated referrals of tests/services/reports_scenario.py, and two concerns of a forum."""
    refs = build_referrals(officer, agency, other_agency, organisation, other_organisation)
    for title in ("Clinic asks members to pay", "Maternity benefit late"):
        make_case(forum_id=forum.id, title=title, raised_by_email="dara@example.org")
    deliver()  # no mail server in tests: the acknowledgements are held as unsent
    return refs


def test_reports_page_draws_bars_and_fits_a_phone(tab_factory, scenario, officer, make_user):
    tab = tab_factory()
    tab.log_in(officer)
    tab.page.goto("/reports")
    bars = tab.page.locator("#chart-state ~ .bars .bar-fill")
    assert bars.count() == 3
    widths = [box["width"] for box in (bars.nth(i).bounding_box() for i in range(3))]
    assert widths[0] > widths[1] > 0  # 3 referred, then 2 responded: drawn to scale
    tab.shot("40-reports")
    tab.page.select_option("#rows", "state")
    tab.page.select_option("#columns", "agency")
    with tab.page.expect_navigation():
        tab.page.click("#cross-heading ~ form button[type=submit]")
    assert "State × Agency" in tab.page.locator("#cross-heading").inner_text()

    phone = tab_factory(width=360, height=740)
    phone.log_in(make_user("officer", language="km"))
    phone.page.goto("/reports")
    assert phone.fits_width()
    assert "របាយការណ៍" in phone.page.locator("h1").inner_text()
    phone.shot("41-khmer-phone-reports")


def test_forum_brief_prints_without_the_chrome(tab_factory, scenario, officer, forum):
    tab = tab_factory(width=900)
    tab.log_in(officer)
    tab.page.goto(f"/forums/{forum.id}/brief")
    assert tab.page.locator(".topbar").is_visible()
    tab.page.evaluate("window.print = () => { window.printed = true; }")
    tab.page.get_by_role("button", name="Print").click()
    assert tab.page.evaluate("window.printed === true")
    tab.page.emulate_media(media="print")
    assert not tab.page.locator(".topbar").is_visible()
    assert not tab.page.locator(".no-print").first.is_visible()
    assert tab.page.locator(".brief-cases thead").is_visible()  # headers kept on paper
    tab.shot("42-forum-brief-print")


def test_admin_retries_a_message_in_the_outbox(tab_factory, scenario, admin):
    tab = tab_factory()
    tab.log_in(admin)
    tab.page.goto("/admin/outbox?status=unsent")
    rows = tab.page.locator(".outbox-table tbody tr")
    before = rows.count()
    tab.shot("43-admin-outbox")
    with tab.page.expect_navigation():
        rows.first.locator("button[type=submit]").click()
    assert "queued again" in tab.page.locator(".flash-success").inner_text()
    assert tab.page.locator(".outbox-table tbody tr").count() == before - 1
