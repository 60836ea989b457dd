"""Case requests and responses (field names as in PRODUCT.md "Case JSON")."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from tracker.codes import GENDER_FOCUS, PRIORITIES, PROVINCES
from tracker.field_spec import CASE_FIELDS, PUBLIC_TEXT_FIELDS, FieldSpec, is_email_address
from tracker.schemas.common import (
    PageArgsSchema,
    Text,
    WholeNumber,
    moment,
    optional_copy,
    page_schema,
    record_id,
)
from tracker.services.case_queries import SORTABLE


def _one_of(table: Any) -> validate.OneOf:
    return validate.OneOf(list(table))


def _email(value: str | None) -> None:
    if value and not is_email_address(value.strip()):
        raise ValidationError("Enter a valid email address.")


def _schema_field(spec: FieldSpec) -> fields.Field:
    """The marshmallow field that loads one case field as ``tracker.field_spec`` describes it."""
    if spec.kind == "record":
        return record_id(allow_none=True)
    if spec.kind == "flag":
        return fields.Boolean()
    if spec.kind == "count":
        return WholeNumber(allow_none=True, validate=validate.Range(spec.low, spec.high))
    checks: list = []
    if spec.kind == "code":
        checks.append(_one_of(spec.choices or {}))
    elif spec.max_length is not None:
        checks.append(validate.Length(1 if spec.required else 0, spec.max_length))
    if spec.kind == "email":
        checks.append(_email)
    return Text(
        required=spec.required, allow_none=not spec.required and spec.blank, validate=checks
    )


CaseFieldsSchema = Schema.from_dict(
    {name: _schema_field(spec) for name, spec in CASE_FIELDS.items()}, name="CaseFieldsSchema"
)
CaseFieldsSchema.__doc__ = "A case's own fields: title, description and category are required."


class CaseCreateSchema(CaseFieldsSchema):  # type: ignore[misc,valid-type]
    """A new concern: title, description and category are required."""

    workflow = Text(
        validate=validate.Length(1, 40),
        metadata={"description": "The workflow to follow (GET /api/v1/workflows); default case."},
    )


CaseUpdateSchema = optional_copy(
    CaseFieldsSchema,
    "CaseUpdateSchema",
    "Changes to a case; owner_id must be an active officer or admin.",
    owner_id=record_id(),
)


class CaseSchema(Schema):
    """A case as the caller may see it; personal fields are null unless they may see them."""

    reference = fields.String(required=True, metadata={"example": "GRV-2026-00042"})
    title = fields.String(required=True)
    description = fields.String(required=True)
    category = fields.String(required=True)
    forum_id = fields.Integer(required=True, allow_none=True)
    organisation_id = fields.Integer(required=True, allow_none=True)
    raised_by_name = fields.String(required=True, allow_none=True)
    raised_by_email = fields.String(required=True, allow_none=True)
    raised_by_phone = fields.String(required=True, allow_none=True)
    affected_group = fields.String(required=True, allow_none=True)
    gender_focus = fields.String(required=True)
    people_affected = fields.Integer(required=True, allow_none=True)
    province = fields.String(required=True, allow_none=True)
    priority = fields.String(required=True)
    language = fields.String(required=True)
    channel = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "How the raiser is told: email, telegram, sms or none (null where "
            "the caller may not see the raiser's contact)."
        },
    )
    owner_id = fields.Integer(required=True, allow_none=True)
    agency_id = fields.Integer(required=True, allow_none=True)
    workflow = fields.String(required=True)
    state = fields.String(required=True)
    due_at = fields.AwareDateTime(required=True, allow_none=True)
    outcome = fields.String(required=True, allow_none=True)
    public_summary = fields.String(
        required=True,
        metadata={"description": "The case in a few public words; public once approved."},
    )
    public_summary_approved = fields.Boolean(required=True)
    consent_share = fields.Boolean(
        required=True,
        metadata={
            "description": "Whether the (first) raiser agreed that the agencies see their name "
            "and contact."
        },
    )
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)
    version = fields.Integer(required=True)
    available_transitions = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "The triggers the caller may fire now."},
    )


class CreatedCaseSchema(CaseSchema):
    """The logged case; ``access_code`` is shown in this first answer only."""

    access_code = fields.String(
        metadata={"description": "Shown once; absent when an Idempotency-Key retry is replayed."}
    )


CasePageSchema = page_schema(CaseSchema, "CasePageSchema")


class CaseListArgsSchema(PageArgsSchema):
    """Filters, full-text search and sorting of the case list."""

    state = Text(validate=validate.Length(1, 20), metadata={"description": "A state name."})
    category = Text(validate=validate.Length(1, CASE_FIELDS["category"].max_length))
    province = Text(validate=_one_of(PROVINCES))
    agency_id = record_id(query=True)
    owner_id = record_id(query=True)
    forum_id = record_id(query=True)
    organisation_id = record_id(query=True)
    gender_focus = Text(validate=_one_of(GENDER_FOCUS))
    priority = Text(validate=_one_of(PRIORITIES))
    overdue = fields.Boolean()
    due_before = moment()
    due_after = moment()
    q = Text(
        validate=validate.Length(1, 200),
        metadata={"description": "Words in the title or description, or a reference."},
    )
    cursor = Text(
        validate=validate.Length(1, 500),
        metadata={"description": "The `next` of the page before: the page after it (keyset)."},
    )
    sort = Text(
        load_default="-created_at",
        validate=validate.OneOf([*SORTABLE, *(f"-{name}" for name in SORTABLE)]),
        metadata={"description": "A field name; prefix '-' for descending."},
    )


class EventSchema(Schema):
    """One entry of the case's audit trail."""

    id = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"example": "transition"})
    trigger = fields.String(required=True, allow_none=True)
    from_state = fields.String(required=True, allow_none=True)
    to_state = fields.String(required=True, allow_none=True)
    actor_id = fields.Integer(required=True, allow_none=True)
    actor_label = fields.String(required=True)
    note = fields.String(
        required=True, allow_none=True, metadata={"description": "Null when internal to you."}
    )
    at = fields.AwareDateTime(required=True)
    public = fields.Boolean(required=True)
    data = fields.Dict(required=True)


EventPageSchema = page_schema(EventSchema, "EventPageSchema")


class PublicSummarySchema(Schema):
    """The public summary of the case; ``approve`` (officers, admins) makes it public."""

    public_summary = Text(
        required=True,
        validate=validate.Length(0, PUBLIC_TEXT_FIELDS["public_summary"].max_length),
    )
    approve = fields.Boolean(load_default=False)


class CommentCreateSchema(Schema):
    """A comment or more information; ``internal`` notes are for staff and the agency."""

    body = Text(required=True, validate=validate.Length(1, 10000))
    internal = fields.Boolean(load_default=False)


class CommentSchema(Schema):
    """A comment as stored."""

    id = fields.Integer(required=True)
    body = fields.String(required=True)
    internal = fields.Boolean(required=True)
    author_id = fields.Integer(required=True, allow_none=True)
    created_at = fields.AwareDateTime(required=True)
