"""Raisers of a case: the request to add one, and a raiser as the caller may see them."""

from __future__ import annotations

from marshmallow import Schema, fields

from tracker.field_spec import CASE_FIELDS
from tracker.schemas.cases import _schema_field
from tracker.services.raisers import CASE_FIELD_OF

RaiserCreateSchema = Schema.from_dict(
    {
        **{raiser: _schema_field(CASE_FIELDS[case]) for raiser, case in CASE_FIELD_OF.items()},
        "consent_share": fields.Boolean(load_default=False),
    },
    name="RaiserCreateSchema",
)
RaiserCreateSchema.__doc__ = (
    "A further raiser of the case; every field may be left out (anonymous). `channel` blank: "
    "email if given, else SMS if a phone is, else none."
)


class RaiserSchema(Schema):
    """A raiser; name, email, phone and channel are null unless the caller may see them."""

    id = fields.Integer(
        required=True, allow_none=True, metadata={"description": "Null for the first raiser."}
    )
    position = fields.Integer(required=True, metadata={"description": "1 for the first raiser."})
    name = fields.String(required=True, allow_none=True)
    email = fields.String(required=True, allow_none=True)
    phone = fields.String(required=True, allow_none=True)
    channel = fields.String(required=True, allow_none=True)
    organisation_id = fields.Integer(required=True, allow_none=True)
    language = fields.String(required=True)
    consent_share = fields.Boolean(required=True)
    people_affected = fields.Integer(required=True, allow_none=True)
    anonymous = fields.Boolean(required=True, allow_none=True)
    created_at = fields.AwareDateTime(required=True)


class CreatedRaiserSchema(RaiserSchema):
    """The raiser just added; ``access_code`` (their own) is shown in this answer only."""

    access_code = fields.String(required=True)


class RaiserListSchema(Schema):
    """Every raiser of the case, first to last."""

    items = fields.List(fields.Nested(RaiserSchema), required=True)
