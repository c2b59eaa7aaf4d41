"""Legends that wrap: items packed onto as many lines as a width needs, never cut."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

Item = TypeVar("Item")
GAP = 2  # columns between items on a line (the last item's gap may overhang)


def pack_lines(items: Iterable[Item], text: Callable[[Item], str], width: int) -> list[list[Item]]:
    """``items`` line by line, each line as many as fit in ``width`` columns, where an
    item takes ``len(text(item))`` plus ``GAP``. An item wider than a line stands alone."""
    lines: list[list[Item]] = [[]]
    used = 0
    for item in items:
        size = len(text(item)) + GAP
        if lines[-1] and used + size - GAP > width:
            lines.append([])
            used = 0
        lines[-1].append(item)
        used += size
    return lines
