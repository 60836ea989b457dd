"""Your own password, and the admin trail (admins)."""

from __future__ import annotations

from typing import Any

from flask import current_app, request

from tracker.api.auth import current_actor
from tracker.api.blueprint import ApiBlueprint as Blueprint
from tracker.api.openapi import errors
from tracker.extensions import limiter
from tracker.schemas.accounts import AuditArgsSchema, AuditPageSchema, PasswordChangeSchema
from tracker.schemas.common import page_body
from tracker.services.audit import AuditFilter, list_audit
from tracker.services.credentials import change_own_password

password_blp = Blueprint(
    "password", __name__, url_prefix="/api/v1/auth", description="Change your own password."
)
audit_blp = Blueprint(
    "audit", __name__, url_prefix="/api/v1/audit", description="The admin trail (admins)."
)


@password_blp.route("/password", methods=["POST"])
@limiter.limit(lambda: current_app.config["API_TOKEN_RATE_LIMIT"])
@password_blp.arguments(PasswordChangeSchema)
@password_blp.response(204)
@errors(password_blp, 401, 415, 422, 429)
def change_password(body: dict[str, str]) -> None:
    """Change your password; every session and token of yours ends, this one too.

    Get a new token with the new password afterwards.
    """
    change_own_password(
        current_actor(), body["current_password"], body["new_password"], ip=request.remote_addr
    )


@audit_blp.route("", methods=["GET"])
@audit_blp.arguments(AuditArgsSchema, location="query")
@audit_blp.response(200, AuditPageSchema)
@errors(audit_blp, 401, 403, 422)
def list_entries(args: dict[str, Any]) -> dict[str, Any]:
    """Page through the trail, newest first: filter by actor email, action and time range."""
    where = AuditFilter(args.get("actor"), args.get("action"), args.get("since"), args.get("until"))
    page = list_audit(current_actor(), where, page=args["page"], per_page=args["per_page"])
    return page_body(page, page.items)
