"""Each person's choice, end to end: a representative turns the digest off by the one-click link
of the message a real SMTP server received; a staff user who chose Telegram gets the digest and
a reminder in their chat (the local Bot API) and no email."""

from __future__ import annotations

import re
from datetime import timedelta

from notifications.delivery import deliver
from notifications.digest import queue_digests
from notifications.recipients import user_recipient
from notifications.reminders import queue_reminders
from tests.notifications.conftest import local
from tests.notifications.telegram_support import post_update, sent_to, text_update
from tracker.extensions import db
from tracker.models import User, now_utc
from tracker.services.account_choices import open_telegram_link
from tracker.services.cases import assign_case
from tracker.services.telegram_tokens import user_start_token
from tracker.services.transitions import fire_trigger

HEADER = re.compile(r"^<(http://tracker\.test/digest/unsubscribe/([^>]+))>$")
CHAT = 5151


def digest_enabled(user: User) -> bool:
    db.session.expire_all()
    return db.session.get(User, user.id).digest_enabled


def test_one_click_unsubscribe_turns_the_digest_off_and_no_digest_follows(
    app, smtp, make_case, make_user, officer, representative, organisation, outbox_rows
):
    ours = make_case(actor=representative, now=local(3, 5, 9), raised_by_email="").case
    colleague = make_user("representative", organisation_id=organisation.id)
    queue_digests(local(3, 9, 8))
    deliver(local(3, 9, 9))
    digests = [m for m in smtp.handler.messages if m.message["List-Unsubscribe"]]
    # Only the representatives' digests can be turned off, each with its own signed link.
    assert sorted(m.rcpt_tos[0] for m in digests) == sorted([representative.email, colleague.email])
    [received] = [m for m in digests if m.rcpt_tos == [representative.email]]
    assert received.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url, token = HEADER.match(received.message["List-Unsubscribe"]).groups()
    # The same link is in the body, for readers whose mail program shows no unsubscribe button.
    assert url in received.message.get_body(("plain",)).get_content()
    assert f'href="{url}"' in received.message.get_body(("html",)).get_content()
    assert officer.email not in {m.rcpt_tos[0] for m in digests}

    client = app.test_client()  # no session, no CSRF token: as a mail client sends it
    page = client.get(url.removeprefix("http://tracker.test"))
    assert page.status_code == 200 and "data-unsubscribe" in page.get_data(as_text=True)
    assert digest_enabled(representative)  # a mail scanner following the link changes nothing

    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (forged, "x" * 30):
        body = "List-Unsubscribe=One-Click"
        answer = client.post(
            f"/digest/unsubscribe/{bad}",
            data=body,
            content_type="application/x-www-form-urlencoded",
        )
        assert answer.status_code == 404
    assert digest_enabled(representative) and digest_enabled(colleague)

    one_click = client.post(
        f"/digest/unsubscribe/{token}",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert one_click.status_code == 200 and "data-unsubscribed" in one_click.get_data(as_text=True)
    assert not digest_enabled(representative) and digest_enabled(colleague)

    # The next week: their organisation's case changes again; the colleague is told, they are not.
    fire_trigger(
        officer, ours.reference, "analyse", {"owner_id": officer.id, "note": "x"}, now=local(3, 12)
    )
    smtp.handler.messages.clear()
    queue_digests(local(3, 16, 8))
    deliver(local(3, 16, 9))
    week = [r for r in outbox_rows("digest_representative") if r.created_at >= local(3, 16, 8)]
    assert [r.user_id for r in week] == [colleague.id]
    assert smtp.handler.to(representative.email) == []
    assert len(smtp.handler.to(colleague.email)) == 1


def test_a_staff_user_who_chose_telegram_gets_digest_and_reminder_there_not_by_email(
    app, client, smtp, bot_api, make_case, make_user, outbox_rows
):
    app.config["TELEGRAM_CHAT_INTERVAL_SECONDS"] = 0
    officer = make_user("officer", language="km")
    open_telegram_link(officer)
    assert (
        post_update(client, text_update(CHAT, f"/start {user_start_token(officer)}")).status_code
        == 200
    )
    db.session.expire_all()
    officer = db.session.get(User, officer.id)
    assert (officer.telegram_chat_id, officer.notify_channel) == (str(CHAT), "telegram")

    # Logged Thursday 5 March, due Thursday 12 March: in the digest of Monday 9 March, and due
    # within two working days on Wednesday 11 March.
    ref = make_case(actor=officer, now=local(3, 5, 9), raised_by_email="").case.reference
    assign_case(officer, ref, officer.id, now=local(3, 5, 10))
    queue_digests(local(3, 9, 8))
    queue_reminders(local(3, 11, 8))
    rows = [r for r in outbox_rows() if r.user_id == officer.id]
    assert {(r.template, r.channel) for r in rows} == {
        ("digest_officer", "telegram"),
        ("reminder_due_soon", "telegram"),
    }
    assert {r.recipient_email for r in rows} == {str(CHAT)}
    deliver(now_utc() + timedelta(minutes=1))

    texts = [body["text"] for body in sent_to(bot_api, CHAT)]
    linked, digest, reminder = texts  # the bot's answer to /start, then the two messages
    assert "ភ្ជាប់" in linked  # in the officer's language (Khmer)
    assert ref in digest and "http://tracker.test/" in digest
    assert "2026-03-12" not in digest and "មីនា" in digest  # the due date, in Khmer
    assert ref in reminder
    assert smtp.handler.to(officer.email) == []
    assert all(r.status == "sent" for r in outbox_rows() if r.user_id == officer.id)


def test_without_a_bot_token_a_telegram_choice_falls_back_to_email(app, bot_api, client, make_user):
    officer = make_user("officer")
    open_telegram_link(officer)
    post_update(client, text_update(CHAT, f"/start {user_start_token(officer)}"))
    db.session.expire_all()
    officer = db.session.get(User, officer.id)
    assert user_recipient(officer).channel == "telegram"
    assert user_recipient(officer, by_email=True).email == officer.email  # account links
    app.config["TELEGRAM_BOT_TOKEN"] = ""  # the bot is switched off later: email serves
    assert (user_recipient(officer).channel, user_recipient(officer).email) == (
        "email",
        officer.email,
    )
