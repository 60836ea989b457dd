"""Users, agencies, organisations and forums: requests (admins) and responses (everyone)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from tracker.codes import FORUM_KINDS, LANGUAGES, PROVINCES
from tracker.models import ROLES
from tracker.schemas.common import Text, WholeNumber, optional_copy, page_schema, record_id
from tracker.services.passwords import MAX_PASSWORD_LENGTH


class UserCreateSchema(Schema):
    """A new user; agency users need agency_id, representatives organisation_id.

    Without ``password`` the user is invited: an email with a one-time link to choose one.
    """

    email = Text(required=True, validate=validate.Length(3, 254))
    name = Text(validate=validate.Length(max=200))
    role = Text(required=True, validate=validate.OneOf(ROLES))
    password = Text(load_only=True, validate=validate.Length(1, MAX_PASSWORD_LENGTH))
    agency_id = record_id(allow_none=True)
    organisation_id = record_id(allow_none=True)
    language = Text(validate=validate.OneOf(list(LANGUAGES)))


class UserUpdateSchema(Schema):
    """Changes to a user; a password, a role change or disabling ends their sessions and tokens."""

    name = Text(validate=validate.Length(max=200))
    role = Text(validate=validate.OneOf(ROLES))
    password = Text(load_only=True, validate=validate.Length(1, MAX_PASSWORD_LENGTH))
    agency_id = record_id(allow_none=True)
    organisation_id = record_id(allow_none=True)
    language = Text(validate=validate.OneOf(list(LANGUAGES)))
    active = fields.Boolean()


class UserSchema(Schema):
    """A user; ``email`` is null unless you are staff or this user."""

    id = fields.Integer(required=True)
    email = fields.String(required=True, allow_none=True)
    name = fields.String(required=True)
    role = fields.String(required=True)
    agency_id = fields.Integer(required=True, allow_none=True)
    organisation_id = fields.Integer(required=True, allow_none=True)
    language = fields.String(required=True)
    active = fields.Boolean(required=True)


class AgencyCreateSchema(Schema):
    """An agency cases are referred to."""

    code = Text(required=True, validate=validate.Regexp(r"^[A-Za-z0-9_-]{1,32}$"))
    name_en = Text(required=True, validate=validate.Length(1, 200))
    name_km = Text(validate=validate.Length(max=200))
    contact_emails = fields.List(
        Text(validate=validate.Length(3, 254)), validate=validate.Length(max=10)
    )
    response_days = WholeNumber(validate=validate.Range(1, 365))


class AgencySchema(Schema):
    """An agency."""

    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name_en = fields.String(required=True)
    name_km = fields.String(required=True)
    contact_emails = fields.List(fields.String(), required=True)
    response_days = fields.Integer(required=True)


class OrganisationCreateSchema(Schema):
    """A union, workers' association or community group."""

    name = Text(required=True, validate=validate.Length(1, 200))
    kind = Text(validate=validate.Length(1, 40), metadata={"example": "union"})


class OrganisationSchema(Schema):
    """An organisation."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)


class ForumCreateSchema(Schema):
    """A forum where concerns were collected."""

    title = Text(required=True, validate=validate.Length(1, 200))
    kind = Text(validate=validate.OneOf(list(FORUM_KINDS)))
    date = fields.Date(required=True)
    province = Text(allow_none=True, validate=validate.OneOf(list(PROVINCES)))
    venue = Text(validate=validate.Length(max=200))


class ForumSchema(Schema):
    """A forum."""

    id = fields.Integer(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True)
    date = fields.Date(required=True)
    province = fields.String(required=True, allow_none=True)
    venue = fields.String(required=True)


AgencyUpdateSchema = optional_copy(
    AgencyCreateSchema, "AgencyUpdateSchema", "Changes to an agency."
)
OrganisationUpdateSchema = optional_copy(
    OrganisationCreateSchema, "OrganisationUpdateSchema", "Changes to an organisation."
)
ForumUpdateSchema = optional_copy(ForumCreateSchema, "ForumUpdateSchema", "Changes to a forum.")
UserPageSchema = page_schema(UserSchema, "UserPageSchema")
AgencyPageSchema = page_schema(AgencySchema, "AgencyPageSchema")
OrganisationPageSchema = page_schema(OrganisationSchema, "OrganisationPageSchema")
ForumPageSchema = page_schema(ForumSchema, "ForumPageSchema")
