"""/admin/digest-preview?user=<id>: anyone's weekly digest as it would be sent now, for admins.

The email's HTML is served on its own (``/admin/digest-preview/html``) and shown in a sandboxed
frame: mail HTML is styled inline, which the pages' Content-Security-Policy rightly refuses.
"""

from __future__ import annotations

from flask import make_response, render_template, request

from notifications.digest_preview import DigestPreview, preview_digest
from tracker.extensions import db
from tracker.models import User, now_utc
from tracker.services.errors import NotFound
from tracker.web import web
from tracker.web.admin import require_admin
from tracker.web.forms import as_int

# The preview frame: the email's own inline styles and images, nothing that runs.
FRAME_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; sandbox; "
    "frame-ancestors 'self'"
)


def _preview() -> DigestPreview:
    """The digest of the user the query names (admins only; 404 for no such user)."""
    require_admin()
    user_id = as_int(request.args.get("user"))
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None:
        raise NotFound("No such user.")
    return preview_digest(user, now_utc())


@web.get("/admin/digest-preview")
def digest_preview():
    """Show the digest's subject, text and HTML (and the Telegram text); sends nothing."""
    return render_template("admin_digest_preview.html", preview=_preview())


@web.get("/admin/digest-preview/html")
def digest_preview_html():
    """The digest's HTML part alone, for the preview's frame."""
    response = make_response(_preview().html)
    response.headers["Content-Security-Policy"] = FRAME_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response
