"""The spreadsheet upload in a real browser: preview, progress bar, slips; at 360 px too."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.support import concern_rows, csv_bytes
from tracker.extensions import db
from tracker.models import Case

pytestmark = pytest.mark.browser

# Records what the progress bar shows while an import runs, where the next page can read it.
WATCH_PROGRESS = """
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-import-progress]");
  if (!box) return;
  const bar = box.querySelector("progress");
  new MutationObserver(() => {
    const seen = JSON.parse(sessionStorage.getItem("progress") || "[]");
    seen.push([!box.hidden, bar.value, bar.max]);
    sessionStorage.setItem("progress", JSON.stringify(seen));
  }).observe(box.querySelector("[data-progress-text]"),
             {childList: true, characterData: true, subtree: true});
});
"""


def cases_of(forum_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).where(Case.forum_id == forum_id))


def upload_and_preview(tab, forum, data: bytes, name: str) -> None:
    page = tab.page
    page.goto(f"/intake/{forum.id}")
    page.set_input_files(
        "input[type=file]", files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )
    with page.expect_navigation():
        page.click("form.upload-form button[type=submit]")


def test_upload_preview_progress_and_slips(tab_factory, officer, forum):
    tab = tab_factory()
    page = tab.page
    page.add_init_script(WATCH_PROGRESS)
    tab.log_in(officer)
    rows = concern_rows(120)
    rows[9][2] = "potholes"
    upload_and_preview(tab, forum, csv_bytes(rows), "bad.csv")
    report = page.locator("[data-import-report]")
    assert report.is_visible()
    assert "11" in report.locator("td").first.inner_text()  # line 11 of the file
    tab.shot("20-upload-report")
    assert cases_of(forum.id) == 0

    upload_and_preview(tab, forum, csv_bytes(concern_rows(120)), "forum.csv")
    preview = page.locator("[data-upload-preview]")
    assert "120 rows, 120 new" in preview.inner_text()
    assert "→ Title" in preview.locator(".understood").inner_text()
    tab.shot("21-upload-preview")
    with page.expect_navigation(timeout=120_000):
        page.click("[data-import-form] button[type=submit]")
        assert page.locator("[data-import-progress]").is_visible()
        tab.shot("22-upload-progress")
    seen = page.evaluate("JSON.parse(sessionStorage.getItem('progress') || '[]')")
    assert seen and all(visible for visible, _, _ in seen)  # the bar was shown throughout
    assert [value for _, value, _ in seen][-1] == 120 and {m for _, _, m in seen} == {120}
    assert page.url.endswith(f"/forums/{forum.id}/slips")
    assert page.locator("article.slip").count() == 120
    assert page.locator("article.slip .access-code").count() == 120
    tab.shot("23-slips")
    assert cases_of(forum.id) == 120


def test_upload_at_phone_width(tab_factory, officer, forum):
    tab = tab_factory(width=360, height=740)
    page = tab.page
    tab.log_in(officer)
    upload_and_preview(tab, forum, csv_bytes(concern_rows(40)), "phone.csv")
    assert page.locator("[data-upload-preview]").is_visible()
    assert tab.fits_width()
    tab.shot("24-upload-preview-360")
    with page.expect_navigation(timeout=60_000):
        page.click("[data-import-form] button[type=submit]")
    assert page.locator("article.slip").count() == 40
    assert tab.fits_width()
    tab.shot("25-slips-360")
    assert cases_of(forum.id) == 40


def import_previewed(tab) -> None:
    """Press the preview's import button; wait for the slips (the progress bar shows first)."""
    page = tab.page
    with page.expect_navigation(timeout=180_000):
        page.click("[data-import-form] button[type=submit]")
        assert page.locator("[data-import-progress]").is_visible()


def test_500_rows_bad_then_corrected_then_again_then_half_new(tab_factory, officer, forum):
    tab = tab_factory()
    page = tab.page
    tab.log_in(officer)
    bad = concern_rows(500)
    bad[122][2] = "no-such-category"  # line 124 of the file
    upload_and_preview(tab, forum, csv_bytes(bad), "forum.csv")
    lines = page.locator("[data-import-report] tbody tr td:first-child").all_inner_texts()
    assert lines == ["124"]
    assert cases_of(forum.id) == 0

    good = csv_bytes(concern_rows(500))
    upload_and_preview(tab, forum, good, "forum.csv")
    preview = page.locator("[data-upload-preview]")
    assert "500 rows, 500 new, 0 logged before" in preview.inner_text()
    import_previewed(tab)
    assert page.locator("article.slip").count() == 500
    assert cases_of(forum.id) == 500

    upload_and_preview(tab, forum, good, "forum.csv")
    assert "500 rows, 0 new, 500 logged before" in preview.inner_text()
    assert page.locator("[data-nothing-new]").is_visible()
    assert page.locator("[data-import-form]").count() == 0
    tab.shot("26-upload-nothing-new")

    half = csv_bytes(concern_rows(500)[250:] + concern_rows(250, start=500))
    upload_and_preview(tab, forum, half, "forum-2.csv")
    assert "500 rows, 250 new, 250 logged before" in preview.inner_text()
    import_previewed(tab)
    assert page.locator("article.slip").count() == 250
    assert cases_of(forum.id) == 750
