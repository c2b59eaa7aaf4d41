"""Seeded random streams: one per concern, quarter and block of runs.

Every draw comes from a generator keyed by (seed, concern, quarter, run block), so
the draws for one concern never depend on how many numbers another concern used,
nor on earlier quarters. Changing one decision therefore leaves unrelated
randomness untouched (common random numbers), and a forecast simulated in tiles
gives the same numbers as one simulated whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import IntEnum

import numpy as np

# Runs are grouped in blocks of this many; each block has its own generators.
RUN_BLOCK = 64


class Concern(IntEnum):
    WORKFORCE = 1
    EVENTS = 2
    CUSTOMERS = 3
    ACQUISITION = 4
    SURVEY = 5
    SETUP = 6


def generator(
    seed: int, concern: Concern, quarter: int, block: int, part: int = 0
) -> np.random.Generator:
    """The generator for one draw (``part``) of a concern, quarter and block of runs."""
    sequence = np.random.SeedSequence(entropy=seed, spawn_key=(int(concern), quarter, block, part))
    return np.random.Generator(np.random.PCG64(sequence))


class Parts:
    """Hands out a fresh generator per draw of one block: ``parts.next()``.

    Each generator serves exactly one array draw with runs on the leading axis, so a
    run's numbers are a fixed stretch of its stream whatever the number of rows.
    """

    def __init__(self, seed: int, concern: Concern, quarter: int, block: int, first_part: int = 0):
        self._key = (seed, concern, quarter, block)
        self._part = first_part

    def keyed(self, part: int) -> np.random.Generator:
        """The generator of an explicitly numbered part (for draws laid out by key)."""
        return generator(*self._key, part=part)

    def next(self) -> np.random.Generator:
        rng = generator(*self._key, part=self._part)
        self._part += 1
        return rng


def run_blocks(run_offset: int, runs: int) -> Iterator[tuple[int, slice, int]]:
    """Blocks covering the runs [run_offset, run_offset + runs).

    Yields (block number, local slice of runs, rows to skip): a state whose runs start
    inside a block must discard the block's earlier rows, which belong to other runs.
    """
    start = run_offset
    end = run_offset + runs
    while start < end:
        block = start // RUN_BLOCK
        stop = min(end, (block + 1) * RUN_BLOCK)
        yield block, slice(start - run_offset, stop - run_offset), start - block * RUN_BLOCK
        start = stop


def per_run_draws(
    seed: int, concern: Concern, quarter: int, run_offset: int, runs: int, draw
) -> Iterator[tuple[slice, object]]:
    """Call ``draw(parts, rows)`` once per block and yield (local slice, result rows).

    ``draw`` takes one generator from ``parts`` per array it draws, each array with a
    leading axis of ``rows``; the rows of other states' runs are dropped, so a run's
    numbers depend only on the seed and its global index.
    """
    for block, local, skip in run_blocks(run_offset, runs):
        rows = local.stop - local.start
        result = draw(Parts(seed, concern, quarter, block), skip + rows)
        yield local, _drop_rows(result, skip) if skip else result


def _drop_rows(result, skip: int):
    if isinstance(result, dict):
        return {key: _drop_rows(value, skip) for key, value in result.items()}
    if isinstance(result, tuple):
        return tuple(_drop_rows(part, skip) for part in result)
    return result[skip:]
