"""Telegram against a local Bot API: the webhook's secret, linking a chat by the slip's token,
the updates of a linked case in the chat's language, /status, and Telegram's 429."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from notifications.delivery import deliver
from tests.conftest import test_settings
from tests.http_recorder import TOO_MANY
from tests.notifications.telegram_support import (
    BOT_TOKEN,
    button_update,
    post_update,
    sent_to,
    text_update,
)
from tracker import create_app
from tracker.extensions import db
from tracker.models import Event, TelegramChat, TelegramLink, now_utc
from tracker.services.telegram_tokens import bot_link, start_token
from tracker.services.transitions import fire_trigger

CHAT = 4242


@pytest.fixture
def now():
    """A minute ahead of the clock: the webhook writes its rows at the real time."""
    return now_utc() + timedelta(minutes=1)


def link_chat(client, case, chat_id=CHAT, language="en"):
    """/start with the slip's token, then Yes to the consent question."""
    assert (
        post_update(
            client, text_update(chat_id, f"/start {start_token(case)}", language)
        ).status_code
        == 200
    )
    assert post_update(client, button_update(chat_id, "consent:yes", language)).status_code == 200


def test_webhook_without_or_with_a_wrong_secret_is_refused_and_does_nothing(
    client, bot_api, make_case, outbox_rows, now
):
    case = make_case(raised_by_email="", now=now).case
    update = text_update(CHAT, f"/start {start_token(case)}")
    assert post_update(client, update, secret=None).status_code == 403
    assert post_update(client, update, secret="wrong").status_code == 403
    assert post_update(client, update, secret="").status_code == 403
    assert db.session.scalars(select(TelegramChat)).all() == []
    assert outbox_rows() == []
    deliver(now)
    assert bot_api.calls == []


def test_no_secret_configured_believes_no_update(app, client, bot_api, outbox_rows):
    app.config["TELEGRAM_WEBHOOK_SECRET"] = ""
    assert post_update(client, text_update(CHAT, "/help"), secret="").status_code == 403
    assert outbox_rows() == []


def test_start_with_the_slip_token_asks_consent_then_links_the_chat(
    client, bot_api, make_case, outbox_rows, now
):
    case = make_case(raised_by_email="", now=now).case
    assert bot_link(case) == f"https://t.me/ForumTrackerBot?start={start_token(case)}"
    assert len(start_token(case)) <= 64
    post_update(client, text_update(CHAT, f"/start {start_token(case)}", "km"))
    assert db.session.scalars(select(TelegramLink)).all() == []  # not before consent
    deliver(now)
    [consent] = sent_to(bot_api, CHAT)
    assert case.reference in consent["text"] and "តើអ្នកចង់ទទួលដំណឹង" in consent["text"]
    buttons = [
        b["callback_data"] for row in consent["reply_markup"]["inline_keyboard"] for b in row
    ]
    assert "consent:yes" in buttons and "consent:no" in buttons
    assert bot_api.calls[0].path == f"/bot{BOT_TOKEN}/sendMessage"

    pressed = post_update(client, button_update(CHAT, "consent:yes", "km"))
    # The press is acknowledged in the webhook's answer (Telegram stops the button's spinner).
    assert pressed.json == {"method": "answerCallbackQuery", "callback_query_id": "cb1"}
    [link] = db.session.scalars(select(TelegramLink)).all()
    assert (link.chat_id, link.case_id, link.language) == (str(CHAT), case.id, "km")
    kinds = db.session.scalars(select(Event.kind).where(Event.case_id == case.id)).all()
    assert "telegram_linked" in kinds
    deliver(now)
    linked = sent_to(bot_api, CHAT)[-1]
    assert "រួចរាល់" in linked["text"] and case.reference in linked["text"]


def test_a_tampered_or_stale_token_links_nothing(client, bot_api, make_case, admin, now):
    from tracker.services.access_codes import reissue_access_codes

    case = make_case(now=now).case
    token = start_token(case)
    post_update(client, text_update(CHAT, f"/start {token[:-1]}{'A' if token[-1] != 'A' else 'B'}"))
    post_update(client, button_update(CHAT, "consent:yes"))
    reissue_access_codes(admin, [case.reference], now=now)  # a lost slip: the old QR stops working
    post_update(client, text_update(CHAT, f"/start {token}"))
    post_update(client, button_update(CHAT, "consent:yes"))
    assert db.session.scalars(select(TelegramLink)).all() == []
    deliver(now)
    texts = [m["text"] for m in sent_to(bot_api, CHAT)]
    assert sum("does not work" in t for t in texts) == 2


def test_respond_on_a_linked_case_sends_exactly_one_message_in_the_chat_language(
    client, bot_api, make_case, officer, agency, agency_user, now
):
    case = make_case(raised_by_email="", language="en", now=now).case
    link_chat(client, case, language="km")
    fire_trigger(officer, case.reference, "analyse", {"owner_id": officer.id, "note": "Seen"})
    fire_trigger(officer, case.reference, "refer", {"agency_id": agency.id, "note": "Please"})
    deliver(now)
    before = len(sent_to(bot_api, CHAT))
    fire_trigger(agency_user, case.reference, "respond", {"response": "Registered now."})
    deliver(now)
    deliver(now + timedelta(minutes=5))
    new = sent_to(bot_api, CHAT)[before:]
    assert len(new) == 1
    assert case.reference in new[0]["text"]
    assert "ស្ថាប័នបានឆ្លើយតប" in new[0]["text"]  # the Khmer text of case_responded


