"""The reminder scan goes through the due cases a batch at a time, with the same few queries per
batch however many cases a batch holds, and still sends each reminder once."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import delete

from notifications import reminders
from notifications.reminders import queue_reminders
from tests.notifications.conftest import local
from tests.support import counted_statements
from tracker.extensions import db
from tracker.models.notifications import OutboxMessage, ReminderMark


def _fresh_run(now) -> int:
    """Statements of a run that finds every due case new (earlier marks and messages gone)."""
    db.session.execute(delete(OutboxMessage))
    db.session.execute(delete(ReminderMark))
    db.session.commit()
    with counted_statements() as statements:
        queue_reminders(now)
    return len(statements)


def test_queries_grow_with_batches_not_with_cases(app, officer, admin, make_case, monkeypatch):
    monkeypatch.setattr(reminders, "BATCH", 4)
    now = local(3, 6, 9)
    costs = [_fresh_run(now)]
    for _ in range(3):
        for _ in range(4):
            make_case(now=local(3, 2, 9), raised_by_email="")  # due 9 March, nobody owns it
        costs.append(_fresh_run(now))
    per_batch = costs[1] - costs[0]
    assert costs == [costs[0] + n * per_batch for n in range(4)], costs
    assert per_batch <= 12, costs


def test_a_rerun_after_batches_sends_nothing_twice(app, officer, admin, make_case, outbox_rows,
                                                  monkeypatch):  # fmt: skip
    monkeypatch.setattr(reminders, "BATCH", 3)
    made = [make_case(now=local(3, 2, 9), raised_by_email="").case for _ in range(7)]
    first = queue_reminders(local(3, 6, 9))
    again = queue_reminders(local(3, 6, 9))
    assert first["due_soon"] == 7 and again["messages"] == 0
    sent = Counter(r.case_id for r in outbox_rows("reminder_due_soon"))
    assert sent == {case.id: 1 for case in made}
