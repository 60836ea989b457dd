"""A local Bot API on loopback, and webhook updates as Telegram sends them."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from flask import Flask

from tests.http_recorder import RecordingServer, telegram_answer

BOT_TOKEN = "123456:test-token"
SECRET = "webhook-secret-for-tests"
_update_ids = itertools.count(1000)


@pytest.fixture
def bot_api(app: Flask) -> Iterator[RecordingServer]:
    """A Bot API on 127.0.0.1 answering like Telegram; the app's bot points at it."""
    server = RecordingServer(telegram_answer)
    server.start()
    app.config.update(
        TELEGRAM_BOT_TOKEN=BOT_TOKEN,
        TELEGRAM_BOT_USERNAME="ForumTrackerBot",
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        TELEGRAM_API_URL=server.url,
    )
    yield server
    server.recorder.release.set()
    server.stop()


def text_update(chat_id: int, text: str, language: str = "en") -> dict:
    """An update carrying a text message."""
    return {
        "update_id": next(_update_ids),
        "message": {
            "message_id": 1,
            "from": {
                "id": chat_id,
                "is_bot": False,
                "first_name": "Dara",
                "language_code": language,
            },
            "chat": {"id": chat_id, "type": "private"},
            "date": 1700000000,
            "text": text,
        },
    }


def button_update(chat_id: int, data: str, language: str = "en") -> dict:
    """An update carrying an inline-keyboard button press."""
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": "cb1",
            "from": {"id": chat_id, "is_bot": False, "language_code": language},
            "message": {"message_id": 2, "chat": {"id": chat_id, "type": "private"}},
            "data": data,
        },
    }


def post_update(client, update: dict, secret: str | None = SECRET):
    """POST an update to the webhook, with the secret header unless ``secret`` is None."""
    headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
    return client.post("/telegram/webhook", json=update, headers=headers)


def sent_to(server: RecordingServer, chat_id: int) -> list[dict]:
    """The sendMessage bodies the bot sent to one chat."""
    return [
        c.body
        for c in server.calls
        if c.method == "sendMessage" and str(c.body.get("chat_id")) == str(chat_id)
    ]
