"""413 for every body over its limit (the pages 2 MB, the API 256 KB), chunked or not, on the
API and the web,
against real servers (Werkzeug's and gunicorn): the test client never sends chunked bodies.

A chunked body carries no Content-Length; Werkzeug only caps the stream it reads, so without
our check a 3 MB body was cut at 2 MB and answered 400/422, or a cut form was taken as sent.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from subprocess import Popen

import pytest
from sqlalchemy import func, select

from tests.faults.fault_support import OFFICER_EMAIL
from tracker.extensions import db
from tracker.models import Case, User
from tracker.services.cases import log_case
from tracker.services.tokens import issue_token_for

ROOT = Path(__file__).resolve().parents[2]
THREE_MB = 3 * 1024 * 1024
PIECE = b"x" * 65536


def chunks(prefix: bytes, size: int, suffix: bytes) -> Iterator[bytes]:
    """A body sent in pieces, so http.client sends it chunked (no Content-Length)."""
    yield prefix
    for _ in range(size // len(PIECE)):
        yield PIECE
    yield suffix


def post(port: int, path: str, body, headers: dict[str, str], chunked: bool) -> tuple[int, bytes]:
    """POST a body (an iterable of pieces when chunked) and read the answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        if chunked:
            connection.request("POST", path, body=body, headers=headers, encode_chunked=True)
        else:
            connection.request("POST", path, body=b"".join(body), headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(params=["werkzeug", "gunicorn"])
def server(request, servers, shared_app, tmp_path) -> Iterator[tuple[int, Path]]:
    """A real server of the app on 127.0.0.1: (port, its log file)."""
    url = shared_app.config["SQLALCHEMY_DATABASE_URI"]
    if request.param == "werkzeug":
        started = servers.start(url)
        yield started.port, started.log
        return
    port, log = _free_port(), tmp_path / "gunicorn.log"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "test-secret-key-not-for-production"}
    command = [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "wsgi:app"]
    with log.open("w") as output:
        child = Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    try:
        _wait_until_listening(port, child, log)
        yield port, log
    finally:
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=30)


def _wait_until_listening(port: int, child: Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert child.poll() is None, log.read_text()[-2000:]
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"gunicorn did not listen: {log.read_text()[-2000:]}")


def _token() -> str:
    officer = db.session.scalar(select(User).where(User.email == OFFICER_EMAIL))
    return issue_token_for(officer).token


def _cases() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Case.id)))


JSON = {"Content-Type": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
def test_a_3_mb_body_is_413_on_the_api_and_logs_nothing(server, chunked):
    port, log = server
    body = chunks(b'{"title": "x", "category": "other", "description": "', THREE_MB, b'"}')
    headers = {**JSON, "Authorization": f"Bearer {_token()}"}
    status, answer = post(port, "/api/v1/cases", body, headers, chunked)
    assert status == 413, answer[:300]
    assert b'"status":413' in answer and b'"title":"Request Entity Too Large"' in answer
    assert _cases() == 0
    assert "Traceback" not in log.read_text() and "ERROR" not in log.read_text()


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
def test_a_3_mb_form_is_413_on_the_web_and_not_echoed(server, chunked):
    port, log = server
    body = chunks(b"reference=GRV-2026-00001&access_code=", THREE_MB, b"")
    status, answer = post(port, "/status", body, FORM, chunked)
    assert status == 413
    assert len(answer) < 20_000 and b"xxxxxxxx" not in answer
    assert b"<html" in answer
    assert "Traceback" not in log.read_text()


def test_a_chunked_body_under_the_limit_arrives_whole(server, shared_app):
    port, _log = server
    officer = db.session.scalar(select(User).where(User.email == OFFICER_EMAIL))
    logged = log_case(officer, {"title": "T", "description": "D", "category": "other"})
    path = f"/api/v1/public/cases/{logged.case.reference}"
    padding = b" " * (200 * 1024)  # JSON whitespace (the API takes up to 256 KB), then the code
    body = chunks(b'{"access_code": "' + logged.access_code.encode() + b'"', 0, padding + b"}")
    status, answer = post(port, path, body, JSON, chunked=True)
    assert status == 200, answer[:300]
    body = chunks(b'{"access_code": "', 128 * 1024, b'"}')
    status, answer = post(port, path, body, JSON, chunked=True)
    assert status == 422 and b'"access_code"' in answer  # a whole (too long) code, not cut JSON
