"""Manage reference data and people: agencies, forums, categories, users (admin use cases)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import func, select

from tracker import access
from tracker.codes import FORUM_KINDS, LANGUAGES, PROVINCES
from tracker.extensions import db
from tracker.models import ROLES, Agency, Category, Forum, Organisation, User
from tracker.services.errors import NotFound, PermissionDenied, ValidationFailed
from tracker.services.passwords import hash_password
from tracker.services.unit_of_work import unit_of_work
from tracker.services.users import MIN_PASSWORD_LENGTH, create_user

Errors = dict[str, list[str]]
Cleaner = Callable[[Any], Any]
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


def _require(allowed: bool, what: str) -> None:
    if not allowed:
        raise PermissionDenied(f"You may not {what}.")


def _text(limit: int, required: bool = False) -> Cleaner:
    def clean(value: Any) -> str:
        value = value.strip() if isinstance(value, str) else ""
        if required and not value:
            raise ValueError("This field is required.")
        if len(value) > limit or "\n" in value or "\r" in value:
            raise ValueError(f"A single line of at most {limit} characters.")
        return value

    return clean


def _whole(low: int, high: int) -> Cleaner:
    def clean(value: Any) -> int:
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError("Must be a whole number.")
        return value

    return clean


def _choice(table: Mapping[str, Any], optional: bool = False) -> Cleaner:
    def clean(value: Any) -> str | None:
        if optional and value in (None, ""):
            return None
        if value not in table:
            raise ValueError(f"Must be one of: {', '.join(table)}.")
        return value

    return clean


def _emails(value: Any) -> list[str]:
    items = value.split(",") if isinstance(value, str) else list(value or [])
    emails = [e.strip().lower() for e in items if isinstance(e, str) and e.strip()]
    if any("@" not in e or any(c in e for c in " \r\n<>;") or len(e) > 254 for e in emails):
        raise ValueError("Enter valid email addresses, separated by commas.")
    return emails


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError("Must be a date (YYYY-MM-DD).") from None


def _flag(value: Any) -> bool:
    return value in (True, "y", "on", "true", "1", 1)


AGENCY_FIELDS: dict[str, Cleaner] = {
    "code": _text(32, required=True),
    "name_en": _text(200, required=True),
    "name_km": _text(200),
    "contact_emails": _emails,
    "response_days": _whole(1, 365),
}
FORUM_FIELDS: dict[str, Cleaner] = {
    "title": _text(200, required=True),
    "kind": _choice(FORUM_KINDS),
    "date": _date,
    "province": _choice(PROVINCES, optional=True),
    "venue": _text(200),
}
CATEGORY_FIELDS: dict[str, Cleaner] = {
    "label_en": _text(120, required=True),
    "label_km": _text(120),
    "position": _whole(0, 1000),
    "active": _flag,
}
USER_FIELDS: dict[str, Cleaner] = {
    "name": _text(200),
    "role": _choice(ROLES),
    "language": _choice(LANGUAGES),
    "active": _flag,
}


def _clean(data: Mapping[str, Any], cleaners: Mapping[str, Cleaner], creating: bool) -> dict:
    """Clean the known fields given (all of them when creating), naming every bad one."""
    errors: Errors = {}
    cleaned: dict[str, Any] = {}
    for name, cleaner in cleaners.items():
        if name not in data and not creating:
            continue
        try:
            cleaned[name] = cleaner(data.get(name))
        except ValueError as exc:
            errors[name] = [str(exc)]
    if errors:
        raise ValidationFailed("Some fields are missing or invalid.", errors)
    return cleaned


def _check_agency_code(code: str | None, agency_id: int | None) -> None:
    if code is None:
        return
    if not CODE_PATTERN.match(code):
        raise ValidationFailed("Bad code.", {"code": ["Letters, digits, - and _ only."]})
    clash = db.session.scalar(select(Agency.id).where(func.upper(Agency.code) == code.upper()))
    if clash is not None and clash != agency_id:
        raise ValidationFailed("Code taken.", {"code": ["Another agency has this code."]})


def _save(row: Any, fields: Mapping[str, Any]) -> Any:
    """Set the cleaned fields on a row (new or not) and commit."""
    with unit_of_work():
        for name, value in fields.items():
            setattr(row, name, value)
        db.session.add(row)
    return row


def create_agency(actor: User, data: Mapping[str, Any]) -> Agency:
    """Add an agency cases can be referred to."""
    _require(access.is_admin(actor), "manage agencies")
    fields = _clean(data, AGENCY_FIELDS, creating=True)
    _check_agency_code(fields["code"], None)
    return _save(Agency(), fields)


def update_agency(actor: User, agency_id: int, data: Mapping[str, Any]) -> Agency:
    """Change an agency's code, names, contact emails or response time."""
    _require(access.is_admin(actor), "manage agencies")
    agency = _get(Agency, agency_id)
    fields = _clean(data, AGENCY_FIELDS, creating=False)
    _check_agency_code(fields.get("code"), agency.id)
    return _save(agency, fields)


