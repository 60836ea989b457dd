"""One transaction per use case: commit everything together or nothing at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError

from tracker.extensions import db
from tracker.services.errors import StaleVersion

OUTER = "unit_of_work_outer"  # set in the session's info while one_transaction() runs


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit the session when the block ends; roll back on any error.

    Inside ``one_transaction()`` it neither commits nor rolls back: the outer block does.
    """
    nested = bool(db.session.info.get(OUTER))
    try:
        yield
        if not nested:
            db.session.commit()
    except StaleDataError as exc:
        _rollback(nested)
        raise StaleVersion("The case was changed by someone else; reload and try again.") from exc
    except OperationalError as exc:
        _rollback(nested)
        if _is_lock_conflict(exc):
            raise StaleVersion("The case is being changed by someone else; try again.") from exc
        raise
    except BaseException:
        _rollback(nested)
        raise


@contextmanager
def one_transaction() -> Iterator[None]:
    """Run several use cases as one unit of work: all commit at the end, or none does."""
    db.session.info[OUTER] = True
    try:
        yield
    except BaseException:
        db.session.info.pop(OUTER, None)
        db.session.rollback()
        raise
    db.session.info.pop(OUTER, None)
    with unit_of_work():
        pass


def _rollback(nested: bool) -> None:
    if not nested:
        db.session.rollback()


def _is_lock_conflict(exc: OperationalError) -> bool:
    """Tell a lost race (lock timeout, serialization failure) from a real database failure."""
    text = str(exc.orig).lower()
    return "database is locked" in text or "could not serialize" in text
