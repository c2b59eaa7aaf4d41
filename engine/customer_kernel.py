"""The customer phase's fused kernel: every customer's quarter in one call.

Each customer's state is read once, the quarter is played in registers (experience,
promises, satisfaction, thrill, trust, going dark, wake-up calls, defection), and the
state is written back once. The arithmetic is float32 in the order the model has
always used, with ``fastmath`` off, so a customer's numbers are the same bits as the
whole-array NumPy passes this kernel replaced; only the float64 per-run sums (risk,
driver shares) are added in a different order.

A run's customers are played a tile at a time, in two passes. The first has no
branch, so the compiler plays several customers per instruction; it leaves each
customer's defection probability (and what its attribution needs) in a small scratch.
The second walks the tile in slot order for what cannot be played side by side: the
float64 risk sum, carried from one customer to the next, and the rare defectors, whose
defection is split between its drivers with logarithms.

The random numbers still come from NumPy's generators, one per named stream and block
(``engine.market`` draws them); the kernel only reads them, so a run's numbers never
depend on how many runs are played with it.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from engine.jit import float32_constant_array, inline, kernel, per_dynamics, to_fixed_tuple
from engine.params import DEFECTION_DRIVERS, Dynamics

# The kernel's columns of the drivers array; engine.params names them in this order.
KERNEL_DRIVERS = ("baseline", "boredom", "broken_promises", "dark", "awakened", "poor_experience")
if KERNEL_DRIVERS != DEFECTION_DRIVERS:  # pragma: no cover - a guard for whoever edits params
    raise RuntimeError(f"the customer kernel reports {KERNEL_DRIVERS}, not {DEFECTION_DRIVERS}")


class CustomerConstants(NamedTuple):
    """The coefficients of the customer phase as float32, as the model applies them."""

    misfit_penalty: np.float32
    fit_floor: np.float32  # 1 - misfit_penalty
    dark_experience_penalty: np.float32
    gap_satisfaction_weight: np.float32
    satisfaction_adjust: np.float32
    trust_gap_weight: np.float32
    trust_adjust: np.float32
    dark_boredom_weight: np.float32
    experience_reference: np.float32
    dark_dissatisfaction_weight: np.float32
    dark_distrust_weight: np.float32
    awaken_calm: np.float32
    defect_boredom: np.float32
    defect_broken_promises: np.float32
    defect_dark: np.float32
    defect_awakened: np.float32
    defect_poor_experience: np.float32
    value_growth: np.float32


CONSTANT_COUNT = len(CustomerConstants._fields)


@per_dynamics
def customer_constants(dyn: Dynamics) -> np.ndarray:
    """The kernel's constants for ``dyn``, as :func:`engine.jit.float32_constant_array`
    makes them; the kernel names them again with :func:`named_constants`."""
    return float32_constant_array(CustomerConstants, dyn, fit_floor=1 - dyn.misfit_penalty)


@inline
def named_constants(values):
    """The :class:`CustomerConstants` of the array :func:`customer_constants` made."""
    return CustomerConstants(*to_fixed_tuple(values, CONSTANT_COUNT))


@inline
def driver_hazards(k, boredom, gap, dark, awakened, experience):
    """The five drivers' quarterly hazards of one customer, in ``KERNEL_DRIVERS`` order
    (a driver weighted zero has hazard zero, which leaves every sum and product as if
    it were absent)."""
    cap = np.float32(0.999)
    zero = np.float32(0.0)
    dark_hazard = k.defect_dark if dark else zero
    awakened_hazard = boredom * k.defect_awakened if awakened else zero
    shortfall = max(k.experience_reference - experience, zero) * k.defect_poor_experience
    return (
        boredom * k.defect_boredom,
        min(gap * k.defect_broken_promises, cap),
        dark_hazard,
        awakened_hazard,
        min(shortfall, cap),
    )


@inline
def defection_chance(propensity, hazards):
    """p = p0 + (1 - p0) * (1 - prod(1 - h_k)): the baseline propensity plus the
    drivers' hazards acting on those it spared; exactly p0 when every hazard is 0."""
    one = np.float32(1.0)
    survive = one
    for hazard in hazards:
        survive *= one - hazard
    return (one - survive) * (one - propensity) + propensity


@inline
def cumulative_hazard(chance):
    """-log(1 - chance) of a driver's hazard in float64, capped at 0.999 so it stays
    finite (a propensity is capped when it is drawn, and is used as it is)."""
    if chance == 0:
        # Most defectors are neither dark nor awakened: skip the logarithm of those
        # drivers' zero hazards. -log1p(-0) is the zero itself, sign and all.
        return np.float64(chance)
    return -math.log1p(-min(np.float64(chance), 0.999))


@inline
def attribute(propensity, hazards, shares):
    """Split one defection between its drivers in proportion to their share of the
    cumulative hazard -log(1 - p), adding each share to ``shares`` (baseline first)."""
    parts = (
        -math.log1p(-np.float64(propensity)),
        cumulative_hazard(hazards[0]),
        cumulative_hazard(hazards[1]),
        cumulative_hazard(hazards[2]),
        cumulative_hazard(hazards[3]),
        cumulative_hazard(hazards[4]),
    )
    total = 0.0
    for part in parts:
        total += part
    if total == 0.0:  # cannot happen for a defector; never divide by zero
        total = 1.0
    for driver in range(6):
        shares[driver] += parts[driver] / total


