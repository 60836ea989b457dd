"""The admin outbox page: who may see it, what it lists, and retrying one message."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from notifications.jobs import deliver
from notifications.models import OutboxMessage
from tests.web.conftest import csrf_token, post_form, post_login
from tracker.extensions import db


def snapshot() -> dict[int, tuple]:
    """Every outbox row, every column."""
    db.session.expire_all()
    columns = OutboxMessage.__table__.columns
    return {
        row.id: tuple(getattr(row, c.key) for c in columns)
        for row in db.session.scalars(select(OutboxMessage))
    }


@pytest.fixture
def messages(make_case, officer):
    """Three acknowledgements, held as unsent (no mail server), and one that failed for good."""
    refs = [make_case(raised_by_email=f"r{n}@example.org").case.reference for n in range(3)]
    deliver()
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.recipient_email == "r2@example.org")
        .values(status="failed", attempts=5, last_error="550 5.1.1 Mailbox <r2> unknown")
    )
    db.session.commit()
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    return refs, rows


def test_outbox_is_for_admins_only(app, client, officer, agency_user, representative, admin):
    assert client.get("/admin/outbox").status_code == 302  # to the login page
    for user in (officer, agency_user, representative):
        browser = app.test_client()
        post_login(browser, user.email)
        assert browser.get("/admin/outbox").status_code == 403
        assert post_form(browser, "/admin/outbox/1/retry").status_code == 403
    post_login(client, admin.email)
    page = client.get("/admin/outbox")
    assert page.status_code == 200 and 'href="/admin/outbox"' in page.get_data(as_text=True)


def test_outbox_lists_counts_and_filters(client, login, admin, messages):
    refs, _rows = messages
    before = snapshot()
    login(admin)
    html = client.get("/admin/outbox").get_data(as_text=True)
    for ref in refs:
        assert f'href="/cases/{ref}"' in html
    for n in range(3):
        assert f"r{n}@example.org" in html
    assert "550 5.1.1 Mailbox &lt;r2&gt; unknown" in html
    assert html.count(">Retry</button>") == 3  # unsent and failed rows may be retried
    assert 'href="/admin/outbox?status=unsent"' in html
    failed = client.get("/admin/outbox?status=failed").get_data(as_text=True)
    assert "r2@example.org" in failed and "r0@example.org" not in failed
    assert "No messages." in client.get("/admin/outbox?status=sent").get_data(as_text=True)
    assert "r0@example.org" in client.get("/admin/outbox?status=lost").get_data(as_text=True)
    assert snapshot() == before  # looking changes nothing


def test_retry_requeues_that_message_and_nothing_else(client, login, admin, messages):
    _refs, rows = messages
    target, other = rows[2], rows[0]  # the failed one, an unsent one
    before = snapshot()
    login(admin)
    assert client.get(f"/admin/outbox/{target.id}/retry").status_code == 405
    no_token = client.post(f"/admin/outbox/{target.id}/retry", data={"status": "failed"})
    assert no_token.status_code == 400
    assert snapshot() == before

    answer = post_form(client, f"/admin/outbox/{target.id}/retry", {"status": "failed"})
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/admin/outbox?status=failed")
    after = snapshot()
    assert {k: v for k, v in after.items() if k != target.id} == {
        k: v for k, v in before.items() if k != target.id
    }
    db.session.expire_all()
    retried = db.session.get(OutboxMessage, target.id)
    assert (retried.status, retried.attempts) == ("pending", 0)
    assert "queued again" in client.get("/admin/outbox").get_data(as_text=True)

    again = post_form(client, f"/admin/outbox/{target.id}/retry", follow_redirects=True)
    assert "Only failed or unsent messages can be retried." in again.get_data(as_text=True)
    assert post_form(client, "/admin/outbox/999999/retry").status_code == 404
    assert db.session.get(OutboxMessage, other.id).status == "unsent"


def test_outbox_page_in_khmer(client, login, make_user, messages):
    login(make_user("admin", language="km"))
    html = client.get("/admin/outbox").get_data(as_text=True)
    assert csrf_token(client, "/admin/outbox")
    assert "<h1>ប្រអប់អ៊ីមែលចេញ" in html
    assert ">Retry<" not in html
