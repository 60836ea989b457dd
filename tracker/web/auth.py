"""Web sign-in: Flask-Login sessions that can be revoked, time out, and are guarded by CSRF."""

from __future__ import annotations

import secrets
import time
from urllib.parse import urlsplit

from flask import (
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from tracker.extensions import csrf, db, limiter, login_manager
from tracker.models import User
from tracker.services.users import authenticate, end_sessions, set_language
from tracker.web import web
from tracker.web.forms import LanguageForm, LoginForm
from tracker.web.messages import N_

# Pages anyone may open without signing in.
PUBLIC_ENDPOINTS = frozenset(
    {
        "web.login",
        "web.public_status",
        "web.health",
        "web.set_language",
        "web.password_forgot",
        "web.password_reset",
        "web.invitation",
        # Participants in the loop (docs/participants.md): no account needed.
        "web.status_feedback",
        "web.feedback_link",
        "web.raise_concern",
        "web.report_back",
        "web.agency_scorecard",
        "web.referral_answer",
        "web.digest_unsubscribe",  # the one-click link of a digest email (signed, per user)
    }
)
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
AUTH_DEFAULTS = {
    "LOGIN_RATE_LIMIT": "5 per minute",
    "SESSION_IDLE_TIMEOUT": 60 * 60,  # seconds without a request before the session ends
    "SESSION_ABSOLUTE_TIMEOUT": 12 * 60 * 60,  # seconds after login, whatever the activity
    "WTF_CSRF_CHECK_DEFAULT": False,  # checked by csrf_for_cookie_requests (skips the API)
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session, which times out
}


def init_auth(app: Flask) -> None:
    """Configure sessions, Flask-Login and CSRF for the web UI."""
    for key, value in AUTH_DEFAULTS.items():
        app.config.setdefault(key, value)
    # Flask has defaults for these, so set them rather than setdefault.
    app.config["PERMANENT_SESSION_LIFETIME"] = app.config["SESSION_ABSOLUTE_TIMEOUT"]
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    login_manager.init_app(app)
    login_manager.login_view = "web.login"
    login_manager.login_message = N_("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.localize_callback = _
    login_manager.session_protection = "basic"
    csrf.init_app(app)
    app.before_request(csrf_for_cookie_requests)


# Called by a service with a secret header of its own, never by a browser with our cookie.
CSRF_EXEMPT_PATHS = ("/telegram/webhook",)
# A mail client's one-click unsubscribe (RFC 8058) POSTs without our cookie or form: the signed
# link is the proof, and all it can do is turn one person's digest off.
CSRF_EXEMPT_PREFIXES = ("/digest/unsubscribe/",)


def csrf_for_cookie_requests() -> None:
    """Check the CSRF token on every state change, except the bearer-token API and webhooks."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    exempt = (
        request.path.startswith(("/api/", *CSRF_EXEMPT_PREFIXES))
        or request.path in CSRF_EXEMPT_PATHS
    )
    if request.method in UNSAFE_METHODS and not exempt:
        csrf.protect()


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Return the session's user while the session is still valid; else end it."""
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    now = time.time()
    if user is None or not user.active or not session_is_current(user, now):
        session.clear()
        return None
    session["seen_at"] = now
    return user


def session_is_current(user: User, now: float) -> bool:
    """Same session generation as the user's, not idle too long, not too old."""
    config = current_app.config
    login_at = session.get("login_at", 0)
    seen_at = session.get("seen_at", 0)
    return (
        session.get("generation") == user.session_generation
        and now - seen_at <= config["SESSION_IDLE_TIMEOUT"]
        and now - login_at <= config["SESSION_ABSOLUTE_TIMEOUT"]
    )


def start_session(user: User) -> None:
    """Log the user in with a brand-new session (nothing from before login survives)."""
    session.clear()
    login_user(user)
    now = time.time()
    session.update(
        generation=user.session_generation,
        login_at=now,
        seen_at=now,
        sid=secrets.token_urlsafe(16),
    )
    session.permanent = True


def safe_next(target: str | None) -> str:
    """Follow a ``next`` link only within this site."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target:
            return target
    return url_for("web.dashboard")


@web.before_request
def require_login():
    """Every page but the public ones needs a signed-in user."""
    if request.endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
        return None
    return login_manager.unauthorized()


@web.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    """Show the login form; sign in with email and password."""
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("web.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data or "", form.password.data or "", ip=request.remote_addr)
        if user is not None:
            start_session(user)
            return redirect(safe_next(request.args.get("next")))
        form.password.errors = [_("Wrong email or password.")]
    return render_template("login.html", form=form), 200 if not form.errors else 401


@web.post("/logout")
def logout():
    """Sign out: this session (and any copy of its cookie) stops working."""
    end_sessions(current_user._get_current_object(), ip=request.remote_addr)
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("web.login"))


@web.post("/language", endpoint="set_language")
def set_language_view():
    """Switch the UI language; remembered on the user, or in the session before login."""
    form = LanguageForm()
    language = form.language.data if form.language.data in ("en", "km") else "en"
    if current_user.is_authenticated:
        set_language(current_user._get_current_object(), language)
    else:
        session["lang"] = language
    return redirect(safe_next(form.next.data))
