"""Forum-day API bodies: file imports, Kobo submissions, bulk triage, access codes."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import INCLUDE, Schema, fields, validate

from tracker.schemas.cases import CaseSchema
from tracker.schemas.common import Text, record_id
from tracker.schemas.transitions import TriggerSchema
from tracker.services.bulk import MAX_BULK


class ImportFileSchema(Schema):
    """The spreadsheet (CSV or XLSX) as the multipart field ``file``."""

    file = Upload(required=True)


class ImportResultSchema(Schema):
    """What an import logged; the access codes are shown this once."""

    imported = fields.Integer(required=True)
    duplicates = fields.Integer(required=True)
    references = fields.List(fields.String(), required=True)
    access_codes = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


class KoboSubmissionSchema(Schema):
    """One KoboToolbox submission: question names are Case JSON fields (group prefixes and
    Kobo's own metadata are ignored; other questions are kept with the case)."""

    class Meta:
        unknown = INCLUDE

    uuid = Text(data_key="_uuid", validate=validate.Length(1, 100))


class KoboResultSchema(Schema):
    """The case this submission logged (201) or had logged before (200)."""

    reference = fields.String(required=True)


class AccessCodeRequestSchema(Schema):
    """No fields: the new code is random."""


class AccessCodeSchema(Schema):
    """A new access code; the one before stops working."""

    access_code = fields.String(required=True)


class BulkTransitionSchema(TriggerSchema):
    """The same trigger (or ``assign`` with ``owner_id``) on many cases: all or none; the
    trigger's own fields (see GET /api/v1/workflows) are checked for each case."""

    references = fields.List(
        Text(validate=validate.Length(1, 40)),
        required=True,
        validate=validate.Length(1, MAX_BULK),
    )
    owner_id = record_id(allow_none=True)


class BulkResultSchema(Schema):
    """The cases as they are after the action."""

    cases = fields.List(fields.Nested(CaseSchema), required=True)
