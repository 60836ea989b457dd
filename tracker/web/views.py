"""The dashboard, the workflow page and the health check."""

from __future__ import annotations

from flask import jsonify, render_template
from flask_login import current_user
from sqlalchemy import text

from tracker.extensions import db
from tracker.services.dashboard import dashboard_for
from tracker.web import web
from tracker.web.choices import code_label
from tracker.web.diagram import layout
from tracker.web.transitions import field_label, trigger_label, trigger_verb
from workflows import engine_for


@web.get("/health")
def health():
    """Answer 200 when the app and its database respond."""
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")


@web.get("/")
def dashboard():
    """My open cases, what is overdue or due this week, what changed, counts per state."""
    board = dashboard_for(current_user)
    return render_template("dashboard.html", board=board)


@web.get("/workflow")
def workflow():
    """The case workflow drawn from its definition, with who may do what."""
    engine = engine_for("case")
    diagram = layout(engine.workflow, lambda s: code_label("state", s), trigger_verb)
    return render_template(
        "workflow.html",
        workflow=engine.workflow,
        diagram=diagram,
        mermaid=engine.mermaid(),
        trigger_label=trigger_label,
        field_label=field_label,
    )
