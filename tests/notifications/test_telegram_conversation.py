"""Raising a concern in a Telegram chat: the conversation lives in the database, the case is
logged, linked to the chat, and answered with a reference and a working access code."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from notifications.delivery import deliver
from tests.notifications.telegram_support import (
    button_update,
    post_update,
    sent_to,
    text_update,
)
from tracker.extensions import db
from tracker.models import Case, Event, TelegramChat, TelegramLink, now_utc
from tracker.services.public import lookup_public_case

CHAT = 777
CODE = re.compile(r"\b[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}\b")


@pytest.fixture
def now():
    """A minute ahead of the clock: the webhook writes its rows at the real time."""
    return now_utc() + timedelta(minutes=1)


def test_a_concern_raised_in_the_chat_is_logged_linked_and_answered(
    app, client, bot_api, outbox_rows, now
):
    post_update(client, text_update(CHAT, "/new", "km"))
    post_update(client, text_update(CHAT, "Clinic refuses NSSF card", "km"))
    # Where the conversation stands is a row, not a process's memory.
    chat = db.session.get(TelegramChat, str(CHAT))
    assert (chat.step, chat.data, chat.language) == (
        "description",
        {"title": "Clinic refuses NSSF card"},
        "km",
    )
    post_update(client, text_update(CHAT, "The clinic in Takeo asks us to pay.", "km"))
    post_update(client, button_update(CHAT, "category:healthcare", "km"))
    post_update(client, button_update(CHAT, "province:KH-21", "km"))
    [case] = db.session.scalars(select(Case)).all()
    assert (case.title, case.category, case.province, case.language, case.channel) == (
        "Clinic refuses NSSF card",
        "healthcare",
        "KH-21",
        "km",
        "telegram",
    )
    assert case.created_by_id is None
    created = db.session.scalar(select(Event).where(Event.kind == "created"))
    assert created.data == {"raised_through": "telegram"}
    [link] = db.session.scalars(select(TelegramLink)).all()
    assert link.case_id == case.id
    assert db.session.get(TelegramChat, str(CHAT)).step == ""

    deliver(now)
    messages = sent_to(bot_api, CHAT)
    prompts = [m for m in messages if "reply_markup" in m]
    assert len(prompts) == 2  # categories and provinces as buttons
    raised = messages[-1]["text"]
    assert case.reference in raised and "សូមអរគុណ" in raised
    [code] = CODE.findall(raised)
    assert lookup_public_case(case.reference, code).state == "logged"
    assert all("access_code" not in r.context for r in outbox_rows())  # scrubbed once sent


def test_a_bad_answer_is_asked_again_and_cancel_forgets(client, bot_api, now):
    post_update(client, text_update(CHAT, "/new"))
    post_update(client, text_update(CHAT, "x" * 301))
    assert db.session.get(TelegramChat, str(CHAT)).step == "title"
    post_update(client, text_update(CHAT, "/cancel"))
    chat = db.session.get(TelegramChat, str(CHAT))
    assert (chat.step, chat.data) == ("", {})
    assert db.session.scalars(select(Case)).all() == []
    deliver(now)
    texts = [m["text"] for m in sent_to(bot_api, CHAT)]
    assert "at most 300 characters" in texts[1] and texts[2].startswith("Stopped")


def test_a_chat_may_raise_only_so_many_concerns_a_day(app, client, bot_api):
    app.config["CASE_LIMIT_PER_USER_PER_DAY"] = 1
    for _ in range(2):
        raise_concern(client)
    assert len(db.session.scalars(select(Case)).all()) == 1


def test_a_failed_telegram_acknowledgement_retried_carries_a_new_working_code(
    client, bot_api, outbox_rows, admin, now
):
    from tests.http_recorder import Answer
    from tracker.services.access_codes import retry_outbox_message

    raise_concern(client)
    [case] = db.session.scalars(select(Case)).all()
    refusal = {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
    bot_api.recorder.default = Answer(400, refusal)
    deliver(now)
    [ack] = outbox_rows("case_logged")
    assert ack.channel == "telegram" and ack.status == "failed"
    assert "access_code" not in ack.context
    from tests.http_recorder import telegram_answer

    bot_api.recorder.default = telegram_answer
    retry_outbox_message(admin, ack.id, now=now)
    deliver(now)
    text = sent_to(bot_api, CHAT)[-1]["text"]
    [code] = CODE.findall(text)
    assert lookup_public_case(case.reference, code).reference == case.reference


def raise_concern(client, chat=CHAT):
    """Go through the whole conversation in English."""
    post_update(client, text_update(chat, "/new"))
    post_update(client, text_update(chat, "Late contributions"))
    post_update(client, text_update(chat, "Our employer pays late."))
    post_update(client, button_update(chat, "category:contributions"))
    post_update(client, button_update(chat, "province:-"))
