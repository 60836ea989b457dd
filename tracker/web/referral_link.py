"""An agency's answer through the signed link of the referral email (no account)."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import gettext as _

from tracker.extensions import limiter
from tracker.services.agency_link import (
    answer_by_link,
    link_actor,
    link_expires_at,
    open_answer_link,
)
from tracker.services.errors import ValidationFailed
from tracker.services.raisers import raiser_views
from tracker.web import web
from tracker.web.form_errors import message_entries
from tracker.web.messages import translated_errors

MAX_TOKEN = 400


@web.route("/referrals/answer/<token>", methods=["GET", "POST"], endpoint="referral_answer")
@limiter.limit(lambda: current_app.config["STATUS_RATE_LIMIT"])
def referral_answer(token: str):
    """GET: the case's summary and the form; POST: the response, recorded once."""
    token = token[:MAX_TOKEN]
    remote = request.remote_addr
    if request.method == "GET":
        found = open_answer_link(token, remote_addr=remote)
        return _page(found.referral, found.case, found.trigger is not None)
    response = request.form.get("response", "")[:20001]
    try:
        case = answer_by_link(token, response, remote_addr=remote)
    except ValidationFailed as exc:
        found = open_answer_link(token, remote_addr=remote)
        errors = translated_errors(exc.errors)
        summary = message_entries(errors, {"response": _("Response of the agency")})
        return (
            _page(
                found.referral, found.case, True, errors=errors, response=response, summary=summary
            ),
            422,
        )
    return render_template("referral_answer.html", case=case, answered=True)


def _page(referral, case, answerable: bool, **extra):
    return render_template(
        "referral_answer.html",
        referral=referral,
        case=case,
        answerable=answerable,
        expires_at=link_expires_at(referral),
        # Name and contact only of the raisers who agreed to share them with the agencies.
        raisers=raiser_views(link_actor(referral), case),
        errors=extra.pop("errors", {}),
        **extra,
    )
