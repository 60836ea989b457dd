"""Server-rendered pages in English and Khmer."""

from __future__ import annotations

from flask import Blueprint, Flask

web = Blueprint("web", __name__)


def init_web(app: Flask) -> None:
    """Bind sign-in, CSRF, translations and template helpers to the app."""
    from tracker.web.auth import init_auth
    from tracker.web.errors import init_web_errors
    from tracker.web.helpers import init_templates
    from tracker.web.i18n import init_i18n

    init_auth(app)
    init_i18n(app)
    init_templates(app)
    init_web_errors(app)


from tracker.web import (  # noqa: E402,F401  (the modules add their routes to the blueprint)
    account,
    admin,
    audit_admin,
    auth,
    case_page,
    cases,
    deadlines_admin,
    digest_preview,
    forum_brief,
    helpers,
    intake,
    intake_upload,
    outbox_admin,
    public,
    raise_concern,
    raisers,
    referral_link,
    referrals,
    related,
    report_back,
    reports,
    slips,
    triage,
    views,
)
