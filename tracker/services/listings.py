"""Read reference records and people (any signed-in user), and register users (admins)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from tracker import access
from tracker.extensions import db
from tracker.models import User
from tracker.services.admin import text
from tracker.services.case_queries import Page, paged
from tracker.services.errors import NotFound, PermissionDenied, ValidationFailed
from tracker.services.user_admin import add_user

# Names go into email headers: one line, bounded (no "\r\nBcc:" smuggling).
single_line_name = text(200)
USER_FIELDS = ("email", "name", "role", "password", "agency_id", "organisation_id", "language")


def page_of(model: type, *, page: int = 1, per_page: int = 25) -> Page:
    """One page of a model's rows in id order, and their total."""
    return paged(select(model), [model.id], page=page, per_page=per_page)


def get_record(model: type, record_id: int, label: str) -> Any:
    """The row with this id, or NotFound."""
    record = db.session.get(model, record_id)
    if record is None:
        raise NotFound(f"No {label} {record_id}.")
    return record


def user_view(actor: User, user: User) -> dict[str, Any]:
    """A user as the actor may see them: the email only for staff and the user themselves."""
    return {
        "id": user.id,
        "email": user.email if access.can_see_user_contact(actor, user) else None,
        "name": user.name,
        "role": user.role,
        "agency_id": user.agency_id,
        "organisation_id": user.organisation_id,
        "language": user.language,
        "active": user.active,
    }


def register_user(actor: User, data: Mapping[str, Any], *, ip: str | None = None) -> User:
    """Create a user as an admin (no password: an invitation); every bad field is named."""
    if not access.is_admin(actor):
        raise PermissionDenied("Only admins may create users.")
    unknown = {name: ["Unknown or read-only field."] for name in data if name not in USER_FIELDS}
    wrong_type = {
        name: ["Must be text."]
        for name in ("email", "name", "role", "password", "language")
        if name in data and not isinstance(data[name], str)
    }
    missing = {name: ["This field is required."] for name in ("email", "role") if name not in data}
    errors = {**missing, **wrong_type, **unknown}
    name = ""
    if "name" not in errors:
        try:
            name = single_line_name(data.get("name"))
        except ValueError as exc:
            errors["name"] = [str(exc)]
    if errors:
        raise ValidationFailed("The user could not be created.", errors)
    return add_user(actor, {**data, "name": name}, ip=ip)
