"""Admin pages: users, agencies, forums and categories."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Agency, Category, Forum, Organisation, User
from tracker.services import admin as service
from tracker.services import user_admin
from tracker.services.account_links import send_reset_link
from tracker.services.admin_lists import admin_counts, admin_list, admin_record
from tracker.services.admin_lists import require_admin as check_admin
from tracker.services.errors import ValidationFailed
from tracker.services.outbox import outbox_counts
from tracker.web import web
from tracker.web.choices import agency_choices, code_choices, organisation_choices, role_choices
from tracker.web.forms import (
    ID,
    AgencyForm,
    CategoryForm,
    OrganisationForm,
    UserForm,
    form_values,
    set_errors,
)
from tracker.web.intake import FORUM_FIELDS, forum_form
from tracker.web.messages import translated_errors
from workflows.time_rules import DEFAULT_AGENCY_RESPONSE_DAYS

AGENCY_FIELDS = ("code", "name_en", "name_km", "contact_emails", "response_days")
CATEGORY_FIELDS = ("label_en", "label_km", "position", "active")
USER_FIELDS = ("email", "name", "role", "agency_id", "organisation_id", "language")
ORGANISATION_FIELDS = ("name", "kind")
# A new user starts with the least-privileged role: a representative sees only their
# organisation's cases. Admins raise it deliberately.
NEW_USER_ROLE = "representative"


def require_admin() -> None:
    """Refuse anyone but an admin (the admin services check it again)."""
    check_admin(current_user)


def _form_page(
    form: FlaskForm,
    fields: tuple[str, ...],
    save: Callable[[dict[str, Any]], Any],
    back: str,
    title: str,
    saved: str | None = None,
    **extra: Any,
):
    """Show a form; on POST save it through the service, errors beside the fields."""
    context = {"form": form, "fields": fields, "title": title, "back": url_for(back), **extra}
    if request.method == "POST":
        try:
            save(form_values(form, fields))
        except ValidationFailed as exc:
            set_errors(form, translated_errors(exc.errors))
            return render_template("admin_form.html", **context), 422
        flash(saved or _("Saved."), "success")
        return redirect(url_for(back))
    return render_template("admin_form.html", **context)


def _new_record_page(
    form_class: type[FlaskForm],
    defaults: dict[str, Any],
    fields: tuple[str, ...],
    create: Callable[..., Any],
    back: str,
    title: str,
):
    """The page that adds one record: a form with defaults, saved by ``create``, audited."""
    form = form_class(data=defaults) if request.method == "GET" else form_class()
    return _form_page(
        form,
        fields,
        lambda values: create(current_user, values, ip=request.remote_addr),
        back,
        title,
    )


def _get(model: type, key: Any) -> Any:
    return admin_record(current_user, model, key)


@web.get("/admin")
def admin_home():
    """Counts and links to each admin page."""
    require_admin()
    counts = admin_counts(current_user)
    return render_template("admin_home.html", counts=counts, outbox=outbox_counts(current_user))


@web.get("/admin/users")
def admin_users():
    """Every user, with role and status."""
    require_admin()
    users = admin_list(current_user, User)
    return render_template("admin_users.html", users=users)


def _user_form(user: User | None) -> UserForm:
    form = UserForm(obj=user) if request.method == "GET" and user else UserForm()
    form.role.choices = role_choices()
    form.agency_id.choices = agency_choices(_("None"))
    form.organisation_id.choices = organisation_choices(_("None"))
    form.language.choices = code_choices("language")
    if user is None and request.method == "GET":
        form.active.data = True
        form.role.data = NEW_USER_ROLE
    return form


@web.route("/admin/users/new", methods=["GET", "POST"])
def admin_new_user():
    """Invite a user: they get an email with a one-time link to choose their password."""
    require_admin()
    form = _user_form(None)
    return _form_page(
        form,
        USER_FIELDS,
        lambda values: user_admin.add_user(current_user, values, ip=request.remote_addr),
        "web.admin_users",
        _("Invite a user"),
        saved=_(
            "%(email)s is invited: an email with a link to choose a password is on its way.",
            email=form.email.data,
        ),
    )


@web.route(f"/admin/users/<{ID}:user_id>", methods=["GET", "POST"])
def admin_edit_user(user_id: int):
    """Change a user's role, language or status (a role change or disabling ends sessions)."""
    require_admin()
    user = _get(User, user_id)
    return _form_page(
        _user_form(user),
        (*USER_FIELDS[1:], "active"),
        lambda values: user_admin.update_user(
            current_user, user.id, values, ip=request.remote_addr
        ),
        "web.admin_users",
        _("Edit user %(email)s", email=user.email),
        reset_for=user,
    )


