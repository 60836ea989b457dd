"""What the scale-out run must leave behind ("nothing lost"), checked on the primary directly."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from notifications.digest import queue_digests
from notifications.models import DigestMark, OutboxMessage, ReminderMark
from notifications.reminders import queue_reminders
from tests.faults.fault_support import check_invariants
from tests.faults.scale_out import ScaleOutRun
from tracker.extensions import db
from tracker.models import Case, Comment, Event


def check_scale_out(run: ScaleOutRun, received_message_ids: list[str]) -> dict[str, int]:
    """Assert the invariants after the run; the counts they were checked on."""
    cases = check_invariants()  # events replay, references 1..n, acknowledgements queued
    by_reference = {case.reference: case for case in cases}
    check_writes(run, by_reference)
    closed = check_transition_rows(by_reference)
    check_jobs_caught_up(run)
    sent = check_delivered(run, received_message_ids)
    return {"cases": len(cases), "closed": closed, "messages": sent}


def check_writes(run: ScaleOutRun, by_reference: dict[str, Case]) -> None:
    """Every acknowledged creation, transition and comment is stored; no case twice."""
    references = db.session.scalars(select(Case.reference)).all()
    assert len(references) == len(set(references)), "a reference was given twice"
    titles = Counter(case.title for case in by_reference.values())
    for key, reference in run.done.created.items():
        assert by_reference[reference].title == key, (key, reference)
        assert titles[key] == 1, f"{key} was logged {titles[key]} times"
    stored = Counter(
        (case_id, trigger)
        for case_id, trigger in db.session.execute(
            select(Event.case_id, Event.trigger).where(Event.kind == "transition")
        )
    )
    acknowledged = Counter((by_reference[ref].id, trigger) for ref, trigger in run.done.transitions)
    for key, count in acknowledged.items():
        assert stored[key] >= count, f"acknowledged transition missing: {key}"
    comment_ids = set(db.session.scalars(select(Comment.id)))
    assert {comment_id for _, comment_id in run.done.comments} <= comment_ids


def check_transition_rows(by_reference: dict[str, Case]) -> int:
    """Every close queued its message to the raiser, once (the load's closes notify them)."""
    closes = Counter(
        db.session.scalars(
            select(Event.case_id).where(Event.kind == "transition", Event.trigger == "close")
        )
    )
    rows = Counter(
        db.session.scalars(
            select(OutboxMessage.case_id).where(OutboxMessage.template == "case_closed")
        )
    )
    assert rows == closes
    return sum(closes.values())


def check_jobs_caught_up(run: ScaleOutRun) -> None:
    """A scan now queues nothing: every due reminder and the week's digests were queued, and
    each (case, state, stay, kind, period) and (person, week) once."""
    reminders = queue_reminders(run.clock)
    assert not any(reminders.values()), reminders
    assert queue_digests(run.clock)["queued"] == 0
    marks = db.session.scalar(select(func.count()).select_from(DigestMark))
    assert marks >= 1
    reminder_keys = db.session.execute(
        select(ReminderMark.case_id, ReminderMark.state, ReminderMark.kind, ReminderMark.period)
    ).all()
    assert reminder_keys, "no reminder was due: the run proved nothing about them"
    assert len(reminder_keys) == len(set(reminder_keys))


def check_delivered(run: ScaleOutRun, received_message_ids: list[str]) -> int:
    """Every row sent; the SMTP server got each row's Message-ID and nothing else; a message
    sent twice only where a killed leader had sent it and not yet marked it (at most one each)."""
    rows = db.session.scalars(select(OutboxMessage)).all()
    assert {row.status for row in rows} == {"sent"}, Counter(row.status for row in rows)
    received = Counter(received_message_ids)
    assert set(received) == {row.message_id for row in rows}
    assert sum(count - 1 for count in received.values()) <= run.kills
    return len(rows)
