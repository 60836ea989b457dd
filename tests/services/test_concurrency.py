"""Racing writers: exactly one transition wins; concurrent creations never share a reference."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from tests.support import run_together, trigger_data
from tracker.extensions import db
from tracker.models import Case, Event, User
from tracker.services.cases import log_case
from tracker.services.errors import Conflict, StaleVersion
from tracker.services.transitions import fire_trigger

THREADS = 20
CREATIONS = 50


def test_twenty_threads_fire_the_same_trigger_once(app, make_case, officer):
    reference = make_case().case.reference
    officer_id = officer.id
    data = trigger_data("analyse", officer_id, 0)
    db.session.commit()

    def fire(_index: int) -> str:
        actor = db.session.get(User, officer_id)
        return fire_trigger(actor, reference, "analyse", data).state

    results = run_together(THREADS, fire, app)
    kinds = Counter(type(r).__name__ for r in results)
    assert results.count("analysed") == 1, kinds
    assert all(isinstance(r, (Conflict, StaleVersion)) for r in results if r != "analysed"), kinds
    case = db.session.scalar(select(Case).where(Case.reference == reference))
    assert case.state == "analysed"
    transitions = db.session.scalar(
        select(func.count()).where(Event.case_id == case.id, Event.kind == "transition")
    )
    assert transitions == 1


def test_fifty_concurrent_creations_get_distinct_references(app, officer):
    officer_id = officer.id
    db.session.commit()

    def create(index: int) -> str:
        actor = db.session.get(User, officer_id)
        fields = {"title": f"Concern {index}", "description": "d", "category": "other"}
        return log_case(actor, fields).case.reference

    results = run_together(CREATIONS, create, app)
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    assert len(set(results)) == CREATIONS
    numbers = sorted(int(str(r)[-5:]) for r in results)
    assert numbers == list(range(numbers[0], numbers[0] + CREATIONS))
