"""Quarter phases for customers: experience, satisfaction and thrill, going dark,
wake-up calls, defection and acquisition.

This is the hot path. Customers are processed in rectangles of (runs x slots) that
lie inside one segment block and fit in the CPU cache, so per-run and per-segment
values are plain column vectors and every per-customer operation is a vectorised
pass over cache-resident memory. No Python loop ever touches a single customer.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from engine.params import DEFECTION_DRIVERS
from engine.people import Levers
from engine.randomness import RUN_BLOCK, Concern, Parts, per_run_draws, run_blocks
from engine.setup import draw_new_customers
from engine.state import FLOAT, State
from engine.world import World

# Customer-slots per rectangle: small enough that a rectangle's working set
# (about a dozen float32 arrays) stays in a typical 1-2 MiB L2 cache.
RECTANGLE = 65536
_DRAWS_PER_CUSTOMER = 3  # going dark or recovering, waking up or calming, defecting
_CHUNK = 2048  # customer draws come in column chunks of this width
_CHUNKS_PER_SEGMENT = 100_000  # part numbers reserved per segment


@dataclass(slots=True)
class CustomerFlows:
    defections: np.ndarray  # (runs,) customers lost this quarter
    drivers: np.ndarray  # (runs, drivers) defections attributed to each driver
    risk: np.ndarray  # (runs,) summed defection probability of active customers
    exposed: np.ndarray  # (runs,) active customers at the start of the phase
    went_dark: np.ndarray  # (runs,) customers who went dark this quarter


def _column(values) -> np.ndarray:
    return np.asarray(values, dtype=FLOAT)[:, None]


class _RunTerms:
    """Per-run (and per-run-and-segment) terms, computed once per quarter."""

    def __init__(self, world: World, levers: Levers, experience: np.ndarray):
        dyn = world.dynamics
        overpromise = np.maximum(levers.overpromising, 0)
        contact = np.clip(levers.customer_contact, 0, 1)
        quota = np.maximum(levers.quota_pressure, 0)
        self.experience = experience.astype(FLOAT)  # (runs, segments)
        self.gap_keep = _column(
            np.clip(
                1 - dyn.gap_decay - dyn.gap_recovery * np.clip(levers.service_recovery, 0, 1), 0, 1
            )
        )
        self.gap_new = _column(dyn.promise_gap * overpromise)
        self.satisfaction_boost = _column(dyn.promise_boost * overpromise)
        # Thrill is renewed by new value, closeness and experience above the threshold.
        surprise = np.maximum(experience - dyn.thrill_threshold, 0)
        gain = np.clip(
            (
                dyn.innovation_gain * np.clip(levers.value_innovation, 0, 1)
                + dyn.contact_thrill_gain * contact
            )[:, None]
            + dyn.quality_thrill_gain * surprise,
            0,
            1,
        )
        self.thrill_gain = gain.astype(FLOAT)  # (runs, segments)
        self.thrill_keep = np.clip(1 - dyn.thrill_decay - gain, 0, 1).astype(FLOAT)
        self.trust_target = _column(
            dyn.trust_base + dyn.trust_contact_weight * contact - dyn.trust_pressure_weight * quota
        )
        self.dark_chance = _column(
            dyn.dark_base
            + dyn.dark_pressure_weight * quota
            + dyn.dark_neglect_weight * (1 - contact)
        )
        self.recover_chance = _column(
            np.clip(
                dyn.dark_recovery
                + dyn.dark_recovery_contact * contact
                + dyn.dark_recovery_win_back * np.clip(levers.win_back, 0, 1),
                0,
                1,
            )
        )
        wake = np.array([s.wake_up for s in world.scenario.segments], dtype=np.float64)
        market = 1 + dyn.awaken_market_weight * np.maximum(levers.market_pressure, 0)
        self.wake_chance = np.clip(market[:, None] * wake[None, :], 0, 1).astype(FLOAT)


def customer_phase(
    world: World, state: State, levers: Levers, experience: np.ndarray, quarter: int
) -> CustomerFlows:
    """Satisfaction, thrill, trust, going dark, wake-up calls and defection."""
    runs = state.runs
    terms = _RunTerms(world, levers, experience)
    flows = CustomerFlows(
        defections=np.zeros(runs, dtype=np.int64),
        drivers=np.zeros((runs, len(DEFECTION_DRIVERS)), dtype=np.float64),
        risk=np.zeros(runs, dtype=np.float64),
        exposed=np.zeros(runs, dtype=np.int64),
        went_dark=np.zeros(runs, dtype=np.int64),
    )
    bounds = state.segment_bounds
    for local, draws in per_run_draws(
        state.seed,
        Concern.CUSTOMERS,
        quarter,
        state.run_offset,
        runs,
        lambda parts, rows: _customer_draws(parts, rows, bounds),
    ):
        block_rows = local.stop - local.start
        for segment in range(len(bounds) - 1):
            first, last = bounds[segment], bounds[segment + 1]
            width = last - first
            if width == 0:
                continue
            # Whole rows when a row fits, else column strips of one row at a time.
            rows_per = max(1, RECTANGLE // width)
            cols_per = min(width, RECTANGLE)
            for row in range(0, block_rows, rows_per):
                rows = slice(local.start + row, local.start + min(row + rows_per, block_rows))
                draw_rows = slice(row, min(row + rows_per, block_rows))
                for col in range(first, last, cols_per):
                    cols = slice(col, min(col + cols_per, last))
                    u = draws[segment][draw_rows, :, cols.start - first : cols.stop - first]
                    _rectangle(world, state, terms, flows, rows, cols, segment, u)
    return flows


def _customer_draws(parts, rows: int, bounds) -> dict[int, np.ndarray]:
    """Each slot's uniforms, (rows, draws, width) per segment, drawn in fixed-width
    column chunks with a generator per (segment, chunk): a slot's numbers never depend
    on how wide its segment's block has grown, nor on the number of runs."""
    draws = {}
    for segment in range(len(bounds) - 1):
        width = bounds[segment + 1] - bounds[segment]
        values = np.empty((rows, _DRAWS_PER_CUSTOMER, width), dtype=FLOAT)
        for chunk, start in enumerate(range(0, width, _CHUNK)):
            stop = min(start + _CHUNK, width)
            drawn = parts.keyed(segment * _CHUNKS_PER_SEGMENT + chunk).random(
                (rows, _DRAWS_PER_CUSTOMER, _CHUNK), dtype=FLOAT
            )
            values[:, :, start:stop] = drawn[:, :, : stop - start]
        draws[segment] = values
    return draws


