"""Child HTTP servers of the app (tests/faults/app_server.py) and a small HTTP client for them."""

from __future__ import annotations

import http.client
import json
import os
import select
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from subprocess import PIPE, Popen
from typing import Any

SERVER = Path(__file__).with_name("app_server.py")
ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0


@dataclass
class Answer:
    """One HTTP answer: status, headers, body (parsed when JSON) and how long it took."""

    status: int
    headers: dict[str, str]
    text: str
    seconds: float

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.text)


@dataclass
class Server:
    """A running child server."""

    process: Popen
    port: int
    log: Path

    def connection(self, timeout: float = 60.0) -> http.client.HTTPConnection:
        """A new connection to this server."""
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Answer:
        """Send one request and read the answer."""
        return send(self.connection(kwargs.pop("timeout", 60.0)), method, path, body, **kwargs)

    def wait_for(self, line: str, timeout: float = 60.0) -> None:
        """Wait until the server prints this line (where it paused)."""
        got = read_line(self.process, timeout)
        assert got == line, f"expected {line!r}, got {got!r}: {self.log.read_text()[-2000:]}"

    def kill(self) -> None:
        """SIGKILL the server, wherever it is."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        assert self.process.returncode == -signal.SIGKILL


def send(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    raw: str | None = None,
) -> Answer:
    """Send a request (JSON ``body`` or ``raw`` form text) and read the whole answer."""
    headers = dict(headers or {})
    payload = raw
    if body is not None:
        payload = json.dumps(body)
        headers.setdefault("Content-Type", "application/json")
    started = time.monotonic()
    try:
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
    finally:
        connection.close()
    headers_read = {name.lower(): value for name, value in response.getheaders()}
    return Answer(response.status, headers_read, text, time.monotonic() - started)


def read_line(process: Popen, timeout: float) -> str:
    """The child's next stdout line, or fail after ``timeout`` seconds."""
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    if not ready:
        raise AssertionError(f"child printed nothing within {timeout} s")
    line = process.stdout.readline()
    if not line:
        process.wait(timeout=10)
        raise AssertionError(f"child stopped ({process.returncode})")
    return line.strip()


def spawn_server(url: str, settings: dict[str, Any], pause: str, log: Path) -> Popen:
    """Start a server child; it prints its port once it listens."""
    with log.open("w") as stderr:
        return Popen(
            [sys.executable, str(SERVER), url, json.dumps(settings), pause],
            cwd=ROOT,
            stdin=PIPE,
            stdout=PIPE,
            stderr=stderr,
            text=True,
        )


def listening(process: Popen, log: Path) -> Server:
    """Wait until a spawned child listens; return it as a Server."""
    try:
        line = read_line(process, START_TIMEOUT)
    except AssertionError as exc:
        process.kill()
        process.wait()
        raise AssertionError(f"server did not start: {exc}: {log.read_text()[-2000:]}") from exc
    assert line.startswith("port "), line
    return Server(process, int(line.split()[1]), log)


class Servers:
    """Start child servers (several at once if asked); kill those still running at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.started: list[Server] = []
        self.spawned: list[Popen] = []

    def start_many(self, count: int, url: str, pause: str = "", **settings: Any) -> list[Server]:
        """Start ``count`` servers in parallel; return them once all listen."""
        logs = [self.folder / f"server-{len(self.spawned) + n}.log" for n in range(count)]
        processes = [spawn_server(url, settings, pause, log) for log in logs]
        self.spawned.extend(processes)
        servers = [listening(process, log) for process, log in zip(processes, logs, strict=True)]
        self.started.extend(servers)
        return servers

    def start(self, url: str, pause: str = "", **settings: Any) -> Server:
        """Start one server."""
        return self.start_many(1, url, pause, **settings)[0]
