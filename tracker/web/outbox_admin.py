"""The admin's view of the outbox: counts per status, the messages, and retrying failed ones."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from notifications.email import safe_subject
from tracker.models.notifications import STATUSES
from tracker.services.access_codes import retry_outbox_message
from tracker.services.errors import Conflict
from tracker.services.outbox import list_outbox, outbox_counts
from tracker.web import web
from tracker.web.forms import ID, as_int

PER_PAGE = 50
RETRYABLE = ("failed", "unsent")


@dataclass(frozen=True)
class Pages:
    """What the pagination macro needs."""

    page: int
    pages: int


def outbox_status(status: str) -> str:
    """A status in the reader's language."""
    labels = {
        "pending": _("Waiting to be sent"),
        "sending": _("Being sent"),
        "sent": _("Sent"),
        "failed": _("Failed"),
        "unsent": _("Not sent"),
    }
    return labels.get(status, status)


def message_kind(template: str) -> str:
    """What an email is, in words, rather than its template's name."""
    kinds = {
        "account_invite": _("Invitation to the tracker"),
        "password_reset": _("Password reset link"),
        "case_logged": _("Acknowledgement of a new concern"),
        "case_assigned": _("A case assigned to its new owner"),
        "case_referred": _("A referral to an agency"),
        "case_responded": _("An agency's answer"),
        "case_closed": _("A case closed, with its outcome"),
        "case_reopened": _("A case reopened"),
        "case_transition": _("A step in a case"),
        "reminder_due_soon": _("Reminder: a case is due soon"),
        "overdue_notice": _("Notice: a case is overdue"),
        "escalation": _("Escalation: a case long overdue"),
        "digest_officer": _("Weekly digest (officer)"),
        "digest_agency": _("Weekly digest (agency)"),
        "digest_representative": _("Weekly digest (representative)"),
        "digest_admin": _("Weekly digest (admin)"),
    }
    return kinds.get(template, _("Other message"))


def status_help(status: str) -> str:
    """What a status means for the person the email is for."""
    helps = {
        "pending": _("The worker sends it on its next run."),
        "sending": _("The worker is sending it now."),
        "sent": _("The mail server accepted it."),
        "failed": _("The mail server refused it for good; check the address, then retry."),
        "unsent": _("Kept here because no mail server is configured; retry once one is."),
    }
    return helps.get(status, "")


def _status_arg() -> str | None:
    """The status filter; anything unknown means every status."""
    status = request.args.get("status", "")
    return status if status in STATUSES else None


@web.get("/admin/outbox")
def admin_outbox():
    """Every queued, sent and failed email, newest first, optionally of one status."""
    status = _status_arg()
    number = as_int(request.args.get("page"))
    page = list_outbox(
        current_user,
        status,
        page=number if isinstance(number, int) else 1,
        per_page=PER_PAGE,
        subject=safe_subject,
    )
    return render_template(
        "admin_outbox.html",
        counts=outbox_counts(current_user),
        status=status,
        statuses=STATUSES,
        page=page,
        pages=Pages(page.page, max(1, -(-page.total // page.per_page))),
        query={"status": status} if status else {},
        retryable=RETRYABLE,
        outbox_status=outbox_status,
        status_help=status_help,
        message_kind=message_kind,
        mail_configured=bool(current_app.config.get("MAIL_ENABLED")),
    )


@web.post(f"/admin/outbox/<{ID}:message_id>/retry")
def admin_retry_message(message_id: int):
    """Queue a failed or unsent email again; the worker sends it on its next run."""
    try:
        entry = retry_outbox_message(current_user, message_id, ip=request.remote_addr)
    except Conflict:
        flash(_("Only failed or unsent messages can be retried."), "error")
    else:
        flash(_("Message to %(email)s queued again.", email=entry.recipient_email), "success")
    return redirect(url_for("web.admin_outbox", **_back_query()))


def _back_query() -> dict[str, str]:
    """Return to the list as it was (status filter and page), read from the form."""
    status = request.form.get("status", "")
    page = as_int(request.form.get("page"))
    query = {"status": status} if status in STATUSES else {}
    return query | ({"page": str(page)} if isinstance(page, int) and page > 1 else {})
