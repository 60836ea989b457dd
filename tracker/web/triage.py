"""Bulk triage from the case list: the chosen cases assigned, analysed or referred together."""

from __future__ import annotations

from collections.abc import Sequence

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from tracker import access
from tracker.extensions import db
from tracker.models import Case, User
from tracker.services.bulk import ASSIGN, BulkRefused, act_on_cases
from tracker.services.errors import PermissionDenied, ValidationFailed
from tracker.web import web
from tracker.web.choices import agency_choices, category_choices, staff_choices
from tracker.web.forms import as_int
from tracker.web.messages import translated

BULK_ACTIONS = (ASSIGN, "analyse", "refer")
ACTION_FIELDS = {
    ASSIGN: ("owner_id",),
    "analyse": ("owner_id", "category", "note"),
    "refer": ("agency_id", "note"),
}


def bulk_choices() -> dict:
    """The options of the action bar (staff only)."""
    if not access.is_staff(current_user):
        return {}
    return {
        "actions": [
            (ASSIGN, _("Assign owner")),
            ("analyse", _("Analyse")),
            ("refer", _("Refer to an agency")),
        ],
        "owners": staff_choices(_("— choose —")),
        "agencies": agency_choices(_("— choose —")),
        "categories": category_choices(_("Keep each case's category")),
    }


def owner_names(cases: Sequence[Case]) -> dict[int, str]:
    """The names of the owners of these cases, in one query (the list's owner column)."""
    ids = {case.owner_id for case in cases if case.owner_id is not None}
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.name, User.email).where(User.id.in_(ids)))
    return {user_id: name or email for user_id, name, email in rows}


def _action_data(action: str) -> dict:
    """The fields the action needs, from the action bar."""
    data: dict = {}
    for name in ACTION_FIELDS[action]:
        value = (request.form.get(name) or "").strip()
        if name.endswith("_id"):
            data[name] = as_int(value) if value else None
        elif value:
            data[name] = value
    return data


def _back_to_list(path: str) -> str:
    """The case list as it was (its own path only: never another site)."""
    if path.startswith("/cases?") or path == "/cases":
        return path
    return url_for("web.case_list")


@web.post("/cases/bulk")
def bulk_triage():
    """Apply the action bar to the ticked cases: all change, or none and each refusal named."""
    if not access.is_staff(current_user):
        raise PermissionDenied(_("Only staff triage cases in bulk."))
    action = request.form.get("action", "")
    references = request.form.getlist("references")
    back = redirect(_back_to_list(request.form.get("back", "")))
    if action not in BULK_ACTIONS:
        flash(_("Choose what to do with the chosen cases."), "error")
        return back
    try:
        cases = act_on_cases(
            current_user, references, action, _action_data(action), remote_addr=request.remote_addr
        )
    except BulkRefused as refused:
        flash(_("No case was changed: some refused."), "error")
        for reference, reasons in refused.errors.items():
            flash(f"{reference}: " + " ".join(translated(r) for r in reasons), "error")
        return back
    except ValidationFailed as failed:
        flash(translated(failed.detail), "error")
        return back
    flash(ngettext("%(num)d case changed.", "%(num)d cases changed.", len(cases)), "success")
    return back
