"""A child process that writes cases through the services, for the fault tests.

Usage: ``python tests/faults/case_writer.py URL EMAIL MODE [COUNT]``. It prints ``ready``, waits
for a line on stdin, then works:

- ``log``: log cases forever, printing each reference once its transaction has committed;
- ``stall``: the same, but the COUNT+1st case stops inside its transaction, after its rows are
  flushed and before the commit, and prints ``inside`` (to be killed there);
- ``mixed``: log COUNT cases and walk each through analyse → refer → respond → close, printing
  one JSON line ``{"done": n, "errors": [...]}`` at the end.
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import event, select

from tests.conftest import CASE_FIELDS, test_settings
from tests.support import PATHS, trigger_data
from tracker import create_app
from tracker.extensions import db
from tracker.models import Agency, User
from tracker.services.cases import log_case
from tracker.services.transitions import fire_trigger

WALK = [*PATHS["responded"], "close"]


def stall_before_commit(session) -> None:
    """Write the transaction's rows, say so, and wait (for SIGKILL) instead of committing."""
    session.flush()
    print("inside", flush=True)
    sys.stdin.readline()


def log_forever(actor: User, stall_after: int | None = None) -> None:
    """Log cases until killed; acknowledge each committed one on stdout."""
    number = 0
    while True:
        if number == stall_after:
            event.listen(db.session(), "before_commit", stall_before_commit, once=True)
        number += 1
        reference = log_case(actor, {**CASE_FIELDS, "title": f"Concern {number}"}).case.reference
        print(reference, flush=True)


def log_and_walk(actor: User, count: int) -> dict:
    """Log cases and fire every transition up to closed on each; collect any error."""
    agency_id = db.session.scalar(select(Agency.id))
    errors: list[str] = []
    done = 0
    for number in range(count):
        try:
            reference = log_case(actor, {**CASE_FIELDS, "title": f"Concern {number}"})
            reference = reference.case.reference
            for trigger in WALK:
                fire_trigger(actor, reference, trigger, trigger_data(trigger, actor.id, agency_id))
            done += 1
        except Exception as exc:  # reported to the parent, which asserts there were none
            errors.append("".join(traceback.format_exception_only(exc)).strip())
    return {"done": done, "errors": errors}


def main(url: str, email: str, mode: str, count: int = 0) -> None:
    """Open the app on the database, signal readiness, wait for 'go', then write."""
    app = create_app(test_settings(url))
    with app.app_context():
        actor = db.session.scalar(select(User).where(User.email == email))
        print("ready", flush=True)
        sys.stdin.readline()
        if mode in ("log", "stall"):
            log_forever(actor, count if mode == "stall" else None)
        else:
            print(json.dumps(log_and_walk(actor, count)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 0)
