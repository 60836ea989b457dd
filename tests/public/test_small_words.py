"""The small words of the pages: Khmer digits on reports and pages of lists, times to the
minute, required marks in words, and error lines that do not double their punctuation."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tests.public.test_agency_link import referred
from tests.web.conftest import post_form
from tracker.services.users import set_khmer_digits
from tracker.web.form_errors import ErrorEntry

LATIN_DIGIT = re.compile(r"[0-9]")


def _text(html: str) -> str:
    """The page's words without its markup, attributes (ids, links) and scripts."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_reports_show_khmer_digits_to_a_reader_who_chose_them(client, login, make_user, make_case):
    """Counts in the charts, the crossing table and the ageing table follow the reader's digits."""
    for _ in range(3):
        make_case()
    reader = make_user("officer", language="km")
    login(reader)
    before = _text(client.get("/reports").get_data(as_text=True))
    assert re.search(r"\b3\b", before)
    set_khmer_digits(reader, True)
    page = client.get("/reports").get_data(as_text=True)
    assert '<span class="count">៣</span>' in page
    assert '<span class="bar-count">៣</span>' in page
    assert '<td class="total">៣</td>' in page
    # Years and references are not counts; the rest of the page's figures are Khmer.
    figures = [d for d in LATIN_DIGIT.findall(_text(page).replace("GRV-", ""))]
    assert "3" not in figures


def test_pages_of_the_case_list_are_counted_in_khmer_digits(client, login, make_user, make_case):
    reader = make_user("officer", language="km")
    set_khmer_digits(reader, True)
    for _ in range(26):  # one more than a page
        make_case()
    login(reader)
    html = client.get("/cases").get_data(as_text=True)
    nav = re.search(r'<nav class="pages".*?</nav>', html, flags=re.S).group(0)
    label = _text(nav)
    assert "១" in label and "២" in label and not LATIN_DIGIT.search(label)


def test_english_times_stop_at_the_minute(client, login, officer, make_case):
    """CLDR's medium English time carries seconds: the timeline shows hours and minutes."""
    moment = datetime(2026, 3, 11, 2, 7, 45, tzinfo=UTC)  # 09:07:45 in Phnom Penh
    reference = make_case(now=moment).case.reference
    login(officer)
    page = _text(client.get(f"/cases/{reference}").get_data(as_text=True))
    assert "9:07 AM" in page
    assert "9:07:45" not in page


def test_an_error_line_does_not_double_the_label_s_own_mark():
    assert ErrorEntry("resolved", "Was it resolved?", "Choose one").lead == "Was it resolved?"
    assert ErrorEntry("title", "Title", "Required").lead == "Title:"
    assert ErrorEntry("x", "តើបានដោះស្រាយទេ?", "…").lead == "តើបានដោះស្រាយទេ?"


def test_the_feedback_summary_reads_was_it_resolved_once(client, closed_case, outbox_rows):
    [closing] = outbox_rows("case_closed")
    path = closing.context["feedback_url"].removeprefix("http://tracker.test")
    html = post_form(client, path, {"comment": "why?"}).get_data(as_text=True)
    summary = re.search(r'<div class="error-summary".*?</div>', html, flags=re.S).group(0)
    assert "Was it resolved?" in summary and "?:" not in summary


def test_the_answer_link_marks_its_required_field_in_words(client, make_case, officer, agency):
    _, path = referred(make_case, officer, agency)
    html = client.get(path).get_data(as_text=True)
    label = re.search(r'<label class="label" for="response">.*?</label>', html, flags=re.S).group(0)
    assert "(required)" in label and "*" not in label
    assert 'aria-required="true"' in html
