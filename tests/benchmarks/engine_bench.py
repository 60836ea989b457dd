"""The workflow engine alone: time per fire, and memory per case with one shared Machine."""

from __future__ import annotations

from transitions import Machine

from tests.benchmarks.harness import Memory, Timing, each, timed, traced
from tests.support import CASE_TABLE, trigger_data
from tracker.models import Case
from workflows import engine_for

DATA = {**trigger_data("analyse", 1, 1), "category": "contributions"}  # as the service passes


def bench_engine_time(n: int, raw_fire: Timing) -> Timing:
    """Time engine_for('case').fire(...) per call, compared with a raw-SQL transition."""
    timing = timed(
        "engine_for('case').fire, no database",
        n,
        lambda _i: engine_for("case").fire("logged", "analyse", "officer", DATA),
    )
    timing.baseline = raw_fire
    return timing


def new_cases(n: int) -> list[Case]:
    """N unsaved cases in state 'logged', as a page or a report holds them."""
    return [
        Case(reference=f"GRV-2026-{i:05d}", title=f"Concern {i}", description="d", state="logged")
        for i in range(n)
    ]


def fire_with_engine(case: Case) -> None:
    """Move the case with the shared engine (one Machine per workflow)."""
    case.state = engine_for("case").fire(case.state, "analyse", "officer", DATA)


def fire_by_table(case: Case) -> None:
    """Move the case with a dict lookup: the same assignment, no engine."""
    case.state = CASE_TABLE[(case.state, "analyse")]


def machine_per_case(case: Case) -> Machine:
    """What the engine avoids: a transitions Machine bound to each case."""
    workflow = engine_for("case").workflow
    return Machine(
        model=case,
        states=list(workflow.states),
        transitions=[
            {"trigger": t.trigger, "source": list(t.sources), "dest": t.dest}
            for t in workflow.transitions
        ],
        initial=case.state,
        auto_transitions=False,
    )


def bench_engine_memory(n: int) -> list[Memory]:
    """Bytes per case: the cases themselves, then what moving them adds, three ways."""
    built = traced("hold N Case objects (no engine)", n, lambda: new_cases(n))
    rows = [built]
    for label, change in (
        ("  + state changed by dict lookup", fire_by_table),
        ("  + state changed by the shared engine", fire_with_engine),
        ("  + one transitions.Machine per case (avoided)", machine_per_case),
    ):
        cases = new_cases(n)
        rows.append(
            traced(label, n, each(lambda i, cases=cases, change=change: change(cases[i]), n))
        )
    return rows
