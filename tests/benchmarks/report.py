"""Print the figures as plain-text tables."""

from __future__ import annotations

from tests.benchmarks.harness import Memory, Timing

NAME_WIDTH = 50


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


def timing_table(rows: list[Timing]) -> str:
    """The time table: operation, n, total, per operation, throughput, ratio to baseline."""
    header = (
        f"{'operation':<{NAME_WIDTH}} {'n':>6} {'total s':>8} {'per op':>10} "
        f"{'ops/s':>9} {'× baseline':>10}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(
            f"{row.operation:<{NAME_WIDTH}} {row.n:>6} {row.seconds:>8.3f} "
            f"{duration(row.per_op):>10} {row.n / row.seconds:>9,.0f} {ratio(row.ratio):>10}"
        )
    return "\n".join(lines)


def memory_table(rows: list[Memory]) -> str:
    """The memory table: peak and still-held bytes, held per operation, ratio of peaks."""
    header = (
        f"{'operation':<{NAME_WIDTH}} {'n':>6} {'peak KiB':>9} {'held KiB':>9} "
        f"{'held/op B':>10} {'× baseline':>10}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(
            f"{row.operation:<{NAME_WIDTH}} {row.n:>6} {row.peak / 1024:>9,.1f} "
            f"{row.retained / 1024:>9,.1f} {row.retained / row.n:>10,.0f} {ratio(row.ratio):>10}"
        )
    return "\n".join(lines)


NOTES = """\
× baseline: per-op time (or peak memory) over the indented raw-SQL line that follows it; the
engine's line is over the raw-SQL transition, i.e. the share of a transition the engine costs.
peak: the most allocated at once during the run (tracemalloc); held: still allocated after it;
held/op: held per operation — for the engine lines, the bytes each case costs or adds."""
