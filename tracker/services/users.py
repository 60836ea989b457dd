"""Use cases for people: create (or invite) users, check credentials."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tracker.codes import LANGUAGES
from tracker.extensions import db
from tracker.field_spec import is_email_address
from tracker.models import ROLES, Agency, Organisation, User, now_utc
from tracker.services.account_links import invite
from tracker.services.audit import email_label, record_admin_action
from tracker.services.directory import user_by_email as find_user_by_email
from tracker.services.errors import NotFound, ValidationFailed
from tracker.services.passwords import (
    NO_PASSWORD,
    hash_password,
    needs_rehash,
    password_problems,
    verify_password,
)
from tracker.services.unit_of_work import unit_of_work

DUPLICATE_EMAIL = "A user with this email already exists."


def validate_new_user(
    email: str,
    password: str | None,
    role: str,
    agency_id: int | None,
    organisation_id: int | None,
    language: str,
) -> dict[str, list[str]]:
    """Return per-field problems with a new user's data (empty when valid; no password: invite)."""
    errors: dict[str, list[str]] = {}
    if not is_email_address(email):
        errors["email"] = ["Enter a valid email address."]
    elif db.session.scalar(select(User.id).where(func.lower(User.email) == email.lower())):
        errors["email"] = [DUPLICATE_EMAIL]
    if password is not None and password_problems(password):
        errors["password"] = password_problems(password)
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
    password: str | None,
    role: str,
    name: str = "",
    agency_id: int | None = None,
    organisation_id: int | None = None,
    language: str = "en",
    *,
    actor: User | None = None,
    ip: str | None = None,
    now: datetime | None = None,
) -> User:
    """Create a user with a hashed password, or (no password) invite them by email; audited."""
    email = email.strip().lower()
    errors = validate_new_user(email, password, role, agency_id, organisation_id, language)
    if errors:
        raise ValidationFailed("The user could not be created.", errors)
    now = now or now_utc()
    user = User(
        email=email,
        name=name or email.split("@")[0],
        role=role,
        password_hash=hash_password(password) if password is not None else NO_PASSWORD,
        agency_id=agency_id if role == "agency" else None,
        organisation_id=organisation_id if role == "representative" else None,
        language=language,
        created_at=now,
    )
    try:
        with unit_of_work():
            db.session.add(user)
            db.session.flush()
            if password is None:
                invite(user, now=now)
            action = "user_created" if password is not None else "user_invited"
            record_admin_action(actor, action, email, ip=ip, details={"role": role}, at=now)
    except IntegrityError:  # another request created the same email since the check above
        raise ValidationFailed(
            "The user could not be created.", {"email": [DUPLICATE_EMAIL]}
        ) from None
    return user


def authenticate(
    email: str,
    password: str,
    now: datetime | None = None,
    *,
    ip: str | None = None,
    via: str = "web",
) -> User | None:
    """Return the active user with these credentials, or None (no hint which part was wrong).

    Every attempt, right or wrong, goes to the audit trail with the email tried and the address.
    """
    user = find_user_by_email(email)
    matched = verify_password(user.password_hash if user else None, password)
    now = now or now_utc()
    with unit_of_work():
        if not matched or user is None or not user.active:
            label = email_label(email)
            record_admin_action(
                None, "login_failed", label, ip=ip, details={"via": via}, actor_label=label, at=now
            )
            return None
        user.last_login_at = now
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        record_admin_action(user, "login", user.email, ip=ip, details={"via": via}, at=now)
    return user


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


def set_khmer_digits(user: User, wanted: bool) -> User:
    """Remember whether a user reads numbers and dates in Khmer digits (on Khmer pages)."""
    with unit_of_work():
        user.khmer_digits = bool(wanted)
    return user


def end_sessions(user: User, *, ip: str | None = None) -> None:
    """Log out: invalidate every web session of this user (API tokens stay; see credentials)."""
    with unit_of_work():
        user.session_generation = (user.session_generation or 0) + 1
        record_admin_action(user, "logout", user.email, ip=ip)
