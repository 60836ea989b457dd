"""The scale-out run's load: client threads logging, moving, commenting on and looking up cases
across the web servers, bounded by a count and a time; every 2xx answer is remembered.

A creation carries an Idempotency-Key and is retried on the other server (same key) when the
answer never came; a transition or comment whose answer never came is "unknown" (it may have
committed) and its case is left alone afterwards.
"""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

TIMEOUT = 30.0
ANALYSE = {"trigger": "analyse", "category": "contributions", "note": "Checked by the load."}
CLOSE = {
    "trigger": "close",
    "outcome": "resolved",
    "resolution": "Settled by the load.",
    "resolution_public": "Settled.",
}


@dataclass
class Tracked:
    """A case a thread logged: its code, its state as last acknowledged, whether it is sure."""

    reference: str
    code: str
    state: str = "logged"
    certain: bool = True


@dataclass
class Acknowledged:
    """What the servers acknowledged (2xx), and how the rest went."""

    created: dict[str, str] = field(default_factory=dict)  # Idempotency-Key → reference
    transitions: list[tuple[str, str]] = field(default_factory=list)  # (reference, trigger)
    comments: list[tuple[str, int]] = field(default_factory=list)  # (reference, comment id)
    lookups: int = 0
    unanswered: int = 0
    statuses: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)


def call(port: int, method: str, path: str, body: Any, headers: dict[str, str]):
    """One request; (status, parsed body) or None when no answer came (server killed)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request(
            method,
            path,
            body=json.dumps(body),
            headers={"Content-Type": "application/json", **headers},
        )
        response = connection.getresponse()
        text = response.read().decode()
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()
    try:
        return response.status, json.loads(text) if text else None
    except ValueError:
        return response.status, None


class Load:
    """``threads`` clients, ``operations`` each at most, until ``seconds`` have passed."""

    def __init__(
        self, ports: list[int], token: str, owner_id: int, operations: int, seconds: float
    ):
        self.ports = ports
        self.auth = {"Authorization": f"Bearer {token}"}
        self.owner_id = owner_id
        self.operations = operations
        self.deadline = time.monotonic() + seconds
        self.done = Acknowledged()
        self.threads: list[threading.Thread] = []

    def start(self, threads: int) -> None:
        """Start the clients."""
        self.threads = [threading.Thread(target=self.client, args=(n,)) for n in range(threads)]
        for thread in self.threads:
            thread.start()

    def join(self) -> Acknowledged:
        """Wait for every client to finish its count or its time."""
        for thread in self.threads:
            thread.join(TIMEOUT * 4)
            assert not thread.is_alive(), "a load client hung"
        return self.done

    def request(self, kind: str, number: int, path: str, body: Any, headers: dict[str, str]):
        """POST to server ``number`` (modulo); its answer, or None."""
        started = time.monotonic()
        answer = call(self.ports[number % len(self.ports)], "POST", path, body, headers)
        with self.done.lock:
            self.done.seconds[kind].append(time.monotonic() - started)
            self.done.statuses[f"{kind} {answer[0] if answer else 'no answer'}"] += 1
            if answer is None:
                self.done.unanswered += 1
        return answer

    def client(self, thread: int) -> None:
        """One client's loop: mostly creations, then moves, comments and lookups of its cases."""
        rng = random.Random(thread)
        cases: list[Tracked] = []
        for number in range(self.operations):
            if time.monotonic() > self.deadline:
                return
            roll = rng.random()
            sure = [case for case in cases if case.certain]
            if roll < 0.4 or not sure:
                self.create(thread, number, cases)
            elif roll < 0.65:
                self.move(number, rng.choice(sure))
            elif roll < 0.85:
                self.comment(number, rng.choice(sure))
            else:
                self.lookup(number, rng.choice(cases))

    def create(self, thread: int, number: int, cases: list[Tracked]) -> None:
        """Log a case; retried on the next server with the same key until it is answered."""
        key = f"load-{thread}-{number}"
        headers = {**self.auth, "Idempotency-Key": key}
        body = {
            "title": key,
            "description": "Logged by the scale-out load.",
            "category": "contributions",
            "raised_by_email": f"{key}@example.org",
        }
        for attempt in range(8):
            answer = self.request("create", number + attempt, "/api/v1/cases", body, headers)
            if answer is not None and answer[0] == 201:
                with self.done.lock:
                    self.done.created[key] = answer[1]["reference"]
                cases.append(Tracked(answer[1]["reference"], answer[1].get("access_code", "")))
                return
            if answer is not None and answer[0] < 500:
                return
            time.sleep(0.2)

    def move(self, number: int, case: Tracked) -> None:
        """Analyse a logged case, close an analysed one."""
        if case.state == "closed":
            return self.comment(number, case)
        body = {**ANALYSE, "owner_id": self.owner_id} if case.state == "logged" else CLOSE
        path = f"/api/v1/cases/{case.reference}/transitions"
        answer = self.request("transition", number, path, body, self.auth)
        if answer is None or answer[0] >= 500:
            case.certain = False
        elif answer[0] == 200:
            case.state = answer[1]["state"]
            with self.done.lock:
                self.done.transitions.append((case.reference, body["trigger"]))
        return None

    def comment(self, number: int, case: Tracked) -> None:
        """Add a comment."""
        path = f"/api/v1/cases/{case.reference}/comments"
        body = {"body": f"Comment {number} from the load."}
        answer = self.request("comment", number, path, body, self.auth)
        if answer is not None and answer[0] == 201:
            with self.done.lock:
                self.done.comments.append((case.reference, answer[1]["id"]))

    def lookup(self, number: int, case: Tracked) -> None:
        """The public lookup with the access code."""
        path = f"/api/v1/public/cases/{case.reference}"
        if not case.code:  # a replayed creation's answer carries no code
            return
        answer = self.request("lookup", number, path, {"access_code": case.code}, {})
        if answer is not None and answer[0] == 200:
            with self.done.lock:
                self.done.lookups += 1
