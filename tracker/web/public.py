"""The public status page: a reference and its access code, no login."""

from __future__ import annotations

from flask import current_app, render_template, request

from tracker.extensions import limiter
from tracker.services.errors import NotFound
from tracker.services.public import lookup_public_case
from tracker.web import web


@web.route("/status", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["STATUS_RATE_LIMIT"], methods=["POST"])
def public_status():
    """Look a case up; the code travels in the POST body, never in the URL."""
    found, missing = None, False
    # A slip's QR code opens the page with the reference filled in (?reference=…).
    reference = (request.form.get("reference") or request.args.get("reference", "")).strip()[:40]
    if request.method == "POST":
        try:
            found = lookup_public_case(reference, request.form.get("access_code", "")[:40])
        except NotFound:
            missing = True
    status = 404 if missing else 200
    return render_template("status.html", found=found, missing=missing, reference=reference), status
