"""Admin use cases for reference data: agencies, organisations, forums and categories."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tracker import access
from tracker.codes import FORUM_KINDS, PROVINCES
from tracker.extensions import db
from tracker.field_spec import is_email_address
from tracker.models import Agency, Category, Forum, Organisation, User
from tracker.services.audit import record_admin_action
from tracker.services.errors import NotFound, PermissionDenied, ValidationFailed
from tracker.services.text_checks import (
    CONTROL_MESSAGE,
    has_control_characters,
    whole_number_text,
)
from tracker.services.unit_of_work import unit_of_work

Cleaner = Callable[[Any], Any]
_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


def text(limit: int, *, required: bool = False) -> Cleaner:
    """A single line of at most ``limit`` characters (blank refused when required)."""

    def clean(value: Any) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise ValueError("Must be text.")
        value = value.strip()
        if required and not value:
            raise ValueError("This field may not be blank.")
        if has_control_characters(value):
            raise ValueError(CONTROL_MESSAGE)
        if len(value) > limit:
            raise ValueError(f"One line of at most {limit} characters.")
        return value

    return clean


def choice(table: Mapping[str, Any], *, optional: bool = False) -> Cleaner:
    """One of the codes of a table (or empty, when optional)."""

    def clean(value: Any) -> str | None:
        if optional and value in (None, ""):
            return None
        if value not in table:
            raise ValueError(f"Must be one of: {', '.join(table)}.")
        return value

    return clean


def whole_number(low: int, high: int) -> Cleaner:
    """An integer in [low, high]; digits in a string are accepted (web forms)."""

    def clean(value: Any) -> int:
        if isinstance(value, str):
            value = whole_number_text(value)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"Must be a whole number from {low} to {high}.")
        return value

    return clean


def agency_code(value: Any) -> str:
    """A short code of letters, digits, '-' and '_'."""
    if not isinstance(value, str) or not _CODE.match(value.strip()):
        raise ValueError("Use 1 to 32 letters, digits, '-' or '_'.")
    return value.strip().upper()


def email_list(value: Any) -> list[str]:
    """Up to 10 addresses, as a list or separated by commas or new lines."""
    if isinstance(value, str):
        value = [v for v in re.split(r"[,\n]", value) if v.strip()]
    if not isinstance(value, list) or len(value) > 10:
        raise ValueError("Give up to 10 email addresses.")
    emails = [v.strip() if isinstance(v, str) else v for v in value]
    if not all(isinstance(e, str) and is_email_address(e) for e in emails):
        raise ValueError("Enter valid email addresses.")
    return emails


def calendar_date(value: Any) -> date:
    """A date, or its ISO text (YYYY-MM-DD), between 2000 and 2100."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("Enter a date as YYYY-MM-DD.") from None
    if not isinstance(value, date) or not 2000 <= value.year <= 2100:
        raise ValueError("Enter a date between 2000 and 2100.")
    return value


def flag(value: Any) -> bool:
    """A checkbox or JSON boolean."""
    return value in (True, "y", "on", "true", "1", 1)


@dataclass(frozen=True)
class Resource:
    """How to check one kind of reference record: who may edit it, cleaners, required fields."""

    model: type
    label: str
    cleaners: Mapping[str, Cleaner]
    required: tuple[str, ...]
    unique: tuple[str, ...] = ()
    may_edit: Callable[[User], bool] = access.is_admin


AGENCIES = Resource(
    Agency,
    "agency",
    {
        "code": agency_code,
        "name_en": text(200, required=True),
        "name_km": text(200),
        "contact_emails": email_list,
        "response_days": whole_number(1, 365),
    },
    required=("code", "name_en"),
    unique=("code",),
)
ORGANISATIONS = Resource(
    Organisation,
    "organisation",
    {"name": text(200, required=True), "kind": text(40, required=True)},
    required=("name",),
    unique=("name",),
)
FORUMS = Resource(
    Forum,
    "forum",
    {
        "title": text(200, required=True),
        "kind": choice(FORUM_KINDS),
        "date": calendar_date,
        "province": choice(PROVINCES, optional=True),
        "venue": text(200),
    },
    required=("title", "date"),
    may_edit=access.can_manage_forums,  # officers add the forum whose concerns they log
)
CATEGORIES = Resource(
    Category,
    "category",
    {
        "label_en": text(120, required=True),
        "label_km": text(120),
        "position": whole_number(0, 1000),
        "active": flag,
    },
    required=("label_en",),
)


