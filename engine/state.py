"""The simulation state: plain dataclasses of arrays with a leading runs axis.

One game is ``runs = 1``; a forecast or a counterfactual is the same state with
``runs = 1000``. Arrays are float32 where precision allows (every quantity is a 0..1
level or a money amount per customer), float64 for money totals.

Employees are laid out in department blocks and customers in segment blocks (the
``World`` says where each block starts), so per-department and per-segment values
apply to contiguous slices without gathers.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

FLOAT = np.float32
Arrays = TypeVar("Arrays")  # one of the dataclasses of arrays below


def _copy_arrays(obj: Arrays) -> Arrays:
    """A copy of a dataclass of arrays with every array copied."""
    return dataclasses.replace(
        obj,
        **{
            f.name: getattr(obj, f.name).copy()
            for f in dataclasses.fields(obj)
            if isinstance(getattr(obj, f.name), np.ndarray)
        },
    )


def _take_runs(obj: Arrays, index: np.ndarray | slice) -> Arrays:
    """A dataclass of arrays with only the runs (rows) selected by ``index``."""
    return dataclasses.replace(
        obj,
        **{
            f.name: np.ascontiguousarray(getattr(obj, f.name)[index])
            for f in dataclasses.fields(obj)
            if isinstance(getattr(obj, f.name), np.ndarray)
        },
    )


@dataclass(slots=True)
class Workforce:
    """Employees, shape (runs, employees). A leaver's slot is refilled by their replacement."""

    engagement: np.ndarray
    skill: np.ndarray
    clarity: np.ndarray
    self_focus: np.ndarray
    tenure: np.ndarray  # int16, quarters in the job


@dataclass(slots=True)
class Organisation:
    """Company-level stocks, shape (runs,), plus the schedule of lever effects to come."""

    quality_norm: np.ndarray
    data_credibility: np.ndarray
    digital_maturity: np.ndarray
    leadership_commitment: np.ndarray
    learning_culture: np.ndarray
    team_toxicity: np.ndarray
    change_load: np.ndarray
    budget: np.ndarray  # float64
    cumulative_profit: np.ndarray  # float64
    # Lever contributions already scheduled by interventions, events and choices:
    # (runs, horizon + 1, levers), indexed by quarter.
    lever_schedule: np.ndarray
    # Upkeep costs already committed, (runs, horizon + 1), indexed by quarter.
    upkeep_schedule: np.ndarray
    # Quarter each intervention was last adopted, -1 if never: (runs, interventions).
    adopted_quarter: np.ndarray
    # Whether each event has fired at least once: (runs, events).
    event_fired: np.ndarray


@dataclass(slots=True)
class Customers:
    """Customer slots, shape (runs, slots). Inactive slots are free for new customers."""

    active: np.ndarray
    dark: np.ndarray
    awakened: np.ndarray
    satisfaction: np.ndarray
    thrill: np.ndarray
    expectation_gap: np.ndarray
    trust: np.ndarray
    propensity: np.ndarray  # baseline quarterly churn propensity ~ Beta(a, b)
    value: np.ndarray  # revenue per quarter
    fit: np.ndarray
    joined: np.ndarray  # int16, quarter the customer was won (0: a starting customer)


@dataclass(slots=True)
class State:
    """Everything that carries from one quarter to the next."""

    quarter: int
    seed: int
    # Global index of this state's first run: forecasts are simulated in tiles of runs,
    # and each run's random streams depend on its global index, not on the tiling.
    run_offset: int
    workforce: Workforce
    organisation: Organisation
    customers: Customers
    # Customer slots per segment: segment s owns columns [bounds[s], bounds[s + 1]).
    segment_bounds: tuple[int, ...]
    # Metric name -> one (runs,) array per quarter recorded so far (quarter 0 first).
    history: dict[str, list[np.ndarray]] = field(default_factory=dict)

    @property
    def runs(self) -> int:
        """Runs simulated side by side (the leading axis of every array)."""
        return self.customers.active.shape[0]

    @property
    def horizon(self) -> int:
        """The last quarter this state was prepared to play."""
        return self.organisation.lever_schedule.shape[1] - 1

    def copy(self) -> State:
        """A deep copy: continuing it never changes this state (branching)."""
        return dataclasses.replace(
            self,
            workforce=_copy_arrays(self.workforce),
            organisation=_copy_arrays(self.organisation),
            customers=_copy_arrays(self.customers),
            history={name: [a.copy() for a in values] for name, values in self.history.items()},
        )

    def take_runs(self, index: np.ndarray | slice) -> State:
        """The runs selected by ``index`` (a slice keeps global run numbering)."""
        offset = self.run_offset
        if isinstance(index, slice):
            offset += index.indices(self.runs)[0]
        return dataclasses.replace(
            self,
            run_offset=offset,
            workforce=_take_runs(self.workforce, index),
            organisation=_take_runs(self.organisation, index),
            customers=_take_runs(self.customers, index),
            history={
                name: [a[index].copy() for a in values] for name, values in self.history.items()
            },
        )

    def repeat_runs(self, runs: int, run_offset: int = 0) -> State:
        """This (single-run) state broadcast to ``runs`` identical runs, for a forecast."""
        if self.runs != 1:
            raise ValueError("repeat_runs needs a single-run state")
        index = np.zeros(runs, dtype=np.intp)
        state = self.take_runs(index)
        state.run_offset = run_offset
        return state
