"""Turning points: the quarters where the trajectory changed most, and the decisions then."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from engine.formatting import format_change, format_value
from engine.presentation import DRIVER_PRESENTATION, LOWER, METRIC_PRESENTATION
from engine.session import GameSession

# The composite trajectory: (metric, smallest scale). Each component's quarterly change
# is signed so that up is good (engine.presentation says which way is good) and divided
# by its scale: the spread of its changes over the game, but never less than the floor,
# so that noise in a flat series is not mistaken for a turn.
COMPONENTS: tuple[tuple[str, float], ...] = (
    ("logo_retention", 0.01),
    ("defection_risk", 0.003),
    ("engagement", 0.01),
)
MIN_BEND = 1.0  # a bend smaller than one typical quarterly change is not a turning point
MAX_TURNING_POINTS = 3


def scaled_changes(series: Mapping[str, np.ndarray]) -> np.ndarray:
    """(components, quarters + 1) quarterly changes in scale units, signed so that up is
    good; quarter 0 has none. Defection risk's first change is not counted: quarter 0's
    figure is the customers' baseline propensity, before any driver acts."""
    rows = []
    for metric, floor in COMPONENTS:
        sign = -1 if METRIC_PRESENTATION[metric].good == LOWER else +1
        values = np.asarray(series[metric], dtype=np.float64)
        change = np.zeros_like(values)
        change[1:] = np.diff(values)
        counted = np.arange(values.size) >= (2 if metric == "defection_risk" else 1)
        change[~counted] = 0.0
        spread = float(change[counted].std()) if counted.sum() > 1 else 0.0
        rows.append(sign * change / max(spread, floor))
    return np.array(rows)


def slopes(series: Mapping[str, np.ndarray]) -> np.ndarray:
    """The composite's change in each quarter (quarter 0: 0)."""
    return scaled_changes(series).sum(axis=0)


def turning_quarters(
    series: Mapping[str, np.ndarray], limit: int = MAX_TURNING_POINTS
) -> list[tuple[int, float]]:
    """The quarters where the trajectory bent most, as (quarter, bend), in quarter order.

    The bend of quarter q is the composite's change in q less its change in q - 1
    (positive: a turn for the better). The largest bends are taken, at most ``limit``,
    each at least ``MIN_BEND`` and at least a third of the largest. A one-quarter blip
    bends twice, down then up (or the reverse): both quarters can be turning points, the
    one that broke the trend and the one that restored it.
    """
    slope = slopes(series)
    if slope.size < 3:
        return []
    bends = {q: float(slope[q] - slope[q - 1]) for q in range(2, slope.size)}
    ranked = sorted(bends, key=lambda q: -abs(bends[q]))
    largest = abs(bends[ranked[0]])
    chosen = [
        (quarter, bends[quarter])
        for quarter in ranked[:limit]
        if abs(bends[quarter]) >= max(MIN_BEND, largest / 3)
    ]
    return sorted(chosen)


@dataclass(frozen=True)
class DecisionsTaken:
    quarter: int
    adopted: tuple[str, ...]  # intervention names
    choices: tuple[tuple[str, str], ...]  # (dilemma title, choice label)
    events: tuple[str, ...]  # other events that happened

    @property
    def empty(self) -> bool:
        return not (self.adopted or self.choices or self.events)


@dataclass(frozen=True)
class TurningPoint:
    quarter: int
    bend: float  # positive: a turn for the better

    better: bool
    title: str
    taken: tuple[DecisionsTaken, ...]  # the quarter before, then this one
    moves: tuple[str, ...]  # what moved, most telling first


def decisions_taken(session: GameSession, quarter: int) -> DecisionsTaken:
    report = session.reports[quarter - 1]
    return DecisionsTaken(
        quarter,
        tuple(report.adopted),
        tuple((title, choice) for title, choice in report.events if choice is not None),
        tuple(title for title, choice in report.events if choice is None),
    )


def _moves(session: GameSession, quarter: int, series, changes: np.ndarray) -> list[str]:
    contributions = changes[:, quarter] - changes[:, quarter - 1]
    moves = []
    for index in np.argsort(-np.abs(contributions)):
        metric, _ = COMPONENTS[index]
        shown = METRIC_PRESENTATION[metric]
        label, unit = shown.trend_label, shown.format
        values = series[metric]
        before = values[quarter - 1] - values[quarter - 2]
        now = values[quarter] - values[quarter - 1]
        if metric == "defection_risk" and quarter == 2:
            moves.append(
                f"{label}: {format_value(values[quarter - 1], unit)} in Q{quarter - 1}, "
                f"{format_value(values[quarter], unit)} in Q{quarter}"
            )
            continue
        moves.append(
            f"{label}: {format_change(before, unit)} in Q{quarter - 1}, "
            f"{format_change(now, unit)} in Q{quarter}"
        )
    report, previous = session.reports[quarter - 1], session.reports[quarter - 2]
    lost = (
        f"Customers lost: {previous.defections:,} in Q{quarter - 1}, "
        f"{report.defections:,} in Q{quarter}"
    )
    if report.causes:
        lost += f", mostly {DRIVER_PRESENTATION[report.causes[0][0]].phrase}"
    moves.insert(1, lost)
    if report.went_dark:
        moves.append(f"{report.went_dark:,} customers went dark in Q{quarter}")
    return moves


def turning_points(session: GameSession) -> tuple[TurningPoint, ...]:
    series = {metric: session.series(metric) for metric, *_ in COMPONENTS}
    changes = scaled_changes(series)
    found = []
    for quarter, bend in turning_quarters(series):
        better = bend > 0
        found.append(
            TurningPoint(
                quarter=quarter,
                bend=bend,
                better=better,
                title=f"Quarter {quarter}: a turn for the {'better' if better else 'worse'}",
                taken=(decisions_taken(session, quarter - 1), decisions_taken(session, quarter)),
                moves=tuple(_moves(session, quarter, series, changes)),
            )
        )
    return tuple(found)
