"""Your account (password, how to be told, log out everywhere), forgotten passwords and
invitation links."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh as refresh_locale
from flask_login import current_user, logout_user

from tracker.extensions import limiter
from tracker.services.account_choices import save_choices
from tracker.services.account_links import open_link, request_password_reset, use_link
from tracker.services.credentials import change_own_password, log_out_everywhere
from tracker.services.errors import ValidationFailed
from tracker.services.users import set_khmer_digits
from tracker.user_channel import digest_optional
from tracker.web import web
from tracker.web.account_choices import choices_context, choices_form
from tracker.web.auth import start_session
from tracker.web.forms import (
    ChoicesForm,
    DisplayForm,
    ForgotPasswordForm,
    NewPasswordForm,
    PasswordChangeForm,
    set_errors,
)
from tracker.web.messages import translated_errors

# Path segment of a one-time link's token (anything else is simply not found).
TOKEN = "string(minlength=20, maxlength=100)"


@web.route("/account", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def account():
    """Change your password; every other session and token of yours ends, this one goes on."""
    form = PasswordChangeForm()
    if request.method == "POST":
        user = current_user._get_current_object()
        if not form.validate():
            return _account_page(form, 422)
        try:
            change_own_password(
                user,
                form.current_password.data or "",
                form.new_password.data or "",
                ip=request.remote_addr,
            )
        except ValidationFailed as exc:
            set_errors(form, translated_errors(exc.errors))
            return _account_page(form, 422)
        start_session(user)
        flash(
            _("Your password is changed. Your other sessions and API tokens have ended."), "success"
        )
        return redirect(url_for("web.account"))
    return _account_page(form)


def _account_page(form: PasswordChangeForm, status: int = 200, choices: ChoicesForm | None = None):
    """The account page: password, how to be told (tracker.web.account_choices), display."""
    display = DisplayForm(formdata=None, data={"khmer_digits": current_user.khmer_digits})
    context = choices_context(current_user._get_current_object(), choices)
    return render_template("account.html", form=form, display=display, **context), status


@web.post("/account/choices")
def account_choices():
    """Save the language, the channel and the digest choice together, or none of them."""
    user = current_user._get_current_object()
    form = choices_form(user, request.form)
    digest = bool(form.digest.data) if digest_optional(user.role) else None
    try:
        save_choices(user, language=form.language.data, channel=form.channel.data, digest=digest)
    except ValidationFailed as exc:
        set_errors(form, translated_errors(exc.errors))
        return _account_page(PasswordChangeForm(formdata=None), 422, choices=form)
    refresh_locale()  # say it in the language just chosen, as the next page is
    flash(_("Your choices are saved."), "success")
    return redirect(url_for("web.account"))


@web.post("/account/display")
def account_display():
    """Choose Khmer or Latin digits for numbers and dates."""
    form = DisplayForm()
    set_khmer_digits(current_user._get_current_object(), bool(form.khmer_digits.data))
    flash(_("Your display setting is saved."), "success")
    return redirect(url_for("web.account"))


@web.post("/account/logout-everywhere")
def logout_everywhere():
    """End every web session and API token of yours, this one included."""
    log_out_everywhere(current_user._get_current_object(), ip=request.remote_addr)
    logout_user()
    session.clear()
    flash(_("You are logged out everywhere."), "info")
    return redirect(url_for("web.login"))


@web.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"], methods=["POST"])
def password_forgot():
    """Ask for a reset link; the answer is the same whether or not the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        request_password_reset(form.email.data or "", ip=request.remote_addr)
        flash(
            _(
                "If an account has this address, we have sent it a link to choose a new "
                "password. The link works once, for a short time."
            ),
            "info",
        )
        return redirect(url_for("web.password_forgot"))
    return render_template("password_forgot.html", form=form)


def _link_page(token: str, purpose: str, title: str):
    """Show the new-password form of a live link (410 when used or expired); set it once."""
    form = NewPasswordForm()
    user = open_link(token, purpose)
    if request.method == "POST":
        try:
            if form.validate():
                use_link(token, purpose, form.password.data or "", ip=request.remote_addr)
        except ValidationFailed as exc:
            set_errors(form, translated_errors(exc.errors))
        if form.errors:
            return render_template("password_new.html", form=form, title=title, user=user), 422
        flash(_("Your password is set. Log in with it."), "success")
        return redirect(url_for("web.login"))
    return render_template("password_new.html", form=form, title=title, user=user)


@web.route(f"/password/reset/<{TOKEN}:token>", methods=["GET", "POST"])
def password_reset(token: str):
    """Choose a new password through a reset link."""
    return _link_page(token, "reset", _("Choose a new password"))


@web.route(f"/invitation/<{TOKEN}:token>", methods=["GET", "POST"])
def invitation(token: str):
    """Choose your first password through an invitation link."""
    return _link_page(token, "invite", _("Welcome: choose your password"))
