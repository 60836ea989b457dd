"""Related cases on the web: the case page's links and merges, the merge page with its confirm
step, and the similar open concerns a new concern's form suggests."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField

from tracker import access
from tracker.extensions import db
from tracker.models import Case, User
from tracker.services.cases import get_case
from tracker.services.errors import Conflict, NotFound, StaleVersion, ValidationFailed
from tracker.services.links import link_cases, linked_cases, unlink_cases
from tracker.services.merge import merge_case, merge_transition
from tracker.services.raisers import CASE_FIELD_OF, add_raiser
from tracker.services.similar import SimilarCase, similar_cases
from tracker.services.transitions import available_triggers
from tracker.web import web
from tracker.web.forms import NEEDED, as_int, set_errors
from tracker.web.messages import translated, translated_errors


class LinkForm(FlaskForm):
    """Link this case to a related one."""

    reference = StringField(_l("Reference of the related case"), NEEDED)


class MergeForm(FlaskForm):
    """Merge this case into the case it duplicates (asked, then confirmed)."""

    into = StringField(_l("Reference of the case it duplicates"), NEEDED)
    note = TextAreaField(_l("Note"), render_kw={"rows": 3, "maxlength": 20000})
    version = HiddenField()


def may_merge(actor: User, case: Case) -> bool:
    """Tell whether the actor may merge this case into another now."""
    transition = merge_transition(case.workflow)
    return transition is not None and transition.trigger in available_triggers(actor, case)


def related_panel(actor: User, case: Case) -> dict[str, Any]:
    """What the case page shows of related cases, and the forms the actor may use."""
    merged_into = case.merged_into
    merged_here = access.visible_cases(actor).where(Case.merged_into_id == case.id)
    return {
        "links": linked_cases(actor, case),
        "merged_into": merged_into
        if merged_into is not None and access.can_view_case(actor, merged_into)
        else None,
        "merged_here": list(db.session.scalars(merged_here.order_by(Case.id))),
        "link_form": LinkForm(formdata=None) if access.can_edit_case(actor, case) else None,
        "may_merge": may_merge(actor, case),
    }


def _back(reference: str):
    return redirect(url_for("web.case_page", reference=reference))


def _flash_errors(exc: ValidationFailed) -> None:
    for messages in translated_errors(exc.errors).values():
        flash(" ".join(messages), "error")


@web.post("/cases/<reference>/links")
def link_case(reference: str):
    """Link the case to a related one (staff)."""
    form = LinkForm(formdata=request.form)
    try:
        other = link_cases(
            current_user, reference, form.reference.data or "", remote_addr=request.remote_addr
        )
    except ValidationFailed as exc:
        _flash_errors(exc)
        return _back(reference)
    except Conflict as exc:
        flash(translated(exc.detail), "error")
        return _back(reference)
    flash(_("%(reference)s linked to %(other)s.", reference=reference, other=other.reference))
    return _back(reference)


@web.post("/cases/<reference>/links/<other>/remove")
def unlink_case(reference: str, other: str):
    """Remove the link between two cases (staff)."""
    try:
        unlink_cases(current_user, reference, other, remote_addr=request.remote_addr)
    except ValidationFailed as exc:
        _flash_errors(exc)
        return _back(reference)
    flash(_("The link to %(other)s was removed.", other=other), "success")
    return _back(reference)


def _merge_page(case: Case, form: MergeForm, into: Case | None, status: int = 200):
    return render_template("merge.html", case=case, form=form, into=into), status


@web.route("/cases/<reference>/merge", methods=["GET", "POST"])
def merge_page(reference: str):
    """Ask which case this one duplicates, show both to confirm, then merge (staff)."""
    case = get_case(current_user, reference)
    if not may_merge(current_user, case):
        flash(_("That action is not possible in the case's current state."), "error")
        return _back(reference)
    form = MergeForm(formdata=request.form if request.method == "POST" else request.args)
    form.version.data = form.version.data or str(case.version)
    wanted = (form.into.data or "").strip().upper()
    if not wanted:
        return _merge_page(case, form, None)
    try:
        into = get_case(current_user, wanted)
    except NotFound:
        set_errors(form, {"into": [_("No case %(reference)s.", reference=wanted)]})
        return _merge_page(case, form, None, 422)
    if request.method == "GET" or request.form.get("confirm") != "1":
        return _merge_page(case, form, into)  # the confirm step
    try:
        merge_case(
            current_user,
            reference,
            wanted,
            note=(form.note.data or "").strip(),
            expected_version=as_int(form.version.data),
            remote_addr=request.remote_addr,
        )
    except ValidationFailed as exc:
        set_errors(form, translated_errors(exc.errors))
        return _merge_page(case, form, None, 422)
    except (Conflict, StaleVersion):
        flash(_("Someone else changed this case meanwhile. Check it and try again."), "error")
        return _back(reference)
    flash(_("%(reference)s merged into %(into)s.", reference=reference, into=wanted), "success")
    return redirect(url_for("web.case_page", reference=wanted))


# The upload preview looks for similar open cases for this many of the file's new rows (each is
# one query; a national file of tens of thousands of rows is checked by its first rows only).
PREVIEW_SIMILAR_ROWS = 50


def similar_rows(
    checked: list[dict[str, Any]], todo: list[int], lines: list[int]
) -> list[tuple[int, str, list[SimilarCase]]]:
    """(line in the file, title, similar open cases) for the first new rows that have any."""
    found = []
    for index in todo[:PREVIEW_SIMILAR_ROWS]:
        row = checked[index]
        items = suggestions_for(row.get("title") or "", row.get("description") or "")
        if items:
            found.append((lines[index], row.get("title") or "", items))
    return found


# "Add me to GRV-…": the new-concern form's raiser fields, as a raiser's (raisers.CASE_FIELD_OF).
# The consent box goes too: ticked on the form, it must not be lost by joining instead.
JOIN_FIELDS = {
    case: raiser for raiser, case in CASE_FIELD_OF.items() if raiser != "organisation_id"
} | {"consent_share": "consent_share"}


@web.post("/cases/<reference>/join")
def join_case(reference: str):
    """The person of a new concern joins the similar case instead (a raiser of it, their own
    access code, shown once); nothing new is logged."""
    case = get_case(current_user, reference)
    fields = {raiser: request.form.get(name, "") for name, raiser in JOIN_FIELDS.items()}
    fields = {name: value for name, value in fields.items() if value not in ("", None)}
    try:
        _raiser, code = add_raiser(
            case, fields, actor=current_user, remote_addr=request.remote_addr
        )
    except ValidationFailed as exc:
        _flash_errors(exc)
        return redirect(url_for("web.new_case"))
    if access.is_staff(current_user):  # an officer logs for someone else: not "you"
        message = _(
            "The raiser was added to %(reference)s; their access code is %(code)s.",
            reference=case.reference,
            code=code,
        )
    else:
        message = _(
            "You were added to %(reference)s; your access code is %(code)s.",
            reference=case.reference,
            code=code,
        )
    flash(message, "success")
    return _back(case.reference)


def suggestions_for(title: str, description: str = "") -> list[SimilarCase]:
    """Open cases like a new concern: by its title, else by its description."""
    text = (title or "").strip() or (description or "").strip()
    return similar_cases(text, actor=current_user)


@web.get("/cases/similar")
def similar_fragment():
    """The suggestions for the title and description typed so far (an HTML fragment that the
    new-concern form fetches; without JavaScript its "Check for similar concerns" does it)."""
    items = suggestions_for(request.args.get("title", ""), request.args.get("description", ""))
    return render_template(
        "_similar.html", similar=items, checked=True, join_endpoint="web.join_case"
    )
