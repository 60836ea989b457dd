"""Tokens, the public lookup, reports and workflow definitions."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from tracker.field_spec import FEEDBACK_ANSWERS, FEEDBACK_COMMENT
from tracker.schemas.common import Text
from tracker.services.reports import DIMENSIONS


class TokenRequestSchema(Schema):
    """Credentials to exchange for a bearer token."""

    email = Text(required=True, validate=validate.Length(1, 254))
    password = Text(required=True, load_only=True, validate=validate.Length(1, 1000))


class TokenSchema(Schema):
    """A bearer token: send it as ``Authorization: Bearer <token>``."""

    token = fields.String(required=True)
    token_type = fields.String(required=True, metadata={"example": "Bearer"})
    expires_at = fields.AwareDateTime(required=True)


class PublicLookupArgsSchema(Schema):
    """The access code given when the case was logged."""

    access_code = Text(required=True, validate=validate.Length(1, 100))


PublicLookupBodySchema = PublicLookupArgsSchema


class PublicLookupQuerySchema(Schema):
    """The access code in the query string (kept for old clients; prefer the header or POST)."""

    access_code = Text(
        validate=validate.Length(1, 100),
        metadata={"description": "Deprecated: lands in access logs. Use X-Access-Code or POST."},
    )


class PublicEventSchema(Schema):
    """A public step of the case: what happened and when."""

    at = fields.AwareDateTime(required=True)
    kind = fields.String(required=True)
    trigger = fields.String(required=True, allow_none=True)
    from_state = fields.String(required=True, allow_none=True)
    to_state = fields.String(required=True, allow_none=True)


class PublicCaseSchema(Schema):
    """The public status of a case: no names, contacts or notes."""

    reference = fields.String(required=True)
    state = fields.String(required=True)
    category = fields.String(required=True)
    outcome = fields.String(required=True, allow_none=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)
    due_at = fields.AwareDateTime(required=True, allow_none=True)
    resolution_public = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "The answer written for the public at closing (null: open)."},
    )
    agency = fields.String(
        required=True, allow_none=True, metadata={"description": "The agency that answered."}
    )
    working_days = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "Working days from logging to closing (null: open)."},
    )
    timeline = fields.List(fields.Nested(PublicEventSchema), required=True)
    merged_into = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "The case this one was merged into as a duplicate (null: not)."},
    )


class FeedbackBodySchema(Schema):
    """ "Was it resolved?" with the case's access code."""

    access_code = Text(required=True, validate=validate.Length(1, 100))
    resolved = Text(required=True, validate=validate.OneOf(FEEDBACK_ANSWERS))
    comment = Text(
        load_default="", allow_none=True, validate=validate.Length(0, FEEDBACK_COMMENT.max_length)
    )


class FeedbackSchema(Schema):
    """The recorded answer; ``appeal_until`` is the last day to complain to the Regulator."""

    reference = fields.String(required=True)
    resolved = fields.String(required=True)
    comment = fields.String(required=True)
    appeal_until = fields.Date(
        required=True,
        allow_none=True,
        metadata={
            "description": "When the answer is no: the last day of the 30 working days after "
            "the closure to complain to the Social Security Regulator (Decision 017 FSA.SSR)."
        },
    )


class SummaryArgsSchema(Schema):
    """One dimension, or two separated by a comma."""

    by = Text(
        required=True,
        validate=validate.Length(1, 60),
        metadata={"description": f"One or two of: {', '.join(DIMENSIONS)}", "example": "category"},
    )


class SummarySchema(Schema):
    """Counts of the cases you may see; agency and forum rows carry ids."""

    by = fields.List(fields.String(), required=True)
    rows = fields.List(
        fields.Dict(),
        required=True,
        metadata={"example": [{"category": "maternity", "count": 12}]},
    )
    total = fields.Integer(required=True)
    anonymous = fields.Integer(
        required=True,
        metadata={"description": "Of the total, the concerns raised with no name or contact."},
    )


class WorkflowTransitionSchema(Schema):
    """One trigger as in a definition file (docs/workflows.md explains every key)."""

    trigger = fields.String(required=True)
    from_ = fields.List(fields.String(), required=True, data_key="from", attribute="from")
    to = fields.Raw(required=True, metadata={"description": "A state, or states for a resume."})
    roles = fields.List(fields.String(), required=True)
    label = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    fields_ = fields.Dict(
        keys=fields.String(), values=fields.Dict(), data_key="fields", attribute="fields"
    )
    effects = fields.List(fields.String(), required=True)
    notify = fields.List(fields.Dict(), required=True)


class WorkflowSchema(Schema):
    """A workflow in the shape of a definition file; deadlines are those in force."""

    name = fields.String(required=True)
    label = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    initial = fields.String(required=True)
    final = fields.List(fields.String(), required=True)
    states = fields.Dict(keys=fields.String(), values=fields.Dict(), required=True)
    deadlines = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)
    transitions = fields.List(fields.Nested(WorkflowTransitionSchema), required=True)


class WorkflowNamesSchema(Schema):
    """The workflows a case may follow."""

    names = fields.List(fields.String(), required=True, metadata={"example": ["case"]})
