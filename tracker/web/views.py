"""The dashboard, the workflow page and the health check."""

from __future__ import annotations

from functools import partial

from flask import abort, jsonify, render_template, request
from flask_login import current_user
from sqlalchemy import text

from tracker.extensions import db
from tracker.services.dashboard import dashboard_for
from tracker.web import web
from tracker.web.diagram import layout
from tracker.web.transitions import field_label, state_label, trigger_label
from tracker.workflow_registry import engine_for, registry


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
    """A workflow (?name=, default case) drawn from its definition, with who may do what."""
    name = request.args.get("name", "case")
    if name not in registry():
        abort(404)
    engine = engine_for(name)
    label = partial(trigger_label, name)
    return render_template(
        "workflow.html",
        workflow=engine.workflow,
        names=registry().names(),
        diagram=layout(engine.workflow, partial(state_label, name), label),
        mermaid=engine.mermaid(),
        trigger_label=label,
        state_label=partial(state_label, name),
        field_label=field_label,
    )
