"""The next step a digest asks of its reader: never putting a case on hold or merging it."""

from __future__ import annotations

from tracker.workflow_registry import registry


def test_next_steps_leave_out_hold_and_merge(app):
    case = registry().workflow("case")
    for state in ("logged", "analysed", "referred", "responded"):
        asked = {t.trigger for t in case.next_steps(state, "officer")}
        assert "merge" not in asked and "hold" not in asked, state
    # Everything else the officer may fire is still asked for: refer and close after analysis.
    assert {"refer", "close"} <= {t.trigger for t in case.next_steps("analysed", "officer")}
