""" "Was it resolved?" by Telegram buttons: a press from a chat linked to the case records the
answer through ``record_feedback`` and answers in the chat (the appeal route for "no").

The button names the case and its closing only (not signed): the press is believed only from
a chat linked to that case, so a forged callback from any other chat records nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError

from tracker.extensions import db
from tracker.field_spec import FEEDBACK_ANSWERS
from tracker.models import Case, TelegramChat
from tracker.public_links import FEEDBACK_BUTTON, closing_stamp, read_feedback_callback
from tracker.services.errors import Conflict
from tracker.services.feedback import record_feedback
from tracker.services.public_answer import closed_at, feedback_for_closing
from tracker.services.telegram_chats import facts, linked, reply

BUTTON = FEEDBACK_BUTTON


def press(chat: TelegramChat, value: str, now: datetime) -> None:
    """Handle the press of ``fb:<case id>:<closing stamp>:<answer>``; the caller commits."""
    named, _, answer = value.rpartition(":")
    found = read_feedback_callback(named)
    case = db.session.get(Case, found[0]) if found else None
    if found is None or case is None or answer not in FEEDBACK_ANSWERS or not linked(chat, case):
        reply(chat, "bot_link_invalid", now)  # forged, or the chat stopped following the case
        return
    end = closed_at(case)
    if end is None or closing_stamp(end) != found[1]:
        reply(chat, "bot_feedback_stale", now, case=facts(case), case_id=case.id)
        return
    if feedback_for_closing(case) is not None:
        reply(chat, "bot_feedback_already", now, case=facts(case), case_id=case.id)
        return
    try:
        given = record_feedback(case, answer, channel="telegram", now=now)
    except Conflict as exc:
        if isinstance(exc.__cause__, IntegrityError):
            raise  # answered a moment ago elsewhere: the update is rolled back and re-sent
        reply(chat, "bot_feedback_already", now, case=facts(case), case_id=case.id)
        return
    reply(
        chat,
        "bot_feedback_thanks",
        now,
        case=facts(case),
        case_id=case.id,
        resolved=given.resolved,
        appeal_until=given.appeal_until.isoformat() if given.appeal_until else None,
    )
