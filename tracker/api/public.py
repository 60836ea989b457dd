"""The public lookup: a case's status for whoever holds its reference and access code."""

from __future__ import annotations

from typing import Any

from flask import current_app

from tracker.api.auth import NO_AUTH, public
from tracker.api.blueprint import ApiBlueprint as Blueprint
from tracker.api.openapi import errors
from tracker.extensions import limiter
from tracker.schemas.misc import PublicCaseSchema, PublicLookupArgsSchema
from tracker.services.public import lookup_public_case

blp = Blueprint(
    "public",
    __name__,
    url_prefix="/api/v1/public",
    description="No login: the status of one case, for its reference and access code.",
)


def _public_limit() -> str:
    return current_app.config["API_PUBLIC_RATE_LIMIT"]


@blp.route("/cases/<reference:reference>", methods=["GET"])
@public
@limiter.limit(_public_limit)
@blp.arguments(PublicLookupArgsSchema, location="query")
@blp.response(200, PublicCaseSchema)
@errors(blp, 404, 429)
@blp.doc(security=NO_AUTH)
def lookup_case(args: dict[str, Any], reference: str) -> Any:
    """State, dates and public timeline; an unknown reference and a wrong code are both 404."""
    return lookup_public_case(reference, args["access_code"])
