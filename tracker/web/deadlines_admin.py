"""The admin's deadline page: working days per state, agencies' response times, days off."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField

from tracker.services import deadline_policy as service
from tracker.services.errors import NotFound, ValidationFailed
from tracker.web import web
from tracker.web.admin import require_admin
from tracker.web.forms import DayOffForm, set_errors
from tracker.web.messages import translated_errors


class PolicyForm(FlaskForm):
    """The working days of one workflow state (blank: the default)."""

    working_days = StringField(render_kw={"inputmode": "numeric", "size": 4})


def _policy_forms(posted: tuple[str, str] | None = None) -> dict[tuple[str, str], PolicyForm]:
    """One small form per editable state; the posted one keeps what was sent."""
    forms = {}
    for row in service.deadline_overview(current_user).states:
        if row.editable:
            key = (row.workflow, row.state)
            formdata = request.form if key == posted else None
            form = PolicyForm(formdata=formdata, prefix=f"{row.workflow}-{row.state}")
            if formdata is None:
                form.working_days.data = str(row.in_force)
            forms[key] = form
    return forms


def _page(forms=None, day_form=None, status: int = 200):
    overview = service.deadline_overview(current_user)
    page = render_template(
        "admin_deadlines.html",
        overview=overview,
        forms=forms or _policy_forms(),
        day_form=day_form or DayOffForm(formdata=None),
        remove_form=FlaskForm(formdata=None),
    )
    return page, status


@web.get("/admin/deadlines")
def admin_deadlines():
    """Working days per state, agencies' response times and the extra days off."""
    require_admin()
    return _page()


@web.post("/admin/deadlines/<workflow>/<state>")
def admin_set_deadline(workflow: str, state: str):
    """Set the working days of one workflow state."""
    require_admin()
    forms = _policy_forms(posted=(workflow, state))
    form = forms.get((workflow, state))
    if form is None:
        raise NotFound(_("Not found"))
    try:
        days = (form.working_days.data or "").strip()
        service.set_deadline_policy(current_user, workflow, state, days, ip=request.remote_addr)
    except ValidationFailed as exc:
        errors = translated_errors(exc.errors)
        form.working_days.errors = [m for messages in errors.values() for m in messages]
        return _page(forms, status=422)
    flash(_("Saved."), "success")
    return redirect(url_for("web.admin_deadlines"))


@web.post("/admin/deadlines/days-off")
def admin_add_day_off():
    """Count one more day as a day off."""
    require_admin()
    form = DayOffForm()
    try:
        service.add_day_off(current_user, form.day.data, form.name.data, ip=request.remote_addr)
    except ValidationFailed as exc:
        set_errors(form, translated_errors(exc.errors))
        return _page(day_form=form, status=422)
    flash(_("Saved."), "success")
    return redirect(url_for("web.admin_deadlines"))


@web.post("/admin/deadlines/days-off/<day>/remove")
def admin_remove_day_off(day: str):
    """Make a day off a working day again."""
    require_admin()
    try:
        when = date.fromisoformat(day)
    except ValueError:
        raise NotFound(_("Not found")) from None
    service.remove_day_off(current_user, when, ip=request.remote_addr)
    flash(_("Saved."), "success")
    return redirect(url_for("web.admin_deadlines"))
