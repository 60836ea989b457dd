"""The admin digest counts overdue cases with no owner in its total; its "by owner" list shows
them too, instead of saying "None." under a subject that says "1 overdue"."""

from __future__ import annotations

import pytest

from notifications.email import render_email

EMPTY = {"cases": [], "more": 0, "total": 0}


def _context(by_owner: list[dict], total: int) -> dict:
    return {
        "name": "Admin",
        "unassigned": EMPTY,
        "overdue_total": total,
        "overdue_by_owner": by_owner,
        "overdue_by_agency": [],
        "base_url": "http://tracker.test",
    }


@pytest.mark.parametrize(
    ("language", "label"), [("en", "Without an owner"), ("km", "គ្មានអ្នកទទួលបន្ទុក")]
)
def test_overdue_without_an_owner_are_listed_by_owner(app, language, label):
    with app.app_context():
        email = render_email("digest_admin", language, _context([{"name": "Sok", "count": 2}], 3))
    lines = [line.strip() for line in email.text.splitlines()]
    assert any(line.startswith(label) and line.endswith("1") for line in lines), email.text
    assert any(line.startswith("Sok") and line.endswith("2") for line in lines)
    assert label in email.html


def test_no_overdue_still_says_none(app):
    with app.app_context():
        email = render_email("digest_admin", "en", _context([], 0))
    assert "Without an owner" not in email.text
    assert "None." in email.text
