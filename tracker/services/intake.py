"""Log many concerns from one forum at once: every row valid and all logged, or none."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from tracker import access
from tracker.extensions import db
from tracker.models import Forum, User, now_utc
from tracker.services.cases import LoggedCase, add_case, checked_new_case_fields
from tracker.services.errors import NotFound, PermissionDenied, ValidationFailed
from tracker.services.unit_of_work import unit_of_work

MAX_ROWS = 2000


class RowsInvalid(ValidationFailed):
    """Some rows are invalid; ``by_row`` maps each bad row's index (from 0) to its field errors."""

    def __init__(self, by_row: dict[int, dict[str, list[str]]], total: int) -> None:
        super().__init__(
            f"{len(by_row)} of {total} rows have errors; nothing was logged.",
            {
                f"row {index + 1}": [f"{name}: {' '.join(msgs)}" for name, msgs in errors.items()]
                for index, errors in by_row.items()
            },
        )
        self.by_row = by_row


def log_cases(
    actor: User,
    rows: Sequence[Mapping[str, Any]],
    *,
    forum_id: int | None = None,
    now: datetime | None = None,
    remote_addr: str | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> list[LoggedCase]:
    """Check every row, then log them all in one transaction; report every bad row."""
    if not access.can_run_intake(actor):
        raise PermissionDenied("You may not log forum concerns.")
    if forum_id is not None and db.session.get(Forum, forum_id) is None:
        raise NotFound(f"No forum {forum_id}.")
    if not rows:
        raise ValidationFailed("No concerns given.", {"rows": ["Enter at least one concern."]})
    if len(rows) > MAX_ROWS:
        raise ValidationFailed("Too many rows.", {"rows": [f"At most {MAX_ROWS} at a time."]})
    checked = check_rows(actor, rows, forum_id)
    now = now or now_utc()
    logged: list[LoggedCase] = []
    with unit_of_work():
        for fields in checked:
            logged.append(add_case(actor, fields, now, remote_addr=remote_addr))
            if on_progress:
                on_progress(1)
    return logged


def check_rows(
    actor: User, rows: Sequence[Mapping[str, Any]], forum_id: int | None
) -> list[dict[str, Any]]:
    """Return the cleaned rows, or raise RowsInvalid naming each bad row and field."""
    checked: list[dict[str, Any]] = []
    by_row: dict[int, dict[str, list[str]]] = {}
    for index, row in enumerate(rows):
        data = dict(row) if forum_id is None else {**row, "forum_id": forum_id}
        try:
            checked.append(checked_new_case_fields(actor, data))
        except ValidationFailed as failed:
            by_row[index] = failed.errors
    if by_row:
        raise RowsInvalid(by_row, len(rows))
    return checked


def log_forum_concerns(
    actor: User,
    forum_id: int,
    rows: Sequence[Mapping[str, Any]],
    *,
    now: datetime | None = None,
    remote_addr: str | None = None,
) -> list[LoggedCase]:
    """Forum intake form: as log_cases, with errors keyed ``rows-<index>-<field>``."""
    try:
        return log_cases(actor, rows, forum_id=forum_id, now=now, remote_addr=remote_addr)
    except RowsInvalid as invalid:
        errors = {
            f"rows-{index}-{name}": messages
            for index, row_errors in invalid.by_row.items()
            for name, messages in row_errors.items()
        }
        raise ValidationFailed("Some concerns are incomplete; none was logged.", errors) from None
