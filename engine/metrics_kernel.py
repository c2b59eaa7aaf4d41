"""The customer totals the metrics are made of, in one pass over the customer slots.

A quarter's metrics need a dozen per-run totals over the active customers: how many
there are, how many answer, how many are still the starting cohort, and the sums of
satisfaction, thrill, trust, expectation gap, defection propensity and spend. Taken as
separate masked whole-array sums they cost a pass each; this kernel reads each slot
once and adds it to every total it belongs to, in float64, in slot order, so a run's
totals never depend on how many runs are measured with it.
"""

from __future__ import annotations

import numpy as np

from engine.jit import kernel

# The columns of the totals array, in order.
TOTALS = (
    "active",  # active customers
    "starting",  # active customers of the starting cohort (won in quarter 0)
    "respondents",  # active customers who are not dark: those a survey can reach
    "awakened",  # active customers shaken by a wake-up call
    "satisfaction_responsive",  # satisfaction summed over the respondents
    "satisfaction",  # satisfaction summed over the active customers
    "thrill",
    "trust",
    "expectation_gap",
    "propensity",
    "revenue",  # spend summed over the active customers
    "cohort_revenue",  # spend summed over the starting cohort
)
ACTIVE, STARTING, RESPONDENTS, AWAKENED = 0, 1, 2, 3
SATISFACTION_RESPONSIVE, SATISFACTION, THRILL, TRUST, GAP, PROPENSITY = 4, 5, 6, 7, 8, 9
REVENUE, COHORT_REVENUE = 10, 11


@kernel
def add_up_customers(flags, levels, joined, value, totals):
    """Fill ``totals`` (runs, len(TOTALS)) float64 from the (runs, slots) customer arrays:
    ``flags`` is (active, dark, awakened), ``levels`` (satisfaction, thrill, trust,
    expectation_gap, propensity), float32. Inactive slots add nothing.

    Counts are integers, and the sums add each active slot's value in slot order, so
    every total is that of adding up only the slots that count. One branch per slot
    (is it active? most are), and plain adds inside it: selecting each value or a zero,
    sum by sum, measured slower (the compiler turns most such selects into branches of
    their own).
    """
    active, dark, awakened = flags
    satisfaction, thrill, trust, gap, propensity = levels
    runs, slots = active.shape
    for run in range(runs):
        count = starting = respondents = shaken = 0
        answered = pleased = thrilled = trusting = owed = prone = 0.0
        spend = cohort_spend = 0.0
        for slot in range(slots):
            if not active[run, slot]:
                continue
            first = joined[run, slot] == 0
            answers = not dark[run, slot]
            pleasure = np.float64(satisfaction[run, slot])
            paid = np.float64(value[run, slot])
            count += 1
            starting += first
            respondents += answers
            shaken += awakened[run, slot]
            answered += pleasure if answers else 0.0
            pleased += pleasure
            thrilled += np.float64(thrill[run, slot])
            trusting += np.float64(trust[run, slot])
            owed += np.float64(gap[run, slot])
            prone += np.float64(propensity[run, slot])
            spend += paid
            cohort_spend += paid if first else 0.0
        # In the order of TOTALS.
        added_up = (
            np.float64(count),
            np.float64(starting),
            np.float64(respondents),
            np.float64(shaken),
            answered,
            pleased,
            thrilled,
            trusting,
            owed,
            prone,
            spend,
            cohort_spend,
        )
        for column in range(len(added_up)):
            totals[run, column] = added_up[column]
