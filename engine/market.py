"""The customer phase: satisfaction and thrill, trust, going dark, wake-up calls and
defection, for every customer of every run.

This is the hot path. The per-run terms of the quarter are computed here from the
levers, the random numbers are drawn here from the named streams, and then one fused
kernel (``engine.customer_kernel``) plays each chunk of a segment's customers of each
block of runs in a single pass. New customers are won in the next phase, ``engine.acquisition``.

The kernel module is imported when a quarter is first played, not with this module:
importing Numba takes about half a second, which the game's first frame must not
wait for (``engine.warmup`` compiles the kernels in the background meanwhile).
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from engine.flows import CustomerFlows
from engine.levers import Levers
from engine.params import DEFECTION_DRIVER_WEIGHTS, DEFECTION_DRIVERS, Dynamics
from engine.randomness import BlockStreams, Concern, run_blocks
from engine.replay_draws import ReplayDraws
from engine.state import FLOAT, State
from engine.world import World

# Uniforms per customer and quarter, drawn together: going dark or answering again,
# waking up or calming down, defecting. A new per-customer draw should get its own
# named stream rather than a fourth row here, which would move the rows' numbers.
_DRAWS_PER_CUSTOMER = 3
_CHUNKS_PER_SEGMENT = 100_000  # part numbers reserved per segment
CHUNK = 2048  # customer draws come in column chunks of at most this width
CHUNK_ALIGN = 16  # a chunk's width is a multiple of this (and so even: see skip_uniforms)


# Each thread's buffer for one chunk's uniforms, reused quarter after quarter: a fresh
# megabyte-sized array every block costs its page faults again (about a tenth of the
# customer phase at a few hundred runs).
_scratch = threading.local()


def uniform_buffer(rows: int, width: int) -> np.ndarray:
    """This thread's (rows, draws, width) float32 buffer for a block's chunk of draws
    (its contents are whatever the last chunk left; :func:`draw_chunk` fills it)."""
    size = rows * _DRAWS_PER_CUSTOMER * width
    buffer = getattr(_scratch, "uniforms", None)
    if buffer is None or buffer.size < size:
        buffer = _scratch.uniforms = np.empty(size, FLOAT)
    return buffer[:size].reshape(rows, _DRAWS_PER_CUSTOMER, width)


@functools.cache
def chunk_width(slots: int) -> int:
    """Slots per generator of a segment's customer draws, for a segment that starts
    with ``slots`` slots: its starting block cut into the fewest equal chunks of at most
    :data:`CHUNK`, rounded up to :data:`CHUNK_ALIGN`. It depends on the scenario only,
    never on how far the block has grown nor on the number of runs, and a block of
    its starting width draws next to no numbers it does not read."""
    pieces = max(1, -(-slots // CHUNK))
    per_piece = -(-slots // pieces)
    return max(CHUNK_ALIGN, -(-per_piece // CHUNK_ALIGN) * CHUNK_ALIGN)


@dataclass(frozen=True, slots=True)
class CustomerTerms:
    """The per-run terms of the customer phase, computed once a quarter from the levers
    and the segments' experience: (runs,) vectors and (runs, segments) arrays, float32,
    in the order the kernel takes them."""

    experience: np.ndarray  # (runs, segments) each segment's experience, before fit
    gap_keep: np.ndarray  # (runs,) share of an expectation gap kept (not forgotten or fixed)
    gap_new: np.ndarray  # (runs,) gap this quarter's over-promising opens (due next quarter)
    satisfaction_boost: np.ndarray  # (runs,) lift of fresh promises
    thrill_gain: np.ndarray  # (runs, segments) thrill renewed this quarter
    thrill_keep: np.ndarray  # (runs, segments) share of thrill kept: 1 - decay - gain
    trust_target: np.ndarray  # (runs,) the trust that contact and pressure lead toward
    dark_chance: np.ndarray  # (runs,) chance of going dark from pressure and neglect
    recover_chance: np.ndarray  # (runs,) chance a dark customer answers again
    wake_chance: np.ndarray  # (runs, segments) chance of a wake-up call


def customer_terms(world: World, levers: Levers, experience: np.ndarray) -> CustomerTerms:
    """This quarter's :class:`CustomerTerms`, by one compiled pass over the runs
    (``engine.run_kernel``)."""
    from engine.run_kernel import customer_run_terms, customer_term_constants

    runs, segments = experience.shape
    run_terms = np.empty((6, runs), dtype=FLOAT)
    segment_terms = np.empty((3, runs, segments), dtype=FLOAT)
    experience = experience.astype(FLOAT)
    customer_run_terms(
        levers.values,
        experience,
        world.wake_up_chances,
        customer_term_constants(world.dynamics),
        run_terms,
        segment_terms,
    )
    gap_keep, gap_new, satisfaction_boost, trust_target, dark_chance, recover_chance = run_terms
    thrill_gain, thrill_keep, wake_chance = segment_terms
    return CustomerTerms(
        experience=experience,
        gap_keep=gap_keep,
        gap_new=gap_new,
        satisfaction_boost=satisfaction_boost,
        thrill_gain=thrill_gain,
        thrill_keep=thrill_keep,
        trust_target=trust_target,
        dark_chance=dark_chance,
        recover_chance=recover_chance,
        wake_chance=wake_chance,
    )


def customer_phase(
    world: World,
    state: State,
    levers: Levers,
    experience: np.ndarray,
    quarter: int,
    draws: ReplayDraws | None = None,
) -> CustomerFlows:
    """Satisfaction, thrill, trust, going dark, wake-up calls and defection.

    With ``draws``, each chunk's uniforms are drawn whole once and kept for replays of
    the same runs (the same numbers where the kernel reads them)."""
    from engine.customer_kernel import customer_constants, play_chunk

    runs = state.runs
    terms = customer_terms(world, levers, experience)
    flows = CustomerFlows(
        defections=np.zeros(runs, dtype=np.int64),
        drivers=np.zeros((runs, len(DEFECTION_DRIVERS)), dtype=np.float64),
        risk=np.zeros(runs, dtype=np.float64),
        exposed=np.zeros(runs, dtype=np.int64),
        went_dark=np.zeros(runs, dtype=np.int64),
        segment_defections=np.zeros((runs, len(world.segment_ids)), dtype=np.int64),
        segment_drivers=np.zeros(
            (runs, len(world.segment_ids), len(DEFECTION_DRIVERS)), dtype=np.float64
        ),
        segment_risk=np.zeros((runs, len(world.segment_ids)), dtype=np.float64),
        segment_exposed=np.zeros((runs, len(world.segment_ids)), dtype=np.int64),
    )
    c = state.customers
    customers = (
        c.active,
        c.dark,
        c.awakened,
        c.expectation_gap,
        c.satisfaction,
        c.thrill,
        c.trust,
        c.propensity,
        c.value,
        c.fit,
    )
    term_arrays = tuple(getattr(terms, name) for name in CustomerTerms.__slots__)
    flow_arrays = (
        flows.defections,
        flows.drivers,
        flows.risk,
        flows.exposed,
        flows.went_dark,
        flows.segment_defections,
        flows.segment_drivers,
        flows.segment_risk,
        flows.segment_exposed,
    )
    constants = customer_constants(world.dynamics)
    bounds = state.segment_bounds
    for block in run_blocks(state.run_offset, runs):
        streams = BlockStreams(state.seed, Concern.CUSTOMERS, quarter, block.number)
        block_rows = block.runs.stop - block.runs.start
        for segment in range(len(bounds) - 1):
            first, width = bounds[segment], bounds[segment + 1] - bounds[segment]
            # One chunk's draws at a time, played while they are still in the CPU's cache.
            chunk_slots = chunk_width(world.segment_slot_counts[segment])
            rows = block.skipped + block_rows
            chunks = -(-width // chunk_slots)
            sums = np.zeros((block_rows, 1 + len(DEFECTION_DRIVERS)))
            for chunk in range(chunks):
                used = min(chunk_slots, width - chunk * chunk_slots)
                plain = functools.partial(
                    buffered_chunk, streams, segment, chunk, rows, chunk_slots, used, block.skipped
                )
                if draws is None:
                    uniforms = plain()
                else:
                    uniforms = draws.kept(
                        ("customers", quarter, block.number, segment, chunk),
                        functools.partial(
                            whole_chunk, streams, segment, chunk, rows, chunk_slots, block.skipped
                        ),
                        otherwise=plain,
                    )
                play_chunk(
                    customers,
                    block.runs.start,
                    first + chunk * chunk_slots,
                    uniforms,
                    block.skipped,
                    used,
                    segment,
                    term_arrays,
                    constants,
                    flow_arrays,
                    sums,
                    chunk == chunks - 1,
                )
    return flows


def buffered_chunk(
    streams: BlockStreams,
    segment: int,
    chunk: int,
    rows: int,
    width: int,
    used: int,
    skipped: int,
) -> np.ndarray:
    """One chunk's uniforms in this thread's :func:`uniform_buffer`, only the ``used``
    slots of each row drawn: :func:`draw_chunk` as a single game plays it."""
    return draw_chunk(streams, segment, chunk, uniform_buffer(rows, width), used, skipped)


def whole_chunk(
    streams: BlockStreams, segment: int, chunk: int, rows: int, width: int, skipped: int
) -> np.ndarray:
    """A new (rows, draws, width) array of one chunk's uniforms, every slot drawn (the
    first ``skipped`` rows are left unset): :func:`draw_chunk` of a full chunk."""
    out = np.empty((rows, _DRAWS_PER_CUSTOMER, width), FLOAT)
    draw_chunk(streams, segment, chunk, out, width, skipped)
    return out


def draw_chunk(
    streams: BlockStreams,
    segment: int,
    chunk: int,
    out: np.ndarray,
    used: int | None = None,
    skipped: int = 0,
) -> np.ndarray:
    """Fill ``out`` (rows, draws, width), and return it, with the uniforms of one chunk
    of a segment's slots for a block of runs: slot ``chunk * width + j`` of row ``r`` reads
    ``out[r, draw, j]``, ``width`` being the segment's :func:`chunk_width`. One
    generator per (segment, chunk): a slot's numbers never depend on how wide its
    segment's block has grown, nor on the number of runs.

    Only the numbers that will be read are made: those of the first ``used`` slots of
    each row after the first ``skipped`` rows (the rest of ``out`` is left as it was).
    Every number lands where the full draw would put it, bit for bit (see
    :func:`skip_uniforms`).
    """
    rng = streams.numbered(segment * _CHUNKS_PER_SEGMENT + chunk)
    rows, draws, width = out.shape
    used = width if used is None else used
    skip_uniforms(rng, skipped * draws * width)
    # Skipping within rows costs two calls per row and draw: only for a mostly idle
    # chunk (the last one of a block that has grown past its starting width).
    if 2 * used > width:
        from engine.uniforms import draw_uniforms  # Numba: see the module docstring

        draw_uniforms(rng, out[skipped:])  # rng.random(dtype=FLOAT, out=...), faster
        return out
    for row in range(skipped, rows):
        for draw in range(draws):
            rng.random(dtype=FLOAT, out=out[row, draw, :used])
            skip_uniforms(rng, width - used)
    return out


def skip_uniforms(rng: np.random.Generator, count: int) -> None:
    """Move ``rng`` on past ``count`` float32 uniforms, as if it had drawn them.

    A float32 uniform takes one 32-bit number, and PCG64 makes them in pairs from each
    64-bit step, keeping the second for the next call. Every run of draws here starts
    at an even count (``CHUNK`` is even), so after an odd number of draws the pair's
    second half is pending and is the first number to skip; ``advance`` steps past
    whole pairs and drops any pending half, which covers both cases. (Every chunk width
    is a multiple of ``CHUNK_ALIGN``, hence even.)
    """
    if count:
        rng.bit_generator.advance(count // 2)


class DefectionChance(NamedTuple):
    """Each customer's quarterly defection probability, and what drives it."""

    probability: np.ndarray
    hazards: dict[str, np.ndarray]  # driver -> hazard; drivers weighted zero are left out


