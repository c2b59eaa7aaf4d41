"""The customer phase: satisfaction and thrill, trust, going dark, wake-up calls and
defection, for every customer of every run.

This is the hot path. Customers are processed in rectangles of (runs x slots) that
lie inside one segment block and fit in the CPU cache, so per-run and per-segment
values are plain column vectors and every per-customer operation is a vectorised
pass over cache-resident memory. No Python loop ever touches a single customer.
New customers are won in the next phase, ``engine.acquisition``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from engine.flows import CustomerFlows
from engine.levers import Levers
from engine.params import DEFECTION_DRIVERS, Dynamics
from engine.randomness import BlockStreams, Concern, per_run_draws
from engine.state import FLOAT, Customers, State
from engine.world import World

# Customer-slots per rectangle: small enough that a rectangle's working set
# (about a dozen float32 arrays) stays in a typical 1-2 MiB L2 cache.
RECTANGLE = 65536
# Uniforms per customer and quarter, drawn together: going dark or answering again,
# waking up or calming down, defecting. A new per-customer draw should get its own
# named stream rather than a fourth row here, which would move the rows' numbers.
_DRAWS_PER_CUSTOMER = 3
_CHUNK = 2048  # customer draws come in column chunks of this width
_CHUNKS_PER_SEGMENT = 100_000  # part numbers reserved per segment


def _column(values: np.ndarray) -> np.ndarray:
    """A (runs,) vector as a float32 (runs, 1) column, to broadcast over customers."""
    return np.asarray(values, dtype=FLOAT)[:, None]


@dataclass(frozen=True, slots=True)
class CustomerTerms:
    """The per-run terms of the customer phase, computed once a quarter from the levers
    and the segments' experience: (runs, 1) columns that broadcast over a rectangle's
    customers, and (runs, segments) arrays read one segment at a time."""

    experience: np.ndarray  # (runs, segments) each segment's experience, before fit
    gap_keep: np.ndarray  # (runs, 1) share of an expectation gap kept (not forgotten or fixed)
    gap_new: np.ndarray  # (runs, 1) gap this quarter's over-promising opens (due next quarter)
    satisfaction_boost: np.ndarray  # (runs, 1) lift of fresh promises
    thrill_gain: np.ndarray  # (runs, segments) thrill renewed this quarter
    thrill_keep: np.ndarray  # (runs, segments) share of thrill kept: 1 - decay - gain
    trust_target: np.ndarray  # (runs, 1) the trust that contact and pressure lead toward
    dark_chance: np.ndarray  # (runs, 1) chance of going dark from pressure and neglect
    recover_chance: np.ndarray  # (runs, 1) chance a dark customer answers again
    wake_chance: np.ndarray  # (runs, segments) chance of a wake-up call


def customer_terms(world: World, levers: Levers, experience: np.ndarray) -> CustomerTerms:
    """This quarter's :class:`CustomerTerms`."""
    dyn = world.dynamics
    overpromise = np.maximum(levers.overpromising, 0)
    contact = np.clip(levers.customer_contact, 0, 1)
    quota = np.maximum(levers.quota_pressure, 0)
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
    wake = np.array([s.wake_up for s in world.scenario.segments], dtype=np.float64)
    market = 1 + dyn.awaken_market_weight * np.maximum(levers.market_pressure, 0)
    return CustomerTerms(
        experience=experience.astype(FLOAT),
        gap_keep=_column(
            np.clip(
                1 - dyn.gap_decay - dyn.gap_recovery * np.clip(levers.service_recovery, 0, 1), 0, 1
            )
        ),
        gap_new=_column(dyn.promise_gap * overpromise),
        satisfaction_boost=_column(dyn.promise_boost * overpromise),
        thrill_gain=gain.astype(FLOAT),
        thrill_keep=np.clip(1 - dyn.thrill_decay - gain, 0, 1).astype(FLOAT),
        trust_target=_column(
            dyn.trust_base + dyn.trust_contact_weight * contact - dyn.trust_pressure_weight * quota
        ),
        dark_chance=_column(
            dyn.dark_base
            + dyn.dark_pressure_weight * quota
            + dyn.dark_neglect_weight * (1 - contact)
        ),
        recover_chance=_column(
            np.clip(
                dyn.dark_recovery
                + dyn.dark_recovery_contact * contact
                + dyn.dark_recovery_win_back * np.clip(levers.win_back, 0, 1),
                0,
                1,
            )
        ),
        wake_chance=np.clip(market[:, None] * wake[None, :], 0, 1).astype(FLOAT),
    )


