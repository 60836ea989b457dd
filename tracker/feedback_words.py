"""The words of "Was it resolved?"'s answer and the appeal route: one home for the status page,
the feedback link's page and the Telegram bot's answer (so the Khmer text is the same)."""

from __future__ import annotations

from datetime import date

from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from tracker import codes


def appeal_heading() -> str:
    """The heading of the appeal route."""
    return _("If it was not resolved: the appeal route")


def appeal_sentence(date_text: str) -> str:
    """The appeal route with its last day (already written in the reader's language)."""
    return _(
        "You may complain to the Social Security Regulator (Decision 017 FSA.SSR, 2024) "
        "within 30 working days of the closure, that is until %(date)s.",
        date=date_text,
    )


def thanks_sentence(answer_label: str) -> str:
    """The thanks for an answer to "Was it resolved?"."""
    return _("Thank you. Your answer: %(answer)s.", answer=answer_label)


def feedback_answer_text(resolved: str, appeal_until: date | str | None, language: str) -> str:
    """The plain-text answer to a recorded feedback in a language (Telegram): the thanks and,
    for "no", the appeal route until its day on the working calendar."""
    with force_locale(language):
        lines = [thanks_sentence(codes.label(codes.FEEDBACK, resolved, language))]
        if appeal_until:
            day = (
                date.fromisoformat(appeal_until) if isinstance(appeal_until, str) else appeal_until
            )
            lines += ["", appeal_heading(), appeal_sentence(format_date(day, "medium"))]
    return "\n".join(lines)
