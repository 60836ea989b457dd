"""Case routes: log, list, read, edit, fire transitions, read the timeline, comment."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for

from tracker.api.auth import current_actor
from tracker.api.blueprint import ApiBlueprint as Blueprint
from tracker.api.etag import (
    ETAG_HEADER,
    IF_MATCH_OPTIONAL,
    IF_MATCH_REQUIRED,
    expected_version,
    with_etag,
)
from tracker.api.openapi import errors
from tracker.models import Case
from tracker.schemas.cases import (
    CaseCreateSchema,
    CaseListArgsSchema,
    CasePageSchema,
    CaseSchema,
    CaseUpdateSchema,
    CommentCreateSchema,
    CommentSchema,
    CreatedCaseSchema,
    EventPageSchema,
    PublicSummarySchema,
)
from tracker.schemas.common import PageArgsSchema, page_body
from tracker.schemas.transitions import TriggerSchema, load_transition_body
from tracker.services.case_queries import CaseFilters, Page, search_cases
from tracker.services.case_views import case_view, case_views, visible_events
from tracker.services.cases import add_comment, edit_case, get_case
from tracker.services.confidentiality import record_view
from tracker.services.idempotency import fingerprint, log_case_once
from tracker.services.public_summary import set_public_summary
from tracker.services.transitions import fire_trigger
from tracker.workflow_registry import transition_of

blp = Blueprint(
    "cases",
    __name__,
    url_prefix="/api/v1/cases",
    description="Cases: log, find, read, edit, move through the workflow, comment.",
)
IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": "Retrying with the same key and body replays the first answer; "
    "the same key with another body is 422.",
    "schema": {"type": "string", "pattern": "^[!-~]{1,200}$"},
}


def _case_response(case: Case, status: int = 200, **extra: Any) -> Any:
    """Dump the case as the caller may see it, with its ETag."""
    view = case_view(current_actor(), case)
    response = jsonify({**CaseSchema().dump(view), **extra})
    response.status_code = status
    return with_etag(response, view)


@blp.route("", methods=["GET"])
@blp.arguments(CaseListArgsSchema, location="query")
@blp.response(200, CasePageSchema)
@errors(blp, 401)
def list_cases(args: dict[str, Any]) -> dict[str, Any]:
    """List the cases you may see: filters, full-text q, sorting, pages."""
    actor = current_actor()
    page = search_cases(
        actor,
        CaseFilters.from_mapping(args),
        sort=args["sort"],
        page=args["page"],
        per_page=args["per_page"],
        cursor=args.get("cursor"),
    )
    return page_body(page, case_views(actor, page.items))


@blp.route("", methods=["POST"])
@blp.arguments(CaseCreateSchema)
@blp.response(201, CreatedCaseSchema, headers=ETAG_HEADER)
@errors(blp, 401, 403, 415)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def create_case(data: dict[str, Any]) -> Any:
    """Log a concern; the answer carries the reference and, this once, the access code."""
    actor = current_actor()
    outcome = log_case_once(
        actor,
        data,
        request.headers.get("Idempotency-Key"),
        fingerprint(request.get_json(silent=True)),
        lambda case: CaseSchema().dump(case_view(actor, case)),
        remote_addr=request.remote_addr,
    )
    if outcome.logged is None:
        body = outcome.replayed_body or {}
        response = jsonify(body)
        response.status_code = 201
        response.headers["Idempotent-Replayed"] = "true"
        response.headers["Location"] = url_for(".get_case_view", reference=body["reference"])
        return with_etag(response, body)
    case = outcome.logged.case
    response = _case_response(case, 201, access_code=outcome.logged.access_code)
    response.headers["Location"] = url_for(".get_case_view", reference=case.reference)
    return response


@blp.route("/<reference:reference>", methods=["GET"])
@blp.response(200, CaseSchema, headers=ETAG_HEADER)
@errors(blp, 401, 404)
def get_case_view(reference: str) -> Any:
    """Read one case; its ETag goes with If-Match on PATCH and transitions (a view of a
    confidential case is recorded in its timeline)."""
    actor = current_actor()
    case = get_case(actor, reference)
    record_view(actor, case, via="api", remote_addr=request.remote_addr)
    response = _case_response(case)
    return response.make_conditional(request)


@blp.route("/<reference:reference>", methods=["PATCH"])
@blp.arguments(CaseUpdateSchema)
@blp.response(200, CaseSchema, headers=ETAG_HEADER)
@errors(blp, 401, 403, 404, 412, 415, 428)
@blp.doc(parameters=[IF_MATCH_REQUIRED])
def patch_case(changes: dict[str, Any], reference: str) -> Any:
    """Change a case's fields or owner; If-Match is required."""
    version = expected_version(reference, required=True)
    case = edit_case(
        current_actor(),
        reference,
        changes,
        expected_version=version,
        remote_addr=request.remote_addr,
    )
    return _case_response(case)


@blp.route("/<reference:reference>/transitions", methods=["POST"])
@blp.arguments(TriggerSchema)
@blp.response(200, CaseSchema, headers=ETAG_HEADER)
@errors(blp, 401, 403, 404, 409, 412, 415)
@blp.doc(parameters=[IF_MATCH_OPTIONAL])
def fire_transition(data: dict[str, Any], reference: str) -> Any:
    """Fire a workflow trigger; 409 lists the triggers allowed now, 422 names missing fields."""
    actor = current_actor()
    case = get_case(actor, reference)
    transition = transition_of(case.workflow, data["trigger"])
    if transition is not None:
        data = load_transition_body(case.workflow, transition, data)
    trigger = data.pop("trigger")
    case = fire_trigger(
        actor,
        reference,
        trigger,
        data,
        expected_version=expected_version(reference, required=False),
        remote_addr=request.remote_addr,
    )
    return _case_response(case)


@blp.route("/<reference:reference>/public-summary", methods=["POST"])
@blp.arguments(PublicSummarySchema)
@blp.response(200, CaseSchema, headers=ETAG_HEADER)
@errors(blp, 401, 403, 404, 412, 415)
@blp.doc(parameters=[IF_MATCH_OPTIONAL])
def write_public_summary(data: dict[str, Any], reference: str) -> Any:
    """Write the public summary (officers, admins); ``approve`` makes it public."""
    case = set_public_summary(
        current_actor(),
        reference,
        data["public_summary"],
        approve=data["approve"],
        expected_version=expected_version(reference, required=False),
        remote_addr=request.remote_addr,
    )
    return _case_response(case)


@blp.route("/<reference:reference>/events", methods=["GET"])
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, EventPageSchema)
@errors(blp, 401, 404)
def list_events(args: dict[str, Any], reference: str) -> dict[str, Any]:
    """The case's timeline, oldest first; notes internal to staff are null for others."""
    actor = current_actor()
    case = get_case(actor, reference)
    record_view(actor, case, via="api", remote_addr=request.remote_addr)
    events = visible_events(actor, case)
    number, size = args["page"], args["per_page"]
    page = Page(events[(number - 1) * size : number * size], len(events), number, size)
    return page_body(page, page.items)


@blp.route("/<reference:reference>/comments", methods=["POST"])
@blp.arguments(CommentCreateSchema)
@blp.response(201, CommentSchema)
@errors(blp, 401, 403, 404, 415)
def create_comment(data: dict[str, Any], reference: str) -> Any:
    """Add a comment or more information to a case."""
    return add_comment(
        current_actor(),
        reference,
        data["body"],
        internal=data["internal"],
        remote_addr=request.remote_addr,
    )
