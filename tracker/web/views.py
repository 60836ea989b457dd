"""The dashboard, the workflow page and the health check."""

from __future__ import annotations

from functools import partial

from flask import abort, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text

from tracker.extensions import db
from tracker.services.dashboard import NextStep, dashboard_for
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
    return render_template(
        "dashboard.html", board=board, step_link=step_link, step_label=step_label
    )


def step_link(step: NextStep) -> str:
    """The case list showing every case of a next step (the list reads these filters)."""
    filters = step.filters
    query = {
        "state": filters.state,
        "owner_id": filters.owner_id,
        "overdue": "soon" if filters.due_soon else None,
        "changed": "week" if filters.changed_after else None,
        "sort": step.sort,
    }
    return url_for("web.case_list", **{k: v for k, v in query.items() if v is not None})


def step_label(kind: str) -> tuple[str, str]:
    """A next step's heading and the words shown when nothing waits."""
    return {
        "ready_to_close": (_("Answered: ready to close"), _("No answered case waits for you.")),
        "due_soon": (_("Due within 2 working days"), _("Nothing of yours is due that soon.")),
        "new_to_me": (_("New to me: not analysed yet"), _("No new case waits for you.")),
        "on_hold": (_("On hold"), _("None of your cases is on hold.")),
        "to_answer": (_("Referrals to answer, soonest due first"), _("No referral waits.")),
        "changed": (
            _("Changed in the last 7 days"),
            _("Nothing changed in your organisation's cases this week."),
        ),
    }[kind]


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
