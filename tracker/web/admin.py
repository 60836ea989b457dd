"""Admin pages: users, agencies, forums and categories."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select

from notifications.outbox import outbox_counts
from tracker import access
from tracker.extensions import db
from tracker.models import Agency, Category, Forum, User
from tracker.services import admin as service
from tracker.services.errors import NotFound, PermissionDenied, ValidationFailed
from tracker.web import web
from tracker.web.choices import agency_choices, code_choices, organisation_choices, role_choices
from tracker.web.forms import ID, AgencyForm, CategoryForm, UserForm, form_values, set_errors
from tracker.web.intake import FORUM_FIELDS, forum_form
from tracker.web.messages import translated_errors
from workflows.time_rules import DEFAULT_AGENCY_RESPONSE_DAYS

AGENCY_FIELDS = ("code", "name_en", "name_km", "contact_emails", "response_days")
CATEGORY_FIELDS = ("label_en", "label_km", "position", "active")
USER_FIELDS = ("email", "name", "role", "agency_id", "organisation_id", "language", "password")


def require_admin() -> None:
    if not access.is_admin(current_user):
        raise PermissionDenied(_("Only administrators may manage this."))


def _form_page(
    form: FlaskForm,
    fields: tuple[str, ...],
    save: Callable[[dict[str, Any]], Any],
    back: str,
    title: str,
):
    """Show a form; on POST save it through the service, errors beside the fields."""
    if request.method == "POST":
        try:
            save(form_values(form, fields))
        except ValidationFailed as exc:
            set_errors(form, translated_errors(exc.errors))
            page = render_template(
                "admin_form.html", form=form, fields=fields, title=title, back=url_for(back)
            )
            return page, 422
        flash(_("Saved."), "success")
        return redirect(url_for(back))
    return render_template(
        "admin_form.html", form=form, fields=fields, title=title, back=url_for(back)
    )


def _get(model: type, key: Any) -> Any:
    row = db.session.get(model, key)
    if row is None:
        raise NotFound(_("Not found"))
    return row


@web.get("/admin")
def admin_home():
    """Counts and links to each admin page."""
    require_admin()
    counts = {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (User, Agency, Forum, Category)
    }
    return render_template("admin_home.html", counts=counts, outbox=outbox_counts())


@web.get("/admin/users")
def admin_users():
    """Every user, with role and status."""
    require_admin()
    users = db.session.scalars(select(User).order_by(User.role, User.name)).all()
    return render_template("admin_users.html", users=users)


def _user_form(user: User | None) -> UserForm:
    form = UserForm(obj=user) if request.method == "GET" and user else UserForm()
    form.role.choices = role_choices()
    form.agency_id.choices = agency_choices(_("None"))
    form.organisation_id.choices = organisation_choices(_("None"))
    form.language.choices = code_choices("language")
    if user is None and request.method == "GET":
        form.active.data = True
    return form


@web.route("/admin/users/new", methods=["GET", "POST"])
def admin_new_user():
    """Create a user."""
    require_admin()
    return _form_page(
        _user_form(None),
        USER_FIELDS,
        lambda values: service.add_user(current_user, values),
        "web.admin_users",
        _("New user"),
    )


@web.route(f"/admin/users/<{ID}:user_id>", methods=["GET", "POST"])
def admin_edit_user(user_id: int):
    """Change a user's role, language or status, or set a new password."""
    require_admin()
    user = _get(User, user_id)
    return _form_page(
        _user_form(user),
        (*USER_FIELDS[1:], "active"),
        lambda values: service.update_user(current_user, user.id, values),
        "web.admin_users",
        _("Edit user %(email)s", email=user.email),
    )


@web.get("/admin/agencies")
def admin_agencies():
    """Every agency, with its response time and contacts."""
    require_admin()
    agencies = db.session.scalars(select(Agency).order_by(Agency.code)).all()
    return render_template("admin_agencies.html", agencies=agencies)


@web.route("/admin/agencies/new", methods=["GET", "POST"])
def admin_new_agency():
    """Add an agency."""
    require_admin()
    defaults = {"response_days": str(DEFAULT_AGENCY_RESPONSE_DAYS)}
    form = AgencyForm(data=defaults) if request.method == "GET" else AgencyForm()
    return _form_page(
        form,
        AGENCY_FIELDS,
        lambda values: service.create_agency(current_user, values),
        "web.admin_agencies",
        _("New agency"),
    )


@web.route(f"/admin/agencies/<{ID}:agency_id>", methods=["GET", "POST"])
def admin_edit_agency(agency_id: int):
    """Change an agency."""
    require_admin()
    agency = _get(Agency, agency_id)
    form = AgencyForm()
    if request.method == "GET":
        form = AgencyForm(obj=agency)
        form.contact_emails.data = ", ".join(agency.contact_emails or [])
    return _form_page(
        form,
        AGENCY_FIELDS,
        lambda values: service.update_agency(current_user, agency.id, values),
        "web.admin_agencies",
        _("Edit agency %(code)s", code=agency.code),
    )


@web.get("/admin/forums")
def admin_forums():
    """Every forum."""
    require_admin()
    forums = db.session.scalars(select(Forum).order_by(Forum.date.desc())).all()
    return render_template("admin_forums.html", forums=forums)


@web.route(f"/admin/forums/<{ID}:forum_id>", methods=["GET", "POST"])
def admin_edit_forum(forum_id: int):
    """Change a forum."""
    require_admin()
    forum = _get(Forum, forum_id)
    form = forum_form(formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        form.process(obj=forum)
    return _form_page(
        form,
        FORUM_FIELDS,
        lambda values: service.update_forum(current_user, forum.id, values),
        "web.admin_forums",
        _("Edit forum"),
    )


@web.get("/admin/categories")
def admin_categories():
    """Every category, in order."""
    require_admin()
    categories = db.session.scalars(select(Category).order_by(Category.position)).all()
    return render_template("admin_categories.html", categories=categories)


@web.route("/admin/categories/<code>", methods=["GET", "POST"])
def admin_edit_category(code: str):
    """Change a category's labels, order or availability."""
    require_admin()
    category = _get(Category, code)
    form = CategoryForm(obj=category) if request.method == "GET" else CategoryForm()
    return _form_page(
        form,
        CATEGORY_FIELDS,
        lambda values: service.update_category(current_user, category.code, values),
        "web.admin_categories",
        _("Edit category %(code)s", code=category.code),
    )
