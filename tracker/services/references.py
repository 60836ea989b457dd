"""Case references (GRV-<year>-<5 digits>) and access codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from tracker.extensions import db
from tracker.models import ReferenceCounter

_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read out on the phone
_counters = ReferenceCounter.__table__


def next_reference(year: int) -> str:
    """Issue the next reference of the year inside the caller's transaction.

    The counter row is locked by the UPDATE until the transaction ends, so concurrent
    creators queue behind each other and never get the same number.
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(
        insert(_counters)
        .values(year=year, last_number=0)
        .on_conflict_do_nothing(index_elements=["year"])
    )
    number = db.session.execute(
        update(_counters)
        .where(_counters.c.year == year)
        .values(last_number=_counters.c.last_number + 1)
        .returning(_counters.c.last_number)
    ).scalar_one()
    return f"GRV-{year}-{number:05d}"


def new_access_code() -> str:
    """Return a random access code like ``K7MX-Q2PD-9RTW`` (about 59 bits)."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def hash_access_code(code: str) -> str:
    """Hash a code for storage; case and separators do not matter."""
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def access_code_matches(stored_hash: str, code: str) -> bool:
    """Compare a presented code with the stored hash in constant time."""
    return hmac.compare_digest(stored_hash, hash_access_code(code))
