"""Render emails (notifications.rendering: one template per kind, the pages' catalog); build
them with the standard library's address helpers and send them over flask-mail's SMTP
connection (with a timeout)."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, parseaddr
from typing import Any

from flask import current_app
from flask_mail import Connection
from jinja2 import TemplateError

from notifications.recipients import clean_name
from notifications.rendering import render_parts

# Lines up to RFC 5322's 998 characters: the standard library, folding a long ASCII display name
# at 78, drops the quotes around it, so `A … <evil@example.org>` became a second address.
HEADER_POLICY = SMTP.clone(max_line_length=998)


@dataclass(frozen=True)
class RenderedEmail:
    """Subject, plain-text and HTML parts of one email."""

    subject: str
    text: str
    html: str


def render_email(template: str, language: str, context: dict[str, Any]) -> RenderedEmail:
    """Render the one template of an email kind (``<template>.html``) as subject, text and HTML."""
    subject, text, html = render_parts(template, language, context)
    return RenderedEmail(subject=subject, text=text, html=html)


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
