"""Find or create agencies, organisations and forums by their natural keys."""

from __future__ import annotations

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Agency, Organisation, User
from tracker.services.errors import NotFound


def agency_by_code(code: str) -> Agency:
    """Return the agency with this code (case-insensitive), or raise NotFound."""
    agency = db.session.scalar(select(Agency).where(func.upper(Agency.code) == code.upper()))
    if agency is None:
        raise NotFound(f"No agency with code {code}.")
    return agency


def organisation_named(name: str, kind: str = "union") -> Organisation:
    """Return the organisation with this name, creating it (uncommitted) if it is new."""
    organisation = db.session.scalar(
        select(Organisation).where(func.lower(Organisation.name) == name.strip().lower())
    )
    if organisation is None:
        organisation = Organisation(name=name.strip(), kind=kind)
        db.session.add(organisation)
        db.session.flush()
    return organisation


def user_by_email(email: str) -> User | None:
    """Return the user with this email (case-insensitive), if any."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
