"""The SMS channel: POST JSON to SMS_GATEWAY_URL with a bearer token (PRODUCT.md).

Any 2xx is accepted; 4xx, 5xx and timeouts are retried with the outbox's backoff, like SMTP's
temporary failures, until OUTBOX_MAX_ATTEMPTS. The row's Message-ID goes along as ``id``, so a
gateway can recognise a message sent again after a crash.
"""

from __future__ import annotations

import requests
from flask import current_app

from notifications.channels import Claimed, PermanentFailure, Unreachable, http_failure
from notifications.short_text import render_sms


class SmsSender:
    """One HTTP session to the gateway for a run."""

    def __init__(self, url: str, token: str, timeout: float) -> None:
        self.url, self.timeout = url, timeout
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def send(self, row: Claimed) -> None:
        """Render the row's short text and hand it to the gateway."""
        try:
            text = render_sms(row.template, row.language, row.context)
        except Exception as exc:  # a row that cannot be rendered will never be
            raise PermanentFailure(f"{type(exc).__name__}: {exc}") from exc
        body = {"to": row.email, "text": text, "id": row.message_id}
        try:
            answer = self.session.post(self.url, json=body, timeout=self.timeout)
        except requests.ConnectionError as exc:
            raise Unreachable(f"cannot connect to the SMS gateway: {exc}") from exc
        except requests.RequestException as exc:  # a timeout, a dropped answer
            raise http_failure(0, f"{type(exc).__name__}: {exc}", final_4xx=False) from exc
        if not 200 <= answer.status_code < 300:
            raise http_failure(answer.status_code, answer.text[:200], final_4xx=False)

    def close(self) -> None:
        """Close the HTTP session."""
        self.session.close()


class SmsChannel:
    """Text messages through the configured gateway."""

    name = "sms"

    def enabled(self) -> bool:
        """A gateway URL is configured."""
        return bool(current_app.config.get("SMS_GATEWAY_URL"))

    def timeout(self) -> float:
        """SMS_TIMEOUT seconds for one request."""
        return float(current_app.config["SMS_TIMEOUT"])

    def sender(self) -> SmsSender:
        """A sender with the gateway's URL and token."""
        config = current_app.config
        return SmsSender(config["SMS_GATEWAY_URL"], config["SMS_GATEWAY_TOKEN"], self.timeout())
