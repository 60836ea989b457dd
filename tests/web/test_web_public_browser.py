"""On a 360 px phone in Khmer: the status page with the answer, "Was it resolved?", the
report-back. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import pytest

from tests.public.conftest import (  # noqa: F401  (closed_case is a fixture)
    CLOSED_AT,
    PUBLIC_ANSWER,
    closed_case,
    thirty_working_days_after,
)
from tracker.services.public_summary import set_public_summary

pytestmark = pytest.mark.browser
SUMMARY = "កម្មករ ៤០ នាក់ មិនទាន់បានចុះឈ្មោះ ឥឡូវបានចុះឈ្មោះហើយ។"


def test_status_answer_feedback_and_report_back_on_a_phone_in_khmer(
    tab_factory,
    closed_case,  # noqa: F811  (the fixture imported above)
    officer,
    forum,
):
    ref = closed_case.case.reference
    set_public_summary(officer, ref, SUMMARY, approve=True)
    tab = tab_factory(width=360, height=740)
    page = tab.page
    page.goto("/status")
    page.click("form.lang button[value=km]")
    page.fill("#reference", ref)
    page.fill("#access_code", closed_case.access_code)
    page.click("form:has(#access_code) button[type=submit]")
    answer = page.locator(".public-answer")
    answer.wait_for()
    assert PUBLIC_ANSWER in answer.inner_text()
    assert "បេឡាជាតិ" in answer.inner_text()  # the agency, in Khmer
    assert tab.fits_width()
    tab.shot("public-status-answer-km-360")

    page.check("input[name=resolved][value=no]")
    page.fill("#comment", "មិនទាន់បានទទួលប្រាក់ទេ។")
    page.click(".feedback-form button[type=submit]")
    appeal = page.locator(".appeal")
    appeal.wait_for()
    assert "និយ័តករសន្តិសុខសង្គម" in appeal.inner_text()  # the Social Security Regulator
    assert str(thirty_working_days_after(CLOSED_AT.date()).year) in appeal.inner_text()
    assert page.locator(".feedback-form").count() == 0
    assert tab.fits_width()
    tab.shot("public-feedback-km-360")

    page.goto(f"/forums/{forum.id}/report-back")
    row = page.locator(f'tr[data-reference="{ref}"]')
    assert SUMMARY in row.inner_text()
    assert tab.fits_width()
    tab.shot("public-report-back-km-360")
    page.emulate_media(media="print")
    assert page.locator(".topbar").is_hidden()
    tab.shot("public-report-back-km-print")
