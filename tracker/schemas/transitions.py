"""The API's transition bodies, derived from the workflow definitions (no trigger named here).

Each trigger of each workflow gets a schema of exactly its fields (types, lengths, choices);
whether a field is required is the engine's call, after it has checked that the trigger may
fire now (so a trigger not allowed answers 409 before its missing fields answer 422).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from marshmallow import INCLUDE, RAISE, Schema, ValidationError, fields, validate

from tracker.schemas.common import Text, record_id
from tracker.services.errors import ValidationFailed
from workflows import Field, Transition, WorkflowRegistry
from workflows.vocabulary import LIST_TYPES, MAX_LIST_ITEMS

TRANSITIONS_PATH = "/api/v1/cases/{reference}/transitions"


class TriggerSchema(Schema):
    """A transition request: the trigger and the fields it asks for (see GET /api/v1/workflows)."""

    class Meta:
        unknown = INCLUDE

    trigger = Text(required=True, validate=validate.Length(1, 40))


def _field(spec: Field) -> fields.Field:
    """The marshmallow field of one definition field."""
    about = {"description": f"{spec.label['en']}{' (required)' if spec.required else ''}"}
    if spec.type in ("user", "agency"):
        return record_id(allow_none=True, metadata=about)
    if spec.type in LIST_TYPES:
        return fields.List(
            record_id(), allow_none=True, validate=validate.Length(max=MAX_LIST_ITEMS),
            metadata=about,
        )  # fmt: skip
    if spec.type == "choice":
        return Text(validate=validate.OneOf(list(spec.choices)), metadata=about)
    if spec.type in ("category", "case"):
        return Text(allow_none=True, validate=validate.Length(max=40), metadata=about)
    return Text(validate=validate.Length(max=spec.max), metadata=about)


@lru_cache(maxsize=256)
def transition_schema(workflow: str, transition: Transition) -> type[Schema]:
    """The schema of one trigger's body: `trigger` and exactly the trigger's fields."""
    members: dict[str, Any] = {name: _field(spec) for name, spec in transition.fields.items()}
    for spec in transition.fields.values():
        if spec.single is not None:  # one value alone, under its older name
            members[spec.single] = record_id(
                allow_none=True, metadata={"description": f"One of {spec.name}, alone."}
            )
    members["trigger"] = Text(required=True, validate=validate.OneOf([transition.trigger]))
    name = f"Transition_{workflow}_{transition.trigger}"
    return Schema.from_dict(members, name=name)


def load_transition_body(
    workflow: str, transition: Transition, body: dict[str, Any]
) -> dict[str, Any]:
    """Check a body against its trigger's schema (unknown fields refused); 422 names fields."""
    try:
        return transition_schema(workflow, transition)(unknown=RAISE).load(body)
    except ValidationError as exc:
        errors = exc.normalized_messages()
        raise ValidationFailed(
            "Some fields are missing or invalid.",
            {k: v if isinstance(v, list) else [str(v)] for k, v in errors.items()},
        ) from exc


def document_transitions(spec: Any, registry: WorkflowRegistry) -> None:
    """Describe the transition body in the OpenAPI document: any trigger of any workflow."""
    refs = []
    for name in registry.names():
        for transition in registry.workflow(name).transitions:
            schema = transition_schema(name, transition)
            component = f"Transition_{name}_{transition.trigger}"
            spec.components.schema(component, schema=schema)
            refs.append({"$ref": f"#/components/schemas/{component}"})
    operation = spec._paths[TRANSITIONS_PATH]["post"]
    operation["requestBody"]["content"]["application/json"]["schema"] = {"anyOf": refs}
