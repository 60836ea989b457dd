"""The public lookup: a case's status for whoever holds its reference and access code.

The code may come in an ``X-Access-Code`` header or a POST body (preferred: neither lands in
access logs or browser history) or, as before, in the ``access_code`` query parameter.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request

from tracker.api.auth import NO_AUTH, public
from tracker.api.blueprint import ApiBlueprint as Blueprint
from tracker.api.intake import FORUM_ID
from tracker.api.openapi import errors
from tracker.extensions import limiter
from tracker.models import now_utc
from tracker.schemas.misc import (
    FeedbackBodySchema,
    FeedbackSchema,
    PublicCaseSchema,
    PublicLookupBodySchema,
    PublicLookupQuerySchema,
)
from tracker.schemas.report_back import ReportBackSchema
from tracker.schemas.reports import AgencyPerformanceListSchema
from tracker.services.errors import ValidationFailed
from tracker.services.feedback import give_feedback
from tracker.services.public import lookup_public_case
from tracker.services.report_back import agency_scorecard, forum_report_back

blp = Blueprint(
    "public",
    __name__,
    url_prefix="/api/v1/public",
    description="No login: one case's status and answer (with its access code), a forum's "
    "report-back, the agency scorecard.",
)
ACCESS_CODE_HEADER = {
    "in": "header",
    "name": "X-Access-Code",
    "required": False,
    "description": "The access code (preferred over the query string, which lands in logs).",
    "schema": {"type": "string", "maxLength": 100},
}


def _public_limit() -> str:
    return current_app.config["API_PUBLIC_RATE_LIMIT"]


# Every form of the lookup (query, header, body) counts against one limit per client.
_lookup_limit = limiter.shared_limit(_public_limit, scope="public-lookup")


@blp.route("/cases/<reference:reference>", methods=["GET"])
@public
@_lookup_limit
@blp.arguments(PublicLookupQuerySchema, location="query")
@blp.response(200, PublicCaseSchema)
@errors(blp, 404, 422, 429)
@blp.doc(security=NO_AUTH, parameters=[ACCESS_CODE_HEADER])
def lookup_case(args: dict[str, Any], reference: str) -> Any:
    """State, dates and public timeline; an unknown reference and a wrong code are both 404."""
    code = request.headers.get("X-Access-Code") or args.get("access_code")
    if not code:
        raise ValidationFailed(
            "Send the access code in the X-Access-Code header (or POST it).",
            {"access_code": ["Missing data for required field."]},
        )
    return lookup_public_case(reference, code)


@blp.route("/cases/<reference:reference>", methods=["POST"])
@public
@_lookup_limit
@blp.arguments(PublicLookupBodySchema)
@blp.response(200, PublicCaseSchema)
@errors(blp, 404, 415, 429)
@blp.doc(security=NO_AUTH)
def lookup_case_by_post(args: dict[str, Any], reference: str) -> Any:
    """The same lookup with ``{"access_code": …}`` in the body: nothing secret in the URL."""
    return lookup_public_case(reference, args["access_code"])


@blp.route("/cases/<reference:reference>/feedback", methods=["POST"])
@public
@_lookup_limit
@blp.arguments(FeedbackBodySchema)
@blp.response(201, FeedbackSchema)
@errors(blp, 404, 409, 415, 422, 429)
@blp.doc(security=NO_AUTH)
def case_feedback(args: dict[str, Any], reference: str) -> Any:
    """Say whether the closed case was resolved (once per closing); "no" gives the appeal date."""
    return give_feedback(
        reference,
        args["access_code"],
        args["resolved"],
        args.get("comment") or "",
        channel="api",
        remote_addr=request.remote_addr,
    )


@blp.route(f"/forums{FORUM_ID}", methods=["GET"])
@public
@limiter.limit(_public_limit)
@blp.response(200, ReportBackSchema)
@errors(blp, 404, 429)
@blp.doc(security=NO_AUTH)
def forum_report(forum_id: int) -> Any:
    """A forum's report-back: every concern (approved summaries only) and the totals."""
    return forum_report_back(forum_id)


@blp.route("/agencies", methods=["GET"])
@public
@limiter.limit(_public_limit)
@blp.response(200, AgencyPerformanceListSchema)
@errors(blp, 429)
@blp.doc(security=NO_AUTH)
def agencies_scorecard() -> Any:
    """The agency scorecard: referrals answered, answered on time, median working days."""
    now = now_utc()
    return {"as_of": now, "rows": agency_scorecard(now)}
