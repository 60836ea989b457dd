"""Public pages presented at the next forum: a forum's report-back and the agency scorecard."""

from __future__ import annotations

from flask import render_template

from tracker.models import now_utc
from tracker.services.exports import Labeller
from tracker.services.report_back import agency_scorecard, forum_report_back
from tracker.web import web
from tracker.web.choices import language
from tracker.web.forms import ID


@web.get(f"/forums/<{ID}:forum_id>/report-back", endpoint="report_back")
def report_back(forum_id: int):
    """Every concern of a forum and what became of it; printable, English or Khmer."""
    report = forum_report_back(forum_id)
    labels = Labeller(language())
    return render_template("report_back.html", report=report, labels=labels, printed_at=now_utc())


@web.get("/agencies/scorecard", endpoint="agency_scorecard")
def scorecard():
    """Each agency: referrals answered, answered on time, median working days."""
    now = now_utc()
    return render_template("scorecard.html", rows=agency_scorecard(now), printed_at=now)
