"""The JSON API under /api/v1, described by the OpenAPI document at /api/v1/openapi.json."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, request
from werkzeug.exceptions import UnsupportedMediaType

API_PREFIX = "/api/"
API_DEFAULTS = {
    "API_TITLE": "Forum Case Tracker API",
    "API_VERSION": "1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "security": [{"bearerAuth": []}],
        "info": {"description": "Concerns raised at social-security forums, as cases."},
    },
    "API_MAX_CONTENT_LENGTH": 256 * 1024,
    "API_TOKEN_LIFETIME": timedelta(hours=12),
    "API_TOKEN_RATE_LIMIT": "10 per minute",
    "API_PUBLIC_RATE_LIMIT": "30 per minute",
}
JSON_METHODS = frozenset({"POST", "PUT", "PATCH"})


def init_api(app: Flask) -> None:
    """Create the Api, register every API blueprint and the request guard."""
    from tracker.api import (
        accounts,
        auth,
        cases,
        directory,
        intake,
        public,
        raisers,
        related,
        reports,
    )
    from tracker.api.openapi import make_api
    from tracker.schemas.transitions import document_transitions

    for key, value in API_DEFAULTS.items():
        app.config.setdefault(key, value)
    # Keep keys in the order written: a workflow definition's states and fields are ordered.
    app.json.sort_keys = False  # type: ignore[attr-defined]
    api = make_api(app)
    for blueprint in (
        auth.blp,
        accounts.password_blp,
        accounts.audit_blp,
        cases.blp,
        related.blp,
        raisers.blp,
        public.blp,
        reports.blp,
        *directory.BLUEPRINTS,
        *intake.BLUEPRINTS,
    ):
        api.register_blueprint(blueprint)
    document_transitions(api.spec, app.extensions["workflows"])
    app.before_request(guard_api_request)


def guard_api_request() -> None:
    """Require a token (but on public routes) and JSON bodies, on /api/ only (the body's size
    is checked before, by tracker.body_limits)."""
    if not request.path.startswith(API_PREFIX):
        return
    from tracker.api.auth import authenticate_request
    from tracker.uploads import UPLOAD_ENDPOINTS

    if request.endpoint in UPLOAD_ENDPOINTS:  # a file (multipart), limited by IMPORT_MAX_BYTES
        authenticate_request()
        return
    authenticate_request()
    if (
        request.endpoint is not None
        and request.method in JSON_METHODS
        and not _is_json(request.mimetype)
    ):
        raise UnsupportedMediaType("Send the body as application/json.")


def _is_json(mimetype: str) -> bool:
    return mimetype == "application/json" or (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    )