def create_forum(actor: User, data: Mapping[str, Any]) -> Forum:
    """Add a forum (officers do it when they log its concerns)."""
    _require(access.can_manage_forums(actor), "manage forums")
    return _save(Forum(), _clean(data, FORUM_FIELDS, creating=True))


def update_forum(actor: User, forum_id: int, data: Mapping[str, Any]) -> Forum:
    """Change a forum's title, kind, date, province or venue."""
    _require(access.can_manage_forums(actor), "manage forums")
    forum = _get(Forum, forum_id)
    return _save(forum, _clean(data, FORUM_FIELDS, creating=False))


def update_category(actor: User, code: str, data: Mapping[str, Any]) -> Category:
    """Change a category's labels, position or whether it is offered."""
    _require(access.is_admin(actor), "manage categories")
    category = _get(Category, code)
    return _save(category, _clean(data, CATEGORY_FIELDS, creating=False))


def add_user(actor: User, data: Mapping[str, Any]) -> User:
    """Create a user account."""
    _require(access.is_admin(actor), "manage users")
    return create_user(
        str(data.get("email") or ""),
        str(data.get("password") or ""),
        str(data.get("role") or ""),
        name=str(data.get("name") or ""),
        agency_id=_as_id(data.get("agency_id")),
        organisation_id=_as_id(data.get("organisation_id")),
        language=str(data.get("language") or "en"),
    )


def update_user(actor: User, user_id: int, data: Mapping[str, Any]) -> User:
    """Change a user; disabling them or setting a password ends their sessions."""
    _require(access.is_admin(actor), "manage users")
    user = _get(User, user_id)
    fields = _clean(data, USER_FIELDS, creating=False)
    role = fields.get("role", user.role)
    agency_id = data.get("agency_id", user.agency_id)
    organisation_id = data.get("organisation_id", user.organisation_id)
    password = data.get("password") or ""
    errors = _membership_errors(role, agency_id, organisation_id)
    if password and len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = [f"Use at least {MIN_PASSWORD_LENGTH} characters."]
    if errors:
        raise ValidationFailed("The user could not be changed.", errors)
    if user.id == actor.id and (fields.get("active") is False or role != "admin"):
        raise ValidationFailed(
            "Not on yourself.", {"role": ["You cannot demote or disable yourself."]}
        )
    with unit_of_work():
        for name, value in fields.items():
            setattr(user, name, value)
        user.agency_id = agency_id if role == "agency" else None
        user.organisation_id = organisation_id if role == "representative" else None
        if password:
            user.password_hash = hash_password(password)
        if password or fields.get("active") is False:
            user.session_generation = (user.session_generation or 0) + 1
    return user


def _membership_errors(role: str, agency_id: Any, organisation_id: Any) -> Errors:
    """An agency user needs an existing agency, a representative an existing organisation."""
    errors: Errors = {}
    if role == "agency" and _missing(Agency, agency_id):
        errors["agency_id"] = ["An agency user needs an agency."]
    if role == "representative" and _missing(Organisation, organisation_id):
        errors["organisation_id"] = ["A representative needs an organisation."]
    return errors


def _as_id(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _missing(model: type, key: Any) -> bool:
    return isinstance(key, bool) or not isinstance(key, int) or db.session.get(model, key) is None


def _get(model: type, key: Any) -> Any:
    row = db.session.get(model, key)
    if row is None:
        raise NotFound(f"No {model.__name__.lower()} {key}.")
    return row
