"""A friendlier page when a form's CSRF token is missing or stale."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest

NUL = "\x00"


def csrf_error(error: CSRFError) -> tuple[str, int]:
    """Explain that the form expired; nothing was changed."""
    detail = _(
        "This form has expired or did not come from this site. Nothing was changed. "
        "Go back, reload the page and try again."
    )
    return render_template("error.html", status=400, title=_("Form expired"), detail=detail), 400


def refuse_nul_characters() -> None:
    """Refuse a page request with a NUL character in its path, query or form (400).

    No field may hold one, and PostgreSQL cannot even compare text with one (the query would
    fail with a 500). The API refuses them per field (tracker.schemas.common.Text).
    """
    if request.path.startswith("/api/"):
        return
    fields = [*request.args.items(multi=True), *request.form.items(multi=True)]
    if NUL in request.path or any(NUL in key or NUL in value for key, value in fields):
        raise BadRequest(_("The request contains a NUL character, which no field accepts."))


def init_web_errors(app: Flask) -> None:
    """Register the CSRF error page (more specific than the generic HTTP error handler) and the
    guard against NUL characters."""
    app.register_error_handler(CSRFError, csrf_error)
    app.before_request(refuse_nul_characters)
