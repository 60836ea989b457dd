"""Report answers beyond the counts: each agency's performance on its referrals."""

from __future__ import annotations

from marshmallow import Schema, fields


class AgencyPerformanceSchema(Schema):
    """One agency's referrals (those you may count) and how it answered them."""

    agency_id = fields.Integer(required=True)
    code = fields.String(required=True)
    name_en = fields.String(required=True)
    name_km = fields.String(required=True)
    referrals = fields.Integer(required=True)
    answered = fields.Integer(required=True)
    answered_on_time = fields.Integer(
        required=True, metadata={"description": "Answered no later than the referral's deadline."}
    )
    overdue = fields.Integer(
        required=True, metadata={"description": "Not answered and past the deadline now."}
    )
    share_on_time = fields.Float(
        required=True,
        allow_none=True,
        metadata={
            "description": "answered_on_time / (answered + overdue); null while none is due.",
            "example": 0.75,
        },
    )
    median_response_days = fields.Float(
        required=True,
        allow_none=True,
        metadata={"description": "Median working days from referral to answer; null if none."},
    )


class AgencyPerformanceListSchema(Schema):
    """Per-agency performance: staff see every agency, an agency itself, a representative the
    referrals of their organisation's cases."""

    as_of = fields.AwareDateTime(required=True)
    rows = fields.List(fields.Nested(AgencyPerformanceSchema), required=True)


class SatisfactionRowSchema(Schema):
    """The answers to "Was it resolved?" for the cases of one category or agency."""

    value = fields.Raw(
        required=True, allow_none=True, metadata={"description": "Category code or agency id."}
    )
    yes = fields.Integer(required=True)
    partly = fields.Integer(required=True)
    no = fields.Integer(required=True)
    answers = fields.Integer(required=True)
    share_yes = fields.Float(required=True, allow_none=True)


class SatisfactionSchema(Schema):
    """Satisfaction per category and per agency, over the cases you may see."""

    category = fields.List(fields.Nested(SatisfactionRowSchema), required=True)
    agency = fields.List(fields.Nested(SatisfactionRowSchema), required=True)
