"""The planner's estimate of a list is asked once a minute per person and filter set."""

from __future__ import annotations

import pytest

from tests.support import counted_statements
from tracker.services import list_estimates
from tracker.services.case_queries import CaseFilters, search_cases
from tracker.services.list_estimates import EstimateCache


def test_an_estimate_is_kept_for_its_key_and_asked_again_once_old():
    cache, asked = EstimateCache(), []

    def ask(value: int):
        return lambda: asked.append(value) or value

    assert cache.get_or_compute("a", ask(10)) == 10
    assert cache.get_or_compute("a", ask(99)) == 10
    assert cache.get_or_compute("b", ask(20)) == 20
    assert cache.get_or_compute("a", ask(30), keep_seconds=0.0) == 30
    assert asked == [10, 20, 30]


def test_the_oldest_estimates_are_dropped_beyond_the_limit(monkeypatch):
    monkeypatch.setattr(list_estimates, "MAX_KEPT", 2)
    cache = EstimateCache()
    for key in ("a", "b", "c"):
        cache.get_or_compute(key, lambda: 1)
    assert cache.get_or_compute("a", lambda: 2) == 2  # "a" was dropped
    assert cache.get_or_compute("c", lambda: 3) == 1


def test_paging_the_same_list_asks_the_planner_once(app, is_postgres, officer, make_case):
    if not is_postgres:
        pytest.skip("only PostgreSQL is asked for an estimate")
    for number in range(3):
        make_case(title=f"Concern {number}")

    def explains(filters: CaseFilters) -> int:
        with counted_statements() as statements:
            search_cases(officer, filters, per_page=2)
        return sum(1 for s in statements if s.lstrip().upper().startswith("EXPLAIN"))

    assert explains(CaseFilters()) == 1
    assert explains(CaseFilters()) == 0
    assert explains(CaseFilters(state="logged")) == 1
    app.config["LIST_ESTIMATE_KEEP_SECONDS"] = 0
    assert explains(CaseFilters()) == 1
