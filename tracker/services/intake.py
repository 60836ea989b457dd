"""Log many concerns from one forum at once: every row valid and all logged, or none."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from tracker.extensions import db
from tracker.models import Forum, User, now_utc
from tracker.services.cases import LoggedCase, add_case, checked_new_case_fields
from tracker.services.errors import ValidationFailed
from tracker.services.unit_of_work import unit_of_work

MAX_ROWS = 2000


def log_cases(
    actor: User,
    rows: Sequence[Mapping[str, Any]],
    *,
    forum_id: int | None = None,
    now: datetime | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> list[LoggedCase]:
    """Check every row, then log them all in one transaction; report every bad row by number."""
    if forum_id is not None and db.session.get(Forum, forum_id) is None:
        raise ValidationFailed("No such forum.", {"forum_id": ["No such forum."]})
    if not rows:
        raise ValidationFailed("There are no concerns to log.", {"rows": ["No rows."]})
    if len(rows) > MAX_ROWS:
        raise ValidationFailed(f"At most {MAX_ROWS} rows at once.", {"rows": ["Too many rows."]})
    checked = check_rows(actor, rows, forum_id)
    now = now or now_utc()
    logged: list[LoggedCase] = []
    with unit_of_work():
        for fields in checked:
            logged.append(add_case(actor, fields, now))
            if on_progress:
                on_progress(1)
    return logged


def check_rows(
    actor: User, rows: Sequence[Mapping[str, Any]], forum_id: int | None
) -> list[dict[str, Any]]:
    """Return the cleaned rows, or raise one error naming each bad row (numbered from 1)."""
    checked: list[dict[str, Any]] = []
    errors: dict[str, list[str]] = {}
    for number, row in enumerate(rows, start=1):
        data = dict(row)
        if forum_id is not None:
            data["forum_id"] = forum_id
        try:
            checked.append(checked_new_case_fields(actor, data))
        except ValidationFailed as failed:
            errors[f"row {number}"] = [
                f"{field}: {' '.join(messages)}" for field, messages in failed.errors.items()
            ]
    if errors:
        raise ValidationFailed(
            f"{len(errors)} of {len(rows)} rows have errors; nothing was logged.", errors
        )
    return checked
