"""Log many concerns from one forum at once: every new row valid and all logged, or none.

A row sent again (same forum, same title, description and raiser) is a duplicate: it is
counted, not logged, whatever channel sent it first (intake form, file, API, Kobo).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tracker import access
from tracker.extensions import db
from tracker.models import Case, Forum, User, now_utc
from tracker.services.cases import add_case, checked_new_case_fields
from tracker.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tracker.services.import_files import normal_text
from tracker.services.unit_of_work import unit_of_work

MAX_ROWS = 50_000  # the default of IMPORT_MAX_ROWS
BATCH_SIZE = 500
RAISER_FIELDS = ("raised_by_name", "raised_by_email", "raised_by_phone")


@dataclass(frozen=True)
class NewCase:
    """A case just logged, with its access code (in clear this once) for the slips."""

    reference: str
    access_code: str
    title: str
    language: str


@dataclass(frozen=True)
class RowSource:
    """Where a row came from on another system: its id there and what else it said."""

    external_id: str | None = None
    extra: Mapping[str, Any] | None = None


@dataclass
class IntakeResult:
    """What an intake did: the cases it logged and the lines it found logged already."""

    logged: list[NewCase] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)

    @property
    def references(self) -> list[str]:
        """The references of the new cases, in the order of the rows."""
        return [item.reference for item in self.logged]


class RowsInvalid(ValidationFailed):
    """Some rows are invalid; ``by_row`` maps each bad row's line to its field errors."""

    def __init__(self, by_row: dict[int, dict[str, list[str]]], total: int) -> None:
        super().__init__(
            f"{len(by_row)} of {total} rows have errors; nothing was logged.",
            {
                f"row {line}": [f"{name}: {' '.join(msgs)}" for name, msgs in errors.items()]
                for line, errors in by_row.items()
            },
        )
        self.by_row = by_row


class TooManyRows(ValidationFailed):
    """More rows than one intake takes (IMPORT_MAX_ROWS): refused before anything is logged."""

    def __init__(self, count: int, limit: int) -> None:
        super().__init__(
            f"Too many rows: {count}; at most {limit} at a time.",
            {"rows": [f"At most {limit} rows at a time."]},
        )
        self.count, self.limit = count, limit


def row_fingerprint(fields: Mapping[str, Any]) -> str:
    """What makes two rows of one forum the same concern: title, description and raiser."""
    parts = [normal_text(fields.get(name) or "") for name in ("title", "description")]
    parts += [normal_text(fields.get(name) or "") for name in RAISER_FIELDS]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def max_rows() -> int:
    """The most rows one intake may send (IMPORT_MAX_ROWS)."""
    return int(current_app.config.get("IMPORT_MAX_ROWS", MAX_ROWS))


@dataclass
class ImportPlan:
    """Checked rows of one intake, which of them are new, and the lines already logged."""

    forum_id: int
    checked: list[dict[str, Any]]
    prints: list[str]
    todo: list[int]
    duplicates: list[int]
    sources: Sequence[RowSource] | None = None


def plan_import(
    actor: User,
    forum_id: int,
    rows: Sequence[Mapping[str, Any]],
    *,
    lines: Sequence[int] | None = None,
    sources: Sequence[RowSource] | None = None,
) -> ImportPlan:
    """Check every row and find those logged before; raise RowsInvalid naming each bad row.

    ``lines`` numbers the rows in the reports (default 1, 2, …). Nothing is written.
    """
    forum = _intake_forum(actor, forum_id)
    if not rows:
        raise ValidationFailed("No concerns given.", {"rows": ["Enter at least one concern."]})
    if len(rows) > max_rows():
        raise TooManyRows(len(rows), max_rows())
    numbers = list(lines) if lines is not None else list(range(1, len(rows) + 1))
    checked = check_rows(actor, rows, forum, numbers)
    prints = [row_fingerprint(fields) for fields in checked]
    seen = logged_fingerprints(forum.id, prints)
    plan = ImportPlan(forum.id, checked, prints, [], [], sources)
    for index, fingerprint in enumerate(prints):
        if fingerprint in seen:
            plan.duplicates.append(numbers[index])
        else:
            seen.add(fingerprint)
            plan.todo.append(index)
    return plan


