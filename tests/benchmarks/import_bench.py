"""Spreadsheet imports: rows per second and peak memory of a large file, through the service."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from tests.benchmarks.harness import Actors, Memory, Timing, traced
from tests.support import concern_rows, csv_bytes
from tracker.extensions import db
from tracker.models import Forum
from tracker.services.import_files import read_rows
from tracker.services.intake import import_rows


def _forum(title: str) -> int:
    from datetime import date

    forum = Forum(title=title, kind="regional", date=date(2026, 3, 4), province="KH-2")
    db.session.add(forum)
    db.session.commit()
    return forum.id


def _import(actors: Actors, forum_id: int, path: Path) -> int:
    """Read the file and import it (what the CLI and the API do); the number of cases logged."""
    parsed = read_rows(path)
    result = import_rows(actors.officer(), forum_id, parsed.rows, lines=parsed.lines)
    count = len(result.logged)
    db.session.close()
    return count


def bench_imports(rows: int, actors: Actors) -> tuple[list[Timing], list[Memory]]:
    """Import a file of ``rows`` new rows (timed), the same file again (all duplicates), and a
    second file of new rows under tracemalloc (peak memory)."""
    with tempfile.TemporaryDirectory(prefix="tracker-import-") as folder:
        first, second = Path(folder) / "first.csv", Path(folder) / "second.csv"
        first.write_bytes(csv_bytes(concern_rows(rows)))
        second.write_bytes(csv_bytes(concern_rows(rows, start=rows)))
        forum_id = _forum("Benchmark import forum")
        timings = []
        for label, path in ((f"import {rows:,} new rows", first), ("  same file again", first)):
            started = time.perf_counter()
            _import(actors, forum_id, path)
            timings.append(Timing(label, rows, [time.perf_counter() - started]))
        memory = traced(
            f"import {rows:,} rows ({second.stat().st_size // 1024:,} KiB CSV)",
            rows,
            lambda: _import(actors, forum_id, second),
        )
    return timings, [memory]
