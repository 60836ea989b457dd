"""The email channel: render a row's templates and send it over SMTP (notifications.email)."""

from __future__ import annotations

import smtplib
from email.errors import MessageError

from flask import current_app
from jinja2 import TemplateError

from notifications.channels import Claimed, PermanentFailure, TemporaryFailure, Unreachable
from notifications.email import (
    TimeoutConnection,
    build_message,
    close_connection,
    mail_enabled,
    open_connection,
    render_email,
    send_message,
)


def classify(exc: BaseException) -> Exception:
    """Sort an SMTP error into permanent (5xx) or temporary (4xx, network)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        permanent = all(code >= 500 for code in codes)
        detail = "; ".join(f"{code} {msg!r}" for code, msg in exc.recipients.values())
        return PermanentFailure(detail) if permanent else TemporaryFailure(detail)
    if isinstance(exc, smtplib.SMTPResponseException):
        detail = f"{exc.smtp_code} {exc.smtp_error!r}"
        return PermanentFailure(detail) if exc.smtp_code >= 500 else TemporaryFailure(detail)
    if isinstance(exc, (MessageError, TemplateError, ValueError, TypeError, KeyError)):
        return PermanentFailure(f"{type(exc).__name__}: {exc}")
    return TemporaryFailure(f"{type(exc).__name__}: {exc}")


class EmailSender:
    """One SMTP connection for a run, opened at the first row and again after a failure."""

    def __init__(self) -> None:
        self.connection: TimeoutConnection | None = None

    def send(self, row: Claimed) -> None:
        """Render and send one row; a timed-out or dropped connection is not reused."""
        if self.connection is None:
            try:
                self.connection = open_connection()
            except (smtplib.SMTPException, OSError) as exc:
                raise Unreachable(f"cannot connect: {classify(exc)}") from exc
        try:
            rendered = render_email(row.template, row.language, row.context)
            message = build_message(
                message_id=row.message_id,
                email=row.email,
                name=row.name,
                language=row.language,
                rendered=rendered,
                unsubscribe_url=row.context.get("unsubscribe_url"),
            )
            send_message(self.connection, message)
        except (smtplib.SMTPException, OSError, MessageError, TemplateError) as exc:
            failure = classify(exc)
            if isinstance(failure, TemporaryFailure):
                self.close()
            raise failure from exc
        except (ValueError, TypeError, KeyError) as exc:  # a row that cannot be rendered
            raise classify(exc) from exc

    def close(self) -> None:
        """Quit the SMTP connection, if one is open."""
        close_connection(self.connection)
        self.connection = None


class EmailChannel:
    """Email over the configured SMTP server."""

    name = "email"

    def enabled(self) -> bool:
        """A mail server is configured."""
        return mail_enabled()

    def timeout(self) -> float:
        """MAIL_TIMEOUT seconds for every socket operation."""
        return float(current_app.config["MAIL_TIMEOUT"])

    def sender(self) -> EmailSender:
        """A sender holding one SMTP connection."""
        return EmailSender()
