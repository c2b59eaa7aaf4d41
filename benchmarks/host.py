"""How much of a benchmark's time the host took away: the CPU time "stolen" from this
virtual machine while it ran.

On a shared host a virtual CPU is sometimes not running at all (another guest has the
core); Linux counts that time as ``steal`` in ``/proc/stat``. A benchmark that lost a
fifth of its CPUs' time that way reads a fifth slower through no fault of the code, so
the benchmarks print the share stolen next to their figures and say when it is too
large for seconds to be trusted (the ratios to references measured in the same run
suffer less, but not nothing).

    with StolenTime() as stolen:
        ...timed work...
    print(stolen.report())
"""

from __future__ import annotations

from pathlib import Path

STAT = Path("/proc/stat")
# Above this share of the CPUs' time stolen, a figure in seconds says more about the
# host than about the code.
TOO_MUCH = 0.05


def cpu_times() -> tuple[int, int] | None:
    """(all, stolen) CPU time of every CPU so far, in clock ticks; None off Linux."""
    try:
        first = STAT.read_text().splitlines()[0].split()
    except OSError:
        return None
    if first[0] != "cpu" or len(first) < 9:
        return None
    ticks = [int(field) for field in first[1:]]
    return sum(ticks[:8]), ticks[7]  # user .. steal; guest time is inside user already


class StolenTime:
    """The share of the CPUs' time stolen by the host between entering and leaving."""

    def __init__(self) -> None:
        self.share: float | None = None
        self._start: tuple[int, int] | None = None

    def __enter__(self) -> StolenTime:
        self._start = cpu_times()
        return self

    def __exit__(self, *exc: object) -> None:
        end = cpu_times()
        if self._start is None or end is None:
            return
        elapsed = end[0] - self._start[0]
        self.share = (end[1] - self._start[1]) / elapsed if elapsed > 0 else 0.0

    def report(self) -> str:
        """One line for the benchmark's output."""
        if self.share is None:
            return "host: stolen CPU time unknown (no /proc/stat)"
        verdict = (
            "too much: seconds here read slow, rerun when the host is quieter"
            if self.share > TOO_MUCH
            else "fine"
        )
        return f"host: {self.share:.0%} of CPU time stolen by other guests ({verdict})"
