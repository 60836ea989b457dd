"""Fields and schemas every API resource uses: safe text, whole numbers, pages, problems."""

from __future__ import annotations

import copy
from datetime import UTC
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

MAX_ID = 2_147_483_647
MAX_PAGE = 100_000
MAX_PER_PAGE = 100


class Text(fields.String):
    """A string the databases can store: no NUL characters, no lone surrogates."""

    default_error_messages = {  # noqa: RUF012
        "unstorable": "Must not contain NUL characters or invalid Unicode.",
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise self.make_error("unstorable") from None
        if "\x00" in text:
            raise self.make_error("unstorable")
        return text


class WholeNumber(fields.Integer):
    """An integer given as a JSON number: no strings, floats or booleans (body fields)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)


def record_id(*, query: bool = False, **kwargs: Any) -> fields.Integer:
    """A positive database id (in a query string, digits are read as a number)."""
    kind = fields.Integer if query else WholeNumber
    return kind(validate=validate.Range(1, MAX_ID), **kwargs)


def _reasonable_year(value: Any) -> None:
    if not 1900 <= value.year <= 2200:
        raise ValidationError("Use a year between 1900 and 2200.")


def moment(**kwargs: Any) -> fields.AwareDateTime:
    """An ISO 8601 date-time; without an offset it is taken as UTC."""
    return fields.AwareDateTime(default_timezone=UTC, validate=_reasonable_year, **kwargs)


class ProblemSchema(Schema):
    """RFC 9457 problem details, as every API error answers."""

    type = fields.String(required=True, metadata={"description": "A URI naming the problem."})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True, metadata={"description": "What went wrong, for humans."})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Messages per field, for validation errors."},
    )
    allowed = fields.List(
        fields.String(), metadata={"description": "409: the triggers the caller may fire now."}
    )
    current_version = fields.Integer(
        allow_none=True, metadata={"description": "412: the case's current version."}
    )


class PageArgsSchema(Schema):
    """Paging of a list: ``page`` from 1, ``per_page`` up to 100."""

    page = fields.Integer(load_default=1, validate=validate.Range(1, MAX_PAGE))
    per_page = fields.Integer(load_default=25, validate=validate.Range(1, MAX_PER_PAGE))


class PageSchema(Schema):
    """The paging envelope around ``items``."""

    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(
        required=True,
        metadata={
            "description": "All matches you may see: exact up to a limit (LIST_EXACT_COUNT_LIMIT; "
            "with q, LIST_EXACT_SEARCH_COUNT_LIMIT), an estimate beyond it (then "
            "total_is_estimate is true)."
        },
    )
    total_is_estimate = fields.Boolean(
        required=True, metadata={"description": "True when total is an estimate, not a count."}
    )
    pages = fields.Integer(required=True)
    next = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "Pass as `cursor` for the page after this one (faster than `page` "
            "deep in a list); null on the last page."
        },
    )


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """A page schema whose ``items`` are ``item``."""
    return type(
        name,
        (PageSchema,),
        {
            "__doc__": f"One page of {item.__name__.removesuffix('Schema').lower()} records.",
            "items": fields.List(fields.Nested(item), required=True),
        },
    )


def page_body(page: Any, items: list[Any]) -> dict[str, Any]:
    """The envelope of a service Page with its items already viewed."""
    return {
        "items": items,
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "total_is_estimate": getattr(page, "total_is_estimate", False),
        "pages": page.pages,
        "next": getattr(page, "next_cursor", None),
    }


def optional_copy(schema: type[Schema], name: str, doc: str, **extra: fields.Field) -> type[Schema]:
    """The same fields with none required, plus ``extra`` (for PATCH bodies)."""
    declared = {}
    for field_name, field in schema._declared_fields.items():
        declared[field_name] = copy.deepcopy(field)
        declared[field_name].required = False
    made = Schema.from_dict({**declared, **extra}, name=name)
    made.__doc__ = doc
    return made
