"""One transaction per use case: commit everything together or nothing at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError

from tracker.extensions import db
from tracker.services.errors import StaleVersion


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit the session when the block ends; roll back on any error."""
    try:
        yield
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise StaleVersion("The case was changed by someone else; reload and try again.") from exc
    except OperationalError as exc:
        db.session.rollback()
        if _is_lock_conflict(exc):
            raise StaleVersion("The case is being changed by someone else; try again.") from exc
        raise
    except BaseException:
        db.session.rollback()
        raise


def _is_lock_conflict(exc: OperationalError) -> bool:
    """Tell a lost race (lock timeout, serialization failure) from a real database failure."""
    text = str(exc.orig).lower()
    return "database is locked" in text or "could not serialize" in text
