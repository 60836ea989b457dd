"""Bulk triage from the case list: the chosen cases assigned, analysed or referred together."""

from __future__ import annotations

from collections.abc import Sequence

from flask import flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from tracker import access
from tracker.extensions import db
from tracker.models import Case, User
from tracker.services.bulk import ASSIGN, BulkRefused, act_on_cases
from tracker.services.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from tracker.web import web
from tracker.web.choices import agency_choices, category_choices, staff_choices
from tracker.web.forms import as_int
from tracker.web.messages import translated
from tracker.web.transitions import state_label

BULK_ACTIONS = (ASSIGN, "analyse", "refer")
ACTION_FIELDS = {
    ASSIGN: ("owner_id",),
    "analyse": ("owner_id", "category", "note"),
    "refer": ("agency_ids", "note"),
}


KEPT = "bulk_form"  # session key: the action bar and ticks of a refused bulk action


def _action_names() -> dict[str, str]:
    return {
        ASSIGN: _("Assign owner"),
        "analyse": _("Analyse"),
        "refer": _("Refer to an agency"),
    }


def _field_names() -> dict[str, str]:
    return {
        "owner_id": _("Owner"),
        "category": _("Category"),
        "agency_ids": _("Agencies"),
        "note": _("Note"),
    }


def bulk_choices() -> dict:
    """The options of the action bar (staff only), and what was chosen when it was refused
    (``kept``: the ticked references and the fields, so nothing need be chosen again)."""
    if not access.is_staff(current_user):
        return {}
    return {
        "actions": list(_action_names().items()),
        "owners": staff_choices(_("— choose —")),
        "agencies": agency_choices(),
        "categories": category_choices(_("Keep each case's category")),
        "kept": session.pop(KEPT, None) or {"references": [], "fields": {}},
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
        if name.endswith("_ids"):  # several chosen (a refer to several agencies at once)
            data[name] = [as_int(v) for v in request.form.getlist(name) if v.strip()]
        elif name.endswith("_id"):
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
        for message in refusal_messages(action, refused):
            flash(message, "error")
        _keep(action, references)
        return back
    except ValidationFailed as failed:
        flash(translated(failed.detail), "error")
        return back
    flash(ngettext("%(num)d case changed.", "%(num)d cases changed.", len(cases)), "success")
    return back


KEEP_REFERENCES = 100  # the session is a cookie (4 KB): a page of ticks, a short note
KEEP_NOTE = 1000


def _keep(action: str, references: list[str]) -> None:
    """Remember the refused action bar for the list it goes back to."""
    fields = {name: request.form.get(name, "") for name in _field_names()}
    fields["agency_ids"] = request.form.getlist("agency_ids")[:20]
    if len(fields["note"]) > KEEP_NOTE:
        fields["note"] = ""
    session[KEPT] = {
        "references": references[:KEEP_REFERENCES],
        "fields": {"action": action, **fields},
    }


def refusal_messages(action: str, refused: BulkRefused) -> list[str]:
    """The refusals in the reader's language: each case in the wrong state (or unknown) named
    with its state, and each missing or wrong field said once, not once per case."""
    doing = _action_names().get(action, action)
    messages: list[str] = []
    fields: dict[tuple[str, str], None] = {}
    for reference, error in refused.refusals.items():
        if isinstance(error, Conflict) and error.state:
            messages.append(
                _(
                    "%(reference)s: “%(action)s” is not possible while the case is “%(state)s”.",
                    reference=reference,
                    action=doing,
                    state=state_label("", error.state),
                )
            )
        elif isinstance(error, NotFound):
            messages.append(_("%(reference)s: no such case.", reference=reference))
        elif isinstance(error, ValidationFailed) and "trigger" in error.errors:
            messages.append(
                _(
                    "%(reference)s: “%(action)s” is not a step of this case's workflow.",
                    reference=reference,
                    action=doing,
                )
            )
        elif isinstance(error, ValidationFailed) and error.errors:
            for name, texts in error.errors.items():
                label = _field_names().get(name, name)
                fields[(label, " ".join(translated(t) for t in texts))] = None
        else:
            messages.append(f"{reference}: {_detail(error)}")
    return messages + [
        _("%(field)s: %(message)s", field=label, message=text) for label, text in fields
    ]


def _detail(error: DomainError) -> str:
    return translated(error.detail) or error.detail
