"""Log the concerns gathered at one forum in one go: every row checked first, then logged."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from tracker import access
from tracker.extensions import db
from tracker.models import Forum, User
from tracker.services.case_fields import clean_case_fields
from tracker.services.cases import LoggedCase, log_case
from tracker.services.errors import NotFound, PermissionDenied, ValidationFailed

MAX_ROWS = 100


def log_forum_concerns(
    actor: User,
    forum_id: int,
    rows: Sequence[Mapping[str, Any]],
    *,
    now: datetime | None = None,
    remote_addr: str | None = None,
) -> list[LoggedCase]:
    """Make each row a case of the forum; if any row is invalid, log none and name them all.

    Errors are keyed ``rows-<index>-<field>`` (the row's index in ``rows``).
    """
    if not access.can_run_intake(actor):
        raise PermissionDenied("You may not log forum concerns.")
    if db.session.get(Forum, forum_id) is None:
        raise NotFound(f"No forum {forum_id}.")
    if not rows:
        raise ValidationFailed("No concerns given.", {"rows": ["Enter at least one concern."]})
    if len(rows) > MAX_ROWS:
        raise ValidationFailed("Too many rows.", {"rows": [f"At most {MAX_ROWS} at a time."]})
    errors: dict[str, list[str]] = {}
    for index, row in enumerate(rows):
        try:
            clean_case_fields({**row, "forum_id": forum_id}, creating=True)
        except ValidationFailed as exc:
            errors.update({f"rows-{index}-{name}": msgs for name, msgs in exc.errors.items()})
    if errors:
        raise ValidationFailed("Some concerns are incomplete; none was logged.", errors)
    return [
        log_case(actor, {**row, "forum_id": forum_id}, now=now, remote_addr=remote_addr)
        for row in rows
    ]
