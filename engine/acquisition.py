"""The acquisition phase: new customers are won and placed in free slots.

Volume rises with quota pressure, marketing and referrals from thrilled customers;
quota pressure also lowers the newcomers' fit. A run's newcomers depend only on the
seed, its global index and its own rates, never on how many other runs won customers.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from engine.arrays import clip
from engine.flows import AcquisitionFlows
from engine.levers import Levers
from engine.randomness import RUN_BLOCK, BlockStreams, Concern, RunBlock, StreamLayout, run_blocks
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
LARGEST_FLOAT = np.finfo(np.float64).max


def acquisition_phase(
    world: World, state: State, levers: Levers, quarter: int, mean_thrill: np.ndarray
) -> AcquisitionFlows:
    """New customers: volume rises with quota pressure, marketing and referrals from
    thrilled customers; quota pressure also lowers their fit."""
    runs = state.runs
    acquisition = world.scenario.acquisition
    new = np.zeros(runs, dtype=np.int64)
    if not acquisition.enabled or acquisition.rate == 0:
        return AcquisitionFlows(new)
    from engine.customer_kernel import first_free_slots  # Numba: see engine.market

    dyn = world.dynamics
    quota = np.maximum(levers.quota_pressure, 0)
    rate = (
        acquisition.rate
        * world.initial_customers
        * (1 + dyn.quota_volume * quota)
        * (1 + dyn.marketing_volume * np.maximum(levers.marketing, 0))
        * np.maximum(1 + dyn.reputation_volume * (mean_thrill - 0.5), 0)
    )
    fit_mean = acquisition.fit.mean - dyn.quota_fit_penalty * quota
    overpromise = np.maximum(levers.overpromising, 0)
    mix = world.new_customer_mix

    # Per block: one generator for the counts, then for each segment a fixed-size pool
    # of newcomers per run, so that no run's newcomers depend on how many other runs
    # won customers.
    pools = world.acquisition_pool_sizes()
    counts = np.zeros((runs, len(mix)), dtype=np.int64)
    blocks: list[tuple[BlockStreams, RunBlock]] = []
    for block in run_blocks(state.run_offset, runs):
        streams = BlockStreams(state.seed, Concern.ACQUISITION, quarter, block.number)
        local = block.runs
        # One uniform per run and segment through the Poisson inverse CDF: a run's
        # count never depends on other runs' rates (a Poisson total split by segment
        # shares is the same as independent Poissons per segment).
        uniform = streams.named("newcomer_counts", ACQUISITION_STREAMS).random(
            (block.skipped + local.stop - local.start, len(mix))
        )[block.skipped :]
        counts[local] = poisson_quantile(uniform, rate[local, None] * mix[None, :])
        blocks.append((streams, block))
    _ensure_room(state, counts)

    customers = state.customers
    bounds = state.segment_bounds
    for streams, block in blocks:
        local = block.runs
        for index, segment in enumerate(world.scenario.segments):
            wanted = counts[local, index]
            if not wanted.any():
                continue  # the pool's draws are keyed by part: skipping it moves nothing
            pool = draw_customer_traits(
                segment,
                streams.group(_pool_first_part(index), CUSTOMER_TRAIT_STREAMS),
                (block.skipped + local.stop - local.start, int(pools[index])),
            )
            pool = {name: values[block.skipped :] for name, values in pool.items()}
            drawn = _newcomer_traits(segment, index, streams, block.skipped, pool, wanted)
            # Each run's newcomers take its first free slots of the segment's block; the
            # index arrays let each field's assignment touch only the newcomers.
            run_of = np.empty(int(wanted.sum()), dtype=np.intp)
            slot_of = np.empty_like(run_of)
            first_free_slots(
                customers.active,
                local.start,
                bounds[index],
                bounds[index + 1],
                wanted,
                run_of,
                slot_of,
            )
            fit = fit_mean[run_of] + acquisition.fit.sd * drawn.pop("fit_noise")
            drawn["fit"] = clip(fit, 0.05, 1.0).astype(FLOAT)
            drawn["satisfaction"] = np.minimum(
                drawn["satisfaction"] + dyn.promise_boost * overpromise[run_of], 1
            ).astype(FLOAT)
            drawn["expectation_gap"] = np.minimum(dyn.promise_gap * overpromise[run_of], 1).astype(
                FLOAT
            )
            for name, values in drawn.items():
                getattr(customers, name)[run_of, slot_of] = values
            customers.active[run_of, slot_of] = True
            customers.dark[run_of, slot_of] = False
            customers.awakened[run_of, slot_of] = False
            customers.joined[run_of, slot_of] = quarter
            new[local] += wanted
    return AcquisitionFlows(new)


def _pool_first_part(segment_index: int) -> int:
    """The first part of a segment's pool of newcomers: the pools follow the counts."""
    return ACQUISITION_STREAMS.width + CUSTOMER_TRAIT_STREAMS.width * segment_index


