"""The Telegram channel: sendMessage to a chat, within Telegram's sending limits.

Limits (Bot API FAQ): about 30 messages a second overall and one a second per chat. A sender
spaces its sends accordingly; a 429 answer's ``retry_after`` reschedules the row (and every
later Telegram row of the run) for exactly that long, without counting against the attempts.
"""

from __future__ import annotations

import time

import requests
from flask import current_app

from notifications.channels import (
    Claimed,
    PermanentFailure,
    TemporaryFailure,
    Unreachable,
    http_failure,
)
from notifications.short_text import render_chat
from notifications.telegram_api import BotApi, BotApiError, bot_configured


class TelegramSender:
    """One Bot API session for a run, and the pace of its sends."""

    def __init__(self, api: BotApi, per_second: float, per_chat_seconds: float) -> None:
        self.api = api
        self.gap = 1.0 / per_second if per_second > 0 else 0.0
        self.per_chat = per_chat_seconds
        self.last_any = float("-inf")
        self.last_by_chat: dict[str, float] = {}
        self.blocked_until = float("-inf")

    def _pace(self, chat_id: str) -> None:
        """Wait until both the overall and this chat's limit allow another message."""
        ready = max(self.last_any + self.gap, self.last_by_chat.get(chat_id, -1e9) + self.per_chat)
        wait = ready - time.monotonic()
        if wait > 0:
            time.sleep(wait)

    def send(self, row: Claimed) -> None:
        """Render the row for Telegram and send it to its chat."""
        waiting = self.blocked_until - time.monotonic()
        if waiting > 0:
            raise TemporaryFailure("Telegram asked to wait (429)", retry_after=waiting)
        try:
            message = render_chat(row.template, row.language, row.context)
        except Exception as exc:  # a row that cannot be rendered will never be
            raise PermanentFailure(f"{type(exc).__name__}: {exc}") from exc
        self._pace(row.email)
        try:
            self.api.send_message(row.email, message.text, message.buttons)
        except BotApiError as exc:
            if exc.retry_after is not None:
                self.blocked_until = time.monotonic() + exc.retry_after
            raise http_failure(
                exc.status, exc.description, final_4xx=True, retry_after=exc.retry_after
            ) from exc
        except requests.ConnectionError as exc:
            raise Unreachable(f"cannot connect to the Bot API: {exc}") from exc
        except requests.RequestException as exc:  # a timeout, a dropped answer
            raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from exc
        finally:
            now = time.monotonic()
            self.last_any = self.last_by_chat[row.email] = now

    def close(self) -> None:
        """Close the Bot API session."""
        self.api.close()


class TelegramChannel:
    """Messages to linked Telegram chats through the bot of TELEGRAM_BOT_TOKEN."""

    name = "telegram"

    def enabled(self) -> bool:
        """A bot token is configured."""
        return bot_configured()

    def timeout(self) -> float:
        """TELEGRAM_TIMEOUT seconds for one call, plus the wait of the per-chat limit."""
        config = current_app.config
        return float(config["TELEGRAM_TIMEOUT"]) + float(config["TELEGRAM_CHAT_INTERVAL_SECONDS"])

    def sender(self) -> TelegramSender:
        """A sender pacing itself by TELEGRAM_MESSAGES_PER_SECOND and the per-chat interval."""
        config = current_app.config
        return TelegramSender(
            BotApi.configured(),
            float(config["TELEGRAM_MESSAGES_PER_SECOND"]),
            float(config["TELEGRAM_CHAT_INTERVAL_SECONDS"]),
        )
