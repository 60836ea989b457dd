"""A delivery worker killed with SIGKILL mid-batch: nothing lost, one resend with the same id."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from notifications.delivery import deliver
from tests.notifications.conftest import kill_worker_when_held, subprocess_env


def test_worker_killed_after_smtp_accepted_loses_nothing(smtp, db_url, make_case, outbox_rows, now):
    for number in range(6):
        make_case(raised_by_email=f"raiser{number}@example.org", now=now)
    rows = outbox_rows()
    # The server accepts the 3rd message, then holds its "250" until the worker is dead:
    # the message was delivered, but the worker never learns it and cannot mark it sent.
    smtp.handler.hold_at = 3
    env = subprocess_env(db_url, smtp.port)
    handler = smtp.handler
    assert kill_worker_when_held(env, now, handler.arrived, handler.release) == -9
    statuses = Counter(r.status for r in outbox_rows())
    assert statuses == {"sent": 2, "sending": 4}  # the in-flight one and the rest of the batch

    # Another worker, once the dead worker's claim has expired, sends the rest.
    report = deliver(now + timedelta(hours=1))
    assert report.sent == 4
    assert {r.status for r in outbox_rows()} == {"sent"}

    by_id = Counter(m.message_id for m in smtp.handler.messages)
    assert set(by_id) == {r.message_id for r in rows}  # nothing lost
    assert sorted(by_id.values()) == [1, 1, 1, 1, 1, 2]  # at most the in-flight one twice …
    resent = next(mid for mid, count in by_id.items() if count == 2)
    assert resent == rows[2].message_id  # … and it is the held one, with the same Message-ID
