"""A form per workflow trigger, built from the fields its definition asks for; its labels."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from wtforms import Field, SelectField, SelectMultipleField, TextAreaField

from tracker import access
from tracker.models import Case, User
from tracker.services.referral_answers import open_referrals
from tracker.services.transitions import available_triggers
from tracker.web.choices import (
    agency_choices,
    agency_label,
    category_choices,
    language,
    staff_choices,
)
from tracker.web.forms import NEEDED, TransitionFormBase
from tracker.workflow_registry import registry, transition_of
from workflows import Transition
from workflows.spec import Field as FieldSpec
from workflows.vocabulary import LIST_TYPES


def _in_language(label: Any, fallback: str) -> str:
    """A definition label ({en, km}) in the reader's language."""
    return (label or {}).get(language()) or fallback


def trigger_label(workflow: str, trigger: str) -> str:
    """The button of a trigger, in the reader's language (from its definition)."""
    transition = transition_of(workflow, trigger)
    return _in_language(transition.label if transition else None, trigger.replace("_", " "))


def state_label(workflow: str, state: str | None) -> str:
    """A state of a workflow, in the reader's language (from its definition)."""
    return registry().state_label(state, language(), workflow) if state else ""


def field_label(transition: Transition, name: str) -> str:
    """The label of a field a trigger asks for."""
    spec = transition.fields.get(name)
    return _in_language(spec.label if spec else None, name.replace("_", " ").capitalize())


def choice_label(spec: FieldSpec, value: str) -> str:
    """One choice of a choice field, in the reader's language."""
    return _in_language(spec.choices.get(value), value)


def _field(transition: Transition, spec: FieldSpec) -> Field:
    label = field_label(transition, spec.name)
    extra = {"maxlength": spec.max} if spec.max else {}
    needed = NEEDED if spec.required else []
    if spec.type == "text":
        return TextAreaField(label, needed, render_kw={"rows": 3, **extra})
    if spec.type in LIST_TYPES:  # several at once (hold Ctrl, or tap each on a phone)
        return SelectMultipleField(
            label, needed, choices=[], validate_choice=False, render_kw={"size": 4}
        )
    return SelectField(label, needed, choices=[], validate_choice=False)


def _choices(spec: FieldSpec) -> list[tuple[str, str]]:
    blank = _("— choose —")
    if spec.type == "user":
        return staff_choices(blank)
    if spec.type == "category":
        return category_choices(blank)
    if spec.type == "agency":
        return agency_choices(blank)
    if spec.type == "agencies":
        return agency_choices()
    return [("", blank)] + [(c, choice_label(spec, c)) for c in spec.choices]


def _defaults(case: Case, actor: User) -> dict[str, Any]:
    owner = case.owner_id or (actor.id if access.is_staff(actor) else None)
    return {
        "owner_id": str(owner or ""),
        "category": case.category or "",
        "agency_id": str(case.agency_id or ""),
        "agency_ids": [str(case.agency_id)] if case.agency_id else [],
        "version": str(case.version),
    }


def _answering_choices(form: TransitionFormBase, case: Case, actor: User, name: str) -> None:
    """The agency a response answers: one of the open referrals (an agency user: its own)."""
    agencies = [r.agency for r in open_referrals(case)]
    if actor.role == "agency":
        agencies = [a for a in agencies if a.id == actor.agency_id]
    choices = [(str(a.id), agency_label(a)) for a in agencies]
    if len(choices) == 1:
        form[name].choices = choices
        form[name].data = choices[0][0] if form[name].data not in dict(choices) else form[name].data
        return
    form[name].choices = [("", _("— choose —")), *choices]
    if form[name].data not in dict(choices):
        form[name].data = ""


def transition_form(
    case: Case, actor: User, transition: Transition, formdata: MultiDict | None = None
) -> TransitionFormBase:
    """The form of one trigger: exactly its fields, plus the case version."""
    form_class = type(
        f"{transition.trigger.title()}Form",
        (TransitionFormBase,),
        {name: _field(transition, spec) for name, spec in transition.fields.items()},
    )
    form = form_class(formdata=formdata, prefix=transition.trigger, data=_defaults(case, actor))
    for name, spec in transition.fields.items():
        if spec.type == "agency" and "answer_referral" in transition.effects:
            _answering_choices(form, case, actor, name)
        elif isinstance(form[name], SelectField | SelectMultipleField):
            form[name].choices = _choices(spec)
        if spec.type == "user" and case.owner_id is None:
            form[name].description = _(
                "Nobody owns this case yet: the person chosen here becomes its owner."
            )
    return form


def transition_forms(case: Case, actor: User) -> dict[str, TransitionFormBase]:
    """A blank form for each trigger this actor may fire on this case now; a trigger that names
    another case (the merge) has its own page, which shows both cases before it fires."""
    workflow = registry().workflow(case.workflow)
    return {
        trigger: transition_form(case, actor, workflow.transition(trigger), formdata=None)
        for trigger in available_triggers(actor, case)
        if not _names_a_case(workflow.transition(trigger))
    }


def _names_a_case(transition: Transition) -> bool:
    return any(spec.type == "case" for spec in transition.fields.values())
