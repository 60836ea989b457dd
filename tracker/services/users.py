"""Use cases for people: create users, check credentials."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tracker.codes import LANGUAGES
from tracker.extensions import db
from tracker.field_spec import is_email_address
from tracker.models import ROLES, Agency, Organisation, User, now_utc
from tracker.services.errors import NotFound, ValidationFailed
from tracker.services.passwords import hash_password, needs_rehash, verify_password
from tracker.services.unit_of_work import unit_of_work

MIN_PASSWORD_LENGTH = 10


def validate_new_user(
    email: str,
    password: str,
    role: str,
    agency_id: int | None,
    organisation_id: int | None,
    language: str,
) -> dict[str, list[str]]:
    """Return per-field problems with a new user's data (empty when valid)."""
    errors: dict[str, list[str]] = {}
    if not is_email_address(email):
        errors["email"] = ["Enter a valid email address."]
    elif db.session.scalar(select(User.id).where(func.lower(User.email) == email.lower())):
        errors["email"] = ["A user with this email already exists."]
    if len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = [f"Use at least {MIN_PASSWORD_LENGTH} characters."]
    if role not in ROLES:
        errors["role"] = [f"Must be one of: {', '.join(ROLES)}."]
    if role == "agency" and agency_id is None:
        errors["agency_id"] = ["An agency user needs an agency."]
    if agency_id is not None and db.session.get(Agency, agency_id) is None:
        errors["agency_id"] = ["No such agency."]
    if role == "representative" and organisation_id is None:
        errors["organisation_id"] = ["A representative needs an organisation."]
    if organisation_id is not None and db.session.get(Organisation, organisation_id) is None:
        errors["organisation_id"] = ["No such organisation."]
    if language not in LANGUAGES:
        errors["language"] = ["Must be en or km."]
    return errors


def create_user(
    email: str,
    password: str,
    role: str,
    name: str = "",
    agency_id: int | None = None,
    organisation_id: int | None = None,
    language: str = "en",
) -> User:
    """Create a user with a hashed password; refuse incomplete or duplicate data."""
    email = email.strip().lower()
    errors = validate_new_user(email, password, role, agency_id, organisation_id, language)
    if errors:
        raise ValidationFailed("The user could not be created.", errors)
    user = User(
        email=email,
        name=name or email.split("@")[0],
        role=role,
        password_hash=hash_password(password),
        agency_id=agency_id if role == "agency" else None,
        organisation_id=organisation_id if role == "representative" else None,
        language=language,
    )
    try:
        with unit_of_work():
            db.session.add(user)
    except IntegrityError:  # another request created the same email since the check above
        raise ValidationFailed(
            "The user could not be created.", {"email": ["A user with this email already exists."]}
        ) from None
    return user


def authenticate(email: str, password: str, now: datetime | None = None) -> User | None:
    """Return the active user with these credentials, or None (no hint which part was wrong)."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if not verify_password(user.password_hash if user else None, password):
        return None
    if user is None or not user.active:
        return None
    with unit_of_work():
        user.last_login_at = now or now_utc()
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
    return user


def find_user_by_email(email: str) -> User | None:
    """Return the user with this email (case-insensitive), if any."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def first_admin() -> User:
    """The longest-standing active admin, who acts for unattended imports and jobs."""
    admin = db.session.scalar(
        select(User).where(User.role == "admin", User.active.is_(True)).order_by(User.id)
    )
    if admin is None:
        raise NotFound("No active admin exists; create one or name the acting user.")
    return admin


def set_language(user: User, language: str) -> User:
    """Remember the language a user reads the UI (and their emails) in."""
    if language not in LANGUAGES:
        raise ValidationFailed("Unknown language.", {"language": ["Must be en or km."]})
    with unit_of_work():
        user.language = language
    return user


def end_sessions(user: User) -> None:
    """Invalidate every web session of this user (logout, disabling, password change)."""
    with unit_of_work():
        user.session_generation = (user.session_generation or 0) + 1
