"""Own password changes and the admin trail."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from tracker.schemas.common import PageArgsSchema, Text, moment, page_schema
from tracker.services.audit import ACTIONS
from tracker.services.passwords import MAX_PASSWORD_LENGTH


class PasswordChangeSchema(Schema):
    """Your current password and the new one (ends every session and token you have)."""

    current_password = Text(
        required=True, load_only=True, validate=validate.Length(1, MAX_PASSWORD_LENGTH)
    )
    new_password = Text(
        required=True, load_only=True, validate=validate.Length(1, MAX_PASSWORD_LENGTH)
    )


class AuditArgsSchema(PageArgsSchema):
    """Filters of the trail: the actor's email, one action, a time range [since, until)."""

    actor = Text(validate=validate.Length(1, 254))
    action = Text(validate=validate.OneOf(ACTIONS))
    since = moment()
    until = moment()


class AuditEntrySchema(Schema):
    """One entry: who did what to what, when, from which address."""

    id = fields.Integer(required=True)
    actor = fields.String(required=True, attribute="actor_label")
    actor_id = fields.Integer(required=True, allow_none=True)
    action = fields.String(required=True)
    target = fields.String(required=True)
    at = fields.AwareDateTime(required=True)
    ip = fields.String(required=True, allow_none=True)
    details = fields.Dict(required=True)


AuditPageSchema = page_schema(AuditEntrySchema, "AuditPageSchema")
