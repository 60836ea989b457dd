"""Idempotency-Key for creating cases: a retry replays the first answer and creates nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tracker.extensions import db
from tracker.models import Case, IdempotencyKey, User, now_utc
from tracker.services.cases import LoggedCase, log_case
from tracker.services.errors import ValidationFailed

MAX_KEY_LENGTH = 200
CREATED = 201


@dataclass(frozen=True)
class CreateOutcome:
    """Either the case this request logged, or the stored answer to the first request."""

    logged: LoggedCase | None = None
    replayed_body: dict[str, Any] | None = None


def fingerprint(payload: Any) -> str:
    """Hash a request body so a retry can be told from a different request."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def check_key(key: str) -> str:
    """Refuse an empty, overlong or non-printable key."""
    if not 0 < len(key) <= MAX_KEY_LENGTH or not all(33 <= ord(c) <= 126 for c in key):
        raise ValidationFailed(
            "The Idempotency-Key header is not valid.",
            {"Idempotency-Key": [f"Use 1 to {MAX_KEY_LENGTH} visible ASCII characters."]},
        )
    return key


def log_case_once(
    actor: User,
    data: Mapping[str, Any],
    key: str | None,
    request_hash: str,
    render: Callable[[Case], dict[str, Any]],
    *,
    now: datetime | None = None,
    remote_addr: str | None = None,
) -> CreateOutcome:
    """Log the case unless this key was used before; the key commits with the case.

    Without a key the case is simply logged. ``render`` gives the body to replay (the case as
    JSON, without the access code, which is shown once and never stored in clear).
    """
    if key is None:
        return CreateOutcome(logged=log_case(actor, data, now=now, remote_addr=remote_addr))
    check_key(key)
    previous = _stored(actor, key)
    if previous is not None:
        return _replay(previous, request_hash)
    now = now or now_utc()
    remember = _remembering(actor, key, request_hash, render, now)
    try:
        logged = log_case(actor, data, now=now, remote_addr=remote_addr, on_logged=remember)
    except IntegrityError:
        # A concurrent request with the same key won; our case was rolled back with our key.
        previous = _stored(actor, key)
        if previous is None:
            raise
        return _replay(previous, request_hash)
    return CreateOutcome(logged=logged)


def _remembering(
    actor: User,
    key: str,
    request_hash: str,
    render: Callable[[Case], dict[str, Any]],
    now: datetime,
) -> Callable[[LoggedCase], None]:
    """The hook that stores the key and the answer inside the case's own transaction."""

    def remember(logged: LoggedCase) -> None:
        db.session.add(
            IdempotencyKey(
                user_id=actor.id,
                key=key,
                request_hash=request_hash,
                response_status=CREATED,
                response_body=render(logged.case),
                created_at=now,
            )
        )
        db.session.flush()

    return remember


def _stored(actor: User, key: str) -> IdempotencyKey | None:
    return db.session.scalar(
        select(IdempotencyKey).where(IdempotencyKey.user_id == actor.id, IdempotencyKey.key == key)
    )


def _replay(previous: IdempotencyKey, request_hash: str) -> CreateOutcome:
    if previous.request_hash != request_hash:
        raise ValidationFailed(
            "This Idempotency-Key was already used with a different request body.",
            {"Idempotency-Key": ["Already used with a different body; use a new key."]},
        )
    return CreateOutcome(replayed_body=dict(previous.response_body))
