"""Service-test fixtures: drive a case to any state through the real services."""

from __future__ import annotations

import pytest

from tests.support import PATHS, trigger_data
from tracker.services.transitions import fire_trigger


@pytest.fixture
def case_in_state(make_case, officer, agency):
    """Return a function that logs a case and walks it to the given state."""

    def make(state: str, **fields):
        logged = make_case(**fields)
        for trigger in PATHS[state]:
            fire_trigger(
                officer,
                logged.case.reference,
                trigger,
                trigger_data(trigger, officer.id, agency.id),
            )
        return logged.case

    return make