def defection_probability(
    dyn: Dynamics,
    propensity: np.ndarray,
    boredom: np.ndarray,
    gap: np.ndarray,
    dark: np.ndarray,
    awakened: np.ndarray,
    experience: np.ndarray,
) -> DefectionChance:
    """Quarterly defection probability and each driver's hazard, per customer, by the
    customer kernel's own formulas (arrays of one shape).

    p = p0 + (1 - p0) * (1 - prod(1 - h_k)): the baseline propensity p0 plus the
    drivers' hazards acting on those it spared. With every driver weight at zero p is
    exactly p0, bit for bit.
    """
    from engine.customer_kernel import KERNEL_DRIVERS, customer_constants, defection_arrays

    shape = np.shape(propensity)

    def flat(values: np.ndarray, dtype: type) -> np.ndarray:
        return np.ascontiguousarray(values, dtype=dtype).reshape(-1)

    probability = np.empty(shape, dtype=FLOAT)
    hazards = np.empty((len(KERNEL_DRIVERS) - 1, probability.size), dtype=FLOAT)
    defection_arrays(
        flat(propensity, FLOAT),
        flat(boredom, FLOAT),
        flat(gap, FLOAT),
        flat(dark, np.bool_),
        flat(awakened, np.bool_),
        flat(experience, FLOAT),
        customer_constants(dyn),
        probability.reshape(-1),
        hazards,
    )
    weighted = {
        name: hazards[index].reshape(shape)
        for index, name in enumerate(KERNEL_DRIVERS[1:])
        if getattr(dyn, DEFECTION_DRIVER_WEIGHTS[name])
    }
    return DefectionChance(probability, weighted)
