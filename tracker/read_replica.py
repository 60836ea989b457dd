"""Reports and exports read from a streaming replica (``READ_DATABASE_URL``); writes never do.

The one place that chooses: a view marked ``@reads_from_replica`` (report pages and API,
CSV/XLSX exports, the forum brief) has its session send plain SELECTs to the replica's engine;
flushes, INSERT/UPDATE/DELETE, ``SELECT … FOR UPDATE`` and raw SQL still go to the primary.
Authentication is read from the primary before the switch: a replica a moment behind must not
sign out a session that was just opened or keep a revoked one alive.

A replica that cannot be reached (connect error, or no answer within
``READ_DATABASE_CONNECT_TIMEOUT``) is logged and left alone for ``READ_DATABASE_RETRY_SECONDS``:
the requests meanwhile read from the primary instead of waiting for the timeout each time.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask, current_app, g
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.selectable import CompoundSelect, Select

REPLICA = "read_replica"  # the key in app.extensions and in a session's info
View = TypeVar("View", bound=Callable[..., Any])


class ReplicaSession(FlaskSession):
    """A session that sends plain reads to the replica engine its ``info`` names, if any."""

    def get_bind(self, mapper: Any = None, clause: Any = None, bind: Any = None, **kwargs: Any):
        """The replica for a plain SELECT in a replica-reading session; otherwise as usual."""
        replica = self.info.get(REPLICA)
        if replica is not None and bind is None and not self._flushing and is_plain_read(clause):
            return replica
        return super().get_bind(mapper, clause=clause, bind=bind, **kwargs)


def is_plain_read(clause: Any) -> bool:
    """A SELECT that takes no row locks (those belong to the primary, as every write does)."""
    return isinstance(clause, Select | CompoundSelect) and clause._for_update_arg is None


@dataclass
class Replica:
    """The replica's engine and when it may next be tried after a failure."""

    engine: Engine
    retry_seconds: float
    down_until: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reachable(self) -> bool:
        """Check out a connection (pinged by the pool); remember a failure for a while."""
        if time.monotonic() < self.down_until:
            return False
        try:
            with self.engine.connect():
                return True
        except SQLAlchemyError as exc:
            with self.lock:
                self.down_until = time.monotonic() + self.retry_seconds
            current_app.logger.warning(
                "Read replica unreachable, reading from the primary for %.0f s: %s",
                self.retry_seconds,
                str(exc).splitlines()[0],
            )
            return False


def init_replica(app: Flask, options: Callable[[str, int], dict[str, Any]]) -> None:
    """Create the replica's engine when READ_DATABASE_URL is set (``options`` as the primary's)."""
    url = app.config.get("READ_DATABASE_URL")
    if not url:
        return
    timeout = int(app.config["READ_DATABASE_CONNECT_TIMEOUT"])
    engine = create_engine(url, **options(url, timeout))
    app.extensions[REPLICA] = Replica(engine, float(app.config["READ_DATABASE_RETRY_SECONDS"]))


def dispose_replica(app: Flask) -> None:
    """Close the replica's pooled connections (tests, shutdown)."""
    replica: Replica | None = app.extensions.get(REPLICA)
    if replica is not None:
        replica.engine.dispose()


def read_from_replica() -> bool:
    """Send this request's remaining plain reads to the replica if one is set and reachable."""
    from flask_login import current_user

    from tracker.extensions import db

    replica: Replica | None = current_app.extensions.get(REPLICA)
    if replica is None:
        return False
    if "api_actor" not in g:
        current_user._get_current_object()  # the web user, loaded from the primary first
    if not replica.reachable():
        return False
    db.session.info[REPLICA] = replica.engine
    return True


def reads_from_replica(view: View) -> View:
    """Mark a view whose reads may come from the replica (reports, exports: nothing it shows
    needs the very last write)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from tracker.extensions import db

        read_from_replica()
        try:
            return view(*args, **kwargs)
        finally:
            db.session.info.pop(REPLICA, None)

    return wrapper  # type: ignore[return-value]
