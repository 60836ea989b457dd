"""A friendlier page when a form's CSRF token is missing or stale."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError


def csrf_error(error: CSRFError) -> tuple[str, int]:
    """Explain that the form expired; nothing was changed."""
    detail = _(
        "This form has expired or did not come from this site. Nothing was changed. "
        "Go back, reload the page and try again."
    )
    return render_template("error.html", status=400, title=_("Form expired"), detail=detail), 400


def init_web_errors(app: Flask) -> None:
    """Register the CSRF error page (more specific than the generic HTTP error handler)."""
    app.register_error_handler(CSRFError, csrf_error)
