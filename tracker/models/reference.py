"""Reference data: agencies, organisations, forums, categories."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db
from tracker.models.base import UTCDateTime, now_utc
from workflows.time_rules import DEFAULT_AGENCY_RESPONSE_DAYS


class Agency(db.Model):
    """An agency cases are referred to (NSSF, the NSPC secretariat, a ministry, …)."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_km: Mapped[str] = mapped_column(String(200), default="")
    contact_emails: Mapped[list[str]] = mapped_column(JSON, default=list)
    response_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_AGENCY_RESPONSE_DAYS)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


class Organisation(db.Model):
    """A union, workers' association or community group whose representatives raise concerns."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40), default="union")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


class Forum(db.Model):
    """An annual or regional social-security forum where concerns are collected."""

    __tablename__ = "forums"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="regional")
    date: Mapped[date] = mapped_column(Date)
    province: Mapped[str | None] = mapped_column(String(8))
    venue: Mapped[str] = mapped_column(String(200), default="")
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


class Category(db.Model):
    """A kind of concern, with English and Khmer labels (admin-editable)."""

    __tablename__ = "categories"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label_en: Mapped[str] = mapped_column(String(120))
    label_km: Mapped[str] = mapped_column(String(120), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
