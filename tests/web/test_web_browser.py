"""The UI in a real browser: Debian's chromium, headless, driving the app on 127.0.0.1.

Screenshots of the main pages land in test-artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from tracker.services.transitions import fire_trigger

pytestmark = pytest.mark.browser


def badge(page: Page) -> str:
    """The state badge of the case page."""
    return page.locator(".case-head .badge").inner_text()


def submit(page: Page, selector: str) -> None:
    """Click a submit button and wait for the next page."""
    with page.expect_navigation():
        page.click(selector)


def move(page: Page, trigger: str, fields: dict[str, str]) -> None:
    """Open a transition's form, fill its fields (selects by value) and send it."""
    form = f"form[action$='/transitions/{trigger}']"
    details = page.locator(f"details.move:has({form})")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    for name, value in fields.items():
        field = page.locator(f"#{trigger}-{name}")
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    submit(page, f"{form} button[type=submit]")


def test_officer_takes_a_concern_from_logged_to_closed(tab_factory, officer, agency, make_case):
    make_case(title="Clinic asked NSSF members to pay", category="healthcare")
    tab = tab_factory()
    page = tab.page
    tab.log_in(officer)
    tab.shot("01-dashboard")
    page.click("nav.mainnav >> text=New concern")
    page.fill("#title", "Maternity benefit not paid")
    page.fill("#description", "Twelve garment workers at one factory have waited four months.")
    page.select_option("#category", "maternity")
    page.select_option("#gender_focus", "women")
    page.fill("#people_affected", "12")
    submit(page, "form.form-grid button.primary[type=submit]")
    code = page.locator(".access-code").inner_text()
    reference = page.locator(".case-head .ref").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert badge(page) == "Logged"
    tab.shot("02-case-logged")

    move(page, "analyse", {"note": ""})  # the analysis note is missing
    assert page.locator("#analyse-note-error").is_visible()
    assert page.locator("#analyse-note").get_attribute("aria-invalid") == "true"
    assert badge(page) == "Logged"
    tab.shot("03-case-validation-error")
    move(page, "analyse", {"note": "Employer deducted contributions but never paid them."})
    assert badge(page) == "Analysed"
    move(page, "refer", {"agency_ids": str(agency.id), "note": "Please check the employer."})
    assert badge(page) == "Referred"
    move(page, "respond", {"response": "Employer ordered to pay; benefits paid in June."})
    assert badge(page) == "Responded"
    move(page, "close", {"outcome": "resolved", "resolution": "All twelve workers were paid."})
    assert badge(page) == "Closed"
    assert page.locator("details.move summary").all_inner_texts() == ["Reopen"]
    tab.shot("04-case-closed")

    page.goto("/cases")
    assert reference in page.locator("table.cases-table").inner_text()
    tab.shot("05-case-list")
    page.goto("/workflow")
    assert (
        page.locator("svg.workflow-svg .edge").count() == 20
    )  # merge joins from the five open states
    tab.shot("06-workflow")

    public = tab_factory()
    public.page.goto("/status")
    public.page.fill("#reference", reference)
    public.page.fill("#access_code", code)
    submit(public.page, "main form button[type=submit]")
    assert "Closed" in public.page.locator(".status-result").inner_text()
    public.shot("07-public-status")


def test_agency_user_answers_a_referral(tab_factory, officer, agency, agency_user, make_case):
    reference = make_case(title="Contributions deducted, not paid").case.reference
    fire_trigger(officer, reference, "analyse", {"owner_id": officer.id, "note": "Checked."})
    fire_trigger(officer, reference, "refer", {"agency_id": agency.id, "note": "Please act."})
    tab = tab_factory()
    page = tab.page
    tab.log_in(agency_user)
    page.click("nav.mainnav >> text=Referrals")
    assert reference in page.locator("table").inner_text()
    tab.shot("08-agency-referrals")
    submit(page, "a.button:has-text('Answer')")
    move(page, "respond", {"response": "The employer has been inspected and fined."})
    assert badge(page) == "Responded"
    assert "The employer has been inspected and fined." in page.locator(".timeline").inner_text()
    tab.shot("09-agency-answered")


def test_representative_on_a_phone_sees_only_their_organisation(
    tab_factory, representative, other_organisation, make_case
):
    own = make_case(
        title="Indigenous workers get no information in their language",
        organisation_id=representative.organisation_id,
    ).case
    other = make_case(title="Another union's concern", organisation_id=other_organisation.id).case
    tab = tab_factory(width=360, height=740)
    page = tab.page
    tab.log_in(representative)
    assert tab.fits_width()
    tab.shot("10-phone-representative-dashboard")
    page.goto("/cases")
    listing = page.locator("main").inner_text()
    assert own.reference in listing and other.reference not in listing
    assert tab.fits_width()
    tab.shot("11-phone-representative-cases")
    page.goto(f"/cases/{own.reference}")
    page.fill("#body", "Twenty more workers in Ratanak Kiri have the same problem.")
    submit(page, "form[action$='/comments'] button[type=submit]")
    assert "Twenty more workers" in page.locator(".timeline").inner_text()
    assert page.locator("details.move").count() == 0
    assert tab.fits_width()
    tab.shot("12-phone-representative-case")
    response = page.goto(f"/cases/{other.reference}")
    assert response.status == 404
    assert other.title not in page.content()


