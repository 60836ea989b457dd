"""The admin trail page: who did what, when, from where; filters and pages."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from tracker.services.audit import ACTIONS, AuditFilter, list_audit
from tracker.web import web
from tracker.web.admin import require_admin
from tracker.web.forms import PICKER_DATE_MESSAGE, as_int
from tracker.web.messages import N_

PER_PAGE = 50
ACTION_LABELS = {
    "login": N_("Logged in"),
    "login_failed": N_("Failed login"),
    "logout": N_("Logged out"),
    "logout_everywhere": N_("Logged out everywhere"),
    "token_issued": N_("API token issued"),
    "token_revoked": N_("API token revoked"),
    "password_changed": N_("Changed own password"),
    "password_reset_requested": N_("Asked for a password reset"),
    "password_reset": N_("Reset password by email"),
    "password_set": N_("Set a user's password"),
    "password_reset_sent": N_("Sent a user a password reset"),
    "invitation_accepted": N_("Accepted an invitation"),
    "user_invited": N_("Invited a user"),
    "user_created": N_("Created a user"),
    "user_changed": N_("Changed a user"),
    "agency_created": N_("Created an agency"),
    "agency_changed": N_("Changed an agency"),
    "organisation_created": N_("Created an organisation"),
    "organisation_changed": N_("Changed an organisation"),
    "forum_created": N_("Created a forum"),
    "forum_changed": N_("Changed a forum"),
    "category_changed": N_("Changed a category"),
    "outbox_retried": N_("Retried an email"),
    "deadline_changed": N_("Changed a deadline"),
    "day_off_added": N_("Added a day off"),
    "day_off_removed": N_("Removed a day off"),
    "telegram_linked": N_("Linked own Telegram chat"),
    "telegram_unlinked": N_("Unlinked own Telegram chat"),
}


def action_label(code: str) -> str:
    """An audit action in the reader's language."""
    return _(ACTION_LABELS[code]) if code in ACTION_LABELS else code


def _day(text: str | None, *, end: bool = False) -> datetime | None:
    """A YYYY-MM-DD from the filter as a UTC moment: the start of that local day (or of the
    next one, for the end of the range); anything else means no bound."""
    try:
        day = datetime.strptime(text or "", "%Y-%m-%d").date()
    except ValueError:
        return None
    zone = ZoneInfo(current_app.config.get("TIMEZONE", "Asia/Phnom_Penh"))
    start = datetime.combine(day + timedelta(days=1 if end else 0), time(), tzinfo=zone)
    return start.astimezone(UTC)


def _filter_errors(args: dict[str, str]) -> dict[str, str]:
    """The filters that cannot be used (a day that is no day, an unknown action), and why."""
    errors = {
        name: str(PICKER_DATE_MESSAGE)
        for name in ("from", "to")
        if args[name] and _day(args[name]) is None
    }
    if args["action"] and args["action"] not in ACTIONS:
        errors["action"] = _("No such action.")
    return errors


@web.get("/admin/audit")
def admin_audit():
    """The trail, newest first, filtered by actor, action and a range of days."""
    require_admin()
    args = {
        name: (request.args.get(name) or "").strip() for name in ("actor", "action", "from", "to")
    }
    where = AuditFilter(
        actor=args["actor"] or None,
        action=args["action"] if args["action"] in ACTIONS else None,
        since=_day(args["from"]),
        until=_day(args["to"], end=True),
    )
    number = as_int(request.args.get("page"))
    page = list_audit(
        current_user, where, page=number if isinstance(number, int) else 1, per_page=PER_PAGE
    )
    query = {name: value for name, value in args.items() if value}
    errors = _filter_errors(args)
    html = render_template(
        "admin_audit.html",
        page=page,
        args=args,
        errors=errors,
        actions=ACTIONS,
        query=query,
        action_label=action_label,
    )
    return html, 422 if errors else 200
