"""flask-smorest set up for this API: problem+json errors, bearer auth, reference paths."""

from __future__ import annotations

import http
from collections.abc import Callable
from typing import Any

from flask_smorest import Api, Blueprint
from flask_smorest.utils import prepare_response
from werkzeug.routing import BaseConverter

from tracker.schemas.common import ProblemSchema

PROBLEM_JSON = "application/problem+json"
REFERENCE_PATTERN = r"[A-Za-z0-9-]{1,40}"


class ReferenceConverter(BaseConverter):
    """A case reference in a path, e.g. GRV-2026-00042 (anything else is simply not found)."""

    regex = REFERENCE_PATTERN


class ProblemApi(Api):
    """An Api whose documented errors are RFC 9457 problem details."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self) -> None:
        """Document every error status as application/problem+json."""
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
                prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "An error, as problem details.", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", default, lazy=True)


def errors(blp: Blueprint, *statuses: int) -> Callable[[Callable], Callable]:
    """Document the error answers a route gives (problem+json each)."""

    def decorate(view: Callable) -> Callable:
        for status in statuses:
            view = blp.alt_response(status, response=http.HTTPStatus(status).name)(view)
        return view

    return decorate


def make_api(app: Any) -> ProblemApi:
    """Create the Api for this app, with the bearer scheme and the reference converter."""
    app.url_map.converters["reference"] = ReferenceConverter
    api = ProblemApi(app)
    api.register_converter(ReferenceConverter, _reference_parameter)
    api.spec.components.security_scheme(
        "bearerAuth",
        {"type": "http", "scheme": "bearer", "description": "From POST /api/v1/auth/token."},
    )
    return api


def _reference_parameter(converter: BaseConverter) -> dict[str, Any]:
    return {"type": "string", "pattern": f"^{REFERENCE_PATTERN}$", "example": "GRV-2026-00042"}
