"""The one contract every channel (email, Telegram, SMS) keeps towards the outbox worker.

A channel says whether it is configured and how long one send may take, and opens a sender
for one delivery run. The sender renders a claimed row in its language and sends it, and
answers by returning (sent) or raising one of the three failures below. The worker
(notifications.delivery) knows nothing else of any channel; Django's email backends and
Apprise's plugins are the models.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Claimed:
    """A claimed outbox row, copied out of the session so commits do not reload it."""

    id: int
    message_id: str
    case_id: int | None
    email: str  # the address on the row's channel
    name: str
    language: str
    template: str
    context: dict[str, Any]
    attempts: int
    channel: str = "email"


class PermanentFailure(Exception):
    """The service refused the message for good (SMTP 5xx, HTTP 4xx) or it cannot be built."""


class TemporaryFailure(Exception):
    """Try again later (SMTP 4xx, HTTP 5xx, a timeout, a dropped connection).

    ``retry_after`` (seconds) is the service's own word on when (Telegram's 429): the row
    waits exactly that long, and the wait counts against no attempt limit.
    """

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class Unreachable(TemporaryFailure):
    """The service cannot be reached at all: the run sends nothing more on this channel."""


class Sender(Protocol):
    """What one delivery run holds open for a channel (a connection, the pace of sending)."""

    def send(self, row: Claimed) -> None:
        """Render the row in its language and send it, or raise a failure above."""

    def close(self) -> None:
        """Let go of whatever the sender holds open."""


class Channel(Protocol):
    """One way of reaching people."""

    name: str

    def enabled(self) -> bool:
        """Tell whether the channel is configured (a row of an unconfigured one is held)."""

    def timeout(self) -> float:
        """The longest one send may take, in seconds."""

    def sender(self) -> Sender:
        """A sender for one delivery run."""


def http_failure(
    status: int, detail: str, *, final_4xx: bool, retry_after: float | None = None
) -> Exception:
    """Sort an HTTP answer that was no success into a temporary or a permanent failure.

    5xx, 408 and 429 are temporary. Other 4xx are final where the service says the message
    itself is refused (Telegram: chat not found, bot blocked), and retried like any other
    failure where the contract says so (the SMS gateway: PRODUCT.md retries 4xx and 5xx);
    a retried row still fails for good after OUTBOX_MAX_ATTEMPTS.
    """
    text = f"HTTP {status}: {detail}"[:1000]
    if final_4xx and 400 <= status < 500 and status not in (408, 429):
        return PermanentFailure(text)
    return TemporaryFailure(text, retry_after)
