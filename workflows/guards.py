"""Pure guard predicates: each says whether a transition may fire and, if not, why."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from workflows.spec import Transition
from workflows.vocabulary import LIST_TYPES, MAX_LIST_ITEMS


def _verb(transition: Transition) -> str:
    """Return the trigger as words for messages ("request_info" -> "request info")."""
    return transition.trigger.replace("_", " ")


def _one_of(names: Iterable[str], last: str) -> str:
    """Join names as "a, b or c"."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {last} {names[-1]}"


def is_blank(value: object) -> bool:
    """Tell whether a field value counts as missing (None, whitespace, empty collection)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, Collection):
        return len(value) == 0
    return False


def may_fire_from(transition: Transition, state: str) -> tuple[bool, str]:
    """Check that the transition may fire from `state`."""
    if state in transition.sources:
        return True, ""
    return False, f"Cannot {_verb(transition)} a case that is {state}."


def role_may_fire(transition: Transition, role: str | None) -> tuple[bool, str]:
    """Check that `role` is one of the roles allowed to fire the transition."""
    if role is not None and role in transition.roles:
        return True, ""
    return False, f"Only {_one_of(sorted(transition.roles), 'or')} may {_verb(transition)}."


def valid_choice(value: object, choices: Collection[str]) -> tuple[bool, str]:
    """Check that `value` is one of `choices`."""
    if isinstance(value, str) and value in choices:
        return True, ""
    return False, f"Must be one of: {', '.join(choices)}."


def has_required_fields(transition: Transition, data: Mapping[str, object]) -> dict[str, list[str]]:
    """Return an error per missing or blank required field (empty when all are present)."""
    message = f"Required to {_verb(transition)}."
    return {name: [message] for name in transition.required if is_blank(data.get(name))}


def choice_errors(transition: Transition, data: Mapping[str, object]) -> dict[str, list[str]]:
    """Return an error per present field whose value is not one of its choices."""
    errors: dict[str, list[str]] = {}
    for name, choices in transition.choices.items():
        value = data.get(name)
        if is_blank(value):
            continue
        ok, reason = valid_choice(value, choices)
        if not ok:
            errors[name] = [reason]
    return errors


def _is_id(value: object) -> bool:
    """Tell a record id (a positive whole number, not a boolean) from anything else."""
    return type(value) is int and value >= 1


def type_errors(transition: Transition, data: Mapping[str, object]) -> dict[str, list[str]]:
    """Return an error per present field of the wrong kind, or text longer than its max."""
    errors: dict[str, list[str]] = {}
    for name, spec in transition.fields.items():
        value = data.get(name)
        if is_blank(value) or spec.choices:
            continue
        if spec.type in ("user", "agency") and not _is_id(value):
            errors[name] = ["Must be the id of a record."]
        elif spec.type in LIST_TYPES and not (
            isinstance(value, list | tuple) and all(_is_id(v) for v in value)
        ):
            errors[name] = ["Must be a list of record ids."]
        elif spec.type in LIST_TYPES and len(value) > MAX_LIST_ITEMS:
            errors[name] = [f"Must name at most {MAX_LIST_ITEMS}."]
        elif spec.type in ("text", "category", "case") and not isinstance(value, str):
            errors[name] = ["Must be text."]
        elif spec.max is not None and isinstance(value, str) and len(value) > spec.max:
            errors[name] = [f"Must be text of at most {spec.max} characters."]
    return errors


def field_errors(transition: Transition, data: Mapping[str, object]) -> dict[str, list[str]]:
    """Return every field error of the data for this transition, in field order."""
    found = {
        **type_errors(transition, data),
        **has_required_fields(transition, data),
        **choice_errors(transition, data),
    }
    return {name: found[name] for name in transition.fields if name in found}
