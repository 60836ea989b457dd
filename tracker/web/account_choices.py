"""How to be told, on /account: language, email or Telegram, the weekly digest; linking a
Telegram chat; and the one-click "no more digests" link of the digest emails (no login)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.models import User
from tracker.services.account_choices import (
    open_telegram_link,
    unlink_telegram,
    unsubscribe_digest,
    user_of_unsubscribe_link,
)
from tracker.services.errors import ValidationFailed
from tracker.services.telegram_tokens import bot_configured_for_links, user_bot_link
from tracker.user_channel import digest_optional
from tracker.web import web
from tracker.web.choices import code_choices
from tracker.web.forms import ChoicesForm

# Path segment of an unsubscribe token (anything else is simply not found).
TOKEN = "string(minlength=20, maxlength=200)"


def choices_form(user: User, formdata: Any = None) -> ChoicesForm:
    """The form with the user's values; Telegram offered only once the bot is configured."""
    data = {"language": user.language, "channel": user.notify_channel}
    data["digest"] = user.digest_enabled
    form = ChoicesForm(formdata=formdata, data=data)
    form.language.choices = code_choices("language")
    form.channel.choices = [("email", _("Email"))]
    if bot_configured_for_links():
        form.channel.choices.append(("telegram", _("Telegram")))
    return form


def choices_context(user: User, form: ChoicesForm | None = None) -> dict[str, Any]:
    """What the account page shows of the user's choices and their Telegram link."""
    return {
        "choices": form or choices_form(user),
        "telegram_offered": bot_configured_for_links(),
        "telegram_linked": bool(user.telegram_chat_id),
        "telegram_link": user_bot_link(user),
        "digest_optional": digest_optional(user.role),
    }


@web.post("/account/telegram/link")
def account_telegram_link():
    """Make a one-time link that links the user's Telegram chat (shown on /account)."""
    try:
        open_telegram_link(current_user._get_current_object())
    except ValidationFailed:
        flash(_("Telegram is not set up on this tracker."), "error")
    return redirect(url_for("web.account") + "#channel-heading")


@web.post("/account/telegram/unlink")
def account_telegram_unlink():
    """Unlink the user's Telegram chat: messages go by email again."""
    unlink_telegram(current_user._get_current_object(), ip=request.remote_addr)
    flash(_("Your Telegram chat is unlinked. Your messages come by email again."), "success")
    return redirect(url_for("web.account"))


@web.route(f"/digest/unsubscribe/<{TOKEN}:token>", methods=["GET", "POST"])
def digest_unsubscribe(token: str):
    """GET asks (mail scanners follow links); POST (the button, or a mail client's one-click
    ``List-Unsubscribe=One-Click``) turns the weekly digest off. No login, no CSRF token: the
    signed link is the proof."""
    user = user_of_unsubscribe_link(token)
    if request.method == "POST":
        unsubscribe_digest(token)
        return render_template("digest_unsubscribe.html", user=user, token=token, done=True)
    return render_template("digest_unsubscribe.html", user=user, token=token, done=False)