def _rectangle(world, state, terms, flows, rows, cols, segment, u) -> None:
    """Update one rectangle of customers in place (all arrays are views)."""
    dyn = world.dynamics
    c = state.customers
    active = c.active[rows, cols]
    dark = c.dark[rows, cols]
    awakened = c.awakened[rows, cols]
    gap = c.expectation_gap[rows, cols]
    satisfaction = c.satisfaction[rows, cols]
    thrill = c.thrill[rows, cols]
    trust = c.trust[rows, cols]

    # A poorly fitting customer gets less out of the same service.
    experience = c.fit[rows, cols] * np.float32(dyn.misfit_penalty)
    experience += np.float32(1 - dyn.misfit_penalty)
    experience *= terms.experience[rows, segment, None]
    # Nobody works with a customer who has gone dark: they get less out of the service.
    experience -= dark * np.float32(dyn.dark_experience_penalty)

    # Promises: old gaps are forgotten or repaired. This quarter's over-promising only
    # comes due next quarter (added at the end): satisfaction now, disappointment later.
    gap *= terms.gap_keep[rows]

    # Satisfaction follows experience, lifted by fresh promises, lowered by broken ones.
    target = experience - np.float32(dyn.gap_satisfaction_weight) * gap
    target += terms.satisfaction_boost[rows]
    target -= satisfaction
    target *= np.float32(dyn.satisfaction_adjust)
    satisfaction += target
    np.clip(satisfaction, 0, 1, out=satisfaction)

    # Thrill decays unless renewed: th' = th * keep + gain (keep = 1 - decay - gain).
    thrill *= terms.thrill_keep[rows, segment, None]
    thrill += terms.thrill_gain[rows, segment, None]

    # Trust follows contact, pressure and broken promises.
    trust_step = terms.trust_target[rows] - np.float32(dyn.trust_gap_weight) * gap
    trust_step -= trust
    trust_step *= np.float32(dyn.trust_adjust)
    trust += trust_step
    np.clip(trust, 0, 1, out=trust)

    boredom = 1 - thrill

    # Going dark (or answering again): one toggle chance per customer.
    chance = boredom * np.float32(dyn.dark_boredom_weight)
    chance += terms.dark_chance[rows]
    # The unhappy stop answering: dark customers skew the survey toward the happy.
    unhappy = np.float32(dyn.experience_reference) - satisfaction
    unhappy *= np.float32(dyn.dark_dissatisfaction_weight)
    chance += unhappy
    distrust = np.float32(0.5) - trust
    distrust *= np.float32(dyn.dark_distrust_weight)
    distrust += 1
    np.maximum(distrust, 0, out=distrust)
    chance *= distrust
    np.copyto(chance, terms.recover_chance[rows], where=dark)
    toggle = u[:, 0] < chance
    went_dark = toggle & ~dark & active
    dark ^= toggle

    # Wake-up calls from the customer's own market, and settling down again.
    np.copyto(chance, terms.wake_chance[rows, segment, None])
    np.copyto(chance, np.float32(dyn.awaken_calm), where=awakened)
    awakened ^= u[:, 1] < chance

    propensity = c.propensity[rows, cols]
    probability, hazards = defection_probability(
        dyn, propensity, boredom, gap, dark, awakened, experience
    )
    defect = (u[:, 2] < probability) & active

    flows.exposed[rows] += np.count_nonzero(active, axis=1)
    flows.risk[rows] += np.einsum("ij,ij->i", probability, active, dtype=np.float64)
    flows.went_dark[rows] += np.count_nonzero(went_dark, axis=1)
    if defect.any():
        _attribute(flows, rows, defect, propensity, hazards)
    active &= ~defect

    gap += terms.gap_new[rows]
    np.minimum(gap, 1, out=gap)

    # Thrilled customers buy more; bored ones trim their spend.
    value = c.value[rows, cols]
    growth = thrill - np.float32(0.5)
    growth *= np.float32(dyn.value_growth)
    growth += 1
    value *= growth


