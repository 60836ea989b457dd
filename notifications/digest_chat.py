"""The weekly digest as one short Telegram message: the counts, the cases, a link.

Built from the digest row's own context (the lists notifications.digest makes), whatever the
role: each list becomes a line of counts and its first cases; the words come from the Babel
catalog in the reader's language, dates in the reader's calendar (Babel's ``km`` formats).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import force_locale, format_date, gettext

from notifications.recipients import language_of


def N_(message: str) -> str:
    """Mark a message for the catalog (babel.cfg's keyword); translated where it is shown."""
    return message


CASES_SHOWN = 5  # per list: a chat message is read on a phone
LIST_TITLES = {
    "overdue": N_("Overdue"),
    "due_this_week": N_("Due this week"),
    "new": N_("Assigned to you this week"),
    "pending": N_("Referrals waiting for an answer"),
    "changed": N_("Changed this week"),
    "unassigned": N_("Without an owner"),
}
TALLY_TITLES = {
    "overdue_by_owner": N_("Overdue, by owner"),
    "overdue_by_agency": N_("Overdue, by agency"),
}


def _lists(context: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The digest's case lists, in the order the context gives them."""
    return [
        (key, value)
        for key, value in context.items()
        if isinstance(value, dict) and isinstance(value.get("cases"), list)
    ]


def _title(key: str, titles: dict[str, str]) -> str:
    return gettext(titles[key]) if key in titles else key.replace("_", " ").capitalize()


def _case_line(case: dict[str, Any]) -> str:
    line = f"• {case.get('reference', '')} {case.get('title', '')}".rstrip()
    due = case.get("due_at")
    if due:
        when = format_date(datetime.fromisoformat(due), format="medium")
        line += " — " + gettext("due %(date)s", date=when)
    return line


def _list_block(key: str, found: dict[str, Any]) -> list[str]:
    lines = [f"{_title(key, LIST_TITLES)}: {found.get('total', len(found['cases']))}"]
    lines += [_case_line(case) for case in found["cases"][:CASES_SHOWN]]
    hidden = int(found.get("total", 0)) - min(len(found["cases"]), CASES_SHOWN)
    if hidden > 0:
        lines.append(gettext("… and %(count)d more", count=hidden))
    return lines


def _tally_block(key: str, rows: list[dict[str, Any]]) -> list[str]:
    lines = [f"{_title(key, TALLY_TITLES)}:"]
    lines += [f"• {row.get('name', '')}: {row.get('count', 0)}" for row in rows[:CASES_SHOWN]]
    return lines


def digest_chat_text(language: str, context: dict[str, Any]) -> str:
    """The Telegram text of a digest row: a heading, each list's count and first cases, the
    tally of overdue cases (admins), and the link to the tracker."""
    week = context.get("week") or {}
    with force_locale(language_of(language)):
        counts = " · ".join(
            f"{_title(key, LIST_TITLES)}: {found.get('total', 0)}" for key, found in _lists(context)
        )
        blocks = [
            [gettext("Your weekly digest, week %(week)s of %(year)s", **week) if week else ""],
            [counts] if counts else [],
        ]
        blocks += [_list_block(key, found) for key, found in _lists(context) if found["cases"]]
        blocks += [
            _tally_block(key, context[key])
            for key in TALLY_TITLES
            if isinstance(context.get(key), list) and context[key]
        ]
        base = current_app.config["BASE_URL"].rstrip("/")
        blocks.append([gettext("Open the tracker: %(url)s", url=base + "/")])
    return "\n\n".join("\n".join(b) for b in blocks if any(b)).strip()