def import_rows(
    actor: User,
    forum_id: int,
    rows: Sequence[Mapping[str, Any]],
    *,
    lines: Sequence[int] | None = None,
    now: datetime | None = None,
    remote_addr: str | None = None,
    on_progress: Callable[[int], None] | None = None,
    sources: Sequence[RowSource] | None = None,
) -> IntakeResult:
    """Check every row, skip those logged before, log the rest in one transaction, in batches.

    ``on_progress`` is told how many more rows were handled after each batch.
    """
    plan = plan_import(actor, forum_id, rows, lines=lines, sources=sources)
    result = IntakeResult(duplicates=plan.duplicates)
    for handled in run_import(actor, plan, result, now=now, remote_addr=remote_addr):
        if on_progress:
            on_progress(handled)
    return result


def run_import(
    actor: User,
    plan: ImportPlan,
    result: IntakeResult,
    *,
    now: datetime | None = None,
    remote_addr: str | None = None,
) -> Iterator[int]:
    """Log the plan's new rows in one transaction, yielding how many rows each batch handled
    (the duplicates first); ``result`` collects the new cases. Stopping early logs nothing."""
    if plan.duplicates:
        yield len(plan.duplicates)
    now = now or now_utc()
    try:
        with unit_of_work():
            for start in range(0, len(plan.todo), BATCH_SIZE):
                batch = plan.todo[start : start + BATCH_SIZE]
                result.logged.extend(_log_row(actor, plan, i, now, remote_addr) for i in batch)
                _release_batch()
                yield len(batch)
    except IntegrityError as exc:
        result.logged.clear()
        raise Conflict(
            "Some of these concerns are being logged at this moment; try again."
        ) from exc


def _log_row(
    actor: User, plan: ImportPlan, index: int, now: datetime, remote_addr: str | None
) -> NewCase:
    source = plan.sources[index] if plan.sources else RowSource()
    fields = {**plan.checked[index], "intake_fingerprint": plan.prints[index]}
    if source.external_id:
        fields["external_id"] = source.external_id
    extra = {"intake": dict(source.extra)} if source.extra else None
    logged = add_case(actor, fields, now, remote_addr=remote_addr, event_data=extra)
    case = logged.case
    return NewCase(case.reference, logged.access_code, case.title, case.language)


def _intake_forum(actor: User, forum_id: int) -> Forum:
    if not access.can_run_intake(actor):
        raise PermissionDenied("You may not log forum concerns.")
    forum = db.session.get(Forum, forum_id) if isinstance(forum_id, int) else None
    if forum is None:
        raise NotFound(f"No forum {forum_id}.")
    return forum


def _release_batch() -> None:
    """Write the batch and let go of its objects, so a long file keeps memory flat."""
    db.session.flush()
    for instance in list(db.session.identity_map.values()):
        if isinstance(instance, Case):
            db.session.expunge(instance)


def check_rows(
    actor: User, rows: Sequence[Mapping[str, Any]], forum: Forum, lines: Sequence[int]
) -> list[dict[str, Any]]:
    """Return the cleaned rows (the forum's province unless a row says otherwise), or raise
    RowsInvalid naming each bad row and field."""
    checked: list[dict[str, Any]] = []
    by_row: dict[int, dict[str, list[str]]] = {}
    defaults = {"province": forum.province} if forum.province else {}
    for index, row in enumerate(rows):
        data = {**defaults, **{k: v for k, v in row.items() if v not in (None, "")}}
        data["forum_id"] = forum.id
        try:
            checked.append(checked_new_case_fields(actor, data))
        except ValidationFailed as failed:
            by_row[lines[index]] = failed.errors
    if by_row:
        raise RowsInvalid(by_row, len(rows))
    return checked


def logged_fingerprints(forum_id: int, prints: Sequence[str]) -> set[str]:
    """The fingerprints among these that the forum's cases already carry."""
    found: set[str] = set()
    unique = sorted(set(prints))
    for start in range(0, len(unique), BATCH_SIZE):
        chunk = unique[start : start + BATCH_SIZE]
        found.update(
            db.session.scalars(
                select(Case.intake_fingerprint).where(
                    Case.forum_id == forum_id, Case.intake_fingerprint.in_(chunk)
                )
            )
        )
    return found


def log_forum_concerns(
    actor: User,
    forum_id: int,
    rows: Sequence[Mapping[str, Any]],
    *,
    now: datetime | None = None,
    remote_addr: str | None = None,
) -> IntakeResult:
    """Forum intake form: as import_rows, with errors keyed ``rows-<index>-<field>``."""
    try:
        return import_rows(actor, forum_id, rows, now=now, remote_addr=remote_addr)
    except RowsInvalid as invalid:
        errors = {
            f"rows-{line - 1}-{name}": messages
            for line, row_errors in invalid.by_row.items()
            for name, messages in row_errors.items()
        }
        raise ValidationFailed("Some concerns are incomplete; none was logged.", errors) from None