class Rectangle(NamedTuple):
    """Customers updated in one pass: some runs by some slots of one segment's block."""

    runs: slice  # rows of the state
    slots: slice  # columns of the state, inside the segment's block
    segment: int
    uniforms: np.ndarray  # (runs, draws, slots): going dark, waking up, defecting


def customer_phase(
    world: World, state: State, levers: Levers, experience: np.ndarray, quarter: int
) -> CustomerFlows:
    """Satisfaction, thrill, trust, going dark, wake-up calls and defection."""
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
    bounds = state.segment_bounds
    for local, uniforms in per_run_draws(
        state.seed,
        Concern.CUSTOMERS,
        quarter,
        state.run_offset,
        runs,
        lambda streams, rows: _slot_uniforms(streams, rows, bounds),
    ):
        for rectangle in _rectangles(bounds, local, uniforms):
            _update_rectangle(world.dynamics, state.customers, terms, flows, rectangle)
    return flows


def _rectangles(
    bounds: tuple[int, ...], block_runs: slice, uniforms: dict[int, np.ndarray]
) -> Iterator[Rectangle]:
    """Rectangles of at most ``RECTANGLE`` slots covering one block of runs (``block_runs``
    of the state) and every segment's slots, with their rows of the block's uniforms."""
    block_rows = block_runs.stop - block_runs.start
    for segment in range(len(bounds) - 1):
        first, last = bounds[segment], bounds[segment + 1]
        width = last - first
        if width == 0:
            continue
        # Whole rows when a row fits, else column strips of one row at a time.
        rows_per = max(1, RECTANGLE // width)
        columns_per = min(width, RECTANGLE)
        for row in range(0, block_rows, rows_per):
            end_row = min(row + rows_per, block_rows)
            rows = slice(block_runs.start + row, block_runs.start + end_row)
            for column in range(first, last, columns_per):
                columns = slice(column, min(column + columns_per, last))
                segment_columns = slice(columns.start - first, columns.stop - first)
                yield Rectangle(
                    rows, columns, segment, uniforms[segment][row:end_row, :, segment_columns]
                )


def _slot_uniforms(
    streams: BlockStreams, rows: int, bounds: tuple[int, ...]
) -> dict[int, np.ndarray]:
    """Each slot's uniforms, (rows, draws, width) per segment, drawn in fixed-width
    column chunks with a generator per (segment, chunk): a slot's numbers never depend
    on how wide its segment's block has grown, nor on the number of runs."""
    uniforms = {}
    for segment in range(len(bounds) - 1):
        width = bounds[segment + 1] - bounds[segment]
        values = np.empty((rows, _DRAWS_PER_CUSTOMER, width), dtype=FLOAT)
        for chunk, start in enumerate(range(0, width, _CHUNK)):
            stop = min(start + _CHUNK, width)
            drawn = streams.numbered(segment * _CHUNKS_PER_SEGMENT + chunk).random(
                (rows, _DRAWS_PER_CUSTOMER, _CHUNK), dtype=FLOAT
            )
            values[:, :, start:stop] = drawn[:, :, : stop - start]
        uniforms[segment] = values
    return uniforms


def _update_rectangle(
    dyn: Dynamics,
    customers: Customers,
    terms: CustomerTerms,
    flows: CustomerFlows,
    rectangle: Rectangle,
) -> None:
    """Play the quarter for one rectangle of customers, in place (all arrays are views),
    and add its defections, risk and customers gone dark to ``flows``."""
    rows, columns, segment, uniforms = rectangle
    active = customers.active[rows, columns]
    dark = customers.dark[rows, columns]
    awakened = customers.awakened[rows, columns]
    gap = customers.expectation_gap[rows, columns]
    satisfaction = customers.satisfaction[rows, columns]
    thrill = customers.thrill[rows, columns]
    trust = customers.trust[rows, columns]

    # A poorly fitting customer gets less out of the same service.
    experience = customers.fit[rows, columns] * np.float32(dyn.misfit_penalty)
    experience += np.float32(1 - dyn.misfit_penalty)
    experience *= terms.experience[rows, segment, None]
    # Nobody works with a customer who has gone dark: they get less out of the service.
    experience -= dark * np.float32(dyn.dark_experience_penalty)

    # Promises: old gaps are forgotten or repaired. This quarter's over-promising only
    # comes due next quarter (added at the end): satisfaction now, disappointment later.
    gap *= terms.gap_keep[rows]

    # Satisfaction follows experience, lifted by fresh promises, lowered by broken ones.
    satisfaction_step = experience - np.float32(dyn.gap_satisfaction_weight) * gap
    satisfaction_step += terms.satisfaction_boost[rows]
    satisfaction_step -= satisfaction
    satisfaction_step *= np.float32(dyn.satisfaction_adjust)
    satisfaction += satisfaction_step
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
    toggle = uniforms[:, 0] < chance
    went_dark = toggle & ~dark & active
    dark ^= toggle

    # Wake-up calls from the customer's own market, and settling down again.
    np.copyto(chance, terms.wake_chance[rows, segment, None])
    np.copyto(chance, np.float32(dyn.awaken_calm), where=awakened)
    awakened ^= uniforms[:, 1] < chance

    propensity = customers.propensity[rows, columns]
    probability, hazards = defection_probability(
        dyn, propensity, boredom, gap, dark, awakened, experience
    )
    defect = (uniforms[:, 2] < probability) & active

    exposed = np.count_nonzero(active, axis=1)
    risk = np.einsum("ij,ij->i", probability, active, dtype=np.float64)
    flows.exposed[rows] += exposed
    flows.risk[rows] += risk
    flows.segment_exposed[rows, segment] += exposed
    flows.segment_risk[rows, segment] += risk
    flows.went_dark[rows] += np.count_nonzero(went_dark, axis=1)
    if defect.any():
        _attribute_defections(flows, rows, segment, defect, propensity, hazards)
    active &= ~defect

    gap += terms.gap_new[rows]
    np.minimum(gap, 1, out=gap)

    # Thrilled customers buy more; bored ones trim their spend.
    value = customers.value[rows, columns]
    growth = thrill - np.float32(0.5)
    growth *= np.float32(dyn.value_growth)
    growth += 1
    value *= growth


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
    """Quarterly defection probability and each driver's hazard, per customer.

    p = p0 + (1 - p0) * (1 - prod(1 - h_k)): the baseline propensity p0 plus the
    drivers' hazards acting on those it spared. With every driver weight at zero no
    hazard is computed and p is exactly p0, bit for bit.
    """
    hazards = _driver_hazards(dyn, boredom, gap, dark, awakened, experience)
    if not hazards:
        return DefectionChance(propensity.copy(), hazards)
    survive = np.ones_like(propensity)
    for hazard in hazards.values():
        survive *= 1 - hazard
    probability = 1 - survive
    probability *= 1 - propensity
    probability += propensity
    return DefectionChance(probability, hazards)


def _driver_hazards(
    dyn: Dynamics,
    boredom: np.ndarray,
    gap: np.ndarray,
    dark: np.ndarray,
    awakened: np.ndarray,
    experience: np.ndarray,
) -> dict[str, np.ndarray]:
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


def _attribute_defections(
    flows: CustomerFlows,
    rows: slice,
    segment: int,
    defect: np.ndarray,
    propensity: np.ndarray,
    hazards: dict[str, np.ndarray],
) -> None:
    """Count the rectangle's defections per run and split each between its drivers in
    proportion to their share of the cumulative hazard -log(1 - p); only defectors are
    touched, so this is cheap."""
    flat = np.flatnonzero(defect)  # defect and the hazards are fresh contiguous arrays
    run_of = flat // defect.shape[1]
    shares = {"baseline": -np.log1p(-propensity[defect].astype(np.float64))}
    for name, hazard in hazards.items():
        shares[name] = -np.log1p(-np.minimum(hazard.reshape(-1)[flat], 0.999, dtype=np.float64))
    total = sum(shares.values())
    total[total == 0] = 1.0  # cannot happen for a defector, but never divide by zero
    count = rows.stop - rows.start
    for name, share in shares.items():
        attributed = np.bincount(run_of, weights=share / total, minlength=count)
        flows.drivers[rows, _DRIVER_COLUMN[name]] += attributed
        flows.segment_drivers[rows, segment, _DRIVER_COLUMN[name]] += attributed
    defections = np.bincount(run_of, minlength=count)
    flows.defections[rows] += defections
    flows.segment_defections[rows, segment] += defections
