"""/raise: a concern logged without an account; the honeypot logs nothing; the limit holds."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.conftest import test_settings
from tests.web.conftest import IsolatedClient, post_form
from tracker import create_app
from tracker.extensions import db
from tracker.models import Case, Event
from tracker.services.public import lookup_public_case

CONCERN = {
    "title": "Clinic asks for payment",
    "description": "The clinic asks NSSF members to pay for medicine.",
    "category": "healthcare",
    "province": "KH-12",
    "raised_by_name": "Chan Sophea",
    "raised_by_email": "sophea@example.org",
    "language": "km",
}


def count_cases() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Case))


def test_a_concern_raised_on_the_public_form_is_logged_as_raised_by_the_public(client, outbox_rows):
    page = post_form(client, "/raise", CONCERN)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    reference = re.search(r'class="slip-reference">([^<]+)<', html).group(1)
    code = re.search(r'class="access-code">([^<]+)<', html).group(1)
    assert lookup_public_case(reference, code).state == "logged"
    case = db.session.scalar(select(Case).where(Case.reference == reference))
    assert (case.title, case.language, case.created_by_id) == (CONCERN["title"], "km", None)
    created = db.session.scalar(select(Event).where(Event.case_id == case.id))
    assert created.actor_label == "public"
    assert created.data == {"raised_by": "public", "channel": "web"}
    assert [r.recipient_email for r in outbox_rows("case_logged")] == ["sophea@example.org"]


def test_bad_input_and_a_missing_csrf_token_log_nothing(client):
    assert post_form(client, "/raise", {**CONCERN, "title": ""}).status_code == 422
    assert client.post("/raise", data=CONCERN).status_code in (400, 403)
    assert count_cases() == 0


def test_the_honeypot_filled_logs_nothing_and_looks_the_same(client):
    answer = post_form(client, "/raise", {**CONCERN, "website": "http://spam.example"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert 'class="slip-reference">' in html and 'class="access-code">' in html
    assert count_cases() == 0


def test_the_rate_limit_holds(app, db_url):
    limited = create_app(
        test_settings(
            db_url,
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI="memory://",
            RAISE_RATE_LIMIT="2 per hour",
        )
    )
    limited.test_client_class = IsolatedClient
    client = limited.test_client()
    statuses = [
        post_form(client, "/raise", {**CONCERN, "title": f"Concern {n}"}).status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert count_cases() == 2
    with limited.app_context():
        db.engine.dispose()


def test_the_contact_fields_bring_up_a_phones_email_and_number_keyboards(client):
    html = client.get("/raise").get_data(as_text=True)
    email = re.search(r'<input[^>]*id="raised_by_email"[^>]*>', html).group(0)
    phone = re.search(r'<input[^>]*id="raised_by_phone"[^>]*>', html).group(0)
    assert 'inputmode="email"' in email and 'autocomplete="email"' in email
    assert 'inputmode="tel"' in phone and 'autocomplete="tel"' in phone
