"""The fixed vocabulary of levers that scenario effects act on.

A lever is a quantity the model reads each quarter. Its level is the scenario's
standing practice (``[practices]``) plus the strength of every intervention, event
and dilemma choice acting on it, clipped to the lever's range. Scenarios name
levers; they never contain code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Lever:
    """One lever: its name, the area it belongs to, what it does, and its range."""

    name: str
    area: str
    description: str
    low: float = 0.0
    high: float = 1.0


LEVERS: tuple[Lever, ...] = (
    # people
    Lever(
        "recognition",
        "people",
        "Recognition of good work: raises every employee's engagement target.",
    ),
    Lever(
        "growth",
        "people",
        "Promotions and development pathways: raises engagement and stops careers stalling.",
    ),
    Lever(
        "performance_management",
        "people",
        "Addressing slackers and toxic co-workers: removes team toxicity.",
    ),
    Lever(
        "workload_pressure",
        "people",
        "Overload and crunch: lowers engagement and delivered quality while it lasts.",
    ),
    Lever("training", "people", "Skills training: skill grows faster."),
    Lever(
        "onboarding",
        "people",
        "Structured onboarding: replacement hires arrive with more skill and role clarity.",
    ),
    Lever(
        "role_clarity",
        "people",
        "Clear roles and a shared idea of serving the customer across departments.",
    ),
    Lever(
        "kpi_self_focus",
        "people",
        "Self-focused KPIs, review anxiety and personal targets: raises self-focus.",
    ),
    Lever(
        "customer_centric_goals", "people", "Goals tied to customer outcomes: lowers self-focus."
    ),
    # standards and organisation
    Lever(
        "leadership_attention",
        "standards",
        "Deliberate leadership attention to quality: lifts the quality norm and builds "
        "leadership commitment.",
    ),
    Lever(
        "learning_culture",
        "standards",
        "Retrospectives, sharing and learning from failure: builds learning culture.",
    ),
    Lever(
        "data_investment",
        "standards",
        "Credible measurement (honest surveys, churn analytics): builds data credibility.",
    ),
    Lever("digital", "standards", "Digital service investment: builds digital maturity."),
    Lever(
        "cost_containment",
        "standards",
        "Keeping non-billable time down: saves salary cost, removes above-norm effort.",
    ),
    # customers and sales
    Lever(
        "customer_contact",
        "customers",
        "Staying in touch (account management): fewer customers go dark, more trust.",
    ),
    Lever("value_innovation", "customers", "Bringing customers new value: renews thrill."),
    Lever(
        "service_recovery",
        "customers",
        "Fixing what was promised and not delivered: closes expectation gaps.",
    ),
    Lever("win_back", "customers", "Reaching out to customers who went dark."),
    Lever(
        "overpromising",
        "customers",
        "Sales promising more than delivery can keep: satisfaction now, broken promises later.",
    ),
    Lever(
        "quota_pressure",
        "customers",
        "Quarter-end quota pushes: more and worse-fitting new customers, pushy contacts "
        "that make customers go dark, self-focus in exposed departments.",
    ),
    Lever("marketing", "customers", "Marketing spend: more new customers of ordinary fit."),
    Lever(
        "market_pressure",
        "customers",
        "Customers' own markets demanding better suppliers: more wake-up calls.",
        high=5.0,
    ),
)

LEVER_NAMES: tuple[str, ...] = tuple(lever.name for lever in LEVERS)
LEVER_INDEX: dict[str, int] = {name: index for index, name in enumerate(LEVER_NAMES)}


class Levers:
    """One quarter's lever levels, (runs, levers), read by name: ``levers.growth`` is the
    (runs,) column of the growth lever."""

    __slots__ = ("values",)

    def __init__(self, values: np.ndarray):
        self.values = values

    def __getattr__(self, name: str) -> np.ndarray:
        return self.values[:, LEVER_INDEX[name]]
