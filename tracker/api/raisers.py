"""A case's raisers: list them, add one (who gets their own access code)."""

from __future__ import annotations

from typing import Any

from flask import request

from tracker.api.auth import current_actor
from tracker.api.blueprint import ApiBlueprint as Blueprint
from tracker.api.openapi import errors
from tracker.schemas.raisers import CreatedRaiserSchema, RaiserCreateSchema, RaiserListSchema
from tracker.services.cases import get_case
from tracker.services.raisers import add_raiser, raiser_views

blp = Blueprint(
    "raisers",
    __name__,
    url_prefix="/api/v1/cases",
    description="Several raisers on one case, each with their own access code.",
)


@blp.route("/<reference:reference>/raisers", methods=["GET"])
@blp.response(200, RaiserListSchema)
@errors(blp, 401, 404)
def list_raisers(reference: str) -> dict[str, Any]:
    """The case's raisers, first to last; personal data only where you may see it."""
    actor = current_actor()
    return {"items": raiser_views(actor, get_case(actor, reference))}


@blp.route("/<reference:reference>/raisers", methods=["POST"])
@blp.arguments(RaiserCreateSchema)
@blp.response(201, CreatedRaiserSchema)
@errors(blp, 401, 403, 404, 415)
def create_raiser(data: dict[str, Any], reference: str) -> dict[str, Any]:
    """Add a raiser (staff; a representative for their organisation); the answer carries
    their own access code, this once. They are acknowledged on their channel."""
    actor = current_actor()
    case = get_case(actor, reference)
    raiser, code = add_raiser(case, data, actor=actor, remote_addr=request.remote_addr)
    [view] = [v for v in raiser_views(actor, case) if v["id"] == raiser.id]
    return {**view, "access_code": code}
