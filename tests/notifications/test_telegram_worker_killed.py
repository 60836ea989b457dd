"""The delivery worker killed (SIGKILL) while the Bot API holds a sendMessage: nothing lost."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from notifications.delivery import deliver
from tests.notifications.conftest import kill_worker_when_held, subprocess_env
from tests.notifications.telegram_support import BOT_TOKEN, post_update, text_update
from tracker.models import now_utc


def test_worker_killed_mid_delivery_loses_no_telegram_message(
    app, client, bot_api, db_url, outbox_rows
):
    chats = [9001 + n for n in range(6)]
    for chat in chats:
        post_update(client, text_update(chat, "/help"))
    rows = outbox_rows()
    assert [r.channel for r in rows] == ["telegram"] * 6
    now = now_utc() + timedelta(minutes=1)
    # The Bot API takes the 3rd message, then holds its answer until the worker is dead.
    bot_api.recorder.hold_at = 3
    env = subprocess_env(db_url, None, TELEGRAM_BOT_TOKEN=BOT_TOKEN, TELEGRAM_API_URL=bot_api.url)
    recorder = bot_api.recorder
    assert kill_worker_when_held(env, now, recorder.arrived, recorder.release) == -9
    assert Counter(r.status for r in outbox_rows()) == {"sent": 2, "sending": 4}

    # Another worker, once the dead one's claim has expired, sends the rest.
    assert deliver(now + timedelta(hours=1)).sent == 4
    assert {r.status for r in outbox_rows()} == {"sent"}
    per_chat = Counter(c.body["chat_id"] for c in bot_api.calls if c.method == "sendMessage")
    assert set(per_chat) == {str(chat) for chat in chats}  # nothing lost
    assert sorted(per_chat.values()) == [1, 1, 1, 1, 1, 2]  # at most the held one twice
    assert per_chat[str(chats[2])] == 2
