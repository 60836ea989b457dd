"""Public report-back of a forum and the agency scorecard (no personal data)."""

from __future__ import annotations

from marshmallow import Schema, fields


class PublicForumSchema(Schema):
    """A forum's public facts."""

    id = fields.Integer(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True, allow_none=True)
    date = fields.Date(required=True, allow_none=True)
    province = fields.String(required=True, allow_none=True)
    venue = fields.String(required=True, allow_none=True)


class ReportBackCaseSchema(Schema):
    """One concern raised at the forum and what became of it."""

    reference = fields.String(required=True)
    category = fields.String(required=True)
    summary = fields.String(
        required=True, metadata={"description": "The officer-approved public summary, or empty."}
    )
    state = fields.String(required=True)
    agency = fields.String(required=True, allow_none=True)
    outcome = fields.String(required=True, allow_none=True)
    working_days = fields.Integer(
        required=True, allow_none=True, metadata={"description": "Logged → closed; null: open."}
    )


class ReportBackSchema(Schema):
    """The forum, its concerns, and totals over all of them (unlisted ones too)."""

    forum = fields.Nested(PublicForumSchema, required=True)
    cases = fields.List(fields.Nested(ReportBackCaseSchema), required=True)
    totals = fields.Dict(
        required=True,
        metadata={
            "example": {
                "cases": 12,
                "listed": 12,
                "closed": 8,
                "open": 4,
                "by_state": {"closed": 8, "referred": 4},
                "by_outcome": {"resolved": 6, "partly_resolved": 2},
                "median_working_days": 23.5,
            }
        },
    )
