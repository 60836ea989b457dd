"""Related cases: similar open concerns, links between cases, merging a duplicate."""

from __future__ import annotations

from typing import Any

from flask import request

from tracker.api.auth import current_actor
from tracker.api.blueprint import ApiBlueprint as Blueprint
from tracker.api.cases import _case_response
from tracker.api.etag import ETAG_HEADER, IF_MATCH_OPTIONAL, expected_version
from tracker.api.openapi import errors
from tracker.schemas.cases import CaseSchema
from tracker.schemas.related import (
    LinkBodySchema,
    LinksSchema,
    MergeBodySchema,
    SimilarArgsSchema,
    SimilarPageSchema,
)
from tracker.services.cases import get_case
from tracker.services.links import link_cases, linked_cases
from tracker.services.merge import merge_case
from tracker.services.similar import similar_cases

blp = Blueprint(
    "related",
    __name__,
    url_prefix="/api/v1/cases",
    description="Related cases: similar open concerns, links, merging a duplicate.",
)


@blp.route("/similar", methods=["GET"])
@blp.arguments(SimilarArgsSchema, location="query")
@blp.response(200, SimilarPageSchema)
@errors(blp, 401)
def similar(args: dict[str, Any]) -> dict[str, Any]:
    """Open cases you may see whose title or description is like ``text`` (English or Khmer)."""
    return {"items": similar_cases(args["text"], actor=current_actor(), limit=args["limit"])}


def _links(reference: str) -> dict[str, Any]:
    actor = current_actor()
    return {"items": linked_cases(actor, get_case(actor, reference))}


@blp.route("/<reference:reference>/links", methods=["GET"])
@blp.response(200, LinksSchema)
@errors(blp, 401, 404)
def list_links(reference: str) -> dict[str, Any]:
    """The cases linked to this one (those you may see)."""
    return _links(reference)


@blp.route("/<reference:reference>/links", methods=["POST"])
@blp.arguments(LinkBodySchema)
@blp.response(201, LinksSchema)
@errors(blp, 401, 403, 404, 409, 415)
def create_link(data: dict[str, Any], reference: str) -> dict[str, Any]:
    """Link a related case (staff); both cases show the link, both timelines record it."""
    link_cases(current_actor(), reference, data["reference"], remote_addr=request.remote_addr)
    return _links(reference)


@blp.route("/<reference:reference>/merge", methods=["POST"])
@blp.arguments(MergeBodySchema)
@blp.response(200, CaseSchema, headers=ETAG_HEADER)
@errors(blp, 401, 403, 404, 409, 412, 415)
@blp.doc(parameters=[IF_MATCH_OPTIONAL])
def merge(data: dict[str, Any], reference: str) -> Any:
    """Close this case as a duplicate of ``into`` (staff): its raisers follow that case."""
    case = merge_case(
        current_actor(),
        reference,
        data["into"],
        note=data["note"],
        expected_version=expected_version(reference, required=False),
        remote_addr=request.remote_addr,
    )
    return _case_response(case)
