"""A thin client of the Telegram Bot API: JSON over HTTPS to ``{API}/bot{token}/{method}``.

python-telegram-bot 22 is asyncio-first; the outbox worker is synchronous and needs two
methods (sendMessage, setWebhook), so a plain ``requests`` client is the simpler fit.
"""

from __future__ import annotations

from typing import Any

import requests
from flask import current_app


def bot_configured() -> bool:
    """Tell whether a bot token is configured (Telegram messages can be sent)."""
    return bool(current_app.config.get("TELEGRAM_BOT_TOKEN"))


class BotApiError(Exception):
    """Telegram answered ``ok: false`` (or no JSON): its status, words and retry_after."""

    def __init__(self, status: int, description: str, retry_after: float | None = None):
        super().__init__(f"{status} {description}")
        self.status, self.description, self.retry_after = status, description, retry_after


class BotApi:
    """The Bot API of one bot, with a timeout on every call."""

    def __init__(self, api_url: str, token: str, timeout: float) -> None:
        self.base = f"{api_url.rstrip('/')}/bot{token}"
        self.timeout = timeout
        self.session = requests.Session()

    @classmethod
    def configured(cls) -> BotApi:
        """The bot of TELEGRAM_BOT_TOKEN at TELEGRAM_API_URL."""
        config = current_app.config
        return cls(
            config["TELEGRAM_API_URL"],
            config["TELEGRAM_BOT_TOKEN"],
            float(config["TELEGRAM_TIMEOUT"]),
        )

    def call(self, method: str, payload: dict[str, Any]) -> Any:
        """Call one method; return its ``result`` or raise BotApiError (requests' own errors
        for a connection that fails or times out)."""
        answer = self.session.post(f"{self.base}/{method}", json=payload, timeout=self.timeout)
        try:
            body = answer.json()
        except ValueError:
            body = {}
        if answer.ok and isinstance(body, dict) and body.get("ok") is True:
            return body.get("result")
        body = body if isinstance(body, dict) else {}
        status = int(body.get("error_code") or answer.status_code)
        retry_after = (body.get("parameters") or {}).get("retry_after")
        description = str(body.get("description") or answer.text[:200])
        raise BotApiError(
            status, description, float(retry_after) if retry_after is not None else None
        )

    def send_message(self, chat_id: str, text: str, buttons: list[list[tuple[str, str]]]) -> Any:
        """sendMessage, with an inline keyboard when there are buttons."""
        payload: dict[str, Any] = {"chat_id": chat_id, "text": text}
        if buttons:
            payload["reply_markup"] = {
                "inline_keyboard": [
                    [{"text": label, "callback_data": data} for label, data in row]
                    for row in buttons
                ]
            }
        return self.call("sendMessage", payload)

    def set_webhook(self, url: str, secret: str) -> Any:
        """setWebhook with the secret Telegram sends back in X-Telegram-Bot-Api-Secret-Token."""
        return self.call(
            "setWebhook",
            {"url": url, "secret_token": secret, "allowed_updates": ["message", "callback_query"]},
        )

    def close(self) -> None:
        """Close the HTTP session."""
        self.session.close()
