"""A small threaded HTTP server on 127.0.0.1 that records JSON calls and answers as told.

It stands in for the services the tracker calls (the Telegram Bot API, an SMS gateway), which
cannot be reached from here. It can answer scripted statuses, hold a call until released, and
be stopped and started again on the same port.
"""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Call:
    """One request the server received."""

    path: str
    headers: dict[str, str]
    body: Any

    @property
    def method(self) -> str:
        """The last part of the path (a Bot API method name)."""
        return self.path.rsplit("/", 1)[-1]


@dataclass
class Answer:
    """What to answer to one call."""

    status: int
    body: Any


@dataclass
class Recorder:
    """Calls received, answers queued (used first) and the default answer."""

    default: Any
    calls: list[Call] = field(default_factory=list)
    queued: list[Answer] = field(default_factory=list)
    hold_at: int | None = None  # the n-th call (1-based) waits for `release` after recording
    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, body: Any) -> Answer:
        """The next queued answer, else the default (a callable gets the request body)."""
        with self.lock:
            if self.queued:
                return self.queued.pop(0)
        default = self.default(body) if callable(self.default) else self.default
        return default if isinstance(default, Answer) else Answer(200, default)


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingServer:
    """The server; ``url`` is its base address."""

    def __init__(self, default: Any) -> None:
        self.recorder = Recorder(default)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.httpd: ThreadingHTTPServer | None = None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        recorder = self.recorder

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"null")
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                with recorder.lock:
                    recorder.calls.append(Call(self.path, dict(self.headers), body))
                    count = len(recorder.calls)
                if recorder.hold_at == count:
                    recorder.arrived.set()
                    recorder.release.wait(30)
                answer = recorder.answer(body)
                data = json.dumps(answer.body).encode()
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def start(self) -> None:
        """Listen on 127.0.0.1 (the same port after a stop)."""
        ThreadingHTTPServer.allow_reuse_address = True
        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Stop listening: connections are refused until started again."""
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None

    @property
    def calls(self) -> list[Call]:
        """The calls received so far."""
        return list(self.recorder.calls)


def telegram_answer(body: Any) -> Answer:
    """Answer every Bot API call as Telegram does: ``{"ok": true, "result": …}``."""
    chat = (body or {}).get("chat_id") if isinstance(body, dict) else None
    return Answer(200, {"ok": True, "result": {"message_id": 1, "chat": {"id": chat}}})


TOO_MANY = Answer(
    429,
    {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    },
)
