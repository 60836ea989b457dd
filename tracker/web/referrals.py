"""The referrals of my agency (or all of them, for staff) with their deadlines."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from tracker import access
from tracker.services.errors import PermissionDenied
from tracker.services.referrals import answerable_referrals, list_referrals
from tracker.web import web
from tracker.web.choices import agency_choices
from tracker.web.forms import as_int


@web.get("/referrals")
def referrals():
    """Referrals, unanswered first and soonest due first; answer one from its case page."""
    if not access.can_list_referrals(current_user):
        raise PermissionDenied(_("Only staff and agencies have referrals."))
    open_only = request.args.get("show") != "all"
    agency_id = as_int(request.args.get("agency_id"))
    rows = list_referrals(
        current_user,
        open_only=open_only,
        agency_id=agency_id if isinstance(agency_id, int) else None,
    )
    agencies = agency_choices() if access.is_staff(current_user) else []
    answerable = answerable_referrals(current_user, rows)
    return render_template(
        "referrals.html",
        answerable=answerable,
        referrals=rows,
        open_only=open_only,
        agencies=agencies,
        agency_id=agency_id,
    )