@web.post(f"/admin/users/<{ID}:user_id>/reset-password")
def admin_reset_password(user_id: int):
    """End the user's password, sessions and tokens now and email them a reset link."""
    require_admin()
    user = send_reset_link(current_user, user_id, ip=request.remote_addr)
    flash(_("%(email)s was sent a link to choose a new password.", email=user.email), "success")
    return redirect(url_for("web.admin_users"))


@web.get("/admin/organisations")
def admin_organisations():
    """Every organisation, with how many representatives it has."""
    require_admin()
    rows = db.session.execute(
        select(Organisation, func.count(User.id))
        .outerjoin(
            User, (User.organisation_id == Organisation.id) & (User.role == "representative")
        )
        .group_by(Organisation.id)
        .order_by(Organisation.name)
    ).all()
    return render_template("admin_organisations.html", rows=rows)


@web.route("/admin/organisations/new", methods=["GET", "POST"])
def admin_new_organisation():
    """Add an organisation (representatives need one)."""
    require_admin()
    return _new_record_page(
        OrganisationForm,
        {"kind": "union"},
        ORGANISATION_FIELDS,
        service.create_organisation,
        "web.admin_organisations",
        _("New organisation"),
    )


@web.route(f"/admin/organisations/<{ID}:organisation_id>", methods=["GET", "POST"])
def admin_edit_organisation(organisation_id: int):
    """Rename an organisation; see its representatives."""
    require_admin()
    organisation = _get(Organisation, organisation_id)
    form = OrganisationForm(obj=organisation) if request.method == "GET" else OrganisationForm()
    members = db.session.scalars(
        select(User)
        .where(User.organisation_id == organisation.id, User.role == "representative")
        .order_by(User.name)
    ).all()
    return _form_page(
        form,
        ORGANISATION_FIELDS,
        lambda values: service.update_organisation(
            current_user, organisation.id, values, ip=request.remote_addr
        ),
        "web.admin_organisations",
        _("Edit organisation %(name)s", name=organisation.name),
        members=members,
    )


@web.get("/admin/agencies")
def admin_agencies():
    """Every agency, with its response time and contacts."""
    require_admin()
    agencies = admin_list(current_user, Agency)
    return render_template("admin_agencies.html", agencies=agencies)


@web.route("/admin/agencies/new", methods=["GET", "POST"])
def admin_new_agency():
    """Add an agency."""
    require_admin()
    return _new_record_page(
        AgencyForm,
        {"response_days": str(DEFAULT_AGENCY_RESPONSE_DAYS)},
        AGENCY_FIELDS,
        service.create_agency,
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
        lambda values: service.update_agency(
            current_user, agency.id, values, ip=request.remote_addr
        ),
        "web.admin_agencies",
        _("Edit agency %(code)s", code=agency.code),
    )


@web.get("/admin/forums")
def admin_forums():
    """Every forum."""
    require_admin()
    forums = admin_list(current_user, Forum)
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
        lambda values: service.update_forum(current_user, forum.id, values, ip=request.remote_addr),
        "web.admin_forums",
        _("Edit forum"),
    )


@web.get("/admin/categories")
def admin_categories():
    """Every category, in order."""
    require_admin()
    categories = admin_list(current_user, Category)
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
        lambda values: service.update_category(
            current_user, category.code, values, ip=request.remote_addr
        ),
        "web.admin_categories",
        _("Edit category %(code)s", code=category.code),
    )
