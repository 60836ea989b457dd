"""The admin's view of the outbox: counts per status, the messages, and retrying failed ones."""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from notifications.email import safe_subject
from tracker.models.notifications import STATUSES
from tracker.services.errors import Conflict
from tracker.services.outbox import list_outbox, outbox_counts, retry_message
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
    )


@web.post(f"/admin/outbox/<{ID}:message_id>/retry")
def admin_retry_message(message_id: int):
    """Queue a failed or unsent email again; the worker sends it on its next run."""
    try:
        entry = retry_message(current_user, message_id, ip=request.remote_addr)
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
