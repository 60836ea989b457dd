"""Shared column types and helpers for the models."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def now_utc() -> datetime:
    """Return the current time, timezone-aware in UTC (a callable default, evaluated per row)."""
    return datetime.now(UTC)


def local_day(moment: datetime) -> date:
    """The date of a moment in the tracker's time zone (``TIMEZONE``): the day a case was
    logged on, which the ageing report counts working days from."""
    return moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


class UTCDateTime(TypeDecorator[datetime]):
    """Store UTC datetimes; always hand back aware UTC values, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; pass an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
