"""/account: language, how to be told and the digest saved together or not at all; Telegram
offered only with a bot, linked by a one-time link; the admin's digest preview sends nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from notifications.models import DigestMark, OutboxMessage
from tests.notifications.conftest import local
from tests.notifications.telegram_support import (  # noqa: F401  (bot_api is a fixture)
    bot_api,
    post_update,
    text_update,
)
from tests.web.conftest import post_form, post_login
from tracker.extensions import db
from tracker.models import AuditEntry, User
from tracker.services.cases import assign_case

LINK = re.compile(r'href="https://t\.me/ForumTrackerBot\?start=(u[0-9]+-[A-Za-z0-9_-]{22})"')


@pytest.fixture
def outbox_rows(app):
    """Every outbox row, oldest first."""

    def rows() -> list[OutboxMessage]:
        db.session.expire_all()
        return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))

    return rows


def fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def choices(user: User) -> tuple[str, str, bool, str | None]:
    user = fresh(user)
    return user.language, user.notify_channel, user.digest_enabled, user.telegram_chat_id


def test_language_channel_and_digest_are_saved(login, representative):
    client = login(representative)
    page = client.get("/account").get_data(as_text=True)
    assert 'name="digest"' in page and 'value="telegram"' not in page  # no bot configured
    answer = post_form(client, "/account/choices", {"language": "km", "channel": "email"})
    assert answer.status_code == 302
    assert choices(representative) == ("km", "email", False, None)  # the box left unticked
    page = client.get("/account").get_data(as_text=True)
    assert "ភាសា និងរបៀបទទួលដំណឹង" in page  # the page follows the language chosen
    assert "ជម្រើសរបស់អ្នកត្រូវបានរក្សាទុក។" in page  # and so does the message saying it is saved
    post_form(client, "/account/choices", {"language": "en", "channel": "email", "digest": "y"})
    assert choices(representative) == ("en", "email", True, None)


def test_officers_have_no_digest_switch(login, officer):
    client = login(officer)
    assert 'name="digest"' not in client.get("/account").get_data(as_text=True)
    post_form(client, "/account/choices", {"language": "en", "channel": "email"})
    assert fresh(officer).digest_enabled  # an absent box turns nothing off for them


def test_wrong_input_gives_a_message_and_changes_nothing(login, representative):
    client = login(representative)
    for data, message in (
        ({"language": "fr", "channel": "email"}, "Must be en or km."),
        ({"language": "km", "channel": "pigeon"}, "Must be email or telegram."),
        ({"language": "km", "channel": "telegram"}, "Telegram is not set up on this tracker."),
    ):
        answer = post_form(client, "/account/choices", data)
        html = answer.get_data(as_text=True)
        assert answer.status_code == 422
        assert "There is a problem" in html and message in html
        assert choices(representative) == ("en", "email", True, None)


@pytest.mark.usefixtures("bot_api")
def test_telegram_is_linked_by_a_link_that_works_once(login, officer, outbox_rows):
    client = login(officer)
    page = client.get("/account").get_data(as_text=True)
    assert 'value="telegram"' in page and "disabled" in page  # offered, not yet choosable
    answer = post_form(client, "/account/choices", {"language": "en", "channel": "telegram"})
    assert answer.status_code == 422
    assert "Link your Telegram chat first" in answer.get_data(as_text=True)

    post_form(client, "/account/telegram/link")
    [token] = LINK.findall(client.get("/account").get_data(as_text=True))
    assert len(token) <= 64
    assert post_update(client, text_update(111, f"/start {token}")).status_code == 200
    assert choices(officer) == ("en", "telegram", True, "111")
    # The same link again, from another chat: refused, the first chat stays linked.
    post_update(client, text_update(222, f"/start {token}"))
    assert choices(officer)[3] == "111"
    replies = {(r.recipient_email, r.template) for r in outbox_rows() if r.channel == "telegram"}
    assert replies == {("111", "bot_user_linked"), ("222", "bot_user_link_invalid")}
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.actor_id == officer.id))
    assert "telegram_linked" in set(actions)

    page = client.get("/account").get_data(as_text=True)
    assert "data-telegram-linked" in page and not LINK.search(page)
    post_form(client, "/account/choices", {"language": "en", "channel": "email"})
    assert choices(officer) == ("en", "email", True, "111")
    post_form(client, "/account/telegram/unlink")
    assert choices(officer) == ("en", "email", True, None)


@pytest.mark.usefixtures("bot_api")
def test_stop_in_the_chat_unlinks_the_user(login, officer):
    client = login(officer)
    post_form(client, "/account/telegram/link")
    [token] = LINK.findall(client.get("/account").get_data(as_text=True))
    post_update(client, text_update(333, f"/start {token}"))
    assert choices(officer)[1:] == ("telegram", True, "333")
    post_update(client, text_update(333, "/stop"))
    assert choices(officer)[1:] == ("email", True, None)


def test_admin_previews_a_digest_and_nothing_is_queued(
    login, admin, officer, make_user, make_case, outbox_rows
):
    ref = make_case(now=local(3, 5, 9), raised_by_email="").case.reference
    assign_case(officer, ref, officer.id, now=local(3, 5, 10))
    before = len(outbox_rows())
    client = login(admin)
    answer = client.get(f"/admin/digest-preview?user={officer.id}")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "data-subject" in html and "data-text" in html and ref in html
    frame = client.get(f"/admin/digest-preview/html?user={officer.id}")
    assert frame.status_code == 200 and ref in frame.get_data(as_text=True)
    assert "sandbox" in frame.headers["Content-Security-Policy"]
    assert client.get("/admin/digest-preview?user=999999").status_code == 404
    assert client.get("/admin/digest-preview?user=abc").status_code == 404
    assert len(outbox_rows()) == before
    assert db.session.scalar(select(func.count()).select_from(DigestMark)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == before


def test_a_turned_off_digest_shows_in_the_preview_as_not_sent(login, admin, representative):
    representative.digest_enabled = False
    db.session.commit()
    html = (
        login(admin).get(f"/admin/digest-preview?user={representative.id}").get_data(as_text=True)
    )
    assert "data-not-sent" in html and "data-nothing-new" not in html


def test_others_may_not_preview_digests(app, client, officer, agency_user, representative):
    assert client.get(f"/admin/digest-preview?user={officer.id}").status_code == 302  # log in
    for user in (officer, agency_user, representative):
        signed_in = app.test_client()
        assert post_login(signed_in, user.email).status_code == 302
        for path in ("/admin/digest-preview", "/admin/digest-preview/html"):
            assert signed_in.get(f"{path}?user={officer.id}").status_code == 403


def test_a_person_with_nothing_open_shows_in_the_preview_as_nothing_new(login, admin, make_user):
    idle = make_user("officer")  # nothing assigned, nothing changed
    html = login(admin).get(f"/admin/digest-preview?user={idle.id}").get_data(as_text=True)
    assert "data-not-sent" in html and "data-nothing-new" in html
    assert "turned the digest off" not in html  # not the wrong reason
