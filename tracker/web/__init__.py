"""Server-rendered pages."""

from flask import Blueprint

web = Blueprint("web", __name__)

from tracker.web import views  # noqa: E402,F401
