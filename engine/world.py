"""A scenario compiled into the static arrays the quarter step reads.

Built once per scenario; never changes during a game. Everything here is derived from
the validated scenario, so it is never saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import NamedTuple

import numpy as np

from engine.levers import LEVER_INDEX, LEVERS
from engine.params import Dynamics
from engine.scenario.schema import Effect, Scenario, Timed
from engine.state import FLOAT


def effect_vector(effects: list[Effect]) -> np.ndarray:
    """Lever amounts at full strength, as a (levers,) vector."""
    vector = np.zeros(len(LEVERS), dtype=FLOAT)
    for effect in effects:
        vector[LEVER_INDEX[effect.lever]] += effect.amount
    return vector


def strength_curve(timed: Timed, length: int) -> np.ndarray:
    """Strength over the ``length`` quarters from the one it was started in.

    Nothing for ``lag`` quarters, a linear ramp over ``ramp`` quarters, full strength
    for ``duration`` quarters, then a geometric decay of ``decay`` per quarter.
    """
    return timed_curve(timed.lag, timed.ramp, timed.duration, timed.decay, length)


@lru_cache(maxsize=1024)
def timed_curve(lag: int, ramp: int, duration: int, decay: float, length: int) -> np.ndarray:
    """:func:`strength_curve` of these timings, made once for each (read-only): a
    quarter schedules and explains the same few effects again and again."""
    t = np.arange(length, dtype=np.float64) - lag
    curve = np.zeros(length, dtype=np.float64)
    ramping = (t >= 0) & (t < ramp)
    curve[ramping] = (t[ramping] + 1) / (ramp + 1)
    full_end = ramp + duration
    curve[(t >= ramp) & (t < full_end)] = 1.0
    after = t >= full_end
    curve[after] = (1.0 - decay) ** (t[after] - full_end + 1)
    curve = curve.astype(FLOAT)
    curve.flags.writeable = False
    return curve


class EffectWindow(NamedTuple):
    """When an effect acts (see :func:`strength_curve`), as quarters."""

    begin: int  # the first quarter it acts in
    full_start: int  # the first quarter at full strength
    full_end: int  # the last quarter at full strength


def effect_window(timed: Timed, start: int) -> EffectWindow:
    """When an effect started in quarter ``start`` acts and is at full strength."""
    begin = start + timed.lag
    full_start = begin + timed.ramp
    return EffectWindow(begin, full_start, full_start + timed.duration - 1)


@dataclass(frozen=True, eq=False)
class World:
    """The static side of a simulation: one scenario's structure and coefficients."""

    scenario: Scenario
    dynamics: Dynamics

    @classmethod
    def from_scenario(cls, scenario: Scenario, dynamics: Dynamics | None = None) -> World:
        """The world of ``scenario``, with its own coefficients unless ``dynamics`` is given."""
        return cls(scenario, dynamics if dynamics is not None else scenario.dynamics_params())

    # --- workforce layout ---------------------------------------------------------------
    @cached_property
    def department_ids(self) -> tuple[str, ...]:
        """Department ids in scenario order (the order of the employee blocks)."""
        return tuple(d.id for d in self.scenario.company.departments)

    @cached_property
    def headcounts(self) -> np.ndarray:
        """(departments,) employees per department."""
        return np.array([d.headcount for d in self.scenario.company.departments], dtype=np.intp)

    @cached_property
    def department_starts(self) -> np.ndarray:
        """Index of each department's first employee (for np.add.reduceat)."""
        return np.concatenate([[0], np.cumsum(self.headcounts)[:-1]]).astype(np.intp)

    @cached_property
    def employee_department(self) -> np.ndarray:
        """(employees,) the department index of each employee."""
        return np.repeat(np.arange(len(self.headcounts)), self.headcounts)

    @cached_property
    def quota_exposure(self) -> np.ndarray:
        """(departments,) share of quota pressure each department feels."""
        return np.array([d.quota_exposure for d in self.scenario.company.departments], FLOAT)

    @property
    def employees(self) -> int:
        """Employees in all departments."""
        return int(self.headcounts.sum())

    # --- customers ------------------------------------------------------------------
    @cached_property
    def segment_ids(self) -> tuple[str, ...]:
        """Segment ids in scenario order (the order of the customer blocks)."""
        return tuple(s.id for s in self.scenario.segments)

    @cached_property
    def serves(self) -> np.ndarray:
        """(segments, departments) 1.0 where the department serves the segment."""
        index = {d: i for i, d in enumerate(self.department_ids)}
        serves = np.zeros((len(self.segment_ids), len(self.department_ids)), dtype=FLOAT)
        for s, segment in enumerate(self.scenario.segments):
            for department in segment.served_by:
                serves[s, index[department]] = 1.0
        return serves

    @cached_property
    def wake_up_chances(self) -> np.ndarray:
        """(segments,) each segment's quarterly chance of a wake-up call, float64."""
        return np.array([s.wake_up for s in self.scenario.segments], dtype=np.float64)

    @cached_property
    def digital_expectations(self) -> np.ndarray:
        """(segments,) the digital convenience each segment expects."""
        return np.array([s.digital_expectation for s in self.scenario.segments], FLOAT)

    @cached_property
    def serving_departments(self) -> np.ndarray:
        """(segments,) how many departments serve each segment (``serves`` summed)."""
        return self.serves.sum(axis=1)

    @cached_property
    def new_customer_mix(self) -> np.ndarray:
        """Probability that a new customer belongs to each segment."""
        weights = np.array(
            [
                s.share_of_new if s.share_of_new is not None else s.count
                for s in self.scenario.segments
            ],
            dtype=np.float64,
        )
        total = weights.sum()
        if total <= 0:
            return np.full(len(weights), 1.0 / len(weights))
        return weights / total

    @cached_property
    def initial_customers(self) -> int:
        """Customers at the start, over all segments."""
        return self.scenario.customer_count

    def expected_new_customers(self) -> float:
        """Expected new customers per quarter at the base rate (no quota pressure,
        marketing or referrals)."""
        acquisition = self.scenario.acquisition
        if not acquisition.enabled:
            return 0.0
        return acquisition.rate * max(self.initial_customers, 1)

    def acquisition_pool_sizes(self) -> np.ndarray:
        """Newcomers pre-drawn per run and segment each quarter: 6 standard deviations
        above the base rate. A run that wins more draws the rest from its own stream."""
        return self.pool_sizes

    @cached_property
    def pool_sizes(self) -> np.ndarray:
        """:meth:`acquisition_pool_sizes`, worked out once (every quarter asks), read-only."""
        expected = self.expected_new_customers() * self.new_customer_mix
        sizes = np.ceil(expected + 6 * np.sqrt(expected) + 4).astype(np.int64)
        sizes.flags.writeable = False
        return sizes

    @cached_property
    def segment_slot_counts(self) -> tuple[int, ...]:
        """:meth:`initial_segment_slots` as ints, worked out once (every quarter asks)."""
        return tuple(int(slots) for slots in self.initial_segment_slots())

    def initial_segment_slots(self) -> np.ndarray:
        """Slots per segment: its starting customers plus one quarter's pool of newcomers.
        Slots freed by defections are reused, and a block grows if ever full."""
        counts = np.array([s.count for s in self.scenario.segments], dtype=np.intp)
        if not self.expected_new_customers():
            return counts
        return counts + self.acquisition_pool_sizes()

    # --- decisions ------------------------------------------------------------------
    @cached_property
    def intervention_ids(self) -> tuple[str, ...]:
        """Intervention ids in scenario order (the columns of adoption arrays)."""
        return tuple(i.id for i in self.scenario.interventions)

    @cached_property
    def intervention_index(self) -> dict[str, int]:
        """Intervention id -> its column."""
        return {name: i for i, name in enumerate(self.intervention_ids)}

    @cached_property
    def event_ids(self) -> tuple[str, ...]:
        """Event ids in scenario order (the columns of event arrays)."""
        return tuple(e.id for e in self.scenario.events)

    @cached_property
    def practices(self) -> np.ndarray:
        """(levers,) standing lever levels."""
        vector = np.zeros(len(LEVERS), dtype=FLOAT)
        for name, level in self.scenario.practices.items():
            vector[LEVER_INDEX[name]] = level
        return vector

    @cached_property
    def lever_low(self) -> np.ndarray:
        """(levers,) the lowest level of each lever."""
        return np.array([lever.low for lever in LEVERS], dtype=FLOAT)

    @cached_property
    def lever_high(self) -> np.ndarray:
        """(levers,) the highest level of each lever."""
        return np.array([lever.high for lever in LEVERS], dtype=FLOAT)