def defection_probability(dyn, propensity, boredom, gap, dark, awakened, experience):
    """Quarterly defection probability and each driver's hazard.

    p = p0 + (1 - p0) * (1 - prod(1 - h_k)): the baseline propensity p0 plus the
    drivers' hazards acting on those it spared. With every driver weight at zero no
    hazard is computed and p is exactly p0, bit for bit.
    """
    hazards = _hazards(dyn, boredom, gap, dark, awakened, experience)
    if not hazards:
        return propensity.copy(), hazards
    survive = np.ones_like(propensity)
    for hazard in hazards.values():
        survive *= 1 - hazard
    probability = 1 - survive
    probability *= 1 - propensity
    probability += propensity
    return probability, hazards


def _hazards(dyn, boredom, gap, dark, awakened, experience) -> dict[str, np.ndarray]:
    """Each active driver's quarterly hazard (drivers with weight zero are left out)."""
    hazards = {}
    if dyn.defect_boredom:
        hazards["boredom"] = boredom * np.float32(dyn.defect_boredom)
    if dyn.defect_broken_promises:
        hazards["broken_promises"] = np.minimum(
            gap * np.float32(dyn.defect_broken_promises), np.float32(0.999)
        )
    if dyn.defect_dark:
        hazards["dark"] = dark * np.float32(dyn.defect_dark)
    if dyn.defect_awakened:
        hazards["awakened"] = (boredom * np.float32(dyn.defect_awakened)) * awakened
    if dyn.defect_poor_experience:
        shortfall = np.float32(dyn.experience_reference) - experience
        np.maximum(shortfall, 0, out=shortfall)
        shortfall *= np.float32(dyn.defect_poor_experience)
        hazards["poor_experience"] = np.minimum(shortfall, np.float32(0.999))
    return hazards


_DRIVER_COLUMN = {name: index for index, name in enumerate(DEFECTION_DRIVERS)}


def _attribute(flows, rows, defect, propensity, hazards) -> None:
    """Split each defection between its drivers in proportion to their share of the
    cumulative hazard -log(1 - p); only defectors are touched, so this is cheap."""
    flat = np.flatnonzero(defect)  # defect and the hazards are fresh contiguous arrays
    run_of = flat // defect.shape[1]
    parts = {"baseline": -np.log1p(-propensity[defect].astype(np.float64))}
    for name, hazard in hazards.items():
        parts[name] = -np.log1p(-np.minimum(hazard.reshape(-1)[flat], 0.999, dtype=np.float64))
    total = sum(parts.values())
    total[total == 0] = 1.0  # cannot happen for a defector, but never divide by zero
    count = rows.stop - rows.start
    for name, part in parts.items():
        flows.drivers[rows, _DRIVER_COLUMN[name]] += np.bincount(
            run_of, weights=part / total, minlength=count
        )
    flows.defections[rows] += np.bincount(run_of, minlength=count)


