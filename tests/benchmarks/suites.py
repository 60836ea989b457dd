"""The measurements: each service path timed (or traced) next to its raw-SQL baseline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from tests.benchmarks.harness import Actors, Memory, Timing, each, timed, traced
from tests.benchmarks.raw_sql import analyse_raw, log_case_raw, run, search_raw
from tests.benchmarks.seed import SEARCH_WORD, categories, seed_cases
from tests.conftest import CASE_FIELDS
from tests.support import trigger_data
from tracker.extensions import db
from tracker.models import now_utc
from tracker.services.case_queries import CaseFilters, Page, search_cases
from tracker.services.cases import log_case
from tracker.services.transitions import fire_trigger


@dataclass(frozen=True)
class Counts:
    """How many operations each measurement runs."""

    log: int
    fire: int
    cases_listed: int
    searches: int
    engine_calls: int
    engine_cases: int
    traced_creations: int
    import_rows: int
    import_traced: int  # rows of the import run under tracemalloc (tracing is slow)


WARMUP = 20
FULL = Counts(600, 300, 5000, 150, 20000, 5000, 300, 20000, 2000)
QUICK = Counts(200, 100, 5000, 40, 5000, 2000, 100, 2000, 500)


def new_case(number: int) -> dict:
    """The fields of the number-th benchmark case."""
    return {**CASE_FIELDS, "title": f"Benchmark concern {number}"}


def service_logger(actors: Actors) -> Callable[[int], object]:
    """Log a case through the service (the actor is reloaded after each commit, as per request)."""
    officer = actors.officer()
    return lambda number: log_case(officer, new_case(number))


def raw_logger(connection, actors: Actors) -> Callable[[int], object]:
    """Log a case with raw SQL on an open connection."""
    actor = (actors.officer_id, "Bench")
    return lambda number: log_case_raw(
        connection, {**new_case(number), "due_at": None}, actor, now_utc()
    )


def bench_logging(counts: Counts, actors: Actors) -> tuple[list[Timing], list[str]]:
    """Time log_case against the raw inserts; return the timings and every reference made."""
    service = timed("log_case", counts.log, service_logger(actors))
    with db.engine.connect() as connection:
        raw = timed("  raw SQL: counter + case + event", counts.log, raw_logger(connection, actors))
        references = run(
            connection, "SELECT reference FROM cases WHERE state = 'logged' ORDER BY id"
        ).scalars()
        references = list(references)
    service.baseline = raw
    return [service, raw], references


def bench_firing(counts: Counts, actors: Actors, references: list[str]) -> list[Timing]:
    """Time fire_trigger('analyse') against a raw UPDATE + INSERTs, on logged cases."""
    officer = actors.officer()
    data = trigger_data("analyse", actors.officer_id, actors.agency_id)
    for_service, for_raw = references[0::2], references[1::2]
    service = timed(
        "fire_trigger analyse",
        counts.fire,
        lambda i: fire_trigger(officer, for_service[i], "analyse", data),
    )
    due = now_utc() + timedelta(days=14)
    owner = (actors.officer_id, "Bench")
    with db.engine.connect() as connection:
        raw = timed(
            "  raw SQL: SELECT + UPDATE + 2 events",
            counts.fire,
            lambda i: analyse_raw(connection, for_raw[i], owner, now_utc(), due),
        )
    service.baseline = raw
    return [service, raw]


@dataclass(frozen=True)
class Search:
    """One search, as service filters and as the equivalent SQL condition."""

    label: str
    filters: CaseFilters
    page: int
    where: str
    params: dict


def searches(category: str) -> list[Search]:
    """An indexed filter and a text search (a scan of titles and descriptions)."""
    like = "lower({}) LIKE :p ESCAPE '\\'"
    return [
        Search("state+category, page 2", CaseFilters(state="referred", category=category), 2,
               "state = :state AND category = :category",
               {"state": "referred", "category": category}),
        Search(f"q={SEARCH_WORD!r}, page 1", CaseFilters(q=SEARCH_WORD), 1,
               f"({like.format('title')} OR {like.format('description')} OR reference = :ref)",
               {"p": f"%{SEARCH_WORD}%", "ref": SEARCH_WORD.upper()}),
    ]  # fmt: skip


def bench_search(counts: Counts, actors: Actors) -> list[Timing]:
    """Time search_cases (page + total) over N cases against SELECT … LIMIT and COUNT."""
    with db.engine.connect() as connection:
        seed_cases(connection, counts.cases_listed, actors.officer_id)
        category = categories(connection)[1]
    results = []
    for search in searches(category):
        results += compare_search(counts, actors, search)
    return results


def compare_search(counts: Counts, actors: Actors, search: Search) -> list[Timing]:
    """Time one search through the service and as raw SQL; check both find the same page."""
    officer = actors.officer()
    db.session.refresh(officer)  # loaded, as the session is closed between searches

    def service(_i: int) -> Page:
        page = search_cases(officer, search.filters, page=search.page, per_page=25)
        db.session.close()  # a new request starts with an empty session
        return page

    with db.engine.connect() as connection:
        raw_search = partial(search_raw, connection, search.where, search.params, search.page)
        rows, total = raw_search()
        raw = timed("  raw SQL: SELECT page + COUNT", counts.searches, lambda _i: raw_search())
    page = service(0)
    if (page.total, [case.id for case in page.items]) != (total, [row.id for row in rows]):
        raise AssertionError(f"{search.label}: the service and the raw SQL disagree")
    timing = timed(f"search_cases {search.label} ({total} hits)", counts.searches, service)
    timing.baseline = raw
    return [timing, raw]


def bench_traced_creations(counts: Counts, actors: Actors) -> list[Memory]:
    """Peak memory while logging N cases through the service and through raw SQL."""
    n = counts.traced_creations
    service_work = service_logger(actors)
    each(service_work, WARMUP)()  # untraced: one-time caches are not the path's memory
    service = traced("log_case", n, each(service_work, n))
    with db.engine.connect() as connection:
        raw_work = raw_logger(connection, actors)
        each(raw_work, WARMUP)()
        raw = traced("  raw SQL: counter + case + event", n, each(raw_work, n))
    service.baseline = raw
    return [service, raw]
