"""Print the figures as plain-text tables."""

from __future__ import annotations

from tests.benchmarks.harness import Memory, Timing

NAME_WIDTH = 62


def duration(seconds: float) -> str:
    """A short duration: µs below a millisecond, ms above."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    return f"{seconds * 1e3:.2f} ms"


def ratio(value: float | None) -> str:
    """A ratio as ``3.1×``, or a dash when there is no baseline."""
    if value is None:
        return "—"
    return f"{value:.3f}×" if value < 0.1 else f"{value:.1f}×"


def table(headings: tuple[str, ...], rows: list[tuple]) -> str:
    """Lay out rows under headings: the first column left-aligned, the others right-aligned."""
    widths = [NAME_WIDTH] + [max(9, len(heading)) for heading in headings[1:]]

    def line(cells: tuple) -> str:
        first, *rest = (str(cell) for cell in cells)
        right = [cell.rjust(width) for cell, width in zip(rest, widths[1:], strict=True)]
        return " ".join([first.ljust(widths[0]), *right])

    header = line(headings)
    return "\n".join([header, "-" * len(header), *(line(row) for row in rows)])


def timing_table(rows: list[Timing]) -> str:
    """The time table: operation, n, total, per operation, throughput, ratio to baseline."""
    headings = ("operation", "n", "total s", "per op", "ops/s", "× baseline")
    return table(
        headings,
        [
            (r.operation, r.n, f"{r.seconds:.3f}", duration(r.per_op),
             f"{1 / r.per_op:,.0f}", ratio(r.ratio))
            for r in rows
        ],
    )  # fmt: skip


def memory_table(rows: list[Memory]) -> str:
    """The memory table: peak and still-held bytes, held per operation, ratio of peaks."""
    headings = ("operation", "n", "peak KiB", "held KiB", "held/op B", "× baseline")
    return table(
        headings,
        [
            (r.operation, r.n, f"{r.peak / 1024:,.1f}", f"{r.retained / 1024:,.1f}",
             f"{r.retained / r.n:,.0f}", ratio(r.ratio))
            for r in rows
        ],
    )  # fmt: skip


NOTES = """\
per op: of the median of 5 equal batches (other jobs on the machine disturb single batches).
× baseline: per-op time (or peak memory) over the indented raw-SQL line that follows it; the
engine's line is over the raw-SQL transition, i.e. the share of a transition the engine costs.
peak: the most allocated at once during the run (tracemalloc); held: still allocated after it;
held/op: held per operation — for the engine lines, the bytes each case costs or adds.
"CPU" in an import's name: this process's CPU seconds (load-independent on SQLite; on
PostgreSQL the server's share is not in it).
"RSS rise" lines: how far the process's resident set (VmHWM, reset before the run) rose above
where it started, untraced, database buffers included; held: what it still held after; the
process's peak in brackets. A later run reuses memory an earlier one freed, and rises less."""
