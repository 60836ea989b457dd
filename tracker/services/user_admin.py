"""Admin use cases for people: invite or create users, change roles, disable, set passwords."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tracker.codes import LANGUAGES
from tracker.extensions import db
from tracker.models import ROLES, Agency, Organisation, User
from tracker.services.admin import (
    Resource,
    audit_details,
    choice,
    clean_record,
    editable,
    flag,
    text,
)
from tracker.services.audit import record_admin_action
from tracker.services.credentials import revoke_credentials, set_password
from tracker.services.errors import ValidationFailed
from tracker.services.passwords import password_problems
from tracker.services.text_checks import MAX_ID, whole_number_text
from tracker.services.unit_of_work import unit_of_work
from tracker.services.users import create_user

USERS = Resource(
    User,
    "user",
    {
        "name": text(200),
        "role": choice(ROLES),
        "language": choice(LANGUAGES),
        "active": flag,
        "agency_id": lambda value: _as_id(value),
        "organisation_id": lambda value: _as_id(value),
        "password": lambda value: value if isinstance(value, str) else "",
    },
    required=(),
)


def add_user(actor: User, data: Mapping[str, Any], *, ip: str | None = None) -> User:
    """Create a user account as an admin: with a password (scripts), else by invitation."""
    editable(actor, USERS, None)
    password = data.get("password")
    return create_user(
        str(data.get("email") or ""),
        password if isinstance(password, str) and password else None,
        str(data.get("role") or ""),
        name=str(data.get("name") or ""),
        agency_id=_as_id(data.get("agency_id")),
        organisation_id=_as_id(data.get("organisation_id")),
        language=str(data.get("language") or "en"),
        actor=actor,
        ip=ip,
    )


def update_user(
    actor: User, user_id: int, data: Mapping[str, Any], *, ip: str | None = None
) -> User:
    """Change a user; a new password, role or membership, or disabling, ends their sessions and
    tokens (one credential service)."""
    user = editable(actor, USERS, user_id)
    fields = clean_record(USERS, data, creating=False, current=user)
    role = fields.get("role", user.role)
    agency_id = fields.get("agency_id", user.agency_id)
    organisation_id = fields.get("organisation_id", user.organisation_id)
    password = fields.pop("password", "")
    errors = _membership_errors(role, agency_id, organisation_id)
    problems = password_problems(password) if password else []
    if problems:
        errors["password"] = problems
    if user.id == actor.id and (fields.get("active") is False or role != "admin"):
        errors["role"] = ["You cannot demote or disable yourself."]
    if errors:
        raise ValidationFailed("The user could not be changed.", errors)
    agency_id = agency_id if role == "agency" else None
    organisation_id = organisation_id if role == "representative" else None
    # What the user may see changes with the role or the agency/organisation: start afresh.
    scope = (role, agency_id, organisation_id)
    scope_changed = scope != (user.role, user.agency_id, user.organisation_id)
    ends_credentials = scope_changed or (user.active and fields.get("active") is False)
    with unit_of_work():
        for name, value in fields.items():
            setattr(user, name, value)
        user.agency_id, user.organisation_id = agency_id, organisation_id
        if password:
            set_password(user, password)
            record_admin_action(actor, "password_set", user.email, ip=ip)
        elif ends_credentials:
            revoke_credentials(user)
        record_admin_action(actor, "user_changed", user.email, ip=ip, details=audit_details(fields))
    return user


def _membership_errors(role: str, agency_id: Any, organisation_id: Any) -> dict[str, list[str]]:
    """An agency user needs an existing agency, a representative an existing organisation."""
    errors: dict[str, list[str]] = {}
    if role == "agency" and (agency_id is None or db.session.get(Agency, agency_id) is None):
        errors["agency_id"] = ["An agency user needs an agency."]
    if role == "representative" and (
        organisation_id is None or db.session.get(Organisation, organisation_id) is None
    ):
        errors["organisation_id"] = ["A representative needs an organisation."]
    return errors


def _as_id(value: Any) -> int | None:
    if isinstance(value, str):
        return whole_number_text(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 < value <= MAX_ID else None
