"""The public status page (a reference and its access code, no login) and "Was it resolved?"."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import gettext as _

from tracker.extensions import limiter
from tracker.services.errors import Conflict, NotFound, ValidationFailed
from tracker.services.feedback import case_of_feedback_link, give_feedback, give_feedback_by_link
from tracker.services.public import lookup_public_case
from tracker.web import web
from tracker.web.form_errors import ErrorEntry, message_entries
from tracker.web.messages import translated_errors


def _status_limit() -> str:
    return current_app.config["STATUS_RATE_LIMIT"]


def _feedback_form() -> tuple[str, str]:
    return request.form.get("resolved", "")[:10], request.form.get("comment", "")[:2100]


def _missing_summary() -> list[ErrorEntry]:
    """The error summary when no case matches the reference and access code."""
    message = _("No case matches this reference and access code. Check both and try again.")
    return [ErrorEntry("reference", _("Reference"), message)]


def _feedback_summary(errors: dict[str, list[str]]) -> list[ErrorEntry]:
    """The error summary of a refused "Was it resolved?" (the fields of _public.html)."""
    labels = {"resolved": _("Was it resolved?"), "comment": _("Comment (optional)")}
    return message_entries(errors, labels)


@web.route("/status", methods=["GET", "POST"])
@limiter.limit(_status_limit, methods=["POST"])
def public_status():
    """Look a case up; the code travels in the POST body, never in the URL."""
    found, missing = None, False
    # A slip's QR code opens the page with the reference filled in (?reference=…).
    reference = (request.form.get("reference") or request.args.get("reference", "")).strip()[:40]
    code = request.form.get("access_code", "")[:40]
    if request.method == "POST":
        try:
            found = lookup_public_case(reference, code)
        except NotFound:
            missing = True
    status = 404 if missing else 200
    return (
        render_template(
            "status.html",
            found=found,
            missing=missing,
            reference=reference,
            access_code=code,
            summary=_missing_summary() if missing else [],
        ),
        status,
    )


@web.post("/status/feedback")
@limiter.limit(_status_limit)
def status_feedback():
    """ "Was it resolved?" answered on the status page, with the reference and access code."""
    reference = request.form.get("reference", "").strip()[:40]
    code = request.form.get("access_code", "")[:40]
    resolved, comment = _feedback_form()
    errors: dict[str, list[str]] = {}
    try:
        give_feedback(
            reference, code, resolved, comment, channel="web", remote_addr=request.remote_addr
        )
    except NotFound:
        context = {"missing": True, "reference": reference, "summary": _missing_summary()}
        return render_template("status.html", **context), 404
    except ValidationFailed as exc:
        errors = translated_errors(exc.errors)
    except Conflict:
        pass  # already answered: the page shows the answer on record
    found = lookup_public_case(reference, code)
    context = {"found": found, "reference": reference, "access_code": code, "errors": errors}
    context["values"] = {"resolved": resolved, "comment": comment}  # kept for a second try
    summary = _feedback_summary(errors)
    return render_template("status.html", **context, summary=summary), 422 if errors else 200


@web.route("/feedback/<token>", methods=["GET", "POST"])
@limiter.limit(_status_limit, methods=["POST"])
def feedback_link(token: str):
    """The signed link of the closing message: the question on GET, the answer on POST."""
    case = case_of_feedback_link(token[:400])
    if request.method == "GET":
        return render_template("feedback.html", case=case, token=token, errors={})
    resolved, comment = _feedback_form()
    try:
        given = give_feedback_by_link(
            token[:400], resolved, comment, remote_addr=request.remote_addr
        )
    except ValidationFailed as exc:
        errors = translated_errors(exc.errors)
        values = {"resolved": resolved, "comment": comment}  # kept for a second try
        context = {"case": case, "token": token, "errors": errors, "values": values}
        return render_template("feedback.html", **context, summary=_feedback_summary(errors)), 422
    return render_template("feedback.html", case=case, given=given, errors={})
