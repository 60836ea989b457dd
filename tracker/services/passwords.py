"""Password hashing with argon2id (OWASP ASVS level parameters)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# argon2-cffi's defaults: argon2id, t=3, m=64 MiB, p=4 — above the ASVS minimum.
_hasher = PasswordHasher()

# Verifying against this keeps a wrong email as slow as a wrong password (no user enumeration).
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    """Return an argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password against a stored hash; spend the same time when there is no user."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Tell whether a hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(stored_hash)
