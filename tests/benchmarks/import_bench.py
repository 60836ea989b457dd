"""Spreadsheet imports: rows per second and peak memory of a large file, through the import
service (what the CLI does) and through the API upload (multipart, what a client sends).

Two memory figures: the process's resident high-water mark during the timed imports (all the
memory the import really took, SQLite's or psycopg's buffers included; Linux only), and
tracemalloc's peak of Python allocations on a smaller file (slow: tracing costs ~10× the time).
"""

from __future__ import annotations

import io
import re
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from flask import current_app

from tests.benchmarks.harness import Actors, Memory, Timing, traced
from tests.support import concern_rows, csv_bytes
from tracker.extensions import db
from tracker.models import Forum
from tracker.services.import_files import read_rows
from tracker.services.intake import import_rows
from tracker.services.tokens import issue_token_for

PROC_STATUS = Path("/proc/self/status")
CLEAR_REFS = Path("/proc/self/clear_refs")


def _forum(title: str) -> int:
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


def _upload(token: str, forum_id: int, path: Path) -> int:
    """POST the file to the API as a client would (multipart field ``file``); cases logged."""
    response = current_app.test_client().post(
        f"/api/v1/forums/{forum_id}/imports",
        data={"file": (io.BytesIO(path.read_bytes()), path.name)},
        headers={"Authorization": f"Bearer {token}"},
        content_type="multipart/form-data",
    )
    if response.status_code != 201:
        raise AssertionError(f"upload answered {response.status_code}: {response.text[:300]}")
    return response.get_json()["imported"]


def _status_kib(field: str) -> int:
    return int(re.search(rf"^{field}:\s+(\d+) kB", PROC_STATUS.read_text(), re.M).group(1))


def rss_peak(operation: str, n: int, run: Callable[[], int]) -> tuple[float, float, Memory | None]:
    """Run ``run()`` once: its seconds (wall clock, and this process's CPU) and how far the
    resident set rose above where it started (the kernel's high-water mark, reset first),
    with the process's peak; no Memory where /proc cannot tell. Memory freed by an earlier
    run is reused, so a second run rises less: the process's peak is the figure to compare."""
    measurable = PROC_STATUS.exists() and CLEAR_REFS.exists()
    if measurable:
        try:
            CLEAR_REFS.write_text("5")  # reset VmHWM to the current resident set
        except OSError:
            measurable = False
    before = _status_kib("VmRSS") if measurable else 0
    started, cpu = time.perf_counter(), time.process_time()
    logged = run()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if logged != n:
        raise AssertionError(f"{operation}: {logged} cases logged, not {n}")
    if not measurable:
        return seconds, cpu, None
    peak, after = _status_kib("VmHWM"), _status_kib("VmRSS")
    label = f"{operation} (process {peak / 1024:,.0f} MiB)"
    return seconds, cpu, Memory(label, n, (peak - before) * 1024, (after - before) * 1024)


def bench_imports(rows: int, traced_rows: int, actors: Actors) -> tuple[list[Timing], list[Memory]]:
    """Import a file of ``rows`` new rows through the service (timed, resident peak), the same
    file again (all duplicates), another file of new rows through the API upload (timed,
    resident peak), and a file of ``traced_rows`` new rows under tracemalloc."""
    with tempfile.TemporaryDirectory(prefix="tracker-import-") as folder:
        files = {name: Path(folder) / f"{name}.csv" for name in ("service", "api", "traced")}
        files["service"].write_bytes(csv_bytes(concern_rows(rows)))
        files["api"].write_bytes(csv_bytes(concern_rows(rows, start=rows)))
        files["traced"].write_bytes(csv_bytes(concern_rows(traced_rows, start=2 * rows)))
        kib = files["service"].stat().st_size // 1024
        forum_id = _forum("Benchmark import forum")
        token = issue_token_for(actors.officer()).token
        db.session.close()

        timings, memory = [], []
        label = f"import {rows:,} rows ({kib:,} KiB CSV), service"
        seconds, cpu, peak = rss_peak(
            f"{label}: RSS rise", rows, lambda: _import(actors, forum_id, files["service"])
        )
        timings.append(Timing(f"{label}, CPU {cpu:.0f} s", rows, [seconds]))
        started = time.perf_counter()
        if _import(actors, forum_id, files["service"]) != 0:
            raise AssertionError("the same file again logged cases")
        timings.append(
            Timing("  same file again (all duplicates)", rows, [time.perf_counter() - started])
        )
        label = f"import {rows:,} rows, API upload"
        seconds, cpu, api_peak = rss_peak(
            f"{label}: RSS rise", rows, lambda: _upload(token, forum_id, files["api"])
        )
        timings.append(Timing(f"{label}, CPU {cpu:.0f} s", rows, [seconds]))
        memory += [m for m in (peak, api_peak) if m is not None]
        memory.append(
            traced(
                f"import {traced_rows:,} new rows, service: tracemalloc",
                traced_rows,
                lambda: _import(actors, forum_id, files["traced"]),
            )
        )
    return timings, memory
