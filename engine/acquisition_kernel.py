"""The acquisition phase's kernels: room for this quarter's newcomers, and placing them.

:func:`place_newcomers` walks each run's row of a segment's block once, finds its first
free slots and writes each newcomer there straight from the run's stretch of the pool
of drawn traits, with the newcomer's fit, satisfaction and expectation gap worked out
on the way. The arithmetic keeps the dtypes and the order of operations of the NumPy
expressions it replaced (``tests/test_acquisition_kernel.py`` compares them on random
inputs), so every newcomer is the same bits.

The random numbers still come from NumPy's generators (``engine.acquisition`` draws the
pools); the kernels only read them.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine.jit import inline, kernel


class NewcomerTerms(NamedTuple):
    """Per-run terms of a quarter's newcomers, indexed by the state's run."""

    fit_mean: np.ndarray  # the mean fit of newcomers, before their own noise
    satisfaction_boost: np.ndarray  # added to a newcomer's satisfaction by overpromising
    expectation_gap: np.ndarray  # float32: the gap overpromising opens, at most 1


class NewcomerConstants(NamedTuple):
    """Scalars of the newcomers' formulas, each in the dtype NumPy computes it in."""

    fit_sd: np.float32  # the spread of fit: a Python float times float32 noise is float32
    fit_low: np.floating  # the fit's bounds, in the dtype of fit_mean + fit_sd * noise
    fit_high: np.floating
    satisfaction_cap: np.floating  # 1, in the dtype of satisfaction + satisfaction_boost


def newcomer_constants(fit_sd: float, terms: NewcomerTerms) -> NewcomerConstants:
    """The constants for ``terms``: each bound in the dtype NumPy would compare it in
    (a Python number meets an array in the array's dtype)."""
    fit_type = np.result_type(terms.fit_mean.dtype, np.float32)
    satisfaction_type = np.result_type(np.float32, terms.satisfaction_boost.dtype)
    return NewcomerConstants(
        np.float32(fit_sd), fit_type.type(0.05), fit_type.type(1.0), satisfaction_type.type(1)
    )


@inline
def maximum(value, bound):
    """``np.maximum(value, bound)`` of two scalars: NaN in ``value`` stays NaN."""
    return value if value >= bound or value != value else bound


@inline
def minimum(value, bound):
    """``np.minimum(value, bound)`` of two scalars: NaN in ``value`` stays NaN."""
    return value if value <= bound or value != value else bound


@kernel
def room_shortfall(active, first_slot, last_slot, wanted):
    """How many slots the columns [first_slot, last_slot) of ``active`` (runs, slots)
    lack for ``wanted[run]`` newcomers in the worst run (0 or less: enough room).

    A row counts its free slots from the block's end, where the slots kept for
    newcomers lie, and stops once it has enough: a block with room to spare is read
    only a little further than its newcomers need."""
    worst = np.int64(-1)
    for run in range(wanted.size):
        needed = wanted[run]
        slot = last_slot
        while needed > 0 and slot > first_slot:
            slot -= 1
            if not active[run, slot]:
                needed -= 1
        worst = max(worst, needed)
    return worst


@kernel
def place_newcomers(
    customers, first_run, first_slot, last_slot, quarter, wanted, pool, first, stride, terms, k
):
    """Place ``wanted[row]`` newcomers in the first free slots of columns
    [first_slot, last_slot) of each state row ``first_run + row``, in place.

    ``customers`` is the tuple (active, dark, awakened, joined, satisfaction, thrill,
    expectation_gap, trust, propensity, value, fit) of (runs, slots) state arrays;
    ``pool`` the tuple (propensity, value, satisfaction, thrill, trust, fit_noise) of
    flat float32 traits, row ``row``'s newcomers taken in order from index
    ``first + row * stride``. ``terms`` are a :class:`NewcomerTerms`, ``k`` a
    :class:`NewcomerConstants`. The caller has made room, so every row finds enough.
    """
    active, dark, awakened, joined = customers[:4]
    satisfaction_of, thrill_of, gap_of, trust_of, propensity_of, value_of, fit_of = customers[4:]
    propensity, value, satisfaction, thrill, trust, fit_noise = pool
    fit_mean, satisfaction_boost, expectation_gap = terms
    for row in range(wanted.size):
        run = first_run + row
        needed = wanted[row]
        source = first + row * stride
        slot = first_slot
        while needed > 0:
            # Past the taken slots in a tight loop: most of a row is taken.
            while slot < last_slot and active[run, slot]:
                slot += 1
            if slot == last_slot:
                break  # never: the caller made room
            # fit = clip(fit_mean + sd * noise, 0.05, 1), then float32, as NumPy did
            fit = fit_mean[run] + k.fit_sd * fit_noise[source]
            fit_of[run, slot] = np.float32(minimum(maximum(fit, k.fit_low), k.fit_high))
            boosted = satisfaction[source] + satisfaction_boost[run]
            satisfaction_of[run, slot] = np.float32(minimum(boosted, k.satisfaction_cap))
            gap_of[run, slot] = expectation_gap[run]
            thrill_of[run, slot] = thrill[source]
            trust_of[run, slot] = trust[source]
            propensity_of[run, slot] = propensity[source]
            value_of[run, slot] = value[source]
            active[run, slot] = True
            dark[run, slot] = False
            awakened[run, slot] = False
            joined[run, slot] = quarter
            source += 1
            needed -= 1
            slot += 1