def clean_record(
    resource: Resource, data: Mapping[str, Any], *, creating: bool, current: Any = None
) -> dict[str, Any]:
    """Return cleaned fields or raise ValidationFailed naming every bad field."""
    errors = {
        name: ["Unknown or read-only field."] for name in data if name not in resource.cleaners
    }
    cleaned: dict[str, Any] = {}
    for name, clean in resource.cleaners.items():
        if name in data:
            try:
                cleaned[name] = clean(data[name])
            except ValueError as exc:
                errors[name] = [str(exc)]
        elif creating and name in resource.required:
            errors[name] = ["This field is required."]
    for name in resource.unique:
        if (
            name in cleaned
            and name not in errors
            and _taken(resource, name, cleaned[name], current)
        ):
            errors[name] = [f"Another {resource.label} already has this {name}."]
    if errors:
        raise ValidationFailed(f"The {resource.label} could not be saved.", errors)
    return cleaned


def _taken(resource: Resource, name: str, value: str, current: Any) -> bool:
    column = getattr(resource.model, name)
    query = select(resource.model.id).where(func.lower(column) == value.lower())
    if current is not None:
        query = query.where(resource.model.id != current.id)
    return db.session.scalar(query) is not None


def editable(actor: User, resource: Resource, record_id: Any) -> Any:
    """The record to change (None when creating), if the actor may edit this kind."""
    if not resource.may_edit(actor):
        raise PermissionDenied(f"You may not change {resource.label} records.")
    if record_id is None:
        return None
    record = db.session.get(resource.model, record_id)
    if record is None:
        raise NotFound(f"No {resource.label} {record_id}.")
    return record


def save_record(
    actor: User,
    resource: Resource,
    data: Mapping[str, Any],
    record_id: Any,
    *,
    ip: str | None = None,
):
    """Create (record_id None) or update a record as an admin; audited; commit once."""
    record = editable(actor, resource, record_id)
    creating = record is None
    cleaned = clean_record(resource, data, creating=creating, current=record)
    try:
        with unit_of_work():
            record = record or resource.model()
            for name, value in cleaned.items():
                setattr(record, name, value)
            db.session.add(record)
            db.session.flush()
            action = f"{resource.label}_{'created' if creating else 'changed'}"
            record_admin_action(
                actor, action, _target(resource, record), ip=ip, details=audit_details(cleaned)
            )
    except IntegrityError:
        raise ValidationFailed(
            f"The {resource.label} could not be saved.",
            {name: ["Already in use."] for name in resource.unique},
        ) from None
    return record


def _target(resource: Resource, record: Any) -> str:
    """How the trail names a record: its kind and key."""
    key = getattr(record, "id", None) or getattr(record, "code", "")
    return f"{resource.label} {key}"


def audit_details(cleaned: Mapping[str, Any]) -> dict[str, Any]:
    """The fields an admin set, as plain JSON values (dates as ISO text)."""
    plain = (str, int, float, bool, list, type(None))
    return {"fields": {k: v if isinstance(v, plain) else str(v) for k, v in cleaned.items()}}


def create_agency(actor: User, data: Mapping[str, Any], *, ip: str | None = None) -> Agency:
    """Add an agency cases can be referred to."""
    return save_record(actor, AGENCIES, data, None, ip=ip)


def update_agency(
    actor: User, agency_id: int, data: Mapping[str, Any], *, ip: str | None = None
) -> Agency:
    """Change an agency's code, names, contacts or response time."""
    return save_record(actor, AGENCIES, data, agency_id, ip=ip)


def create_organisation(
    actor: User, data: Mapping[str, Any], *, ip: str | None = None
) -> Organisation:
    """Add an organisation whose representatives raise concerns."""
    return save_record(actor, ORGANISATIONS, data, None, ip=ip)


def update_organisation(
    actor: User, organisation_id: int, data: Mapping[str, Any], *, ip: str | None = None
) -> Organisation:
    """Rename an organisation or change its kind."""
    return save_record(actor, ORGANISATIONS, data, organisation_id, ip=ip)


def create_forum(actor: User, data: Mapping[str, Any], *, ip: str | None = None) -> Forum:
    """Add a forum where concerns were collected."""
    return save_record(actor, FORUMS, data, None, ip=ip)


def update_forum(
    actor: User, forum_id: int, data: Mapping[str, Any], *, ip: str | None = None
) -> Forum:
    """Change a forum's title, kind, date, province or venue."""
    return save_record(actor, FORUMS, data, forum_id, ip=ip)


def update_category(
    actor: User, code: str, data: Mapping[str, Any], *, ip: str | None = None
) -> Category:
    """Change a category's labels, position or whether it is offered."""
    return save_record(actor, CATEGORIES, data, code, ip=ip)
