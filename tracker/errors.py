"""Turn domain and HTTP errors into problem+json (API) or an HTML page (web), in one place."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from tracker.services.errors import (
    Conflict,
    DomainError,
    Gone,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    StaleVersion,
    TooManyRequests,
    ValidationFailed,
)

PROBLEM_JSON = "application/problem+json"
UNAVAILABLE_RETRY_AFTER = 5  # seconds; the Retry-After of a 503 while the database is away


def wants_json() -> bool:
    """API paths and JSON clients get problem+json; browsers get a page."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def problem(status: int, title: str, detail: str, **extra: Any) -> Response:
    """Build an RFC 9457 problem+json response."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    body.update({key: value for key, value in extra.items() if value is not None})
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    return response


# Each domain error's HTTP status and title (the most specific class first); 400 otherwise.
HTTP_STATUS: tuple[tuple[type[DomainError], int, str], ...] = (
    (NotAuthenticated, 401, "Unauthorized"),
    (NotFound, 404, "Not found"),
    (PermissionDenied, 403, "Forbidden"),
    (ValidationFailed, 422, "Unprocessable content"),
    (Conflict, 409, "Conflict"),
    (StaleVersion, 412, "Precondition failed"),
    (TooManyRequests, 429, "Too Many Requests"),
    (Gone, 410, "Gone"),
)


def headers_of(error: DomainError) -> dict[str, str]:
    """The HTTP headers a domain error's answer carries."""
    if isinstance(error, NotAuthenticated):
        return {"WWW-Authenticate": 'Bearer realm="tracker"'}
    if isinstance(error, TooManyRequests):
        return {"Retry-After": str(error.retry_after)}
    return {}


def status_of(error: DomainError) -> tuple[int, str]:
    """The HTTP status and title of a domain error."""
    return next(
        ((s, t) for kind, s, t in HTTP_STATUS if isinstance(error, kind)), (400, "Bad request")
    )


def domain_error_response(error: DomainError) -> Response | tuple[str, int]:
    """Answer a domain error the way the client understands."""
    status, title = status_of(error)
    extra: dict[str, Any] = {"errors": error.errors or None}
    if isinstance(error, Conflict):
        extra["allowed"] = error.allowed
    if isinstance(error, StaleVersion):
        extra["current_version"] = error.current_version
    if wants_json():
        response = problem(status, title, error.detail, **extra)
        response.headers.update(headers_of(error))
        return response
    return render_template("error.html", status=status, title=title, detail=error.detail), status


def http_error_response(error: HTTPException) -> Response | tuple[str, int] | HTTPException:
    """Answer framework errors (404, 405, 413, 429, …) without tracebacks."""
    if error.code is None or error.code < 400:
        return error
    if wants_json():
        data = getattr(error, "data", None) or {}
        errors = field_errors(data.get("messages") or data.get("errors"))
        detail = error.description or error.name
        if errors:
            detail = _validation_detail(error.code, errors)
        response = problem(error.code, error.name, detail, errors=errors or None)
        for header in ("Retry-After", "Allow", "WWW-Authenticate"):
            if error.get_response().headers.get(header):
                response.headers[header] = error.get_response().headers[header]
        response.headers.update(data.get("headers") or {})
        return response
    return render_template(
        "error.html", status=error.code, title=error.name, detail=error.description
    ), error.code


def field_errors(messages: Any) -> dict[str, list[str]]:
    """Flatten webargs/marshmallow messages ({location: {field: [...]}}) to {field: [...]}."""
    if isinstance(messages, dict) and messages and set(messages) <= _LOCATIONS:
        flat: dict[str, list[str]] = {}
        for value in messages.values():
            flat.update(_flatten(value, ""))
        return flat
    return _flatten(messages, "") if messages else {}


def _flatten(messages: Any, prefix: str) -> dict[str, list[str]]:
    if isinstance(messages, dict):
        flat: dict[str, list[str]] = {}
        for key, value in messages.items():
            flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    values = messages if isinstance(messages, list | tuple) else [messages]
    return {prefix or "_schema": [str(m) for m in values]}


def _validation_detail(status: int | None, errors: dict[str, list[str]]) -> str:
    """Say which fields are wrong, or that the body could not be read."""
    if status == 400:
        return "The request body is not valid JSON."
    return "Some fields are missing or invalid: " + ", ".join(sorted(errors)) + "."


_LOCATIONS = frozenset({"json", "query", "querystring", "headers", "view_args", "form", "files"})


def unexpected_error_response(error: Exception) -> Response | tuple[str, int]:
    """Log the traceback, show none."""
    current_app.logger.exception("Unhandled error", exc_info=error)
    detail = "Something went wrong on our side. The error has been logged."
    if wants_json():
        return problem(500, "Internal server error", detail)
    return render_template(
        "error.html", status=500, title="Internal server error", detail=detail
    ), 500


def database_unreachable(error: Exception) -> bool:
    """Tell an unreachable or failing database (worth a retry) from a bug in a statement."""
    if isinstance(error, OperationalError | DisconnectionError | PoolTimeout):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def database_error_response(error: SQLAlchemyError) -> Response | tuple[str, int]:
    """Answer 503 with Retry-After while the database is unreachable; other errors are 500s."""
    if not database_unreachable(error):
        return unexpected_error_response(error)
    current_app.logger.warning("Database unavailable: %s", str(error).splitlines()[0][:300])
    _forget_failed_transaction()
    title = "Service unavailable"
    detail = "The database cannot be reached just now. Please try again in a few seconds."
    if wants_json():
        response = problem(503, title, detail)
    else:
        response = current_app.make_response((_unavailable_page(title, detail), 503))
    response.headers["Retry-After"] = str(UNAVAILABLE_RETRY_AFTER)
    return response


def _forget_failed_transaction() -> None:
    """Roll the session back so rendering the answer does not trip over the failed transaction."""
    from tracker.extensions import db

    try:
        db.session.rollback()
    except SQLAlchemyError:
        current_app.logger.info("Rollback after a database failure failed too")


def _unavailable_page(title: str, detail: str) -> str:
    """The error page; a bare one if even that cannot be rendered without the database."""
    try:
        return render_template("error.html", status=503, title=title, detail=detail)
    except Exception:  # the page must not fail while the database is away
        current_app.logger.exception("Could not render the 503 page")
        return f"<!doctype html><title>503 {title}</title><h1>{title}</h1><p>{detail}</p>"


def register_error_handlers(app: Flask) -> None:
    """Install the handlers on the app."""
    app.register_error_handler(DomainError, domain_error_response)
    app.register_error_handler(HTTPException, http_error_response)
    app.register_error_handler(SQLAlchemyError, database_error_response)
    app.register_error_handler(Exception, unexpected_error_response)
