"""The printable brief of one forum: its facts, its concerns counted and listed."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from tracker.models import now_utc
from tracker.read_replica import reads_from_replica
from tracker.services.exports import Labeller
from tracker.services.forum_brief import forum_brief as gather_brief
from tracker.web import web
from tracker.web.choices import language
from tracker.web.forms import ID


@web.get(f"/forums/<{ID}:forum_id>/brief")
@reads_from_replica
def forum_brief(forum_id: int):
    """A forum's brief for stakeholders, styled for print, in the reader's language (staff)."""
    brief = gather_brief(current_user, forum_id)
    return render_template(
        "forum_brief.html", brief=brief, labels=Labeller(language()), printed_at=now_utc()
    )
