"""The compiled dump answers exactly what marshmallow's own dump answers, key order included."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

from marshmallow import Schema, fields, post_dump

from tracker.schemas.cases import CasePageSchema
from tracker.schemas.compiled import CompiledDumpSchema, compiled_dump


class Inner(Schema):
    id = fields.Integer()
    at = fields.AwareDateTime(allow_none=True)


class Odd(Schema):
    text = fields.String(allow_none=True)
    number = fields.Integer(allow_none=True)
    as_text = fields.Integer(as_string=True)
    flag = fields.Boolean(allow_none=True)
    day = fields.Date()
    stamp = fields.DateTime(format="%Y-%m-%d %H:%M")
    amount = fields.Decimal(as_string=True)
    renamed = fields.String(data_key="other_name")
    aliased = fields.String(attribute="source")
    defaulted = fields.String(dump_default="none given")
    inner = fields.Nested(Inner, allow_none=True)
    inners = fields.List(fields.Nested(Inner), allow_none=True)
    only_ids = fields.Pluck(Inner, "id", many=True)
    numbers = fields.List(fields.Integer())
    method = fields.Method("shout")

    def shout(self, obj) -> str:
        return str(obj.get("text")).upper()


class Hooked(Schema):
    name = fields.String()

    @post_dump
    def tag(self, data, **kwargs):
        return {**data, "hooked": True}


AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
ROWS = [
    {
        "text": "ស្ត្រី", "number": 7, "as_text": 12, "flag": True, "day": date(2026, 3, 2),
        "stamp": AT, "amount": Decimal("1.50"), "renamed": "r", "source": "from source",
        "inner": {"id": 1, "at": AT}, "inners": [{"id": 2, "at": None}, {"id": 3}],
        "only_ids": [{"id": 4}, {"id": 5}], "numbers": [1, True, 3.0], "method": "ignored",
    },
    {"text": 12, "number": "8", "flag": 1, "inner": None, "inners": None, "numbers": []},
    {"text": None, "number": None, "flag": None, "only_ids": []},
]  # fmt: skip


def same(expected, got) -> None:
    assert json.dumps(got, default=str) == json.dumps(expected, default=str)


def test_every_kind_of_field_dumps_as_marshmallow_does():
    schema = Odd()
    for row in ROWS:
        same(schema.dump(row), compiled_dump(schema)(row))
    same(schema.dump(ROWS, many=True), compiled_dump(schema, many=True)(ROWS))


def test_hooks_and_objects_other_than_dicts_go_marshmallows_way():
    hooked = Hooked()
    same(hooked.dump({"name": "x"}), compiled_dump(hooked)({"name": "x"}))

    class Thing:
        id = 9
        at = AT

    same(Inner().dump(Thing()), compiled_dump(Inner())(Thing()))


def test_a_compiled_schema_answers_as_its_plain_self():
    class Plain(Odd):
        pass

    class Compiled(CompiledDumpSchema, Odd):
        pass

    for row in ROWS:
        same(Plain().dump(row), Compiled().dump(row))
    same(Plain(many=True).dump(ROWS), Compiled(many=True).dump(ROWS))
    same(Plain(only=("text",)).dump(ROWS[0]), Compiled(only=("text",)).dump(ROWS[0]))
    assert issubclass(CasePageSchema, CompiledDumpSchema)
