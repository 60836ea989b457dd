"""The scale benchmark: the same requests at 10,000, 100,000 and 1,000,000 cases on PostgreSQL.

``python -m tests.benchmarks --scale [--sizes 10000,100000,1000000] [--repeat 20]``
Per size (databases from ``scale_data``, built on first use): the median time of each request
in process, the queries it sends, the index its plan uses; then the ratio 1M / 10k per request.
Printed, never asserted.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select, text

from notifications.digest import BUILDERS
from tests.benchmarks.scale_data import build, scale_app
from tests.benchmarks.scale_jobs import JOBS_MAX_SIZE, measure_reminders, reminder_table
from tests.support import counted_statements
from tracker.access import reported_referrals
from tracker.extensions import db
from tracker.models import Case, User, now_utc
from tracker.services.case_queries import CaseFilters, case_order, explain, page_query, search_cases
from tracker.services.keyset import encode_cursor
from tracker.services.reports import (
    age_open_cases,
    ageing_query,
    agency_performance,
    referral_tallies_query,
    summarise_cases,
    summary_query,
)
from tracker.services.synthetic import TOPICS_KM
from tracker.services.time_in_state import ended_stays_query, time_in_state
from tracker.services.tokens import issue_token_for
from tracker.workflow_registry import final_states

THREE = CaseFilters(state="referred", category="maternity", province="KH-12")
KHMER_WORDS = TOPICS_KM[1][:10]
DEEP_PAGE = 1000


@dataclass
class Figure:
    """One request at one size: seconds per call (median), queries, plan's indexes."""

    seconds: float
    queries: int
    indexes: str = ""


@dataclass
class SizeRun:
    """Every figure at one size."""

    size: int
    open_cases: int = 0
    figures: dict[str, Figure] = field(default_factory=dict)


def median_seconds(work: Callable[[], object], repeat: int) -> float:
    """The median time of ``repeat`` calls after two warm-up calls; the session emptied after
    each, as a new request would find it."""
    for _ in range(2):
        work()
        db.session.close()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
        db.session.close()
    return statistics.median(times)


def queries_of(work: Callable[[], object]) -> int:
    """How many statements one call sends."""
    with counted_statements() as statements:
        work()
    db.session.close()
    return len(statements)


def index_names(plan: dict) -> str:
    """What a plan reads: each index with its scan kind, each table read whole, in plan order
    (the confidential-case list of an officer's check shows as ix_cases_confidential)."""
    found, todo = [], [plan["Plan"]]
    while todo:
        node = todo.pop(0)
        kind = ("Parallel " if node.get("Parallel Aware") else "") + node["Node Type"]
        if "Index Name" in node:
            found.append(f"{node['Index Name']} ({kind.replace(' Scan', '')})")
        elif node["Node Type"] == "Seq Scan":
            found.append(f"{kind} on {node['Relation Name']}")
        todo += node.get("Plans", [])
    return ", ".join(dict.fromkeys(found))


