"""Render emails from per-language templates; build them with the standard library's address
helpers and send them over flask-mail's SMTP connection (with a timeout)."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, parseaddr
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_mail import Connection
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, select_autoescape

from notifications.recipients import clean_name, language_of
from tracker import codes
from tracker.feedback_words import feedback_answer_text
from tracker.workflow_registry import registry

TEMPLATES = Path(__file__).resolve().parent / "templates"
# Lines up to RFC 5322's 998 characters: the standard library, folding a long ASCII display name
# at 78, drops the quotes around it, so `A … <evil@example.org>` became a second address.
HEADER_POLICY = SMTP.clone(max_line_length=998)


@dataclass(frozen=True)
class RenderedEmail:
    """Subject, plain-text and HTML parts of one email."""

    subject: str
    text: str
    html: str


def _local_date(value: str | datetime | None) -> str:
    """Format a UTC moment (or ISO string) as the local date, e.g. 2026-03-11."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return moment.astimezone(zone).strftime("%Y-%m-%d")


@cache
def _environment() -> Environment:
    """The Jinja environment of the email templates (HTML autoescaped, undefined is an error)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["localdate"] = _local_date
    env.globals["feedback_answer"] = feedback_answer_text  # the status page's own words
    return env


def _labels(language: str, workflow: str | None) -> dict[str, Any]:
    """Helpers that name codes in the recipient's language (states from the workflow)."""
    return {
        "state_label": lambda state: registry().state_label(state, language, workflow),
        **{
            name: (lambda code, table=table: codes.label(table, code, language))
            for name, table in (
                ("outcome_label", codes.OUTCOMES),
                ("category_label", codes.CATEGORIES),
                ("priority_label", codes.PRIORITIES),
                ("province_label", codes.PROVINCES),
            )
        },
    }


def links(reference: str | None) -> dict[str, str]:
    """The case page (staff and agencies) and the public status page of a case."""
    base = current_app.config["BASE_URL"].rstrip("/")
    if not reference:
        return {"base_url": base}
    return {
        "base_url": base,
        "case_url": f"{base}/cases/{reference}",
        "status_url": f"{base}/status?reference={reference}",
    }


def template_context(language: str, context: dict[str, Any]) -> dict[str, Any]:
    """A row's context with the links and the label helpers of its language added."""
    case = context.get("case") or {}
    labels = _labels(language, case.get("workflow"))
    return {**links(case.get("reference")), **labels, "lang": language, **context}


def template_exists(name: str) -> bool:
    """Tell whether a template file of that name exists (``sms/case_closed.km.txt``)."""
    return (TEMPLATES / name).is_file()


def render_text(name: str, language: str, context: dict[str, Any]) -> str:
    """Render one plain-text template with the context every message template gets."""
    return _environment().get_template(name).render(template_context(language, context))


def render_email(template: str, language: str, context: dict[str, Any]) -> RenderedEmail:
    """Render ``<template>.<lang>.txt`` (which sets ``subject``) and ``<template>.<lang>.html``."""
    language = language_of(language)
    ctx = template_context(language, context)
    env = _environment()
    module = env.get_template(f"{template}.{language}.txt").make_module(ctx)
    subject = " ".join(str(getattr(module, "subject", "")).split())
    html = env.get_template(f"{template}.{language}.html").render(ctx)
    return RenderedEmail(subject=subject, text=str(module), html=html)


def safe_subject(row: Any) -> str:
    """The subject of an outbox row for listings; the template name if it cannot render."""
    from notifications.outbox import SECRET_KEYS

    context = {k: v for k, v in row.context.items() if k not in SECRET_KEYS}
    try:
        return render_email(row.template, row.language, context).subject
    except (TemplateError, KeyError, ValueError, TypeError):
        return row.template


def build_message(
    *,
    message_id: str,
    email: str,
    name: str,
    language: str,
    rendered: RenderedEmail,
    unsubscribe_url: str | None = None,
) -> EmailMessage:
    """The message with our stable Message-ID, to exactly one recipient.

    Every address header is an ``email.headerregistry.Address``: the standard library quotes
    or encodes the display name, so no name can add a recipient or break the header. With an
    ``unsubscribe_url`` (a digest that can be turned off) it carries RFC 8058's one-click
    ``List-Unsubscribe`` headers: the mail client POSTs ``List-Unsubscribe=One-Click`` there.
    """
    message = EmailMessage(policy=HEADER_POLICY)
    message["Subject"] = rendered.subject
    message["From"] = sender_address()
    message["To"] = Address(display_name=clean_name(name), addr_spec=email)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    if unsubscribe_url:
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    # Quoted-printable keeps the message 7-bit clean for servers without 8BITMIME.
    message.set_content(rendered.text, cte="quoted-printable")
    message.add_alternative(rendered.html, subtype="html", cte="quoted-printable")
    # After the parts: making the message multipart moves every Content-* header into them.
    message["Content-Language"] = language
    return message


def sender_address() -> Address:
    """MAIL_DEFAULT_SENDER (``Name <address>`` or a bare address) as one Address."""
    configured = current_app.config.get("MAIL_DEFAULT_SENDER") or "tracker@localhost"
    if isinstance(configured, tuple | list):
        display_name, address = configured
    else:
        display_name, address = parseaddr(configured)
    return Address(display_name=clean_name(display_name), addr_spec=address)


def send_message(connection: TimeoutConnection, message: EmailMessage) -> None:
    """Send over an open connection: the envelope names the To address alone."""
    if connection.host is None:  # MAIL_SUPPRESS_SEND: nothing goes out
        return
    [recipient] = message["To"].addresses
    connection.host.send_message(
        message, from_addr=message["From"].addresses[0].addr_spec, to_addrs=[recipient.addr_spec]
    )


class TimeoutConnection(Connection):
    """A flask-mail connection whose socket operations time out (flask-mail#114)."""

    def configure_host(self) -> smtplib.SMTP:
        """Open the SMTP connection with MAIL_TIMEOUT seconds for every socket operation."""
        timeout = float(current_app.config["MAIL_TIMEOUT"])
        state = self.mail
        smtp_class = smtplib.SMTP_SSL if state.use_ssl else smtplib.SMTP
        host = smtp_class(state.server, state.port, timeout=timeout)
        host.set_debuglevel(int(state.debug))
        if state.use_tls:
            host.starttls()
        if state.username and state.password:
            host.login(state.username, state.password)
        return host


def open_connection() -> TimeoutConnection:
    """Connect to the configured SMTP server (the caller closes it)."""
    connection = TimeoutConnection(current_app.extensions["mail"])
    return connection.__enter__()


def close_connection(connection: TimeoutConnection | None) -> None:
    """Close a connection, ignoring a server that is already gone."""
    if connection is None or connection.host is None:
        return
    try:
        connection.host.quit()
    except (smtplib.SMTPException, OSError):
        connection.host.close()


def mail_enabled() -> bool:
    """Tell whether a mail server is configured (the embedded default has none)."""
    state = current_app.extensions.get("mail")
    return bool(current_app.config["MAIL_ENABLED"]) and bool(state and state.server)
