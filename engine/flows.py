"""What happened during one quarter: the results of its phases, per run.

A leaf module of plain dataclasses, so that the phases that produce these results,
the metrics that read them and the step that assembles them need not import one
another.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(slots=True)
class WorkforceFlows:
    """The workforce phase's result."""

    leavers: np.ndarray  # (runs,) employees who left (and were replaced)
    leavers_by_department: np.ndarray  # (runs, departments)
    # cause -> (runs,) its signed pull on the mean engagement target (engine.people)
    engagement_causes: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass(slots=True)
class QualityFlows:
    """The quality phase's result."""

    delivered: np.ndarray  # (runs,) quality delivered, averaged over employees
    department_quality: np.ndarray  # (runs, departments)
    department_clarity: np.ndarray  # (runs, departments)


@dataclass(slots=True)
class CustomerFlows:
    """The customer phase's result, summed over each run's customers."""

    defections: np.ndarray  # (runs,) customers lost this quarter
    drivers: np.ndarray  # (runs, drivers) defections attributed to each driver
    risk: np.ndarray  # (runs,) summed defection probability of active customers
    exposed: np.ndarray  # (runs,) active customers at the start of the phase
    went_dark: np.ndarray  # (runs,) customers who went dark this quarter
    # The same counts split by segment, for per-segment reports: (runs, segments[, drivers]).
    segment_defections: np.ndarray
    segment_drivers: np.ndarray
    segment_risk: np.ndarray
    segment_exposed: np.ndarray


@dataclass(slots=True)
class AcquisitionFlows:
    """The acquisition phase's result."""

    new_customers: np.ndarray  # (runs,)


@dataclass(slots=True)
class QuarterFlows:
    """What happened during one quarter, per run (the report's raw material)."""

    quarter: int
    levers: np.ndarray  # (runs, levers)
    adopted: np.ndarray  # (runs, interventions) adopted this quarter
    fired: np.ndarray  # (runs, events) events that happened
    choices: np.ndarray  # (events,) choice index taken, -1 where none
    workforce: WorkforceFlows
    quality: QualityFlows
    experience: np.ndarray  # (runs, segments)
    customers: CustomerFlows
    acquisition: AcquisitionFlows
    spend: np.ndarray  # interventions, choices and upkeep
    revenue: np.ndarray
    costs: np.ndarray
    profit: np.ndarray
    metrics: dict[str, np.ndarray]