def deep_cursor(size: int) -> str:
    """The cursor of page DEEP_PAGE (25 a page; at 10,000 cases page 360), taken by OFFSET."""
    order = case_order("-created_at")
    page = min(DEEP_PAGE, size * 9 // 10 // 25)
    row = db.session.execute(
        select(Case.created_at, Case.id).order_by(*order.clauses()).offset(page * 25 - 1).limit(1)
    ).one()
    return encode_cursor(order, (row.created_at, row.id))


def list_requests(officer: User, size: int) -> dict[str, tuple[Callable[[], object], object]]:
    """The list requests: the call, and the query whose plan is shown."""
    deep = deep_cursor(size)

    def listing(filters: CaseFilters, **options) -> Callable[[], object]:
        return lambda: search_cases(
            db.session.get(User, officer.id), filters, per_page=25, **options
        )

    return {
        "list page 1": (listing(CaseFilters()), page_query(officer, CaseFilters())),
        f"list page {DEEP_PAGE} (keyset)": (listing(CaseFilters(), cursor=deep), None),
        "list, 3 filters": (listing(THREE), page_query(officer, THREE)),
        "search English 'hospital'": (
            listing(CaseFilters(q="hospital")),
            page_query(officer, CaseFilters(q="hospital")),
        ),
        "search Khmer": (
            listing(CaseFilters(q=KHMER_WORDS)),
            page_query(officer, CaseFilters(q=KHMER_WORDS)),
        ),
    }


def report_requests(officer: User) -> dict[str, tuple[Callable[[], object], object]]:
    """The report figures: the call, and the query whose plan is shown."""

    def me() -> User:
        return db.session.get(User, officer.id)

    now = now_utc()
    return {
        "report summary by category": (
            lambda: summarise_cases(me(), "category"),
            summary_query(officer, ["category"]),
        ),
        "report crossing category x province": (
            lambda: summarise_cases(me(), "category,province"),
            summary_query(officer, ["category", "province"]),
        ),
        "report ageing": (lambda: age_open_cases(me()), ageing_query(officer)),
        "report time in each state": (
            lambda: time_in_state(me()),
            ended_stays_query(officer),
        ),
        "report agency figures": (
            lambda: agency_performance(me()),
            referral_tallies_query(reported_referrals(officer), now),
        ),
    }


def digest_computation() -> Callable[[], object]:
    """Every person's digest context (what the weekly job builds; nothing written)."""

    def run() -> int:
        now = now_utc()
        users = list(db.session.scalars(select(User).where(User.active.is_(True))))
        built = 0
        for role, builder in BUILDERS.items():
            members = [u for u in users if u.role == role]
            if members:
                built += len(builder(members, now))
        return built

    return run


def api_request(client, token: str) -> Callable[[], object]:
    """GET /api/v1/cases (page 1) through the whole Flask stack."""
    headers = {"Authorization": f"Bearer {token}"}

    def run() -> None:
        response = client.get("/api/v1/cases?per_page=25", headers=headers)
        if response.status_code != 200:
            raise AssertionError(response.get_data(as_text=True)[:300])

    return run


def raw_page(connection) -> Callable[[], object]:
    """The raw-SQL baseline of page 1: the rows and the capped count, no ORM, no access check."""

    def run() -> None:
        connection.exec_driver_sql(
            "SELECT * FROM cases ORDER BY created_at DESC, id DESC LIMIT 26"
        ).all()
        connection.exec_driver_sql(
            "SELECT count(*) FROM (SELECT id FROM cases LIMIT 10001) AS capped"
        ).scalar_one()

    return run


def vacuum() -> None:
    """VACUUM ANALYZE the tables the figures read, as autovacuum does in time: a migration that
    rewrote every row (0010) leaves the visibility map empty, and no index-only scan then."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE cases, referrals, events"))


def measure(size: int, repeat: int) -> SizeRun:
    """Every figure on the database of this size."""
    print(f"  {size:,} cases: {build(size):,} in the database", flush=True)
    run = SizeRun(size)
    with scale_app(size) as app:
        vacuum()
        officer = db.session.scalar(select(User).where(User.role == "officer").order_by(User.id))
        run.open_cases = db.session.scalar(
            select(func.count()).select_from(Case).where(Case.state.not_in(final_states()))
        )
        for name, (work, plan_of) in list_requests(officer, size).items():
            plan = index_names(explain(plan_of)) if plan_of is not None else "(seek)"
            run.figures[name] = Figure(median_seconds(work, repeat), queries_of(work), plan)
        for name, (work, plan_of) in report_requests(officer).items():
            plan = index_names(explain(plan_of))
            run.figures[name] = Figure(
                median_seconds(work, max(3, repeat // 4)), queries_of(work), plan
            )
        digest = digest_computation()
        run.figures["digest computation (1,000 people)"] = Figure(
            median_seconds(digest, 3), queries_of(digest)
        )
        token = issue_token_for(officer).token
        api = api_request(app.test_client(), token)
        run.figures["API GET /api/v1/cases page 1"] = Figure(
            median_seconds(api, repeat), queries_of(api)
        )
        with db.engine.connect() as connection:
            raw = raw_page(connection)
            run.figures["  raw SQL page 1 + capped count"] = Figure(median_seconds(raw, repeat), 2)
    return run


def table(runs: list[SizeRun]) -> str:
    """The figures side by side, with the ratio of the largest size to the smallest."""
    head = "| request | " + " | ".join(f"{r.size:,}" for r in runs)
    head += " | ratio | queries | index (largest) |"
    lines = [head, "|" + "---|" * (len(runs) + 4)]
    for name in runs[0].figures:
        cells = [f"{r.figures[name].seconds * 1000:.1f} ms" for r in runs]
        ratio = runs[-1].figures[name].seconds / runs[0].figures[name].seconds
        last = runs[-1].figures[name]
        lines.append(
            f"| {name} | " + " | ".join(cells) + f" | {ratio:.2f} | {last.queries} | "
            f"{last.indexes} |"
        )
    opens = ", ".join(f"{r.size:,}: {r.open_cases:,} open" for r in runs)
    return "\n".join([*lines, "", f"({opens})"])


def run_scale(sizes: list[int], repeat: int) -> None:
    """Measure each size and print the tables (the reminder scan up to JOBS_MAX_SIZE)."""
    print("Scale benchmark (PostgreSQL, in process; median per request)", flush=True)
    runs = [measure(size, repeat) for size in sizes]
    print(table(runs))
    reminders = [measure_reminders(size) for size in sizes if size <= JOBS_MAX_SIZE]
    if reminders:
        print("\nReminder scan (notify remind, a copy of each database, clock 6 weeks ahead)")
        print(reminder_table(reminders))
    for run in runs:
        service = run.figures["list page 1"].seconds
        raw = run.figures["  raw SQL page 1 + capped count"].seconds
        api = run.figures["API GET /api/v1/cases page 1"].seconds
        print(f"  {run.size:,}: service list / raw = {raw / service:.2f}x the raw speed; "
              f"API request / raw = {raw / api:.2f}x")  # fmt: skip
