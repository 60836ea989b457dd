"""The planner's estimate of a list's matches, kept a minute per person and filter set.

Asking PostgreSQL for an estimate (compiling the list's query and EXPLAIN) is a third of a
list request's time at a million cases; the estimate only says "about N", so a person paging
through the same filters reuses it for ``LIST_ESTIMATE_KEEP_SECONDS`` (default 60; 0: always
ask). Each process keeps its own, at most ``MAX_KEPT`` filter sets (the oldest dropped
first)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable

from flask import current_app

MAX_KEPT = 2_000


class EstimateCache:
    """Estimates by key, each for ``keep_seconds``; safe across a worker's threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[Hashable, tuple[float, int]] = {}

    def get_or_compute(
        self, key: Hashable, compute: Callable[[], int], keep_seconds: float = 60.0
    ) -> int:
        """The value kept for the key if younger than ``keep_seconds``, else computed now."""
        now = time.monotonic()
        with self._lock:
            kept = self._kept.get(key)
        if kept is not None and now - kept[0] < keep_seconds:
            return kept[1]
        value = compute()
        with self._lock:
            self._kept.pop(key, None)
            self._kept[key] = (now, value)
            while len(self._kept) > MAX_KEPT:
                self._kept.pop(next(iter(self._kept)))
        return value


def kept_estimate(key: Hashable, compute: Callable[[], int]) -> int:
    """The estimate for the key from this app's cache (a new app, as each test makes, starts
    empty), or computed now."""
    cache = current_app.extensions.setdefault("list_estimates", EstimateCache())
    return cache.get_or_compute(key, compute, current_app.config["LIST_ESTIMATE_KEEP_SECONDS"])
