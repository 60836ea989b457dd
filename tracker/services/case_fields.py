"""Check and normalise the editable fields of a case, whoever sends them (API, web, CLI, import)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select

from tracker.codes import CODE_TABLES_BY_FIELD
from tracker.extensions import db
from tracker.models import Category, Forum, Organisation
from tracker.services.errors import ValidationFailed
from tracker.services.text_checks import CONTROL_MESSAGE, has_control_characters

REQUIRED_ON_CREATE = ("title", "description", "category")
TEXT_LIMITS = {
    "title": 300,
    "description": 20000,
    "raised_by_name": 200,
    "raised_by_email": 254,
    "raised_by_phone": 40,
}
CODE_FIELDS = CODE_TABLES_BY_FIELD
EDITABLE_FIELDS = (
    *TEXT_LIMITS,
    *CODE_FIELDS,
    "category",
    "forum_id",
    "organisation_id",
    "people_affected",
)


def clean_case_fields(data: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
    """Return the cleaned fields, or raise ValidationFailed naming every bad or missing field."""
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(data) - set(EDITABLE_FIELDS))
    for name in unknown:
        errors[name] = ["Unknown or read-only field."]
    cleaned: dict[str, Any] = {}
    for name in EDITABLE_FIELDS:
        if name not in data:
            continue
        try:
            cleaned[name] = _CLEANERS[name](data[name])
        except ValueError as exc:
            errors[name] = [str(exc)]
    if creating:
        for name in REQUIRED_ON_CREATE:
            if not cleaned.get(name) and name not in errors:
                errors[name] = ["This field is required."]
    else:
        for name in REQUIRED_ON_CREATE:
            if name in cleaned and not cleaned[name] and name not in errors:
                errors[name] = ["This field may not be blank."]
    if errors:
        raise ValidationFailed("Some fields are missing or invalid.", errors)
    return cleaned


def _clean_text(name: str) -> Callable[[Any], str]:
    limit = TEXT_LIMITS[name]

    def clean(value: Any) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            raise ValueError("Must be text.")
        value = value.strip()
        if len(value) > limit:
            raise ValueError(f"At most {limit} characters.")
        if (
            name == "raised_by_email"
            and value
            and ("@" not in value or any(c in value for c in "\r\n <>,;"))
        ):
            raise ValueError("Enter a valid email address.")
        if name in {"title", "raised_by_name", "raised_by_phone"} and any(
            c in value for c in "\r\n"
        ):
            raise ValueError("Must be a single line.")
        if has_control_characters(value, multiline=name == "description"):
            raise ValueError(CONTROL_MESSAGE)
        return value

    return clean


def _code_cleaner(name: str) -> Callable[[Any], str | None]:
    table = CODE_FIELDS[name]

    def clean(value: Any) -> str | None:
        if value in (None, "") and name in {"affected_group", "province"}:
            return None
        if value not in table:
            raise ValueError(f"Must be one of: {', '.join(table)}.")
        return value

    return clean


def _clean_category(value: Any) -> str:
    if value in (None, ""):
        return ""
    if (
        not isinstance(value, str)
        or has_control_characters(value)
        or not db.session.scalar(
            select(Category.code).where(Category.code == value, Category.active.is_(True))
        )
    ):
        raise ValueError("Unknown category.")
    return value


def _id_cleaner(model: type) -> Callable[[Any], int | None]:
    def clean(value: Any) -> int | None:
        if value in (None, ""):
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or db.session.get(model, value) is None
        ):
            raise ValueError(f"No such {model.__name__.lower()}.")
        return value

    return clean


def _clean_people(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10_000_000:
        raise ValueError("Must be a whole number from 0 to 10,000,000.")
    return value


_CLEANERS: dict[str, Callable[[Any], Any]] = {
    **{name: _clean_text(name) for name in TEXT_LIMITS},
    **{name: _code_cleaner(name) for name in CODE_FIELDS},
    "category": _clean_category,
    "forum_id": _id_cleaner(Forum),
    "organisation_id": _id_cleaner(Organisation),
    "people_affected": _clean_people,
}
