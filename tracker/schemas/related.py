"""Related cases on the API: similar concerns, links, merge."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from tracker.schemas.common import Text
from tracker.services.similar import MAX_LIMIT, MAX_TEXT

REFERENCE = validate.Length(1, 40)


class SimilarArgsSchema(Schema):
    """What a new concern says (its title, or title and description), and how many to suggest."""

    text = Text(required=True, validate=validate.Length(1, 4 * MAX_TEXT))
    limit = fields.Integer(load_default=5, validate=validate.Range(1, MAX_LIMIT))


class SimilarItemSchema(Schema):
    """One open case like the text; ``score`` from 0 (nothing alike) to 1 (the same)."""

    reference = fields.String(required=True)
    title = fields.String(required=True)
    score = fields.Float(required=True)


class SimilarPageSchema(Schema):
    """The suggestions, most alike first."""

    items = fields.List(fields.Nested(SimilarItemSchema), required=True)


class LinkBodySchema(Schema):
    """The case to link this one to."""

    reference = Text(required=True, validate=REFERENCE)


class LinkedCaseSchema(Schema):
    """A linked case as the caller may see it."""

    reference = fields.String(required=True)
    title = fields.String(required=True)
    state = fields.String(required=True)


class LinksSchema(Schema):
    """The cases linked to this one."""

    items = fields.List(fields.Nested(LinkedCaseSchema), required=True)


class MergeBodySchema(Schema):
    """The open case this one duplicates, and a note for both timelines."""

    into = Text(required=True, validate=REFERENCE)
    note = Text(load_default="", validate=validate.Length(max=20000))
