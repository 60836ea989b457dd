"""An import that takes longer than gunicorn's worker timeout still finishes with the workers
``make run`` uses (scripts/gunicorn.conf.py); with gunicorn's default sync worker it is cut.

The import is made slow without making it big: the child's commit of new cases waits longer
than the worker timeout (a hook installed in the worker, as the fault servers pause requests).
The sync worker is the control: it is killed mid-request, the import rolls back, the client
gets no 201 — what a 20,000-row import met at 30 s.
"""

from __future__ import annotations

import http.client
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from subprocess import Popen

import pytest
from sqlalchemy import func, select

from tests.faults.fault_support import OFFICER_EMAIL
from tests.faults.test_oversized_bodies import _free_port, _wait_until_listening
from tests.support import concern_rows, csv_bytes
from tracker.extensions import db
from tracker.models import Case, Forum, User
from tracker.services.tokens import issue_token_for

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "scripts" / "gunicorn.conf.py"
TIMEOUT = 3  # seconds a worker may be silent
COMMIT_WAIT = 10  # what the import's commit waits, well past the timeout

SLOW_CONFIG = """
import runpy, time
globals().update(
    {{k: v for k, v in runpy.run_path({config!r}).items() if not k.startswith("__")}}
)
bind = "127.0.0.1:{port}"
workers = 1
timeout = {timeout}
accesslog = None
{worker_class}

def post_worker_init(worker):
    from sqlalchemy import event
    from sqlalchemy.orm import Session
    from tracker.models import Case

    def noticed(session, *_):
        if any(isinstance(obj, Case) for obj in session.new):
            session.info["logs_case"] = True

    def slow(session):
        if session.info.pop("logs_case", False):
            time.sleep({wait})

    event.listen(Session, "before_flush", noticed)
    event.listen(Session, "before_commit", slow)
"""


@pytest.fixture
def gunicorn(shared_app, tmp_path, request) -> Iterator[int]:
    """gunicorn with make run's settings (or the sync worker), a short timeout, slow commits."""
    port, log = _free_port(), tmp_path / "gunicorn.log"
    config = tmp_path / "gunicorn.conf.py"
    # (gunicorn runs gthread whenever threads > 1, so the control needs one thread too)
    worker_class = 'worker_class = "sync"\nthreads = 1' if request.param == "sync" else ""
    config.write_text(
        SLOW_CONFIG.format(
            config=str(CONFIG),
            port=port,
            timeout=TIMEOUT,
            worker_class=worker_class,
            wait=COMMIT_WAIT,
        )
    )
    url = shared_app.config["SQLALCHEMY_DATABASE_URI"]
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "test-secret-key-not-for-production"}
    command = [sys.executable, "-m", "gunicorn", "--config", str(config), "wsgi:app"]
    with log.open("w") as output:
        child = Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    try:
        _wait_until_listening(port, child, log)
        yield port
    finally:
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=30)


def _upload(port: int, forum_id: int) -> int | None:
    """POST a small CSV as multipart; the answer's status, or None when the server hung up."""
    officer = db.session.scalar(select(User).where(User.email == OFFICER_EMAIL))
    token = issue_token_for(officer).token
    boundary = "----import-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="forum.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + csv_bytes(concern_rows(20))
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=COMMIT_WAIT * 6)
    try:
        connection.request("POST", f"/api/v1/forums/{forum_id}/imports", body=body, headers=headers)
        return connection.getresponse().status
    except (ConnectionError, http.client.HTTPException):
        return None
    finally:
        connection.close()


def _forum() -> int:
    from datetime import date

    forum = Forum(title="Long import", kind="regional", date=date(2026, 3, 4))
    db.session.add(forum)
    db.session.commit()
    return forum.id


def _cases() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Case.id)))


def test_make_run_uses_these_settings():
    assert 'worker_class = "gthread"' in CONFIG.read_text()
    assert "scripts/gunicorn.conf.py" in (ROOT / "scripts" / "run-dev.sh").read_text()


@pytest.mark.parametrize("gunicorn", ["make-run"], indirect=True)
def test_a_long_import_finishes(gunicorn, shared_app):
    forum_id = _forum()
    assert _upload(gunicorn, forum_id) == 201
    assert _cases() == 20


@pytest.mark.parametrize("gunicorn", ["sync"], indirect=True)
def test_the_sync_worker_cuts_it_and_nothing_is_logged(gunicorn, shared_app):
    forum_id = _forum()
    assert _upload(gunicorn, forum_id) != 201
    assert _cases() == 0
