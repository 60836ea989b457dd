"""Dump with a schema in a few dict look-ups per field: what ``Schema.dump`` answers, faster.

A list answer dumps up to 100 records of 30-odd fields; marshmallow spends most of that time
finding each value (``Field.serialize`` → ``get_value``) rather than converting it. The schema
stays the one description of the answer (fields, names, order, OpenAPI): this module only
takes a shorter path through the same fields, and goes marshmallow's own way for anything it
does not know (hooks, ``attribute``, dotted names, defaults, objects other than dicts).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import Schema, fields, missing
from marshmallow.decorators import POST_DUMP, PRE_DUMP

Convert = Callable[[Any, str, Any], Any]
Dump = Callable[[Any], Any]


def _passing(kind: type, field: fields.Field) -> Convert:
    """Values already of ``kind`` (exactly) come out as they are; others as the field says."""
    slow = field._serialize

    def convert(value: Any, attr: str, obj: Any) -> Any:
        return value if type(value) is kind else slow(value, attr, obj)

    return convert


def _datetime(field: fields.DateTime) -> Convert:
    slow = field._serialize
    format_func = field.SERIALIZATION_FUNCS.get(field.format or field.DEFAULT_FORMAT)
    if format_func is None:
        return slow

    def convert(value: Any, attr: str, obj: Any) -> Any:
        return None if value is None else format_func(value)

    return convert


def _list(field: fields.List) -> Convert:
    inner = _converter(field.inner)

    def convert(value: Any, attr: str, obj: Any) -> Any:
        return None if value is None else [inner(each, attr, obj) for each in value]

    return convert


def _nested(field: fields.Nested) -> Convert:
    schema = field.schema
    dump = compiled_dump(schema, many=bool(schema.many or field.many))

    def convert(value: Any, attr: str, obj: Any) -> Any:
        return None if value is None else dump(value)

    return convert


def _converter(field: fields.Field) -> Convert:
    """What the field's ``_serialize`` does to a value (the method itself when not known)."""
    method = type(field)._serialize
    if method is fields.Field._serialize:  # Boolean, Raw …: the value as it is
        return lambda value, attr, obj: value
    if method is fields.String._serialize:
        return _passing(str, field)
    if method is fields.Number._serialize and isinstance(field, fields.Integer):
        return field._serialize if field.as_string else _passing(int, field)
    if method is fields.DateTime._serialize:
        return _datetime(field)  # type: ignore[arg-type]
    if method is fields.List._serialize:
        return _list(field)  # type: ignore[arg-type]
    if method is fields.Nested._serialize:
        return _nested(field)  # type: ignore[arg-type]
    return field._serialize


def _plain(field: fields.Field, attr: str) -> Convert | None:
    """The converter of a field marshmallow would read as ``obj[attr]`` from a dict (None for
    any other: it goes marshmallow's way)."""
    plain = (
        type(field).serialize is fields.Field.serialize
        and type(field).get_value is fields.Field.get_value
        and field.attribute is None
        and "." not in attr
    )
    return _converter(field) if plain else None


def compiled_dump(schema: Schema, *, many: bool = False) -> Dump:
    """A function answering what ``schema.dump(obj, many=many)`` answers."""
    if (
        schema._hooks[PRE_DUMP]
        or schema._hooks[POST_DUMP]
        or type(schema)._serialize is not Schema._serialize
        or type(schema).get_attribute is not Schema.get_attribute
    ):
        return lambda obj: Schema.dump(schema, obj, many=many)
    parts = [
        (attr, attr if field.data_key is None else field.data_key, field, _plain(field, attr))
        for attr, field in schema.dump_fields.items()
    ]
    make = schema.dict_class

    def dump_one(obj: Any) -> Any:
        if type(obj) is not dict:
            return Schema.dump(schema, obj, many=False)
        ret = make()
        for attr, key, field, convert in parts:
            if convert is not None and attr in obj:
                ret[key] = convert(obj[attr], attr, obj)
                continue
            value = field.serialize(attr, obj, accessor=schema.get_attribute)
            if value is not missing:
                ret[key] = value
        return ret

    if not many:
        return dump_one

    def dump_many(objs: Any) -> Any:
        if objs is None:
            return Schema.dump(schema, objs, many=True)
        return [dump_one(obj) for obj in objs]

    return dump_many


class CompiledDumpSchema(Schema):
    """A schema whose ``dump`` takes the compiled path (same answer)."""

    def dump(self, obj: Any, *, many: bool | None = None) -> Any:
        """Serialise ``obj`` as ``Schema.dump`` does."""
        many = self.many if many is None else bool(many)
        cached = self.__dict__.get("_compiled_dumps")
        if cached is None or cached[0] is not self:  # a copy (Nested) compiles its own
            cached = (self, {})
            self.__dict__["_compiled_dumps"] = cached
        dumps = cached[1]
        if many not in dumps:
            dumps[many] = compiled_dump(self, many=many)
        return dumps[many](obj)
