"""The case page: fields, deadline, timeline, and the forms this user may submit now."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from tracker import access
from tracker.extensions import db
from tracker.models import Case, User
from tracker.raiser_channel import preferred_channel
from tracker.services.case_views import latest_referrals
from tracker.services.cases import add_comment, assign_case, get_case
from tracker.services.confidentiality import record_view, team_ids_of
from tracker.services.errors import Conflict, StaleVersion, ValidationFailed
from tracker.services.public_answer import feedback_for_closing
from tracker.services.public_summary import set_public_summary
from tracker.services.raisers import raiser_views
from tracker.services.referrals import answerable_referrals
from tracker.services.transitions import fire_trigger
from tracker.web import web
from tracker.web.choices import agency_label, staff_choices
from tracker.web.forms import AssignForm, CommentForm, as_int, form_values, set_errors
from tracker.web.helpers import day
from tracker.web.messages import translated_errors
from tracker.web.raiser_form import raiser_form
from tracker.web.related import related_panel
from tracker.web.timeline import visible_timeline
from tracker.web.transitions import state_label, transition_form, transition_forms, trigger_label
from tracker.workflow_registry import is_open, transition_of
from workflows import Transition
from workflows.vocabulary import LIST_TYPES


def _assign_form(case: Case, formdata: Any = None) -> AssignForm:
    form = AssignForm(formdata=formdata, data={"owner_id": str(case.owner_id or "")})
    form.owner_id.choices = staff_choices(_("— choose —"))
    form.version.data = str(case.version)
    return form


def team_names(case: Case) -> list[str]:
    """The names of the officers named on a confidential case besides its owner."""
    ids = team_ids_of(case)
    users = db.session.scalars(select(User).where(User.id.in_(ids))) if ids else []
    return sorted(u.name or u.email for u in users if u.id != case.owner_id)


def render_case(case: Case, forms: dict[str, FlaskForm] | None = None, status: int = 200):
    """Render the case page; ``forms`` replaces blank forms with submitted ones (and errors)."""
    forms = forms or {}
    actor = current_user._get_current_object()
    moves = {**transition_forms(case, actor), **forms.get("transitions", {})}
    # One owner control: when a next step asks for the owner, the step's field is it.
    owner_in_moves = any("owner_id" in form for form in moves.values())
    referrals = [
        r
        for r in case.referrals
        if access.can_see_referral(actor, case, r.agency_id, r.referred_at)
    ]
    answerable = answerable_referrals(actor, referrals)
    context = {
        "case": case,
        "personal": access.can_see_personal_data(actor, case),
        "raisers": raiser_views(actor, case),
        "raiser_form": forms.get("raiser")
        or (
            raiser_form(with_organisation=access.is_staff(actor))
            if access.can_add_raiser(actor, case)
            else None
        ),
        "channel": preferred_channel(case.channel, case.raised_by_email, case.raised_by_phone),
        "timeline": visible_timeline(actor, case),
        "moves": moves,
        "open_move": forms.get("open_move"),
        "assign_form": forms.get("assign")
        or (
            _assign_form(case) if access.can_edit_case(actor, case) and not owner_in_moves else None
        ),
        "comment_form": forms.get("comment")
        or (CommentForm(formdata=None) if access.can_comment(actor, case) else None),
        "may_edit": access.can_edit_case(actor, case),
        "team": team_names(case) if case.confidential else [],
        "may_write_internal": access.can_see_internal_notes(actor, case),
        "referrals": referrals,
        "agencies": header_agencies(actor, case),
        # What the officer asked, shown beside the answer box of the step that answers it.
        "asked": [r for r in referrals if r.id in answerable],
        "answers_referral": lambda trigger: (
            "answer_referral" in (transition_of(case.workflow, trigger).effects or ())
        ),
        # The raiser's "Was it resolved?" for this closing: a "no" asks staff to reopen.
        "feedback": feedback_for_closing(case) if access.is_staff(actor) else None,
        "new_codes": session.pop("new_codes", None),
        "trigger_label": lambda trigger: trigger_label(case.workflow, trigger),
        "state_label": lambda state: state_label(case.workflow, state),
        "related": related_panel(actor, case),
    }
    return render_template("case.html", **context), status


@web.get("/cases/<reference>")
def case_page(reference: str):
    """Show one case (a view of a confidential case is recorded in its timeline)."""
    case = get_case(current_user, reference)
    record_view(current_user, case, via="page", remote_addr=request.remote_addr)
    return render_case(case)


def _back(reference: str):
    return redirect(url_for("web.case_page", reference=reference))


def _refused(reference: str, error: Conflict | StaleVersion):
    """The case moved on meanwhile: say so and show it as it is now."""
    if isinstance(error, StaleVersion):
        flash(_("Someone else changed this case meanwhile. Check it and try again."), "error")
    else:
        flash(_("That action is not possible in the case's current state."), "error")
    return _back(reference)


@web.post("/cases/<reference>/transitions/<trigger>")
def fire_transition(reference: str, trigger: str):
    """Fire one trigger with the fields it requires; errors go back beside the fields."""
    case = get_case(current_user, reference)
    transition = transition_of(case.workflow, trigger)
    if transition is None:
        abort(404)
    form = transition_form(case, current_user, transition, formdata=request.form)
    values = form_values(form, list(transition.fields))
    for name, spec in transition.fields.items():
        if spec.type in ("user", "agency"):
            values[name] = as_int(values[name])
        elif spec.type in LIST_TYPES:
            values[name] = [as_int(v) for v in values[name] or [] if v]
    try:
        fire_trigger(
            current_user,
            reference,
            trigger,
            values,
            expected_version=as_int(form.version.data),
            remote_addr=request.remote_addr,
        )
    except ValidationFailed as exc:
        for message in set_errors(form, translated_errors(exc.errors)).values():
            flash(" ".join(message), "error")
        return render_case(case, {"transitions": {trigger: form}, "open_move": trigger}, 422)
    except (Conflict, StaleVersion) as exc:
        return _refused(reference, exc)
    flash(done_message(get_case(current_user, reference), transition), "success")
    return _back(reference)


def header_agencies(actor: User, case: Case) -> list[Any]:
    """The agencies at the top of the page: every one of the last referral the actor may see
    (a case referred to two at once names both), else the case's agency."""
    latest = [
        r.agency
        for r in latest_referrals(case)
        if access.can_see_referral(actor, case, r.agency_id, r.referred_at)
    ]
    return latest or ([case.agency] if case.agency else [])


