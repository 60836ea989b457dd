"""Khmer digits as a per-user choice: dates, deadlines and counts, never references."""

from __future__ import annotations

import re

from tests.web.conftest import post_form
from tracker.extensions import db
from tracker.models import User
from tracker.services.users import set_khmer_digits

LATIN_DIGIT = re.compile(r"[0-9]")


def test_a_khmer_reader_chooses_khmer_digits_on_the_account_page(
    client, login, make_user, make_case
):
    """Off by default; once chosen, dates and counts use ០-៩ while the reference stays Latin."""
    reader = make_user("officer", language="km")
    reference = make_case().case.reference
    login(reader)
    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    logged_on = re.search(r"<dt>ថ្ងៃកត់ត្រា</dt><dd>([^<]+)</dd>", page).group(1)
    assert LATIN_DIGIT.search(logged_on)

    answer = post_form(client, "/account/display", {"khmer_digits": "y"})
    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, reader.id).khmer_digits is True

    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    logged_on = re.search(r"<dt>ថ្ងៃកត់ត្រា</dt><dd>([^<]+)</dd>", page).group(1)
    assert not LATIN_DIGIT.search(logged_on) and re.search("[០-៩]", logged_on)
    assert f'<span class="ref">{reference}</span>' in page
    board = client.get("/").get_data(as_text=True)
    assert '<span class="stat-number">១</span>' in board  # one logged case
    listing = client.get("/cases").get_data(as_text=True)
    assert '<span class="count">១</span>' in listing

    post_form(client, "/account/display", {})  # unticked: back to Latin digits
    board = client.get("/").get_data(as_text=True)
    assert '<span class="stat-number">1</span>' in board


def test_khmer_digits_do_not_touch_english_pages(client, login, make_user, make_case):
    """The choice is for Khmer pages: in English the digits stay Latin."""
    reader = make_user("officer", language="en")
    set_khmer_digits(reader, True)
    make_case()
    login(reader)
    board = client.get("/").get_data(as_text=True)
    assert '<span class="stat-number">1</span>' in board
    assert "០" not in board.replace("(០១២៣)", "")


def test_a_date_picker_error_names_no_format_the_picker_does_not_show(client, login, officer):
    """The forum date is a picker (shown in the browser's format): its error names none."""
    login(officer)
    html = post_form(
        client, "/intake", {"title": "Regional forum", "kind": "regional", "date": "2026-02-31"}
    ).get_data(as_text=True)
    assert "choose it in the calendar" in html
    assert "YYYY-MM-DD" not in html
    assert 'type="date"' in html
