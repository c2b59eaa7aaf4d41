"""Customer metrics measured segment by segment, for ``goingdark run`` and its JSON.

Kept apart from :mod:`engine.metrics` (whose whole-company figures the game, the
saves and the golden run read) so that measuring segments costs nothing unless a
report asks for it. Each function reads the state's segment blocks (customers of
segment s sit in columns ``[bounds[s], bounds[s + 1])``) and returns arrays of shape
(runs, segments).
"""

from __future__ import annotations

import numpy as np

from engine.flows import QuarterFlows
from engine.params import DEFECTION_DRIVERS
from engine.state import State
from engine.world import World

# Whole-company metrics that also mean something for one segment, in report order.
SEGMENT_METRICS: tuple[str, ...] = (
    "active_customers",
    "logo_retention",
    "revenue",
    "revenue_retention",
    "new_customers",
    "defections",
    "dark_share",
    "awakened_share",
    "csat_true",
    "thrill",
    "trust",
    "expectation_gap",
    "defection_risk",
)
SEGMENT_DRIVER_KEYS: tuple[str, ...] = tuple(f"drivers.{name}" for name in DEFECTION_DRIVERS)


def _ratio(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    return np.divide(top, bottom, out=np.zeros_like(top, dtype=np.float64), where=bottom > 0)


def measure_segments(
    world: World, state: State, flows: QuarterFlows | None, first_revenue: np.ndarray | None
) -> dict[str, np.ndarray]:
    """Every metric of :data:`SEGMENT_METRICS` and every defection driver, per run and
    segment, after the quarter whose flows are given (None at the start).
    ``first_revenue`` is each segment's revenue at the start (None at the start)."""
    c = state.customers
    bounds = state.segment_bounds
    runs, segments = state.runs, len(world.segment_ids)
    figures = {name: np.zeros((runs, segments)) for name in SEGMENT_METRICS}
    for s in range(segments):
        columns = slice(bounds[s], bounds[s + 1])
        active = c.active[:, columns]
        starting = active & (c.joined[:, columns] == 0)
        count = active.sum(axis=1, dtype=np.float64)
        value = c.value[:, columns].astype(np.float64)

        def mean(values: np.ndarray, mask: np.ndarray = active, over: np.ndarray = count):
            return _ratio(np.where(mask, values, 0).sum(axis=1, dtype=np.float64), over)

        figures["active_customers"][:, s] = count
        figures["logo_retention"][:, s] = starting.sum(axis=1) / max(
            world.scenario.segments[s].count, 1
        )
        figures["revenue"][:, s] = np.where(active, value, 0).sum(axis=1)
        figures["revenue_retention"][:, s] = np.where(starting, value, 0).sum(axis=1)
        if flows is not None:
            figures["new_customers"][:, s] = (active & (c.joined[:, columns] == state.quarter)).sum(
                axis=1
            )
        figures["dark_share"][:, s] = mean(c.dark[:, columns].astype(np.float64))
        figures["awakened_share"][:, s] = mean(c.awakened[:, columns].astype(np.float64))
        figures["csat_true"][:, s] = mean(c.satisfaction[:, columns])
        figures["thrill"][:, s] = mean(c.thrill[:, columns])
        figures["trust"][:, s] = mean(c.trust[:, columns])
        figures["expectation_gap"][:, s] = mean(c.expectation_gap[:, columns])
        figures["defection_risk"][:, s] = mean(c.propensity[:, columns])
    # Revenue retention is the starting customers' revenue over their revenue at the start.
    start = figures["revenue"] if first_revenue is None else first_revenue
    figures["revenue_retention"] = _ratio(figures["revenue_retention"], start)
    drivers = np.zeros((runs, segments, len(DEFECTION_DRIVERS)))
    if flows is not None:
        figures["defections"] = flows.customers.segment_defections.astype(np.float64)
        figures["defection_risk"] = _ratio(
            flows.customers.segment_risk, flows.customers.segment_exposed
        )
        drivers = flows.customers.segment_drivers
    for index, key in enumerate(SEGMENT_DRIVER_KEYS):
        figures[key] = drivers[:, :, index].copy()
    return figures