def test_public_status_right_and_wrong_code(tab_factory, make_case):
    logged = make_case()
    tab = tab_factory(width=360, height=740)
    page = tab.page
    page.goto("/status")
    page.fill("#reference", logged.case.reference)
    page.fill("#access_code", "WRNG-CODE-XXXX")
    submit(page, "main form button[type=submit]")
    assert page.locator(".status-result").count() == 0
    assert page.locator("[data-error-summary]").is_visible()
    assert page.evaluate("document.activeElement.matches('[data-error-summary]')")
    page.fill("#access_code", logged.access_code)
    submit(page, "main form button[type=submit]")
    assert "Logged" in page.locator(".status-result").inner_text()
    assert tab.fits_width()
    tab.shot("13-phone-public-status")


def test_the_whole_flow_in_khmer(tab_factory, officer, agency, forum):
    tab = tab_factory()
    page = tab.page
    tab.log_in(officer)
    submit(page, "form.lang button[value=km]")
    assert page.locator("html").get_attribute("lang") == "km"
    page.click("nav.mainnav >> text=កត់ត្រាពីវេទិកា")
    page.select_option("#forum_id", str(forum.id))
    submit(page, "form[action$='/intake/go'] button[type=submit]")
    page.click("[data-add-rows]")  # JavaScript adds five rows without a reload
    assert page.locator("[data-intake-row]").count() == 10
    page.fill("#rows-0-title", "ប្រាក់ឧបត្ថម្ភមាតុភាពមិនទាន់បានបើក")
    page.fill("#rows-0-description", "កម្មករកាត់ដេរដប់ពីរនាក់រង់ចាំបួនខែហើយ។")
    page.select_option("#rows-0-category", "maternity")
    page.fill("#rows-7-title", "មន្ទីរពេទ្យសុំប្រាក់ពីសមាជិក")
    page.fill("#rows-7-description", "សមាជិកបេឡាជាតិត្រូវបង់ប្រាក់នៅមន្ទីរពេទ្យ។")
    submit(page, ".intake-form button[type=submit]")  # row 7 has no category
    assert page.locator("#rows-7-category-error").inner_text() == "ត្រូវបំពេញចន្លោះនេះ។"
    assert page.locator("#rows-0-title").input_value() == "ប្រាក់ឧបត្ថម្ភមាតុភាពមិនទាន់បានបើក"
    tab.shot("14-khmer-intake-error")
    page.select_option("#rows-7-category", "healthcare")
    submit(page, ".intake-form button[type=submit]")
    assert page.locator(".access-code").count() == 2
    tab.shot("15-khmer-intake-codes")
    first = page.locator(".slip-reference").first.inner_text()  # intake ends on the slips
    code = page.locator(".access-code").first.inner_text()

    page.goto(f"/cases/{first}")
    assert badge(page) == "បានកត់ត្រា"
    move(page, "analyse", {"note": "និយោជកមិនបានបង់ភាគទាន។"})
    assert badge(page) == "បានវិភាគ"
    move(page, "refer", {"agency_ids": str(agency.id), "note": "សូមពិនិត្យនិយោជក។"})
    move(page, "respond", {"response": "បានបង់ប្រាក់ឱ្យកម្មករហើយ។"})
    move(page, "close", {"outcome": "resolved", "resolution": "កម្មករទាំងអស់ទទួលបានប្រាក់។"})
    assert badge(page) == "បានបិទ"
    assert "បានដោះស្រាយ" in page.locator(".facts").first.inner_text()
    tab.shot("16-khmer-case-closed")
    page.goto("/")
    tab.shot("17-khmer-dashboard")

    public = tab_factory(width=360, height=740)
    public.page.goto("/status")
    submit(public.page, "form.lang button[value=km]")
    public.page.fill("#reference", first)
    public.page.fill("#access_code", code)
    submit(public.page, "main form button[type=submit]")
    assert "បានបិទ" in public.page.locator(".status-result").inner_text()
    public.shot("18-khmer-phone-public-status")


def test_admin_pages_and_an_officer_on_a_phone(
    tab_factory, admin, officer, agency, forum, make_case
):
    reference = make_case().case.reference
    tab = tab_factory()
    page = tab.page
    tab.log_in(admin)
    for number, url in enumerate(
        [
            "/admin",
            "/admin/users",
            "/admin/agencies",
            f"/admin/agencies/{agency.id}",
            "/admin/forums",
            "/admin/categories",
            "/admin/organisations",
            "/admin/audit",
            "/admin/users/new",
        ],
        start=19,
    ):
        page.goto(url)
        tab.shot(f"{number}{url.replace('/', '-')}")
    assert page.locator("#password").count() == 0  # invited: they choose their own
    page.fill("#email", "new.officer@nssf.example")
    page.fill("#name", "New Officer")
    page.select_option("#role", "agency")  # without an agency
    submit(page, "main form button[type=submit]")
    assert page.locator("#agency_id-error").is_visible()
    page.select_option("#role", "officer")
    submit(page, "main form button[type=submit]")
    assert "new.officer@nssf.example" in page.locator("table").inner_text()

    phone = tab_factory(width=360, height=740)
    phone.log_in(officer)
    for url, name in [
        (f"/cases/{reference}", "26-phone-officer-case"),
        (f"/intake/{forum.id}", "27-phone-officer-intake"),
        ("/workflow", "28-phone-workflow"),
    ]:
        phone.page.goto(url)
        assert phone.fits_width(), url
        phone.shot(name)