def done_message(case: Case, transition: Transition) -> str:
    """Say what happened, the case as it is now: where it went and by when."""
    due = day(case.due_at) if case.due_at and is_open(case.state) else ""
    if "open_referral" in transition.effects and case.agency is not None:
        agencies = ", ".join(agency_label(r.agency) for r in latest_referrals(case))
        names = {"reference": case.reference, "agency": agencies, "date": due}
        if due:
            return _("%(reference)s sent to %(agency)s; due %(date)s.", **names)
        return _("%(reference)s sent to %(agency)s.", **names)
    names = {
        "reference": case.reference,
        "action": trigger_label(case.workflow, transition.trigger),
        "state": state_label(case.workflow, case.state),
        "date": due,
    }
    if due:
        return _("%(reference)s: %(action)s done; now %(state)s, due %(date)s.", **names)
    return _("%(reference)s: %(action)s done; now %(state)s.", **names)


@web.post("/cases/<reference>/assign")
def assign(reference: str):
    """Make an officer the owner of the case."""
    case = get_case(current_user, reference)
    form = _assign_form(case, formdata=request.form)
    form.version.data = request.form.get("version", "")
    values = form_values(form, ["owner_id"])
    try:
        assign_case(
            current_user,
            reference,
            values["owner_id"],
            expected_version=as_int(form.version.data),
            remote_addr=request.remote_addr,
        )
    except ValidationFailed as exc:
        set_errors(form, translated_errors(exc.errors))
        return render_case(case, {"assign": form}, 422)
    except StaleVersion as exc:
        return _refused(reference, exc)
    owner = get_case(current_user, reference).owner
    flash(
        _("%(reference)s now belongs to %(name)s.", reference=reference, name=owner.name)
        if owner
        else _("Owner changed."),
        "success",
    )
    return _back(reference)


@web.post("/cases/<reference>/comments")
def comment(reference: str):
    """Add a comment or more information to the case."""
    case = get_case(current_user, reference)
    form = CommentForm(formdata=request.form)
    try:
        add_comment(
            current_user,
            reference,
            form.body.data or "",
            internal=bool(form.internal.data),
            remote_addr=request.remote_addr,
        )
    except ValidationFailed as exc:
        set_errors(form, translated_errors(exc.errors))
        return render_case(case, {"comment": form}, 422)
    flash(_("Your comment was added."), "success")
    return _back(reference)


@web.post("/cases/<reference>/public-summary")
def write_public_summary(reference: str):
    """Write the public summary and, with "Approve and publish", make it public (staff)."""
    approve = request.form.get("approve") == "1"
    version = as_int(request.form.get("version"))
    try:
        set_public_summary(
            current_user,
            reference,
            request.form.get("public_summary", "")[:2100],
            approve=approve,
            expected_version=version if isinstance(version, int) else -1,
            remote_addr=request.remote_addr,
        )
    except ValidationFailed as exc:
        for messages in translated_errors(exc.errors).values():
            flash(" ".join(messages), "error")
        return _back(reference)
    except StaleVersion as exc:
        return _refused(reference, exc)
    flash(_("Public summary approved.") if approve else _("Public summary saved."), "success")
    return _back(reference)
