"""Messages for the phone channels, rendered from the same rows and contexts as the emails.

SMS: ``templates/sms/<template>.<lang>.txt`` where a short text is written, else the email's
subject and the status link, so every kind of message (those added later included) has an SMS
form. Telegram: ``templates/telegram/<template>.<lang>.txt`` for the bot's own replies, the
short digest of notifications.digest_chat for digests, else the email's subject and plain-text
body. Both stay plain text (no markup to escape).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from notifications.digest_chat import digest_chat_text
from notifications.email import render_email
from notifications.recipients import language_of
from notifications.rendering import render_text, template_context, template_exists
from tracker import codes
from tracker.field_spec import FEEDBACK_ANSWERS
from tracker.public_links import FEEDBACK_BUTTON

TELEGRAM_LIMIT = 4096  # characters in one Telegram message


@dataclass(frozen=True)
class ChatMessage:
    """A Telegram message: its text and rows of inline-keyboard buttons (text, callback data)."""

    text: str
    buttons: list[list[tuple[str, str]]] = field(default_factory=list)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_sms(template: str, language: str, context: dict[str, Any]) -> str:
    """The SMS text of a row: its short template, else the subject and the status link."""
    language = language_of(language)
    own = f"sms/{template}.{language}.txt"
    if template_exists(own):
        return _one_line(render_text(own, language, context))
    subject = render_email(template, language, context).subject
    link = template_context(language, context).get("status_url")
    return _one_line(f"{subject} {link}" if link else subject)


def render_chat(template: str, language: str, context: dict[str, Any]) -> ChatMessage:
    """The Telegram message of a row: the bot's own template, else the email's text."""
    language = language_of(language)
    own = f"telegram/{template}.{language}.txt"
    if template.startswith("digest_"):  # a short digest of its own (notifications.digest_chat)
        text = digest_chat_text(language, context)
    elif template_exists(own):
        text = render_text(own, language, context).strip()
    else:
        rendered = render_email(template, language, context)
        text = f"{rendered.subject}\n\n{rendered.text.strip()}"
    buttons = [
        [(str(label), str(data)) for label, data in row] for row in context.get("buttons") or []
    ]
    if context.get("feedback_case"):
        buttons.append(feedback_buttons(str(context["feedback_case"]), language))
    return ChatMessage(text[:TELEGRAM_LIMIT], buttons)


def feedback_buttons(feedback_case: str, language: str) -> list[tuple[str, str]]:
    """ "Was it resolved?" as one row of buttons: yes / partly / no, for this closing."""
    return [
        (
            codes.label(codes.FEEDBACK, answer, language),
            f"{FEEDBACK_BUTTON}:{feedback_case}:{answer}",
        )
        for answer in FEEDBACK_ANSWERS
    ]
