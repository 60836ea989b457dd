"""The case list at scale: keyset pages, counted-or-estimated totals, bad cursors refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from tracker.extensions import db
from tracker.services.case_queries import CaseFilters, case_order, search_cases
from tracker.services.errors import ValidationFailed
from tracker.services.keyset import encode_cursor

SORTS = ["-created_at", "created_at", "due_at", "-due_at", "reference", "-title", "-updated_at"]


def _walk(actor, sort, per_page, between=None, **filters):
    """Every page by cursor; ``between(n)`` runs after the n-th page."""
    seen, cursor, pages = [], None, 0
    while True:
        page = search_cases(actor, CaseFilters(**filters), sort=sort, per_page=per_page,
                            cursor=cursor)  # fmt: skip
        seen += [case.reference for case in page.items]
        pages += 1
        if between:
            between(pages)
        cursor = page.next_cursor
        if cursor is None:
            return seen


@pytest.fixture
def cases(make_case, officer, now):
    """40 cases an hour apart; every third has no deadline, the rest share a few due dates."""
    made = []
    for number in range(40):
        logged = make_case(title=f"Concern {number:02d}", now=now - timedelta(hours=40 - number))
        made.append(logged.case)
    from tracker.extensions import db

    for number, case in enumerate(made):
        case.due_at = None if number % 3 == 0 else now + timedelta(days=number % 4)
    db.session.commit()
    return [case.reference for case in made]


@pytest.mark.parametrize("sort", SORTS)
def test_keyset_pages_show_every_case_once_in_the_offset_order(officer, cases, sort):
    by_cursor = _walk(officer, sort, per_page=6)
    by_number = []
    for number in range(1, 8):
        page = search_cases(officer, CaseFilters(), sort=sort, page=number, per_page=6)
        by_number += [case.reference for case in page.items]
    assert by_cursor == by_number
    assert sorted(by_cursor) == sorted(cases)


@pytest.mark.parametrize("sort", ["-created_at", "due_at", "-due_at", "reference"])
def test_cases_added_while_paging_never_repeat_or_skip_a_case(officer, cases, make_case, now,
                                                             sort):  # fmt: skip
    added = []

    def add(page_number):
        logged = make_case(title=f"Added {page_number}", now=now + timedelta(minutes=page_number))
        added.append(logged.case.reference)

    seen = _walk(officer, sort, per_page=7, between=add)
    assert len(seen) == len(set(seen)), "a case was shown twice"
    assert set(cases) <= set(seen), "a case that was there all along was skipped"


def test_totals_are_exact_below_the_limit_and_say_when_they_are_estimated(
    app, officer, cases, is_postgres
):
    if is_postgres:
        # The planner's first guess relies on current statistics, as autovacuum keeps them in
        # production; an earlier test's 30,000 deleted rows must not stand in for these 40.
        db.session.execute(text("ANALYZE cases"))
    page = search_cases(officer, CaseFilters(), per_page=10)
    assert (page.total, page.total_is_estimate, page.pages) == (40, False, 4)
    assert search_cases(officer, CaseFilters(q="Concern 1"), per_page=10).total == 10
    app.config["LIST_EXACT_COUNT_LIMIT"] = 40
    assert search_cases(officer, CaseFilters(), per_page=10).total_is_estimate is False
    app.config["LIST_EXACT_COUNT_LIMIT"] = 25
    estimated = search_cases(officer, CaseFilters(), per_page=10)
    assert estimated.total_is_estimate is True and estimated.total >= 26
    assert len(estimated.items) == 10 and estimated.next_cursor
    app.config["LIST_EXACT_COUNT_LIMIT"] = 4  # the planner's guess (if any) is taken far beyond
    far = search_cases(officer, CaseFilters(), per_page=10)
    assert far.total_is_estimate is True and far.total >= 5


def test_a_search_counts_exactly_up_to_its_own_lower_limit(app, officer, make_case):
    for number in range(8):
        make_case(title=f"Hospital fee {number}")
    make_case(title="Pension")
    app.config["LIST_EXACT_SEARCH_COUNT_LIMIT"] = 8
    exact = search_cases(officer, CaseFilters(q="hospital"), per_page=5)
    assert (exact.total, exact.total_is_estimate) == (8, False)
    app.config["LIST_EXACT_SEARCH_COUNT_LIMIT"] = 5
    beyond = search_cases(officer, CaseFilters(q="hospital"), per_page=5)
    assert beyond.total_is_estimate is True and beyond.total > 5
    listed = search_cases(officer, CaseFilters(), per_page=5)  # no search: the list's limit
    assert (listed.total, listed.total_is_estimate) == (9, False)


def test_totals_stay_within_what_the_actor_sees(app, representative, officer, make_case):
    make_case(actor=representative, title="Our concern")
    make_case(title="Somebody else's")
    page = search_cases(representative, CaseFilters(), per_page=10)
    assert (page.total, [c.title for c in page.items]) == (1, ["Our concern"])


def test_a_cursor_edited_or_made_for_another_sort_is_refused(officer, cases):
    first = search_cases(officer, CaseFilters(), per_page=5)
    for bad in ("not-a-cursor", first.next_cursor[:-3] + "AAA", "e30"):
        with pytest.raises(ValidationFailed) as refused:
            search_cases(officer, CaseFilters(), per_page=5, cursor=bad)
        assert "cursor" in refused.value.errors
    with pytest.raises(ValidationFailed):
        search_cases(officer, CaseFilters(), sort="due_at", per_page=5, cursor=first.next_cursor)
    wrong_type = encode_cursor(case_order("-created_at"), ("yesterday", 3))
    with pytest.raises(ValidationFailed):
        search_cases(officer, CaseFilters(), per_page=5, cursor=wrong_type)