def poisson_quantile(uniform: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """The smallest k with P(Poisson(mean) <= k) >= uniform, elementwise."""
    from scipy.special import pdtr, pdtrik  # only needed once customers are won

    mean = np.broadcast_to(mean, uniform.shape)
    positive = mean > 0
    guess = np.zeros(uniform.shape)
    guess[positive] = np.ceil(pdtrik(uniform[positive], mean[positive]))
    # max(nan_to_num(guess), 0) in two ufuncs: fmax sends NaN and -inf to 0, and +inf
    # becomes the largest float as nan_to_num makes it.
    guess = np.minimum(np.fmax(guess, 0.0), LARGEST_FLOAT)
    # pdtrik inverts a continuous extension of the CDF: settle on the exact integer.
    lower = np.maximum(guess - 1, 0)
    guess = np.where(positive & (guess > 0) & (pdtr(lower, mean) >= uniform), lower, guess)
    guess = np.where(positive & (pdtr(guess, mean) < uniform), guess + 1, guess)
    return np.where(positive, guess, 0).astype(np.int64)


def _newcomer_traits(
    segment: Segment,
    index: int,
    streams: BlockStreams,
    skipped: int,
    pool: dict[str, np.ndarray],
    wanted: np.ndarray,
) -> dict[str, np.ndarray]:
    """The traits of each run's newcomers to segment number ``index``, runs in order: the
    first ones from the run's row of ``pool``, any beyond it from the run's own overflow
    parts. ``wanted`` is per run of the block (its first ``skipped`` rows dropped)."""
    size = pool["value"].shape[1]
    capped = np.minimum(wanted, size)
    taken = np.arange(size)[None, :] < capped[:, None]
    drawn = {name: values[taken] for name, values in pool.items()}
    if (wanted <= size).all():
        return drawn
    ends = np.cumsum(capped)
    pieces: dict[str, list[np.ndarray]] = {name: [] for name in drawn}
    for row, extra in enumerate(wanted - size):
        for name, values in drawn.items():
            pieces[name].append(values[ends[row] - capped[row] : ends[row]])
        if extra > 0:
            first = OVERFLOW_FIRST_PART + (index * RUN_BLOCK + skipped + row) * OVERFLOW_PARTS
            more = draw_customer_traits(
                segment, streams.group(first, CUSTOMER_TRAIT_STREAMS), (1, int(extra))
            )
            for name, values in more.items():
                pieces[name].append(values[0])
    return {name: np.concatenate(parts) for name, parts in pieces.items()}


def _ensure_room(state: State, counts: np.ndarray) -> None:
    """Grow segment blocks that lack free slots for this quarter's new customers."""
    customers = state.customers
    bounds = list(state.segment_bounds)
    grow = []
    for segment in range(counts.shape[1]):
        first, last = bounds[segment], bounds[segment + 1]
        free = (last - first) - np.count_nonzero(customers.active[:, first:last], axis=1)
        shortfall = int((counts[:, segment] - free).max(initial=0))
        grow.append(0 if shortfall <= 0 else max(shortfall, (last - first) // 2, 16))
    if not any(grow):
        return
    positions = np.concatenate([np.full(extra, bounds[s + 1]) for s, extra in enumerate(grow)])
    for field in dataclasses.fields(customers):
        array = getattr(customers, field.name)
        setattr(customers, field.name, np.insert(array, positions, 0, axis=1))
    state.segment_bounds = tuple(
        int(b) for b in np.concatenate([[0], np.cumsum(np.diff(bounds) + np.array(grow))])
    )
