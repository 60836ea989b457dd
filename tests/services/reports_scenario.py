"""A dated set of referrals, shared by the report tests of the services, the API and the web.

Everything starts on Wednesday 4 March 2026, 09:00 UTC (16:00 in Phnom Penh). NSSF has 20
working days to answer (due 1 April), the Ministry of Health 15 (due 25 March). The report is
read on AS_OF, Friday 10 April 2026.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from tests.support import trigger_data
from tracker.models import Agency, Organisation, User
from tracker.services.cases import log_case
from tracker.services.transitions import fire_trigger

START = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
AS_OF = datetime(2026, 4, 10, 9, 0, tzinfo=UTC)


def at(month: int, day: int) -> datetime:
    """09:00 UTC on a day of 2026."""
    return datetime(2026, month, day, 9, 0, tzinfo=UTC)


def referred_case(officer: User, agency: Agency, organisation: Organisation | None, **fields):
    """Log a case at START, analyse it and refer it to the agency at START."""
    logged = log_case(
        officer,
        {
            "title": fields.pop("title", "Contributions not paid"),
            "description": "The employer deducts but does not pay.",
            "category": fields.pop("category", "contributions"),
            "organisation_id": organisation.id if organisation else None,
            **fields,
        },
        now=START,
    )
    ref = logged.case.reference
    fire_trigger(officer, ref, "analyse", trigger_data("analyse", officer.id, agency.id), now=START)
    fire_trigger(officer, ref, "refer", trigger_data("refer", officer.id, agency.id), now=START)
    return ref


def build_referrals(
    officer: User, nssf: Agency, moh: Agency, own: Organisation, other: Organisation
) -> dict[str, str]:
    """Build five referred cases and return their references by letter.

    A: NSSF answers in 4 working days. B: NSSF answers late (23). C: NSSF never answers.
    D: MOH answers on time (12), then D goes to NSSF again, not yet due on AS_OF.
    E (another organisation): MOH never answers."""
    respond = trigger_data("respond", officer.id, nssf.id)
    refs = {letter: referred_case(officer, nssf, own) for letter in "ABC"}
    refs["D"] = referred_case(officer, moh, own, category="healthcare")
    refs["E"] = referred_case(officer, moh, other, category="healthcare")
    fire_trigger(officer, refs["A"], "respond", respond, now=at(3, 10))
    fire_trigger(officer, refs["B"], "respond", respond, now=at(4, 6))
    fire_trigger(officer, refs["D"], "respond", respond, now=at(3, 20))
    fire_trigger(
        officer, refs["D"], "refer", trigger_data("refer", officer.id, nssf.id), now=at(3, 20)
    )
    return refs


def add_cases(
    make_case: Callable[..., object], officer: User, agency: Agency, count: int, start: int
) -> None:
    """Log cases on different days; refer and answer every third one."""
    for number in range(start, start + count):
        ref = make_case(now=datetime(2026, 1, 5 + number % 25, 9, tzinfo=UTC)).case.reference
        if number % 3 == 0:
            for trigger in ("analyse", "refer", "respond"):
                fire_trigger(officer, ref, trigger, trigger_data(trigger, officer.id, agency.id))
