"""The acquisition phase: new customers are won and placed in free slots.

Volume rises with quota pressure, marketing and referrals from thrilled customers;
quota pressure also lowers the newcomers' fit. A run's newcomers depend only on the
seed, its global index and its own rates, never on how many other runs won customers.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np

from engine.flows import AcquisitionFlows
from engine.levers import Levers
from engine.randomness import (
    RUN_BLOCK,
    BlockStreams,
    Concern,
    NamedStreams,
    RunBlock,
    StreamLayout,
    run_blocks,
)
from engine.replay_draws import ReplayDraws
from engine.scenario.schema import Segment
from engine.state import FLOAT, State
from engine.traits import CUSTOMER_TRAIT_STREAMS, draw_customer_traits
from engine.world import World

# Part 0 of every block: the number won per run and segment. Then, from part 1, one
# group of customer-trait parts per segment for its pool of newcomers.
ACQUISITION_STREAMS = StreamLayout({"newcomer_counts": 0}, width=1)
# A run that wins more than its pool draws the rest from parts far beyond the pools',
# one range of this many parts per (segment, run) of the block: never shared.
OVERFLOW_FIRST_PART = 1_000_000
OVERFLOW_PARTS = 16
# Beyond this a float64 no longer holds every integer, so k + 1 could equal k.
LARGEST_COUNT_MEAN = 2.0**53
# The pool's traits in the order the placing kernel reads them.
POOL_TRAITS = ("propensity", "value", "satisfaction", "thrill", "trust", "fit_noise")


def acquisition_phase(
    world: World,
    state: State,
    levers: Levers,
    quarter: int,
    mean_thrill: np.ndarray,
    draws: ReplayDraws | None = None,
) -> AcquisitionFlows:
    """New customers: volume rises with quota pressure, marketing and referrals from
    thrilled customers; quota pressure also lowers their fit.

    With ``draws``, each pool of newcomers is drawn whole once and kept for replays of
    the same runs (the same newcomers, however many a replay wins)."""
    runs = state.runs
    acquisition = world.scenario.acquisition
    new = np.zeros(runs, dtype=np.int64)
    if not acquisition.enabled or acquisition.rate == 0:
        return AcquisitionFlows(new)
    # Numba only once customers are won (see engine.market: not at the game's start).
    from engine.acquisition_kernel import NewcomerTerms, newcomer_constants, place_newcomers

    dyn = world.dynamics
    quota = np.maximum(levers.quota_pressure, 0)
    rate = (
        acquisition.rate
        * world.initial_customers
        * (1 + dyn.quota_volume * quota)
        * (1 + dyn.marketing_volume * np.maximum(levers.marketing, 0))
        * np.maximum(1 + dyn.reputation_volume * (mean_thrill - 0.5), 0)
    )
    mix = world.new_customer_mix
    blocks = [
        (BlockStreams(state.seed, Concern.ACQUISITION, quarter, block.number), block)
        for block in run_blocks(state.run_offset, runs)
    ]
    counts = newcomer_counts(blocks, rate[:, None] * mix[None, :], quarter, draws)
    pools = world.acquisition_pool_sizes()
    _ensure_room(state, counts, pools)

    customers = state.customers
    placing = (
        customers.active,
        customers.dark,
        customers.awakened,
        customers.joined,
        customers.satisfaction,
        customers.thrill,
        customers.expectation_gap,
        customers.trust,
        customers.propensity,
        customers.value,
        customers.fit,
    )
    overpromise = np.maximum(levers.overpromising, 0)
    terms = NewcomerTerms(
        fit_mean=acquisition.fit.mean - dyn.quota_fit_penalty * quota,
        satisfaction_boost=dyn.promise_boost * overpromise,
        expectation_gap=np.minimum(dyn.promise_gap * overpromise, 1).astype(FLOAT),
    )
    constants = newcomer_constants(acquisition.fit.sd, terms)
    bounds = state.segment_bounds
    for streams, block in blocks:
        local = block.runs
        for index, segment in enumerate(world.scenario.segments):
            wanted = counts[local, index]
            if not wanted.any():
                continue  # the pool's draws are keyed by part: skipping it moves nothing
            # A fixed-size pool of newcomers per run (rows of ``size``, the block's
            # skipped rows first), so that no run's newcomers depend on how many other
            # runs won customers; each run takes its first ones.
            size = int(pools[index])
            from_pool = np.minimum(wanted, size)
            pool_streams = streams.group(_pool_first_part(index), CUSTOMER_TRAIT_STREAMS)
            plain = functools.partial(
                _pool_rows, segment, pool_streams, block.skipped, size, from_pool
            )
            if draws is None:
                pool = plain()
            else:
                whole = (block.skipped + local.stop - local.start) * size
                pool = draws.kept(
                    ("newcomers", quarter, block.number, index),
                    functools.partial(pool_of, segment, pool_streams, whole),
                    otherwise=plain,
                )
            slots = (bounds[index], bounds[index + 1], quarter)
            first = block.skipped * size
            place_newcomers(
                placing, local.start, *slots, from_pool, pool, first, size, terms, constants
            )
            # A run that wants more than its pool: the rest from its own overflow parts,
            # placed after its pool's newcomers.
            for row in np.flatnonzero(wanted > size).tolist():
                extra = wanted[row : row + 1] - size
                more = draw_customer_traits(
                    segment, _overflow_streams(streams, index, block.skipped + row), (extra[0],)
                )
                more = in_kernel_order(more)
                place_newcomers(
                    placing, local.start + row, *slots, extra, more, 0, 0, terms, constants
                )
            new[local] += wanted
    return AcquisitionFlows(new)


def newcomer_counts(
    blocks: list[tuple[BlockStreams, RunBlock]],
    mean: np.ndarray,
    quarter: int,
    draws: ReplayDraws | None = None,
) -> np.ndarray:
    """Newcomers won per run and segment: one uniform per run and segment from each
    block's own stream, through the Poisson inverse CDF with ``mean`` (runs, segments).
    With ``draws``, the uniforms of ``quarter`` are kept for replays.

    A run's count never depends on other runs' rates (a Poisson total split by segment
    shares is the same as independent Poissons per segment)."""

    def uniforms() -> np.ndarray:
        uniform = np.empty(mean.shape)
        for streams, block in blocks:
            rows = block.skipped + block.runs.stop - block.runs.start
            counts = streams.named("newcomer_counts", ACQUISITION_STREAMS)
            uniform[block.runs] = counts.random((rows, mean.shape[1]))[block.skipped :]
        return uniform

    kept = uniforms() if draws is None else draws.kept(("counts", quarter), uniforms)
    return poisson_quantile(kept, mean)


def _pool_first_part(segment_index: int) -> int:
    """The first part of a segment's pool of newcomers: the pools follow the counts."""
    return ACQUISITION_STREAMS.width + CUSTOMER_TRAIT_STREAMS.width * segment_index


