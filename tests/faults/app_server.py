"""A real HTTP server of the app in a child process, for the fault tests.

Usage: ``python tests/faults/app_server.py URL [SETTINGS_JSON] [PAUSE]``. It serves the app
(werkzeug, one thread) on a free port of 127.0.0.1 and prints ``port N`` once listening.
SETTINGS_JSON adds to the test settings. PAUSE stops a request that logs a case, to be killed
there with SIGKILL:

- ``before-commit``: its rows are flushed, not committed; prints ``inside`` and waits;
- ``after-commit``: the case is committed, no answer sent yet; prints ``committed`` and waits.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from tests.conftest import test_settings
from tracker import create_app
from tracker.models import Case

LOGS_CASE = "logs_case"


def wait_for_kill(signal_line: str) -> None:
    """Say where we stopped, then block until the test kills this process."""
    print(signal_line, flush=True)
    sys.stdin.readline()


def noticed_case(session: Session, _context, _instances=None) -> None:
    """Remember that this transaction writes a new case."""
    if any(isinstance(obj, Case) for obj in session.new):
        session.info[LOGS_CASE] = True


def pause_before_commit(session: Session) -> None:
    """Flush a case's rows and stop before COMMIT."""
    session.flush()
    if session.info.get(LOGS_CASE):
        wait_for_kill("inside")


def pause_after_commit(session: Session) -> None:
    """Stop once a case's transaction has committed, before the answer is sent."""
    if session.info.pop(LOGS_CASE, False):
        wait_for_kill("committed")


def install_pause(pause: str) -> None:
    """Hook the pause into every session of this process."""
    event.listen(Session, "before_flush", noticed_case)
    if pause == "before-commit":
        event.listen(Session, "before_commit", pause_before_commit)
    elif pause == "after-commit":
        event.listen(Session, "after_commit", pause_after_commit)
    else:
        raise SystemExit(f"unknown pause {pause!r}")


def main(url: str, settings: str = "{}", pause: str = "") -> None:
    """Build the app, listen on a free port, say which, serve until killed."""
    app = create_app(test_settings(url, **json.loads(settings)))
    if pause:
        install_pause(pause)
    server = make_server("127.0.0.1", 0, app)
    print(f"port {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:])
