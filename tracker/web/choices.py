"""Options for the selects, labelled in the reader's language."""

from __future__ import annotations

from flask import g
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from tracker import access, codes
from tracker.extensions import db
from tracker.models import Agency, Category, Forum, Organisation, User
from tracker.workflow_registry import state_labels

Choices = list[tuple[str, str]]
CODE_TABLES = {
    "affected_group": codes.AFFECTED_GROUPS,
    "gender_focus": codes.GENDER_FOCUS,
    "priority": codes.PRIORITIES,
    "language": codes.LANGUAGES,
    "channel": codes.CHANNELS,
    "province": codes.PROVINCES,
    "outcome": codes.OUTCOMES,
    "kind": codes.FORUM_KINDS,
    "feedback": codes.FEEDBACK,
}


def language() -> str:
    """The language of this request: "en" or "km"."""
    locale = get_locale()
    return "km" if locale is not None and locale.language == "km" else "en"


def _table(name: str) -> codes.Labels:
    """A code table; states and their labels come from the workflow definitions."""
    return state_labels() if name == "state" else CODE_TABLES[name]


def code_label(table: str, code: str | None) -> str:
    """The label of a contract code (state, province, …) in the reader's language."""
    return codes.label(_table(table), code, language())


def code_choices(table: str, blank: str | None = None) -> Choices:
    """All codes of a table as options, optionally after a blank one."""
    options = [(code, code_label(table, code)) for code in _table(table)]
    return ([("", blank)] if blank is not None else []) + options


def category_label(category: Category | None) -> str:
    """A category's admin-edited label in the reader's language."""
    if category is None:
        return ""
    return (category.label_km if language() == "km" else "") or category.label_en


def category_name(code: str | None) -> str:
    """The label of a category code (categories are read once per request)."""
    if not code:
        return ""
    if "categories" not in g:
        g.categories = {c.code: c for c in db.session.scalars(select(Category))}
    return category_label(g.categories.get(code)) or code


def category_choices(blank: str | None = None, include_inactive: bool = False) -> Choices:
    """Categories in their admin-defined order."""
    query = select(Category).order_by(Category.position, Category.code)
    if not include_inactive:
        query = query.where(Category.active.is_(True))
    options = [(c.code, category_label(c)) for c in db.session.scalars(query)]
    return ([("", blank)] if blank is not None else []) + options


def agency_label(agency: Agency | None) -> str:
    """An agency's name in the reader's language."""
    if agency is None:
        return ""
    return (agency.name_km if language() == "km" else "") or agency.name_en


def agency_choices(blank: str | None = None) -> Choices:
    """Every agency."""
    agencies = db.session.scalars(select(Agency).order_by(Agency.code))
    options = [(str(a.id), f"{a.code} — {agency_label(a)}") for a in agencies]
    return ([("", blank)] if blank is not None else []) + options


def forum_choices(blank: str | None = None) -> Choices:
    """Forums, most recent first."""
    forums = db.session.scalars(select(Forum).order_by(Forum.date.desc(), Forum.id.desc()))
    options = [(str(f.id), f"{f.title} ({f.date.isoformat()})") for f in forums]
    return ([("", blank)] if blank is not None else []) + options


def organisation_choices(blank: str | None = None) -> Choices:
    """Organisations by name."""
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name))
    options = [(str(o.id), o.name) for o in organisations]
    return ([("", blank)] if blank is not None else []) + options


def staff_choices(blank: str | None = None) -> Choices:
    """Active officers and admins, who may own cases."""
    users = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name))
    options = [(str(u.id), u.name or u.email) for u in users if access.is_staff(u)]
    return ([("", blank)] if blank is not None else []) + options


def role_choices() -> Choices:
    """The four roles."""
    names = {
        "admin": _("Administrator"),
        "officer": _("Case officer"),
        "agency": _("Agency focal point"),
        "representative": _("Representative"),
    }
    return list(names.items())
