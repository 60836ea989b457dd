"""Password hashing with argon2id (OWASP ASVS level parameters)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

# "production" is argon2-cffi's RFC 9106 low-memory profile: argon2id, t=3, m=64 MiB, p=4,
# above the ASVS minimum. "cheapest" exists only so test suites can make many users quickly;
# a test checks the default really is production.
PROFILES = {"production": profiles.RFC_9106_LOW_MEMORY, "cheapest": profiles.CHEAPEST}
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1000
# Stored instead of a hash for a user who was invited and has not chosen a password yet:
# no password verifies against it.
NO_PASSWORD = "!unset"


@cache
def _hasher(profile: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(PROFILES[profile])


@cache
def _dummy_hash(profile: str) -> str:
    return _hasher(profile).hash("not-a-real-password")


def _profile() -> str:
    return current_app.config["PASSWORD_HASH_PROFILE"]


def password_problems(password: object) -> list[str]:
    """What is wrong with a new password (empty when it is acceptable): the one rule."""
    if not isinstance(password, str):
        return ["Must be text."]
    if len(password) < MIN_PASSWORD_LENGTH:
        return [f"Use at least {MIN_PASSWORD_LENGTH} characters."]
    if len(password) > MAX_PASSWORD_LENGTH:
        return [f"Use at most {MAX_PASSWORD_LENGTH} characters."]
    if not password.strip():
        return ["This field may not be blank."]
    return []


def hash_password(password: str) -> str:
    """Return an argon2id hash of the password."""
    return _hasher(_profile()).hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password against a stored hash; spend the same time when there is no user."""
    profile = _profile()
    try:
        matched = _hasher(profile).verify(stored_hash or _dummy_hash(profile), password)
    except (VerificationError, InvalidHashError):
        return False
    return matched and stored_hash is not None


def needs_rehash(stored_hash: str) -> bool:
    """Tell whether a hash was made with other parameters than today's."""
    return _hasher(_profile()).check_needs_rehash(stored_hash)
