"""Seeded random streams: one per concern, quarter, block of runs and named draw.

Every draw comes from a generator keyed by (seed, concern, quarter, run block, draw),
so the draws for one concern never depend on how many numbers another concern used,
nor on earlier quarters. Changing one decision therefore leaves unrelated
randomness untouched (common random numbers), and a forecast simulated in tiles
gives the same numbers as one simulated whole.

Draws are found by name (``engagement_shock``, a customer's ``value``), never by the
order in which they are made, so adding a draw leaves every other draw's numbers as
they were. See :class:`StreamLayout` for how a name becomes a key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache
from typing import NamedTuple, TypeVar

import numpy as np

from engine.seeding import keyed_generator
from engine.state import State

# Runs are grouped in blocks of this many; each block has its own generators.
RUN_BLOCK = 64

Drawn = TypeVar("Drawn")


class Concern(IntEnum):
    """A kind of randomness, with its own streams (numbers are part of the key)."""

    WORKFORCE = 1
    EVENTS = 2
    CUSTOMERS = 3
    ACQUISITION = 4
    SURVEY = 5
    SETUP = 6


def generator(
    seed: int, concern: Concern, quarter: int, block: int, part: int = 0
) -> np.random.Generator:
    """The generator for one numbered draw (``part``) of a concern, quarter and block:
    ``PCG64(SeedSequence(seed, spawn_key=(concern, quarter, block, part)))``."""
    # The block is part of the shared key: its words are hashed once for all its parts.
    return keyed_generator(seed, (int(concern), quarter, block), (part,))


@lru_cache(maxsize=1024)
def name_words(name: str) -> tuple[int, int]:
    """A stable 64-bit code of a draw's name, as two 32-bit words.

    A digest, not ``hash()``: Python salts string hashes per process, and a stream
    must be the same in every process and on every machine.
    """
    code = int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest(), "big")
    return code >> 32, code & 0xFFFFFFFF


@dataclass(frozen=True, slots=True)
class StreamLayout:
    """How the named draws of a group (say, one segment's customer traits) find their
    generators.

    Draws were once numbered in the order they were made, so a new draw renumbered
    every draw after it. The draws of that time keep their number, the group's first
    part plus their entry in ``offsets``, so that their numbers stay bit-identical,
    and a group spans ``width`` parts so that the next group's numbers stay put too.
    Any other name is keyed by the group's first part and a code of the name
    (:func:`name_words`): a longer key than a numbered part's, so it never meets one.
    Add a draw by giving it a name; never add to ``offsets`` or change ``width``.
    """

    offsets: Mapping[str, int]
    width: int

    def __post_init__(self) -> None:
        used = sorted(self.offsets.values())
        if used != sorted(set(used)) or any(not 0 <= offset < self.width for offset in used):
            raise ValueError(f"offsets must be distinct and below {self.width}: {self.offsets}")


class NamedStreams:
    """The generators of one group of named draws: ``streams.generator("value")``."""

    __slots__ = ("block", "first_part", "layout")

    def __init__(self, block: BlockStreams, first_part: int, layout: StreamLayout):
        self.block = block
        self.first_part = first_part
        self.layout = layout

    def generator(self, name: str) -> np.random.Generator:
        """A fresh generator for the draw called ``name`` (one array draw each)."""
        offset = self.layout.offsets.get(name)
        if offset is not None:
            return self.block.numbered(self.first_part + offset)
        block = self.block
        return keyed_generator(
            block.seed,
            (int(block.concern), block.quarter, block.number),
            (self.first_part, *name_words(name)),
        )


class BlockStreams:
    """The generators of one concern, quarter and block of runs.

    Each generator serves exactly one array draw with runs on the leading axis, so a
    run's numbers are a fixed stretch of its stream whatever the number of rows.
    """

    __slots__ = ("concern", "number", "quarter", "seed")

    def __init__(self, seed: int, concern: Concern, quarter: int, block: int):
        self.seed = seed
        self.concern = concern
        self.quarter = quarter
        self.number = block

    def numbered(self, part: int) -> np.random.Generator:
        """The generator of an explicitly numbered part (for draws laid out by number)."""
        return generator(self.seed, self.concern, self.quarter, self.number, part)

    def group(self, first_part: int, layout: StreamLayout) -> NamedStreams:
        """The named draws of a group starting at ``first_part``."""
        return NamedStreams(self, first_part, layout)

    def named(self, name: str, layout: StreamLayout) -> np.random.Generator:
        """The generator of a named draw of the group starting at part 0."""
        return NamedStreams(self, 0, layout).generator(name)


class RunBlock(NamedTuple):
    """The part of a block of runs that falls inside one state."""

    number: int  # the block's number: runs [number * RUN_BLOCK, (number + 1) * RUN_BLOCK)
    runs: slice  # the state's runs in the block, as local indices
    skipped: int  # the block's rows before the state's first run, drawn and discarded


def run_blocks(run_offset: int, runs: int) -> Iterator[RunBlock]:
    """Blocks covering the runs [run_offset, run_offset + runs).

    A state whose runs start inside a block must discard the block's earlier rows,
    which belong to other runs.
    """
    start = run_offset
    end = run_offset + runs
    while start < end:
        block = start // RUN_BLOCK
        stop = min(end, (block + 1) * RUN_BLOCK)
        yield RunBlock(
            block, slice(start - run_offset, stop - run_offset), start - block * RUN_BLOCK
        )
        start = stop


def per_run_draws(
    seed: int,
    concern: Concern,
    quarter: int,
    run_offset: int,
    runs: int,
    draw: Callable[[BlockStreams, int], Drawn],
) -> Iterator[tuple[slice, Drawn]]:
    """Call ``draw(streams, rows)`` once per block and yield (local slice, result rows).

    ``draw`` takes one generator from ``streams`` per array it draws, each array with a
    leading axis of ``rows``, and returns an array, a tuple or a dict of them; the rows
    of other states' runs are dropped, so a run's numbers depend only on the seed and
    its global index.
    """
    for block in run_blocks(run_offset, runs):
        rows = block.runs.stop - block.runs.start
        result = draw(BlockStreams(seed, concern, quarter, block.number), block.skipped + rows)
        yield block.runs, _drop_rows(result, block.skipped) if block.skipped else result


def draws_for_runs(
    state: State, concern: Concern, quarter: int, draw: Callable[[BlockStreams, int], Drawn]
) -> Drawn:
    """The results of :func:`per_run_draws` for every run of ``state``, the blocks' rows
    stacked in order: the very arrays ``draw`` made when one block holds every run (a
    single game), so nothing is copied."""
    blocks = per_run_draws(state.seed, concern, quarter, state.run_offset, state.runs, draw)
    parts = [result for _, result in blocks]
    return parts[0] if len(parts) == 1 else _stack_rows(parts)


def _stack_rows(parts: list[Drawn]) -> Drawn:
    """Results of the same shape (an array, or a tuple or dict of them), rows stacked."""
    first = parts[0]
    if isinstance(first, dict):
        return {key: _stack_rows([part[key] for part in parts]) for key in first}
    if isinstance(first, tuple):
        return tuple(_stack_rows([part[index] for part in parts]) for index in range(len(first)))
    return np.concatenate(parts)


def _drop_rows(result: Drawn, skip: int) -> Drawn:
    """``result`` (an array, or a tuple or dict of them) without its first ``skip`` rows."""
    if isinstance(result, dict):
        return {key: _drop_rows(value, skip) for key, value in result.items()}
    if isinstance(result, tuple):
        return tuple(_drop_rows(part, skip) for part in result)
    return result[skip:]