@dataclass(slots=True)
class AcquisitionFlows:
    new_customers: np.ndarray  # (runs,)


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

    # Per block: one generator for the counts, one for the segment mix, then for each
    # segment a fixed-size pool of newcomers per run, so that no run's newcomers depend
    # on how many other runs won customers.
    pools = world.acquisition_pool_sizes()
    counts = np.zeros((runs, len(mix)), dtype=np.int64)
    blocks = []
    for block, local, skip in run_blocks(state.run_offset, runs):
        parts = Parts(state.seed, Concern.ACQUISITION, quarter, block)
        # One uniform per run and segment through the Poisson inverse CDF: a run's
        # count never depends on other runs' rates (a Poisson total split by segment
        # shares is the same as independent Poissons per segment).
        uniform = parts.next().random((skip + local.stop - local.start, len(mix)))[skip:]
        counts[local] = poisson_quantile(uniform, rate[local, None] * mix[None, :])
        blocks.append((parts, block, local, skip))
    _ensure_room(state, counts)

    c = state.customers
    bounds = state.segment_bounds
    for parts, block, local, skip in blocks:
        for segment in range(len(mix)):
            pool = {
                name: values[skip:]
                for name, values in draw_new_customers(
                    world, parts, segment, (skip + local.stop - local.start, int(pools[segment]))
                ).items()
            }
            wanted = counts[local, segment]
            if not wanted.any():
                continue
            drawn = _newcomers(world, state, quarter, block, skip, segment, pool, wanted)
            first, last = bounds[segment], bounds[segment + 1]
            free = ~c.active[local, first:last]
            place = free & (np.cumsum(free, axis=1, dtype=np.int32) <= wanted[:, None])
            # Index arrays once, so each field's assignment touches only the newcomers.
            row, column = np.nonzero(place)
            run_of = row + local.start
            slot_of = column + first
            fit = fit_mean[run_of] + acquisition.fit.sd * drawn.pop("fit_noise")
            drawn["fit"] = np.clip(fit, 0.05, 1.0).astype(FLOAT)
            drawn["satisfaction"] = np.minimum(
                drawn["satisfaction"] + dyn.promise_boost * overpromise[run_of], 1
            ).astype(FLOAT)
            drawn["expectation_gap"] = np.minimum(dyn.promise_gap * overpromise[run_of], 1).astype(
                FLOAT
            )
            for name, values in drawn.items():
                getattr(c, name)[run_of, slot_of] = values
            c.active[run_of, slot_of] = True
            c.dark[run_of, slot_of] = False
            c.awakened[run_of, slot_of] = False
            c.joined[run_of, slot_of] = quarter
            new[local] += wanted
    return AcquisitionFlows(new)


def poisson_quantile(uniform: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """The smallest k with P(Poisson(mean) <= k) >= uniform, elementwise."""
    from scipy.special import pdtr, pdtrik  # only needed once customers are won

    mean = np.broadcast_to(mean, uniform.shape)
    positive = mean > 0
    guess = np.zeros(uniform.shape)
    guess[positive] = np.ceil(pdtrik(uniform[positive], mean[positive]))
    guess = np.maximum(np.nan_to_num(guess, nan=0.0), 0.0)
    # pdtrik inverts a continuous extension of the CDF: settle on the exact integer.
    lower = np.maximum(guess - 1, 0)
    guess = np.where(positive & (guess > 0) & (pdtr(lower, mean) >= uniform), lower, guess)
    guess = np.where(positive & (pdtr(guess, mean) < uniform), guess + 1, guess)
    return np.where(positive, guess, 0).astype(np.int64)


def _newcomers(world, state, quarter, block, skip, segment, pool, wanted):
    """The attributes of each run's newcomers of one segment, runs in order: the first
    ones from the run's pool, any beyond it from the run's own overflow stream."""
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
            # Parts far beyond the pool's, one range per (segment, run): never shared.
            first = _OVERFLOW_PARTS + (segment * RUN_BLOCK + skip + row) * 16
            overflow = Parts(state.seed, Concern.ACQUISITION, quarter, block, first)
            more = draw_new_customers(world, overflow, segment, (1, int(extra)))
            for name, values in more.items():
                pieces[name].append(values[0])
    return {name: np.concatenate(parts) for name, parts in pieces.items()}


_OVERFLOW_PARTS = 1_000_000


def _ensure_room(state: State, counts: np.ndarray) -> None:
    """Grow segment blocks that lack free slots for this quarter's new customers."""
    c = state.customers
    bounds = list(state.segment_bounds)
    grow = []
    for segment in range(counts.shape[1]):
        first, last = bounds[segment], bounds[segment + 1]
        free = (last - first) - np.count_nonzero(c.active[:, first:last], axis=1)
        shortfall = int((counts[:, segment] - free).max(initial=0))
        grow.append(0 if shortfall <= 0 else max(shortfall, (last - first) // 2, 16))
    if not any(grow):
        return
    positions = np.concatenate([np.full(extra, bounds[s + 1]) for s, extra in enumerate(grow)])
    for field in dataclasses.fields(c):
        array = getattr(c, field.name)
        setattr(c, field.name, np.insert(array, positions, 0, axis=1))
    state.segment_bounds = tuple(
        int(b) for b in np.concatenate([[0], np.cumsum(np.diff(bounds) + np.array(grow))])
    )
