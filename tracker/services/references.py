"""Case references (GRV-<year>-<5 digits>) and access codes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from flask import current_app
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
    """Hash a code for storage with the server's key (HMAC-SHA256); case and separators do not
    matter. Stored as ``hmac$<base64url digest>`` so older unkeyed hashes can be told apart."""
    digest = hmac.new(_access_code_key(), _normalised(code).encode(), hashlib.sha256).digest()
    return KEYED_PREFIX + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def access_code_matches(stored_hash: str, code: str) -> bool:
    """Compare a presented code with the stored hash in constant time (keyed or legacy)."""
    expected = _legacy_hash(code) if needs_rehash(stored_hash) else hash_access_code(code)
    return hmac.compare_digest(stored_hash.encode(), expected.encode())


def needs_rehash(stored_hash: str) -> bool:
    """Tell a legacy unkeyed SHA-256 hash (rows from before keyed hashing) from a keyed one."""
    return not stored_hash.startswith(KEYED_PREFIX)


KEYED_PREFIX = "hmac$"


def _normalised(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _legacy_hash(code: str) -> str:
    """The unsalted SHA-256 that codes were stored as before: still accepted, then replaced."""
    return hashlib.sha256(_normalised(code).encode()).hexdigest()


def _access_code_key() -> bytes:
    """ACCESS_CODE_KEY if set, else a key derived from SECRET_KEY for this one purpose."""
    own = current_app.config.get("ACCESS_CODE_KEY")
    if own:
        return own.encode() if isinstance(own, str) else bytes(own)
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else bytes(secret)
    return hmac.new(secret, b"forum-case-tracker access codes v1", hashlib.sha256).digest()
