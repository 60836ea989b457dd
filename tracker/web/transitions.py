"""A form per workflow trigger, built from the fields the trigger requires."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import Field, SelectField, StringField, TextAreaField

from tracker import access
from tracker.models import Case, User
from tracker.services.transitions import available_triggers
from tracker.web.choices import agency_choices, category_choices, code_label, staff_choices
from tracker.web.forms import TransitionFormBase
from workflows import Transition, engine_for

TRIGGER_LABELS = {
    "analyse": _l("Analyse"),
    "refer": _l("Refer to an agency"),
    "respond": _l("Record the response"),
    "close": _l("Close the case"),
    "reopen": _l("Reopen"),
}
TRIGGER_VERBS = {
    "analyse": _l("analyse"),
    "refer": _l("refer"),
    "respond": _l("respond"),
    "close": _l("close"),
    "reopen": _l("reopen"),
}
FIELD_LABELS = {
    "owner_id": _l("Owner"),
    "category": _l("Category"),
    "agency_id": _l("Agency"),
    "outcome": _l("Outcome"),
    "response": _l("Response of the agency"),
    "resolution": _l("Resolution summary"),
    "reason": _l("Reason for reopening"),
    "note": _l("Note"),
    ("analyse", "note"): _l("Analysis note"),
    ("refer", "note"): _l("Referral note"),
}
TEXT_FIELDS = frozenset({"note", "response", "resolution", "reason"})


def trigger_label(trigger: str) -> str:
    """The button of a trigger, in the reader's language."""
    label = TRIGGER_LABELS.get(trigger)
    return str(label) if label else trigger.replace("_", " ").capitalize()


def trigger_verb(trigger: str) -> str:
    """The trigger as a short verb (for the diagram)."""
    verb = TRIGGER_VERBS.get(trigger)
    return str(verb) if verb else trigger.replace("_", " ")


def field_label(name: str, trigger: str | None = None) -> str:
    """The label of a field a trigger requires."""
    label = FIELD_LABELS.get((trigger, name)) or FIELD_LABELS.get(name)
    return str(label) if label else name.replace("_", " ").capitalize()


def _field(transition: Transition, name: str) -> Field:
    label = field_label(name, transition.trigger)
    if name in TEXT_FIELDS:
        return TextAreaField(label, render_kw={"rows": 3})
    if name in {"owner_id", "category", "agency_id"} or name in transition.choices:
        return SelectField(label, choices=[], validate_choice=False)
    return StringField(label)


def _choices(transition: Transition, name: str) -> list[tuple[str, str]]:
    blank = _("— choose —")
    if name == "owner_id":
        return staff_choices(blank)
    if name == "category":
        return category_choices(blank)
    if name == "agency_id":
        return agency_choices(blank)
    if name == "outcome":
        return [("", blank)] + [(c, code_label("outcome", c)) for c in transition.choices[name]]
    return [("", blank)] + [(c, c) for c in transition.choices.get(name, ())]


def _defaults(case: Case, actor: User) -> dict[str, Any]:
    owner = case.owner_id or (actor.id if access.is_staff(actor) else None)
    return {
        "owner_id": str(owner or ""),
        "category": case.category or "",
        "agency_id": str(case.agency_id or ""),
        "version": str(case.version),
    }


def transition_form(
    case: Case, actor: User, transition: Transition, formdata: MultiDict | None = None
) -> TransitionFormBase:
    """The form of one trigger: exactly its required fields, plus the case version."""
    form_class = type(
        f"{transition.trigger.title()}Form",
        (TransitionFormBase,),
        {name: _field(transition, name) for name in transition.required},
    )
    form = form_class(formdata=formdata, prefix=transition.trigger, data=_defaults(case, actor))
    for name in transition.required:
        if isinstance(form[name], SelectField):
            form[name].choices = _choices(transition, name)
    return form


def transition_forms(case: Case, actor: User) -> dict[str, TransitionFormBase]:
    """A blank form for each trigger this actor may fire on this case now."""
    workflow = engine_for(case.workflow).workflow
    return {
        trigger: transition_form(case, actor, workflow.transition(trigger), formdata=None)
        for trigger in available_triggers(actor, case)
    }
