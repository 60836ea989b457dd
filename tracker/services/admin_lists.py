"""What the admin pages list: users, agencies, forums, categories, counts; admins only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from tracker import access
from tracker.extensions import db
from tracker.models import Agency, Category, Forum, Organisation, User
from tracker.services.errors import NotFound, PermissionDenied

# What each admin list shows, in its order.
ORDER = {
    User: (User.role, User.name),
    Agency: (Agency.code,),
    Organisation: (Organisation.name,),
    Forum: (Forum.date.desc(),),
    Category: (Category.position,),
}


def require_admin(actor: User) -> None:
    """Refuse anyone but an admin."""
    if not access.is_admin(actor):
        raise PermissionDenied("Only administrators may manage this.")


def admin_counts(actor: User) -> dict[str, int]:
    """How many users, agencies, forums and categories there are."""
    require_admin(actor)
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in ORDER
    }


def admin_list(actor: User, model: type) -> list[Any]:
    """Every record of one admin list (users, agencies, forums or categories), in order."""
    require_admin(actor)
    return list(db.session.scalars(select(model).order_by(*ORDER[model])))


def admin_record(actor: User, model: type, key: Any) -> Any:
    """One record an admin edits, or NotFound."""
    require_admin(actor)
    row = db.session.get(model, key)
    if row is None:
        raise NotFound("Not found")
    return row