# Customers played per pass. What the second pass reads back (``play_tile``'s scratch)
# stays in the CPU's nearest caches; a compile-time width also lets the compiler see
# that the scratch's rows never overlap, which it must know to play several at once.
TILE = 2048


@inline
def play_tile(rows, draws, run_terms, k, scratch, flags):
    """Play one run's tile of customers in place (``rows``, the state rows in
    ``play_chunk``'s order, as views of the tile), without a branch, so that the
    compiler plays several customers per instruction.

    ``draws`` are the tile's (going dark, waking, leaving) uniforms, ``run_terms`` the
    run's terms. What the slot-order pass (:func:`settle_tile`) needs is left in
    ``scratch``, ``TILE`` float32 each: the defection probability of an active customer
    (0 for a free slot, which no uniform falls below), then the expectation gap and the
    experience the hazards came from; and in ``flags``: whether the customer was
    active, then whether they went dark. (Counting here, in 64 bits, would halve how
    many customers one instruction plays.)
    """
    active_row, dark_row, awakened_row, gap_row, satisfaction_row, thrill_row = rows[:6]
    trust_row, propensity_row, value_row, fit_row = rows[6:]
    going_dark, waking, leaving = draws
    segment_experience, keep, fresh_gap, lift, renewed, kept = run_terms[:6]
    toward, drift, recover, wake = run_terms[6:]
    one = np.float32(1.0)
    zero = np.float32(0.0)
    half = np.float32(0.5)
    for column in range(active_row.size):
        is_active = active_row[column]
        is_dark = dark_row[column]
        # A poorly fitting customer gets less out of the same service, and nobody
        # works with a customer who has gone dark.
        experience = fit_row[column] * k.misfit_penalty + k.fit_floor
        experience *= segment_experience
        if is_dark:
            experience -= k.dark_experience_penalty
        # Old gaps are forgotten or repaired; this quarter's over-promising comes
        # due next quarter (added at the end): satisfaction now, disappointment later.
        gap = gap_row[column] * keep
        satisfaction = satisfaction_row[column]
        step = experience - k.gap_satisfaction_weight * gap + lift - satisfaction
        satisfaction = min(max(satisfaction + step * k.satisfaction_adjust, zero), one)
        # Thrill decays unless renewed: th' = th * keep + gain.
        thrill = thrill_row[column] * kept + renewed
        trust = trust_row[column]
        step = toward - k.trust_gap_weight * gap - trust
        trust = min(max(trust + step * k.trust_adjust, zero), one)
        boredom = one - thrill

        # Going dark (or answering again): one toggle chance per customer.
        if is_dark:
            chance = recover
        else:
            chance = boredom * k.dark_boredom_weight + drift
            chance += (k.experience_reference - satisfaction) * k.dark_dissatisfaction_weight
            chance *= max((half - trust) * k.dark_distrust_weight + one, zero)
        toggle = going_dark[column] < chance
        flags[TILE + column] = toggle & (not is_dark) & is_active
        is_dark = is_dark != toggle
        # Wake-up calls from the customer's own market, and settling down again.
        is_awakened = awakened_row[column]
        chance = k.awaken_calm if is_awakened else wake
        is_awakened = is_awakened != (waking[column] < chance)

        hazards = driver_hazards(k, boredom, gap, is_dark, is_awakened, experience)
        probability = defection_chance(propensity_row[column], hazards)
        flags[column] = is_active
        scratch[column] = probability if is_active else zero
        scratch[TILE + column] = gap
        scratch[2 * TILE + column] = experience
        active_row[column] = is_active != (is_active & (leaving[column] < probability))

        gap_row[column] = min(gap + fresh_gap, one)
        satisfaction_row[column] = satisfaction
        thrill_row[column] = thrill
        trust_row[column] = trust
        dark_row[column] = is_dark
        awakened_row[column] = is_awakened
        # Thrilled customers buy more; bored ones trim their spend.
        value_row[column] *= (thrill - half) * k.value_growth + one


@inline
def settle_tile(rows, leaving, k, scratch, flags, defectors, risk_sum, shares):
    """After :func:`play_tile`, in slot order: add each active customer's defection
    probability to ``risk_sum`` (float64, carried from one customer to the next, so it
    cannot be played several at once), then split each defection between its drivers
    into ``shares``; return (risk_sum, customers counted, went dark, defected).

    The defectors' slots are first listed in ``defectors`` without a branch, so that
    the sum's loop never stalls on a mispredicted jump; the shares are still added in
    slot order.
    """
    dark_row, awakened_row, thrill_row, propensity_row = rows[1], rows[2], rows[5], rows[7]
    one = np.float32(1.0)
    counted = 0
    darkened = 0
    lost = 0
    for column in range(leaving.size):
        counted += flags[column]
        darkened += flags[TILE + column]
        probability = scratch[column]
        risk_sum += np.float64(probability)  # a free slot adds 0, leaving the sum as it was
        defectors[lost] = column
        lost += leaving[column] < probability
    for index in range(lost):
        column = defectors[index]
        # The hazards again, from the values play_tile used (the state now holds the
        # customer's new thrill, dark and awakened, which it computed them from).
        hazards = driver_hazards(
            k,
            one - thrill_row[column],
            scratch[TILE + column],
            dark_row[column],
            awakened_row[column],
            scratch[2 * TILE + column],
        )
        attribute(propensity_row[column], hazards, shares)
    return risk_sum, counted, darkened, lost