def _overflow_streams(streams: BlockStreams, segment_index: int, row: int) -> NamedStreams:
    """The trait streams of the newcomers beyond the pool of block row ``row`` (counting
    skipped rows) in a segment: parts far beyond the pools', never shared."""
    first = OVERFLOW_FIRST_PART + (segment_index * RUN_BLOCK + row) * OVERFLOW_PARTS
    return streams.group(first, CUSTOMER_TRAIT_STREAMS)


def _pool_rows(
    segment: Segment, streams: NamedStreams, skipped: int, size: int, taken: np.ndarray
) -> tuple[np.ndarray, ...]:
    """A block's pool of newcomers to ``segment``, rows of ``size`` laid end to end (the
    ``skipped`` rows first), as far as the last one a run takes (``taken`` per run).

    Each trait's generator serves this one draw and fills it in order, so the numbers
    are the first ones of the whole (rows, size) pool: the rest would never be read."""
    drawn = 0  # a pool of no one (every newcomer from overflow) draws nothing
    rows = np.flatnonzero(taken)
    if rows.size:
        last = int(rows[-1])
        drawn = (skipped + last) * size + int(taken[last])
    return pool_of(segment, streams, drawn)


def pool_of(segment: Segment, streams: NamedStreams, drawn: int) -> tuple[np.ndarray, ...]:
    """The first ``drawn`` newcomers of a block's pool to ``segment``, in kernel order
    (each trait's numbers are the first of its generator, so a longer pool starts with
    the same newcomers)."""
    return in_kernel_order(draw_customer_traits(segment, streams, (drawn,)))


