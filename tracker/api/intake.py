"""Forum-day routes: import a spreadsheet, take a Kobo submission, triage in bulk, new codes."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from tracker.api.auth import current_actor
from tracker.api.blueprint import ApiBlueprint as Blueprint
from tracker.api.openapi import errors
from tracker.schemas.intake import (
    AccessCodeRequestSchema,
    AccessCodeSchema,
    BulkResultSchema,
    BulkTransitionSchema,
    ImportFileSchema,
    ImportResultSchema,
    KoboResultSchema,
    KoboSubmissionSchema,
)
from tracker.services.access_codes import reissue_access_codes
from tracker.services.bulk import act_on_cases
from tracker.services.case_views import case_views
from tracker.services.import_files import read_upload
from tracker.services.intake import import_rows
from tracker.services.kobo import log_kobo_submission

FORUM_ID = "/<int(min=1, max=2147483647):forum_id>"

blp = Blueprint(
    "forum_intake",
    __name__,
    url_prefix="/api/v1/forums",
    description="Forum day: spreadsheet imports and KoboToolbox submissions (staff).",
)
triage = Blueprint(
    "case_triage",
    __name__,
    url_prefix="/api/v1/cases",
    description="Bulk triage and access-code reissue (staff).",
)


@blp.route(f"{FORUM_ID}/imports", methods=["POST"])
@blp.arguments(ImportFileSchema, location="files")
@blp.response(201, ImportResultSchema)
@errors(blp, 401, 403, 404, 409, 413, 415)
def import_file(files: dict[str, Any], forum_id: int) -> Any:
    """Import a CSV or XLSX of concerns: all new rows or none; 422 errors keyed ``row <n>``."""
    upload = files["file"]
    parsed = read_upload(upload.stream, upload.filename or "")
    result = import_rows(
        current_actor(), forum_id, parsed.rows, lines=parsed.lines, remote_addr=request.remote_addr
    )
    return {
        "imported": len(result.logged),
        "duplicates": len(result.duplicates),
        "references": result.references,
        "access_codes": {item.reference: item.access_code for item in result.logged},
    }


@blp.route(f"{FORUM_ID}/kobo", methods=["POST"])
@blp.arguments(KoboSubmissionSchema)
@blp.response(201, KoboResultSchema)
@blp.alt_response(200, schema=KoboResultSchema, description="Received before: the same case.")
@errors(blp, 401, 403, 404, 409, 415)
def kobo_submission(payload: dict[str, Any], forum_id: int) -> Any:
    """Take one KoboToolbox REST-service submission; the same ``_uuid`` again logs nothing."""
    outcome = log_kobo_submission(
        current_actor(), forum_id, request.get_json(silent=True), remote_addr=request.remote_addr
    )
    response = jsonify({"reference": outcome.reference})
    response.status_code = 201 if outcome.created else 200
    return response


@triage.route("/bulk-transitions", methods=["POST"])
@triage.arguments(BulkTransitionSchema)
@triage.response(200, BulkResultSchema)
@errors(triage, 401, 403, 409, 415)
def bulk_transitions(data: dict[str, Any]) -> Any:
    """Fire one trigger (or ``assign``) on many cases; any refusal changes none of them."""
    actor = current_actor()
    references = data.pop("references")
    trigger = data.pop("trigger")
    cases = act_on_cases(actor, references, trigger, data, remote_addr=request.remote_addr)
    return {"cases": case_views(actor, cases)}


@triage.route("/<reference:reference>/access-code", methods=["POST"])
@triage.arguments(AccessCodeRequestSchema)
@triage.response(201, AccessCodeSchema)
@errors(triage, 401, 403, 404, 415)
def reissue_code(_body: dict[str, Any], reference: str) -> Any:
    """Issue a new access code for the case; the old one stops working at once."""
    codes = reissue_access_codes(current_actor(), [reference], remote_addr=request.remote_addr)
    return {"access_code": codes[reference]}


BLUEPRINTS = (blp, triage)
