"""The agency's signed answer link: one response, then 410; a changed token 404; every use an
event; nothing changed by a refused use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from tests.web.conftest import post_form, state_of
from tracker.extensions import db
from tracker.models import Event, Referral, now_utc
from tracker.services.transitions import fire_trigger

PERSONAL = ("Sok Dara", "dara@example.org", "012 999 888")


def referred(make_case, officer, agency, now=None):
    """A case referred to the NSSF; its reference and the referral email's answer link path."""
    from notifications.models import OutboxMessage

    ref = make_case(raised_by_phone="012 999 888", now=now).case.reference
    fire_trigger(officer, ref, "analyse", {"owner_id": officer.id, "note": "Payroll."}, now=now)
    fire_trigger(officer, ref, "refer", {"agency_id": agency.id, "note": "Check it."}, now=now)
    row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "case_referred"))
    return ref, row.context["answer_url"].removeprefix("http://tracker.test")


def events(kind: str) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Event).where(Event.kind == kind))


def test_the_link_records_one_response_then_is_gone(client, make_case, officer, agency):
    ref, path = referred(make_case, officer, agency)
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Workers find they are not registered" in html
    for secret in PERSONAL:
        assert secret not in html
    assert events("answer_link_opened") == 1

    assert post_form(client, path, {"response": "   "}).status_code == 422
    assert state_of(ref) == "referred"
    done = post_form(client, path, {"response": "Inspectors visit on 3 May."})
    assert done.status_code == 200
    assert state_of(ref) == "responded"
    referral = db.session.scalar(select(Referral))
    assert referral.response == "Inspectors visit on 3 May." and referral.answered_at is not None
    answer = db.session.scalar(select(Event).where(Event.trigger == "respond"))
    assert answer.actor_label == "National Social Security Fund (answer link)"

    assert client.get(path).status_code == 410
    again = post_form(client, path, {"response": "A second answer."})
    assert again.status_code == 410
    db.session.expire_all()
    assert db.session.scalar(select(Referral.response)) == "Inspectors visit on 3 May."
    assert events("transition") == 3  # analyse, refer, respond: nothing more


def test_a_changed_token_is_not_found_and_changes_nothing(client, make_case, officer, agency):
    ref, path = referred(make_case, officer, agency)
    tampered = path[:-2] + ("xy" if not path.endswith("xy") else "zz")
    assert client.get(tampered).status_code == 404
    assert post_form(client, tampered, {"response": "Forged."}).status_code == 404
    assert client.get("/referrals/answer/not-a-token").status_code == 404
    assert state_of(ref) == "referred" and events("answer_link_opened") == 0


def test_the_link_expires_30_days_after_the_due_date(client, make_case, officer, agency):
    long_ago = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
    ref, path = referred(make_case, officer, agency, now=long_ago)
    referral = db.session.scalar(select(Referral))
    assert referral.due_at + timedelta(days=30) < now_utc()
    assert client.get(path).status_code == 410
    assert post_form(client, path, {"response": "Too late."}).status_code == 410
    assert state_of(ref) == "referred"


def test_a_used_link_says_so_in_khmer_and_offers_no_password_link(
    client, make_case, officer, agency
):
    """The focal point who opens the link again reads why in Khmer, not a password-reset offer."""
    _ref, path = referred(make_case, officer, agency)
    post_form(client, path, {"response": "Inspectors visit on 3 May."})
    post_form(client, "/language", {"language": "km", "next": path})
    gone = client.get(path)
    html = gone.get_data(as_text=True)
    assert gone.status_code == 410
    assert "តំណឆ្លើយតបនេះត្រូវបានប្រើរួចហើយ" in html
    assert "This answer link was already used" not in html
    assert "/password/forgot" not in html
    assert 'class="button" href="/status"' in html  # no account, so no dashboard to go back to
