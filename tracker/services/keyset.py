"""Keyset ("seek") paging: the next page starts after the last row shown, found by the index.

A page is ordered by one sort column and then the id, both the same direction, with no
``NULLS LAST`` in the SQL so the (column, id) indexes can be followed forwards or backwards.
A nullable sort column keeps its rows with no value last by reading them as a second part:
first the rows with a value, then (once those are used up) the rows without, by id. The cursor
is the last row's (sort name, value, id), opaque to clients (base64url JSON), and a cursor that
does not decode, or was made for another sort, is refused.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, tuple_

from tracker.extensions import db
from tracker.models import UTCDateTime
from tracker.services.errors import ValidationFailed


@dataclass(frozen=True)
class Order:
    """The order of a list: a sort column, its direction, and the id after it."""

    name: str
    column: Any
    id_column: Any
    descending: bool
    nullable: bool

    def clauses(self) -> list[Any]:
        """ORDER BY for the rows with a value (or all rows when the column has no NULLs)."""
        if self.descending:
            return [self.column.desc(), self.id_column.desc()]
        return [self.column.asc(), self.id_column.asc()]

    def offset_clauses(self) -> list[Any]:
        """ORDER BY of a numbered (OFFSET) page: NULLs last, as the keyset pages have them."""
        first, second = self.clauses()
        return [first.nulls_last() if self.nullable else first, second]

    def key_of(self, row: Any) -> tuple[Any, int]:
        """The (value, id) a page ending with ``row`` continues after."""
        return getattr(row, self.column.key), row.id


def encode_cursor(order: Order, key: tuple[Any, int]) -> str:
    """The opaque cursor of the page after the row with this key."""
    value, row_id = key
    shown = value.isoformat() if isinstance(value, datetime) else value
    raw = json.dumps([order.name, order.descending, shown, row_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(order: Order, cursor: str) -> tuple[Any, int]:
    """The (value, id) in a cursor made for this order; ValidationFailed otherwise."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        name, descending, value, row_id = json.loads(raw)
        if name != order.name or descending != order.descending or type(row_id) is not int:
            raise ValueError("another order")
        if value is not None:
            value = _typed(order, value)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, NotImplementedError):
        raise ValidationFailed(
            "The cursor is not valid for this list.",
            {"cursor": ["Use the `next` value of the previous page, with the same sort."]},
        ) from None
    return value, row_id


def _typed(order: Order, value: Any) -> Any:
    """The cursor's value as the sort column holds it (an aware datetime, or text)."""
    if isinstance(order.column.type, UTCDateTime):
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError("naive datetime")
        return moment
    if not isinstance(value, str):
        raise ValueError("wrong type")
    return value


def seek_page(query: Select, order: Order, key: tuple[Any, int] | None, size: int) -> list[Any]:
    """Up to ``size`` rows of the query after ``key`` (from the start when None), in order."""
    rows: list[Any] = []
    value, last_id = key if key is not None else (None, None)
    if key is None or value is not None:
        part = query.where(order.column.is_not(None)) if order.nullable else query
        if key is not None:
            # Compared with a plain tuple, each value is bound with its column's type.
            mine, theirs = tuple_(order.column, order.id_column), (value, last_id)
            part = part.where(mine < theirs if order.descending else mine > theirs)
        rows = list(db.session.scalars(part.order_by(*order.clauses()).limit(size)))
    if order.nullable and len(rows) < size:
        rest = query.where(order.column.is_(None))
        if value is None and last_id is not None:
            after = order.id_column < last_id if order.descending else order.id_column > last_id
            rest = rest.where(after)
        by_id = order.id_column.desc() if order.descending else order.id_column.asc()
        rows += db.session.scalars(rest.order_by(by_id).limit(size - len(rows)))
    return rows