def test_status_answers_the_state_and_offers_to_follow(
    client, bot_api, make_case, outbox_rows, now
):
    logged = make_case(now=now)
    post_update(client, text_update(CHAT, f"/status {logged.case.reference} WRONG-CODE-0000"))
    post_update(client, text_update(CHAT, f"/status {logged.case.reference} {logged.access_code}"))
    deliver(now)
    texts = [m["text"] for m in sent_to(bot_api, CHAT)]
    assert "No case matches" in texts[0]
    assert texts[1].startswith(f"Case {logged.case.reference}: Logged")
    assert "every step" in texts[2]  # the consent question follows


def test_an_update_sent_twice_is_answered_once(client, bot_api, outbox_rows):
    update = text_update(CHAT, "/help")
    post_update(client, update)
    post_update(client, update)
    assert len(outbox_rows()) == 1


def test_429_retry_after_is_honoured_and_nothing_is_lost(
    client, bot_api, make_case, outbox_rows, now
):
    for chat in (1, 2):
        post_update(client, text_update(chat, "/help"))
    bot_api.recorder.queued.append(TOO_MANY)
    report = deliver(now)
    assert (report.sent, report.retried, report.failed) == (0, 2, 0)  # the 2nd waits untried
    assert len(bot_api.calls) == 1
    rows = outbox_rows()
    assert {r.status for r in rows} == {"pending"}
    assert all(now < r.next_attempt_at <= now + timedelta(seconds=1.01) for r in rows)
    assert deliver(now).sent == 0  # not before Telegram's retry_after
    assert deliver(now + timedelta(seconds=2)).sent == 2
    assert deliver(now + timedelta(minutes=5)).sent == 0
    assert {r.status for r in outbox_rows()} == {"sent"}
    assert [len(sent_to(bot_api, chat)) for chat in (1, 2)] == [2, 1]  # the 429'd one, again


def test_a_chat_telegram_refuses_fails_the_row(client, bot_api, outbox_rows, now):
    from tests.http_recorder import Answer

    post_update(client, text_update(CHAT, "/help"))
    bot_api.recorder.queued.append(
        Answer(403, {"ok": False, "error_code": 403, "description": "bot was blocked by the user"})
    )
    assert deliver(now).failed == 1
    [row] = outbox_rows()
    assert row.status == "failed" and "blocked" in row.last_error


def test_set_webhook_command_gives_telegram_the_url_and_the_secret(app, bot_api):
    from tests.http_recorder import Answer

    app.config["BASE_URL"] = "https://tracker.example.org"
    result = app.test_cli_runner().invoke(args=["telegram", "set-webhook"])
    assert result.exit_code == 0, result.output
    [call] = bot_api.calls
    assert call.path == f"/bot{BOT_TOKEN}/setWebhook"
    assert call.body["url"] == "https://tracker.example.org/telegram/webhook"
    assert call.body["secret_token"] == "webhook-secret-for-tests"
    bot_api.recorder.queued.append(
        Answer(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    )
    refused = app.test_cli_runner().invoke(args=["telegram", "set-webhook"])
    assert refused.exit_code != 0 and "Unauthorized" in refused.output
    app.config["TELEGRAM_WEBHOOK_SECRET"] = ""
    unset = app.test_cli_runner().invoke(args=["telegram", "set-webhook"])
    assert unset.exit_code != 0 and len(bot_api.calls) == 2


def test_stop_withdraws_the_consent_and_the_chat_is_told_nothing_more(
    client, bot_api, make_case, officer, agency, agency_user, now
):
    case = make_case(raised_by_email="", now=now).case
    link_chat(client, case)
    post_update(client, text_update(CHAT, "/stop"))
    assert db.session.scalars(select(TelegramLink)).all() == []
    kinds = db.session.scalars(select(Event.kind).where(Event.case_id == case.id)).all()
    assert "telegram_unlinked" in kinds
    deliver(now)
    before = len(sent_to(bot_api, CHAT))
    fire_trigger(officer, case.reference, "analyse", {"owner_id": officer.id, "note": "Seen"})
    fire_trigger(officer, case.reference, "refer", {"agency_id": agency.id, "note": "Please"})
    fire_trigger(agency_user, case.reference, "respond", {"response": "Registered now."})
    deliver(now)
    assert len(sent_to(bot_api, CHAT)) == before


def test_status_tries_are_limited_per_chat_as_on_the_status_page(
    app, db_url, bot_api, make_case, outbox_rows, now
):
    telegram = {key: value for key, value in app.config.items() if key.startswith("TELEGRAM_")}
    limited = create_app(
        test_settings(
            db_url,
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI="memory://",
            STATUS_RATE_LIMIT="2 per minute",
            **telegram,
        )
    )
    client = limited.test_client()
    logged = make_case(now=now)
    reference, code = logged.case.reference, logged.access_code
    for _ in range(2):
        post_update(client, text_update(CHAT, f"/status {reference} WRONG-CODE-0000"))
    # The third try in the minute is refused even with the right code; another chat may ask.
    post_update(client, text_update(CHAT, f"/status {reference} {code}"))
    post_update(client, text_update(CHAT + 1, f"/status {reference} {code}"))
    with limited.app_context():
        db.engine.dispose()
    deliver(now)
    texts = [m["text"] for m in sent_to(bot_api, CHAT)]
    assert len(texts) == 3
    assert all("No case matches" in text for text in texts[:2])
    assert texts[2].startswith("Too many tries")
    assert sent_to(bot_api, CHAT + 1)[0]["text"].startswith(f"Case {reference}: Logged")
