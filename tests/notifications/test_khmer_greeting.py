"""Khmer emails that greet by name set the name apart from the sentence that follows it
("សួស្តី Sok, ..."): without it an agency digest read "សួស្តី NSSF focal point National Social
Security Fund មាន៖", name and agency run together."""

from __future__ import annotations

from notifications.email import render_email

EMPTY = {"cases": [], "more": 0, "total": 0}


def test_khmer_digest_greetings_end_the_name(app):
    context = {
        "name": "NSSF focal point",
        "agency_name": "National Social Security Fund",
        "agency_name_en": "National Social Security Fund",
        "agency_name_km": "National Social Security Fund",
        "pending": EMPTY,
        "pending_overdue": 0,
        "unassigned": EMPTY,
        "overdue_total": 0,
        "overdue_by_owner": [],
        "overdue_by_agency": [],
        "overdue": EMPTY,
        "due_this_week": EMPTY,
        "new": EMPTY,
        "changed": EMPTY,
        "other_open": 0,
        "organisation_name": "Union",
        "week": {"year": 2026, "week": 50},
        "base_url": "http://tracker.test",
    }
    with app.app_context():
        for kind in ("digest_agency", "digest_admin", "digest_officer", "digest_representative"):
            text = render_email(kind, "km", context).text
            assert "សួស្តី NSSF focal point, " in text, (kind, text[:200])