@kernel
def play_chunk(
    customers,
    first_run,
    first_slot,
    uniforms,
    skipped,
    width,
    segment,
    terms,
    constants,
    flows,
    sums,
    last,
):
    """Play the quarter for one chunk of a segment's customers in one block of runs, in
    place: ``width`` slots from ``first_slot``, read with the chunk's draws while they
    are still in the CPU's cache.

    ``customers`` is the tuple (active, dark, awakened, expectation_gap, satisfaction,
    thrill, trust, propensity, value, fit) of (runs, slots) state arrays; the block's
    runs are the rows of ``uniforms`` (block rows, 3 draws, chunk width) after the first
    ``skipped``, the state's rows from ``first_run``. ``terms`` is the tuple of per-run
    terms of ``engine.market.CustomerTerms``, ``constants`` the array of
    :func:`customer_constants`; ``flows`` the tuple (defections, drivers,
    risk, exposed, went_dark, and the first four again split by segment) the results
    are added to. The float64 sums (risk, then
    the six driver shares) run on in ``sums`` (block rows, 7) over the segment's chunks,
    and are added to ``flows`` after its ``last`` chunk, so each run's sum is added in
    one order however the segment is cut into chunks.

    Each run's customers are played a tile at a time in two passes: every customer's
    new state (:func:`play_tile`), then, in slot order, the sums and the rare
    defectors' attribution (:func:`settle_tile`).
    """
    k = named_constants(constants)
    experience_of, gap_keep, gap_new, boost, thrill_gain, thrill_keep = terms[:6]
    trust_target, dark_chance, recover_chance, wake_chance = terms[6:]
    defections, drivers, risk, exposed, went_dark = flows[:5]
    segment_defections, segment_drivers, segment_risk, segment_exposed = flows[5:]
    block_rows = uniforms.shape[0] - skipped
    scratch = np.empty(3 * TILE, dtype=np.float32)
    flags = np.empty(2 * TILE, dtype=np.bool_)
    defectors = np.empty(TILE, dtype=np.int64)
    for row in range(block_rows):
        run = first_run + row
        run_terms = (
            experience_of[run, segment],
            gap_keep[run],
            gap_new[run],
            boost[run],
            thrill_gain[run, segment],
            thrill_keep[run, segment],
            trust_target[run],
            dark_chance[run],
            recover_chance[run],
            wake_chance[run, segment],
        )
        draws = uniforms[skipped + row]
        risk_sum = sums[row, 0]
        shares = sums[row, 1:]
        counted = 0
        darkened = 0
        lost = 0
        for start in range(0, width, TILE):
            stop = min(start + TILE, width)
            first, after = first_slot + start, first_slot + stop
            # This run's customers of the tile, as rows read and written in place.
            rows = (
                customers[0][run, first:after],
                customers[1][run, first:after],
                customers[2][run, first:after],
                customers[3][run, first:after],
                customers[4][run, first:after],
                customers[5][run, first:after],
                customers[6][run, first:after],
                customers[7][run, first:after],
                customers[8][run, first:after],
                customers[9][run, first:after],
            )
            leaving = draws[2, start:stop]
            tile_draws = (draws[0, start:stop], draws[1, start:stop], leaving)
            play_tile(rows, tile_draws, run_terms, k, scratch, flags)
            risk_sum, tile_counted, tile_darkened, tile_lost = settle_tile(
                rows, leaving, k, scratch, flags, defectors, risk_sum, shares
            )
            counted += tile_counted
            darkened += tile_darkened
            lost += tile_lost
        sums[row, 0] = risk_sum
        exposed[run] += counted
        went_dark[run] += darkened
        defections[run] += lost
        segment_exposed[run, segment] += counted
        segment_defections[run, segment] += lost
        if last:
            risk[run] += sums[row, 0]
            segment_risk[run, segment] += sums[row, 0]
            for driver in range(6):
                drivers[run, driver] += shares[driver]
                segment_drivers[run, segment, driver] += shares[driver]


@kernel
def defection_arrays(
    propensity, boredom, gap, dark, awakened, experience, constants, probability, hazards
):
    """Fill ``probability`` and the (drivers, n) ``hazards`` of n customers given as
    flat arrays, with the kernel's own per-customer formulas."""
    k = named_constants(constants)
    for index in range(propensity.size):
        drawn = driver_hazards(
            k, boredom[index], gap[index], dark[index], awakened[index], experience[index]
        )
        for driver in range(5):
            hazards[driver, index] = drawn[driver]
        probability[index] = defection_chance(propensity[index], drawn)
