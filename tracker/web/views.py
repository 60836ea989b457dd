"""Pages: health check and the case list (the full UI comes with issue 5)."""

from __future__ import annotations

from flask import jsonify, render_template
from sqlalchemy import select, text

from tracker.extensions import db
from tracker.models import Case
from tracker.web import web


@web.get("/health")
def health():
    """Answer 200 when the app and its database respond."""
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")


@web.get("/cases")
def case_list():
    """List the most recent cases."""
    cases = db.session.scalars(select(Case).order_by(Case.created_at.desc()).limit(200)).all()
    return render_template("cases_minimal.html", cases=cases)
