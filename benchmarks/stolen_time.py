"""How much of a benchmark's time the host took away: the CPU time "stolen" from this
virtual machine while it ran.

On a shared host a virtual CPU that has work to do is sometimes not running at all
(another guest has the core); Linux counts that time as ``steal`` in ``/proc/stat``.
The share reported is the stolen part of the time this machine's CPUs wanted to run
(busy or stolen; idle time does not count), so a benchmark that had a fifth of its
running time stolen reads about a fifth slower through no fault of the code. The
benchmarks print that share next to their figures and say when it is too large for
seconds to be trusted (the ratios to references measured in the same run suffer less,
but not nothing).

    with StolenTime() as stolen:
        ...timed work...
    print(stolen.report())
"""

from __future__ import annotations

from pathlib import Path

STAT = Path("/proc/stat")
# Above this share of the running time stolen, a figure in seconds says more about the
# host than about the code.
TOO_MUCH = 0.05


def cpu_times() -> tuple[int, int] | None:
    """(wanted, stolen) CPU time of every CPU so far, in clock ticks: wanted is the time
    busy or stolen (user, nice, system, irq, softirq, steal; guest time is inside user
    already). None without a readable ``/proc/stat``."""
    try:
        first = STAT.read_text().splitlines()[0].split()
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, first[1:9])
    except (OSError, IndexError, ValueError):
        return None
    if first[0] != "cpu":
        return None
    return user + nice + system + irq + softirq + steal, steal


class StolenTime:
    """The share of the running time stolen by the host between entering and leaving."""

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
            return "host: stolen time unknown (no readable /proc/stat)"
        verdict = (
            "too much: seconds here read slow, rerun when the host is quieter"
            if self.share > TOO_MUCH
            else "fine"
        )
        return f"host: {self.share:.0%} of running time stolen by other guests ({verdict})"
