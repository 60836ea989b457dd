"""Report counts, per-agency performance and workflow definitions."""

from __future__ import annotations

from typing import Any

from tracker.api.auth import current_actor
from tracker.api.blueprint import ApiBlueprint as Blueprint
from tracker.api.openapi import errors
from tracker.models import now_utc
from tracker.read_replica import reads_from_replica
from tracker.schemas.misc import (
    SummaryArgsSchema,
    SummarySchema,
    WorkflowNamesSchema,
    WorkflowSchema,
)
from tracker.schemas.reports import AgencyPerformanceListSchema, SatisfactionSchema
from tracker.services.reports import agency_performance, summarise_cases
from tracker.services.satisfaction import SATISFACTION_BY, satisfaction
from tracker.services.workflow_info import describe_workflow, workflow_names

blp = Blueprint(
    "reports",
    __name__,
    url_prefix="/api/v1",
    description="Counts of the cases you may see; workflow definitions.",
)


@blp.route("/reports/summary", methods=["GET"])
@blp.arguments(SummaryArgsSchema, location="query")
@blp.response(200, SummarySchema)
@errors(blp, 401)
@reads_from_replica
def summary(args: dict[str, Any]) -> Any:
    """Count your visible cases by one dimension, or cross two (by=category,province)."""
    return summarise_cases(current_actor(), args["by"], with_anonymous=True)


@blp.route("/reports/agencies", methods=["GET"])
@blp.response(200, AgencyPerformanceListSchema)
@errors(blp, 401)
@reads_from_replica
def agency_performance_report() -> Any:
    """Each agency's referrals: answered, answered on time, overdue, median response time."""
    now = now_utc()
    return {"as_of": now, "rows": agency_performance(current_actor(), now)}


@blp.route("/reports/satisfaction", methods=["GET"])
@blp.response(200, SatisfactionSchema)
@errors(blp, 401)
@reads_from_replica
def satisfaction_report() -> Any:
    """ "Was it resolved?": yes, partly and no per category and per agency (your cases)."""
    actor = current_actor()
    return {by: satisfaction(actor, by) for by in SATISFACTION_BY}


@blp.route("/workflows", methods=["GET"])
@blp.response(200, WorkflowNamesSchema)
@errors(blp, 401)
def workflows() -> Any:
    """The names of the workflows a case may follow (`workflow` of POST /api/v1/cases)."""
    return {"names": workflow_names()}


@blp.route("/workflows/<string(maxlength=40):name>", methods=["GET"])
@blp.response(200, WorkflowSchema)
@errors(blp, 401, 404)
def workflow(name: str) -> Any:
    """A workflow definition, in the shape of a definition file (with the deadlines in force)."""
    return describe_workflow(name)
