"""Check and normalise the editable fields of a case, whoever sends them (API, web, CLI, import).

The limits, choices and the email rule come from ``tracker.field_spec``; this module adds what
needs the database (active categories, existing forums and organisations).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select

from tracker.extensions import db
from tracker.field_spec import CASE_FIELDS, REQUIRED_ON_CREATE, FieldSpec, is_email_address
from tracker.models import Category, Forum, Organisation
from tracker.raiser_channel import channel_problem
from tracker.services.errors import ValidationFailed
from tracker.services.text_checks import CONTROL_MESSAGE, has_control_characters

EDITABLE_FIELDS = tuple(CASE_FIELDS)


_CONTACT = ("channel", "raised_by_email", "raised_by_phone")


def clean_case_fields(
    data: Mapping[str, Any], *, creating: bool, current: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Return the cleaned fields, or raise ValidationFailed naming every bad or missing field.

    ``current`` (an edit): the case's contact fields, so a chosen channel is checked against
    the contact it will have after the change.
    """
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
    if not any(name in errors for name in _CONTACT) and any(n in cleaned for n in _CONTACT):
        after = {**(current or {}), **cleaned}
        problem = channel_problem(
            after.get("channel"), after.get("raised_by_email"), after.get("raised_by_phone")
        )
        if problem:
            errors["channel"] = [problem]
    if errors:
        raise ValidationFailed("Some fields are missing or invalid.", errors)
    return cleaned


def _clean_text(spec: FieldSpec) -> Callable[[Any], str]:
    limit = spec.max_length

    def clean(value: Any) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            raise ValueError("Must be text.")
        value = value.strip()
        if limit is not None and len(value) > limit:
            raise ValueError(f"At most {limit} characters.")
        if spec.kind == "email" and value and not is_email_address(value):
            raise ValueError("Enter a valid email address.")
        if not spec.multiline and any(c in value for c in "\r\n"):
            raise ValueError("Must be a single line.")
        if has_control_characters(value, multiline=spec.multiline):
            raise ValueError(CONTROL_MESSAGE)
        return value

    return clean


def _code_cleaner(spec: FieldSpec) -> Callable[[Any], str | None]:
    table = spec.choices or {}

    def clean(value: Any) -> str | None:
        if value in (None, "") and spec.blank:
            return None
        if value not in table:
            raise ValueError(f"Must be one of: {', '.join(table)}.")
        return value

    return clean


def _clean_category(spec: FieldSpec) -> Callable[[Any], str]:
    def clean(value: Any) -> str:
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

    return clean


_RECORDS = {"Forum": Forum, "Organisation": Organisation}


def _whole_number(value: Any, fits: Callable[[int], bool], message: str) -> int | None:
    """A whole number (not a boolean) that fits, blank as None; else ValueError(message)."""
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not fits(value):
        raise ValueError(message)
    return value


def _id_cleaner(spec: FieldSpec) -> Callable[[Any], int | None]:
    model = _RECORDS[spec.record or ""]
    message = f"No such {model.__name__.lower()}."
    return lambda value: _whole_number(
        value, lambda v: db.session.get(model, v) is not None, message
    )


def _count_cleaner(spec: FieldSpec) -> Callable[[Any], int | None]:
    message = f"Must be a whole number from {spec.low:,} to {spec.high:,}."
    return lambda value: _whole_number(value, lambda v: spec.low <= v <= spec.high, message)


_TRUE = frozenset({"true", "yes", "1", "on", "y"})
_FALSE = frozenset({"false", "no", "0", "off", "n", ""})


def clean_flag(value: Any) -> bool:
    """True or false; the words a file or a form sends for them too (blank: false)."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    word = value.strip().lower() if isinstance(value, str) else None
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError("Must be true or false.")


_BY_KIND: dict[str, Callable[[FieldSpec], Callable[[Any], Any]]] = {
    "text": _clean_text,
    "email": _clean_text,
    "code": _code_cleaner,
    "category": _clean_category,
    "record": _id_cleaner,
    "count": _count_cleaner,
    "flag": lambda spec: clean_flag,
}
_CLEANERS: dict[str, Callable[[Any], Any]] = {
    name: _BY_KIND[spec.kind](spec) for name, spec in CASE_FIELDS.items()
}
