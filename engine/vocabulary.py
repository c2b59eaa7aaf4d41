"""Names a scenario may use for metrics: goals, scoring, conditions and achievements.

Kept apart from the code that computes them so the scenario schema can check names
without importing the simulation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MetricInfo:
    name: str
    description: str
    unit: str  # "share" (0..1), "count", "money", or "level" (0..1 index)
    reported: bool = False  # a figure the company itself sees (vs the model's truth)


METRICS: tuple[MetricInfo, ...] = (
    MetricInfo("active_customers", "Customers currently active.", "count", reported=True),
    MetricInfo(
        "logo_retention", "Share of the starting customers still active.", "share", reported=True
    ),
    MetricInfo("revenue", "Revenue this quarter.", "money", reported=True),
    MetricInfo(
        "revenue_retention",
        "This quarter's revenue from the starting customers over their starting "
        "revenue (net of expansion and shrinkage).",
        "share",
        reported=True,
    ),
    MetricInfo("new_customers", "Customers won this quarter.", "count", reported=True),
    MetricInfo("defections", "Customers lost this quarter.", "count", reported=True),
    MetricInfo("dark_share", "Share of active customers who no longer respond.", "share"),
    MetricInfo(
        "awakened_share",
        "Share of active customers whose market is pushing them to compare suppliers.",
        "share",
    ),
    MetricInfo("csat_true", "True mean satisfaction of active customers.", "level"),
    MetricInfo(
        "csat_reported", "Survey satisfaction as the company sees it.", "level", reported=True
    ),
    MetricInfo("thrill", "Mean thrill (interest, sense of being helped to win).", "level"),
    MetricInfo("trust", "Mean customer trust.", "level"),
    MetricInfo("expectation_gap", "Mean gap between what was promised and delivered.", "level"),
    MetricInfo(
        "defection_risk",
        "Mean quarterly defection probability of active customers (true loyalty "
        "is its complement).",
        "share",
    ),
    MetricInfo("engagement", "Mean employee engagement.", "level", reported=True),
    MetricInfo("skill", "Mean employee skill.", "level"),
    MetricInfo("role_clarity", "Mean employee role clarity.", "level"),
    MetricInfo("self_focus", "Mean employee self-focus.", "level"),
    MetricInfo("quality", "Quality delivered, averaged over employees.", "level", reported=True),
    MetricInfo(
        "quality_norm", "What the organisation counts as good enough.", "level", reported=True
    ),
    MetricInfo(
        "employee_attrition", "Share of employees who left this quarter.", "share", reported=True
    ),
    MetricInfo("team_toxicity", "Unaddressed slacking and toxic behaviour in teams.", "level"),
    MetricInfo("change_load", "Resistance still in the air from big changes.", "level"),
    MetricInfo("leadership_commitment", "Leadership commitment to quality.", "level"),
    MetricInfo("learning_culture", "Strength of the learning culture.", "level"),
    MetricInfo(
        "data_credibility",
        "How far the company's own figures can be trusted.",
        "level",
        reported=True,
    ),
    MetricInfo(
        "digital_maturity", "Digital convenience offered to customers.", "level", reported=True
    ),
    MetricInfo(
        "costs", "Costs this quarter (people, hiring, interventions).", "money", reported=True
    ),
    MetricInfo("profit", "Revenue minus costs this quarter.", "money", reported=True),
    MetricInfo(
        "cumulative_profit", "Profit summed over the quarters played.", "money", reported=True
    ),
    MetricInfo(
        "budget", "Budget available for interventions next quarter.", "money", reported=True
    ),
)

METRIC_NAMES: tuple[str, ...] = tuple(metric.name for metric in METRICS)
METRIC_INFO: dict[str, MetricInfo] = {metric.name: metric for metric in METRICS}

# Shares that may go above 1: revenue retention counts expansion, so a base that buys
# more than it did at the start retains over 100% of its revenue.
UNBOUNDED_SHARES = frozenset({"revenue_retention"})


def metric_range(metric: str) -> tuple[float, float]:
    """The values a metric can take: 0 to 1 for shares and levels (0 up for those in
    :data:`UNBOUNDED_SHARES`), 0 up for counts, anything for money."""
    unit = METRIC_INFO[metric].unit
    if unit in ("share", "level"):
        return (0.0, math.inf if metric in UNBOUNDED_SHARES else 1.0)
    if unit == "count":
        return (0.0, math.inf)
    return (-math.inf, math.inf)
