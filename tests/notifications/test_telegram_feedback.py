""" "Was it resolved?" as Telegram buttons, against a local Bot API: the closing message carries
yes / partly / no; a press from the linked chat records one answer (for "no": the owner is
told and the chat gets the appeal route's last day); a second press says it was answered; a
forged press from a chat not linked to the case records nothing."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from sqlalchemy import func, select

from notifications.delivery import deliver
from tests.notifications.telegram_support import button_update, post_update, sent_to, text_update
from tests.public.conftest import thirty_working_days_after
from tracker.extensions import db
from tracker.models import Feedback, now_utc
from tracker.services.telegram_tokens import start_token
from tracker.services.transitions import fire_trigger

CHAT, STRANGER = 5151, 6262


@pytest.fixture
def now():
    """A minute ahead of the clock: the webhook writes its rows at the real time."""
    return now_utc() + timedelta(minutes=1)


@pytest.fixture
def closed_in_chat(client, bot_api, make_case, officer, now):
    """A case followed by CHAT (in Khmer), owned by the officer and closed; its messages sent."""
    case = make_case(raised_by_email="", language="en", now=now).case
    post_update(client, text_update(CHAT, f"/start {start_token(case)}", "km"))
    post_update(client, button_update(CHAT, "consent:yes", "km"))
    fire_trigger(officer, case.reference, "analyse", {"owner_id": officer.id, "note": "Seen"})
    fire_trigger(officer, case.reference, "close", {"outcome": "resolved", "resolution": "Paid."})
    deliver(now)
    return case


def feedback_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Feedback))


def buttons_of(message: dict) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [button["callback_data"] for row in rows for button in row]


def closing_message(bot_api, case) -> dict:
    [closing] = [
        m for m in sent_to(bot_api, CHAT) if any(b.startswith("fb:") for b in buttons_of(m))
    ]
    assert case.reference in closing["text"]
    return closing


def test_the_closing_message_asks_with_buttons_in_the_chat_language(bot_api, closed_in_chat):
    closing = closing_message(bot_api, closed_in_chat)
    labels = [b["text"] for row in closing["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["បាទ/ចាស", "មួយផ្នែក", "ទេ"]
    answers = [data.rsplit(":", 1)[1] for data in buttons_of(closing)]
    assert answers == ["yes", "partly", "no"]
    assert all(data.startswith(f"fb:{closed_in_chat.id}:") for data in buttons_of(closing))


def test_no_records_one_answer_tells_the_owner_and_gives_the_appeal_date(
    client, bot_api, closed_in_chat, officer, outbox_rows, now
):
    case = closed_in_chat
    no = next(d for d in buttons_of(closing_message(bot_api, case)) if d.endswith(":no"))
    before = len(sent_to(bot_api, CHAT))
    pressed = post_update(client, button_update(CHAT, no, "km"))
    assert pressed.json == {"method": "answerCallbackQuery", "callback_query_id": "cb1"}
    assert feedback_count() == 1
    given = db.session.scalar(select(Feedback))
    zone = ZoneInfo(client.application.config["TIMEZONE"])
    expected = thirty_working_days_after(case.state_entered_at.astimezone(zone).date())
    assert (given.resolved, given.channel, given.appeal_until) == ("no", "telegram", expected)
    [told] = outbox_rows("feedback_not_resolved")
    assert told.recipient_email == officer.email

    deliver(now)
    [answer] = sent_to(bot_api, CHAT)[before:]
    assert case.reference in answer["text"]
    assert "និយ័តករសន្តិសុខសង្គម" in answer["text"]  # the status page's Khmer appeal route
    assert format_date(expected, "medium", locale="km") in answer["text"]

    post_update(client, button_update(CHAT, no.replace(":no", ":yes"), "km"))
    assert feedback_count() == 1
    deliver(now)
    [again] = sent_to(bot_api, CHAT)[before + 1 :]
    assert "កត់ត្រារួចហើយ" in again["text"]


def test_a_forged_press_from_an_unlinked_chat_records_nothing(
    client, bot_api, closed_in_chat, outbox_rows, now
):
    no = next(d for d in buttons_of(closing_message(bot_api, closed_in_chat)) if d.endswith(":no"))
    assert post_update(client, button_update(STRANGER, no)).status_code == 200
    post_update(client, button_update(CHAT, f"fb:{closed_in_chat.id}:1:no"))  # a made-up closing
    post_update(client, button_update(CHAT, "fb:junk:no"))
    assert feedback_count() == 0
    assert outbox_rows("feedback_not_resolved") == []
    deliver(now)
    [refused] = sent_to(bot_api, STRANGER)
    assert "does not work" in refused["text"] and closed_in_chat.reference not in refused["text"]


def test_an_english_chat_gets_english_buttons_and_answer(client, bot_api, make_case, officer, now):
    case = make_case(raised_by_email="", now=now).case
    post_update(client, text_update(CHAT, f"/start {start_token(case)}"))
    post_update(client, button_update(CHAT, "consent:yes"))
    fire_trigger(officer, case.reference, "analyse", {"owner_id": officer.id, "note": "Seen"})
    fire_trigger(officer, case.reference, "close", {"outcome": "resolved", "resolution": "x"})
    deliver(now)
    closing = closing_message(bot_api, case)
    labels = [b["text"] for row in closing["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["Yes", "Partly", "No"]
    partly = next(d for d in buttons_of(closing) if d.endswith(":partly"))
    post_update(client, button_update(CHAT, partly))
    deliver(now)
    answer = sent_to(bot_api, CHAT)[-1]["text"]
    assert "Thank you. Your answer: Partly." in answer and "Regulator" not in answer
    assert feedback_count() == 1