def in_kernel_order(traits: dict[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    """Drawn customer traits as the tuple :func:`place_newcomers` reads."""
    return tuple(traits[name] for name in POOL_TRAITS)


def poisson_quantile(uniform: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """The smallest k with P(Poisson(mean) <= k) >= uniform, elementwise (0 where the
    mean is not positive).

    The CDF is scipy's ``pdtr``; k starts from the Cornish-Fisher approximation of the
    quantile and steps up while the CDF at k falls short of the uniform, then down while
    the CDF at k - 1 reaches it. Most elements need two CDF values and no step."""
    from scipy.special import ndtri, pdtr  # only needed once customers are won

    uniform = np.asarray(uniform, dtype=np.float64)
    mean = np.asarray(mean)
    if mean.shape != uniform.shape:
        mean = np.broadcast_to(mean, uniform.shape)
    largest = np.fmax.reduce(mean, axis=None, initial=0.0)  # NaN means are left out
    if largest >= LARGEST_COUNT_MEAN:
        raise ValueError(f"a Poisson mean must be below 2**53 to be counted, got {largest:g}")
    positive = mean > 0
    everywhere = positive.all()  # the usual case: no masks to apply
    target = uniform.ravel() if everywhere else uniform[positive]
    rate = mean.ravel() if everywhere else mean[positive]
    z = ndtri(target)
    with np.errstate(invalid="ignore"):  # u = 0 gives -inf + inf: NaN, started at 0
        guess = np.floor(rate + np.sqrt(rate) * z + (z * z - 1) / 6)
    # A NaN guess (u = 0) or a negative one starts at 0; none starts beyond 40 standard
    # deviations above the mean, where the CDF is 1 to the last bit (u = 1 stops there).
    k = np.minimum(np.fmax(guess, 0.0), np.floor(rate + 40 * np.sqrt(rate) + 40))
    cdf = pdtr(k, rate)
    short = np.flatnonzero(cdf < target)
    while short.size:
        k[short] += 1
        cdf[short] = pdtr(k[short], rate[short])
        short = short[cdf[short] < target[short]]
    above = np.flatnonzero(k > 0)
    while above.size:
        reached = pdtr(k[above] - 1, rate[above]) >= target[above]
        above = above[reached]
        k[above] -= 1
        above = above[k[above] > 0]
    if everywhere:
        return k.astype(np.int64).reshape(uniform.shape)
    counts = np.zeros(uniform.shape, dtype=np.int64)
    counts[positive] = k
    return counts


def _ensure_room(state: State, counts: np.ndarray, pools: np.ndarray) -> None:
    """Grow segment blocks that lack free slots for this quarter's new customers, each
    by room for about four more quarters of newcomers (``pools`` per segment).

    How far a block grows changes no number: a slot's draws do not depend on its
    block's width, newcomers take the first free slots, and empty slots add nothing to
    any total. But every slot is read every quarter: a block grown by half its width (as
    it once was) made every later quarter read half as many slots again."""
    from engine.acquisition_kernel import room_shortfall

    customers = state.customers
    bounds = list(state.segment_bounds)
    grow = []
    for segment in range(counts.shape[1]):
        first, last = bounds[segment], bounds[segment + 1]
        wanted = np.ascontiguousarray(counts[:, segment])
        shortfall = int(room_shortfall(customers.active, first, last, wanted))
        grow.append(0 if shortfall <= 0 else max(shortfall, 4 * int(pools[segment]), 16))
    if not any(grow):
        return
    # Each segment's block keeps its columns and gains empty slots at its end: copied
    # block by block into zeroed arrays (np.insert at many positions is far slower).
    grown = [0, *np.cumsum(np.diff(bounds) + np.array(grow)).tolist()]
    for field in dataclasses.fields(customers):
        array = getattr(customers, field.name)
        wider = np.zeros((array.shape[0], grown[-1]), dtype=array.dtype)
        for segment in range(len(grow)):
            width = bounds[segment + 1] - bounds[segment]
            start = grown[segment]
            wider[:, start : start + width] = array[:, bounds[segment] : bounds[segment + 1]]
        setattr(customers, field.name, wider)
    state.segment_bounds = tuple(grown)
