"""Run the benchmarks: ``python -m tests.benchmarks [--quick] [--postgres URL | --sqlite-only]``,
or the scale run: ``python -m tests.benchmarks --scale [--sizes 10000,100000,1000000]``.

Speed and memory of the service paths, printed as figures and as ratios against a raw-SQL
baseline, on a fresh SQLite file and (when one is reachable) a fresh PostgreSQL database.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
import time

from tests.benchmarks.engine_bench import bench_engine_memory, bench_engine_time
from tests.benchmarks.harness import fresh_app, postgres_url, seed_actors, shown
from tests.benchmarks.import_bench import bench_imports
from tests.benchmarks.report import NOTES, memory_table, timing_table
from tests.benchmarks.suites import (
    FULL,
    QUICK,
    Counts,
    bench_firing,
    bench_logging,
    bench_search,
    bench_traced_creations,
)
from tracker.extensions import db


def arguments() -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller counts (about 20 s)")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="PostgreSQL database to drop, recreate and use (default: BENCH_POSTGRES_URL, "
        "else tracker_bench on 127.0.0.1:5432 if reachable)",
    )
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    parser.add_argument(
        "--only",
        choices=("all", "imports"),
        default="all",
        help="imports: only the spreadsheet imports (20,000 rows; --quick: 2,000)",
    )
    parser.add_argument(
        "--scale",
        action="store_true",
        help="the scale run on PostgreSQL (tests/benchmarks/scale.py) instead of the others",
    )
    parser.add_argument(
        "--scale-out",
        action="store_true",
        help="the scale-out run behind PgBouncer (tests/faults/scale_out.py) instead",
    )
    parser.add_argument("--sizes", default="10000,100000,1000000", help="cases, for --scale")
    parser.add_argument("--repeat", type=int, default=20, help="calls per request, for --scale")
    return parser.parse_args()


def server_version() -> str:
    """The database product and version of the current app."""
    if db.engine.dialect.name == "sqlite":
        return f"SQLite {sqlite3.sqlite_version} (temporary file, WAL)"
    with db.engine.connect() as connection:
        return "PostgreSQL " + connection.exec_driver_sql("SHOW server_version").scalar_one()


def run_backend(url: str | None, counts: Counts, only: str = "all") -> None:
    """Measure everything (or only the imports) on one fresh database and print the tables."""
    started = time.perf_counter()
    with fresh_app(url):
        print(f"\n== {server_version()}" + (f" — {shown(url)}" if url else "") + " ==")
        actors = seed_actors()
        if only == "imports":
            imports, import_memory = bench_imports(counts.import_rows, counts.import_traced, actors)
            print(timing_table(imports))
            print()
            print(memory_table(import_memory))
            print(f"({time.perf_counter() - started:.1f} s)")
            return
        logging, references = bench_logging(counts, actors)
        firing = bench_firing(counts, actors, references)
        searching = bench_search(counts, actors)
        engine = bench_engine_time(counts.engine_calls, firing[1])
        memory = bench_traced_creations(counts, actors)
        imports, import_memory = bench_imports(counts.import_rows, counts.import_traced, actors)
    print(timing_table([*logging, *firing, *searching, engine, *imports]))
    print()
    print(memory_table([*memory, *bench_engine_memory(counts.engine_cases), *import_memory]))
    print(f"({time.perf_counter() - started:.1f} s)")


def main() -> None:
    """Run on SQLite, then on PostgreSQL when available."""
    args = arguments()
    if args.scale_out:
        from tests.faults.scale_out import main as run_scale_out

        sys.argv = sys.argv[:1]
        run_scale_out()
        return
    if args.scale:
        from tests.benchmarks.scale import run_scale

        run_scale([int(size) for size in args.sizes.split(",")], args.repeat)
        return
    counts = QUICK if args.quick else FULL
    load = ""
    if hasattr(os, "getloadavg"):
        load = ", load " + " ".join(f"{figure:.1f}" for figure in os.getloadavg())
    print(
        f"Forum Case Tracker benchmarks — {os.cpu_count()} CPUs{load}, Python "
        f"{platform.python_version()}, {'quick' if args.quick else 'full'} run"
    )
    run_backend(None, counts, args.only)
    url = None if args.sqlite_only else postgres_url(args.postgres)
    if url:
        run_backend(url, counts, args.only)
    elif not args.sqlite_only:
        print("\n(PostgreSQL skipped: set BENCH_POSTGRES_URL or pass --postgres URL)")
    print("\n" + NOTES)


if __name__ == "__main__":
    main()
