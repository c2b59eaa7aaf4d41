"""Every coefficient of the model, with its documented default.

A scenario's ``[dynamics]`` table overrides any of these by name; nothing else in
the engine hard-codes a number that shapes behaviour. ``docs/model.md`` explains
each mechanism; the ``doc`` text here is the one-line reference (also shown by
``goingdark schema`` and in editors).

Coefficients are per quarter unless said otherwise. Weights on customer defection
drivers (``defect_*``) are added hazards: setting all of them to zero makes every
customer's quarterly defection probability exactly its baseline propensity.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

from engine.errors import ParameterError


def coef(default: float, doc: str, *, low: float = 0.0, high: float = 1.0, group: str) -> Any:
    """A documented coefficient with its allowed range."""
    return field(default=default, metadata={"doc": doc, "low": low, "high": high, "group": group})


@dataclass(frozen=True, slots=True)
class Dynamics:
    """The model's coefficients. Frozen: a scenario is defaults plus overrides."""

    # --- people ---------------------------------------------------------------
    engagement_base: float = coef(
        0.55,
        "Engagement an employee settles at with no recognition, growth or strain.",
        group="people",
    )
    engagement_adjust: float = coef(
        0.35, "Share of the gap to the engagement target closed each quarter.", group="people"
    )
    engagement_noise: float = coef(
        0.03,
        "Standard deviation of individual quarterly engagement shocks.",
        high=0.5,
        group="people",
    )
    recognition_weight: float = coef(
        0.25, "Engagement target gained per unit of the `recognition` lever.", group="people"
    )
    growth_weight: float = coef(
        0.25, "Engagement target gained per unit of the `growth` lever.", group="people"
    )
    stall_weight: float = coef(
        0.15,
        "Engagement lost by long-tenured staff whose growth has stalled (no `growth`).",
        group="people",
    )
    stall_tenure: float = coef(
        12.0,
        "Tenure in quarters at which a stalled career weighs fully.",
        low=1.0,
        high=200.0,
        group="people",
    )
    toxicity_weight: float = coef(
        0.35, "Engagement target lost per unit of unaddressed team toxicity.", group="people"
    )
    toxicity_growth: float = coef(
        0.08,
        "Quarterly rise of team toxicity toward 1 when slackers go unaddressed.",
        group="people",
    )
    toxicity_fix: float = coef(
        0.5, "Share of team toxicity removed per unit of `performance_management`.", group="people"
    )
    pressure_weight: float = coef(
        0.3,
        "Engagement target lost per unit of pressure (workload, plus quota for exposed "
        "departments).",
        group="people",
    )
    change_weight: float = coef(
        0.45,
        "Engagement target lost per unit of change load (resistance to big changes).",
        group="people",
    )
    change_decay: float = coef(
        0.5, "Share of change load that dissipates each quarter.", group="people"
    )
    attrition_base: float = coef(
        0.015, "Quarterly chance that a fully engaged employee leaves.", group="people"
    )
    attrition_disengaged: float = coef(
        0.12,
        "Extra quarterly chance of leaving for a fully disengaged employee "
        "(scales with (1 - engagement)^2).",
        group="people",
    )
    hire_skill: float = coef(
        0.45, "Skill of a replacement hire without onboarding.", group="people"
    )
    hire_clarity: float = coef(
        0.4, "Role clarity of a replacement hire without onboarding.", group="people"
    )
    hire_engagement: float = coef(0.65, "Engagement of a replacement hire.", group="people")
    onboarding_gain: float = coef(
        0.35,
        "Skill and clarity a hire gains per unit of `onboarding` (capped at 1).",
        group="people",
    )
    learning_rate: float = coef(
        0.06, "Share of the skill gap closed each quarter by on-the-job learning.", group="people"
    )
    training_rate: float = coef(
        0.2, "Extra share of the skill gap closed per unit of `training`.", group="people"
    )
    clarity_rate: float = coef(
        0.3, "Share of the clarity gap closed per unit of `role_clarity`.", group="people"
    )
    clarity_erosion: float = coef(
        0.15, "Share of role clarity lost per unit of change load.", group="people"
    )
    self_focus_base: float = coef(
        0.2, "Self-focus an employee settles at with no KPI pressure.", group="people"
    )
    self_focus_adjust: float = coef(
        0.4, "Share of the gap to the self-focus target closed each quarter.", group="people"
    )
    kpi_weight: float = coef(
        0.5, "Self-focus target gained per unit of `kpi_self_focus`.", group="people"
    )
    quota_self_focus_weight: float = coef(
        0.4,
        "Self-focus target gained per unit of `quota_pressure` (exposed departments).",
        group="people",
    )
    customer_goals_weight: float = coef(
        0.4, "Self-focus target lost per unit of `customer_centric_goals`.", group="people"
    )

    # --- quality and standards -----------------------------------------------------
    clarity_floor: float = coef(
        0.7,
        "Capability kept at zero role clarity (capability scales from this to 1).",
        group="quality",
    )
    self_focus_penalty: float = coef(
        0.35,
        "Capability lost per unit of self-focus, times (0.5 + pressure): a self-focused "
        "employee costs half as much when nobody is pushing.",
        group="quality",
    )
    overload_penalty: float = coef(
        0.3, "Delivered quality lost per unit of `workload_pressure` (overload).", group="quality"
    )
    cost_containment_effort: float = coef(
        0.6, "Above-norm effort removed per unit of `cost_containment`.", group="quality"
    )
    norm_erosion: float = coef(
        0.5,
        "Share of a shortfall (delivered below norm) by which the norm falls each quarter.",
        group="quality",
    )
    norm_rise: float = coef(
        0.04,
        "Share of a surplus (delivered above norm) by which the norm rises on its own.",
        group="quality",
    )
    norm_rise_support: float = coef(
        0.35,
        "Extra rise share at full leadership commitment, learning culture and data "
        "credibility (averaged).",
        group="quality",
    )
    norm_lift: float = coef(
        0.25,
        "Share of the gap to `norm_aspiration` closed per unit of `leadership_attention`.",
        group="quality",
    )
    norm_aspiration: float = coef(
        0.9, "The standard leadership attention lifts the norm toward.", group="quality"
    )
    coordination_penalty: float = coef(
        0.25,
        "Experienced quality lost per extra serving department at zero role clarity.",
        group="quality",
    )
    org_adjust: float = coef(
        0.3,
        "Growth of organisational capabilities (leadership, learning, data, digital) toward "
        "1 per unit of their lever; with `org_decay` they settle at aL / (aL + d).",
        group="quality",
    )
    org_decay: float = coef(
        0.08,
        "Share of organisational capabilities lost each quarter without investment.",
        group="quality",
    )

    # --- customers -------------------------------------------------------------------
    contact_experience_weight: float = coef(
        0.1,
        "Experience gained per unit of `customer_contact` above 0.5 (lost below it).",
        group="customers",
    )
    digital_weight: float = coef(
        0.2,
        "Experience gained per unit of digital maturity above a segment's expectation "
        "(lost per unit below it).",
        group="customers",
    )
    satisfaction_adjust: float = coef(
        0.5,
        "Share of the gap between satisfaction and experience closed each quarter.",
        group="customers",
    )
    promise_boost: float = coef(
        0.2,
        "Satisfaction target raised this quarter per unit of `overpromising` (new customers "
        "start with all of it, existing ones move part of the way).",
        group="customers",
    )
    promise_gap: float = coef(
        0.4, "Expectation gap created per unit of `overpromising`.", group="customers"
    )
    gap_decay: float = coef(
        0.25, "Share of the expectation gap forgotten each quarter.", group="customers"
    )
    gap_recovery: float = coef(
        0.5,
        "Share of the expectation gap closed per unit of `service_recovery`.",
        group="customers",
    )
    gap_satisfaction_weight: float = coef(
        0.5, "Satisfaction lost per unit of expectation gap.", group="customers"
    )
    thrill_decay: float = coef(
        0.15, "Share of thrill lost each quarter unless new value is brought.", group="customers"
    )
    innovation_gain: float = coef(
        0.3, "Share of the thrill gap closed per unit of `value_innovation`.", group="customers"
    )
    quality_thrill_gain: float = coef(
        0.5,
        "Share of the thrill gap closed per unit of experience above `thrill_threshold`.",
        group="customers",
    )
    thrill_threshold: float = coef(
        0.7, "Experience above which customers are pleasantly surprised.", group="customers"
    )
    contact_thrill_gain: float = coef(
        0.1, "Share of the thrill gap closed per unit of `customer_contact`.", group="customers"
    )
    trust_adjust: float = coef(
        0.3, "Share of the gap to the trust target closed each quarter.", group="customers"
    )
    trust_base: float = coef(
        0.55,
        "Trust a customer settles at with no contact, promises or pressure.",
        group="customers",
    )
    trust_contact_weight: float = coef(
        0.3, "Trust target gained per unit of `customer_contact`.", group="customers"
    )
    trust_gap_weight: float = coef(
        0.8, "Trust target lost per unit of expectation gap.", group="customers"
    )
    trust_pressure_weight: float = coef(
        0.3,
        "Trust target lost per unit of `quota_pressure` (pushy quarter-end contacts).",
        group="customers",
    )
    dark_base: float = coef(
        0.01,
        "Quarterly chance a responsive customer goes dark for no particular reason.",
        group="customers",
    )
    dark_pressure_weight: float = coef(
        0.12, "Chance of going dark added per unit of `quota_pressure`.", group="customers"
    )
    dark_boredom_weight: float = coef(
        0.04, "Chance of going dark added per unit of boredom (1 - thrill).", group="customers"
    )
    dark_neglect_weight: float = coef(
        0.03,
        "Chance of going dark added per unit of neglect (1 - `customer_contact`).",
        group="customers",
    )
    dark_experience_penalty: float = coef(
        0.2,
        "Experience lost by a customer who has gone dark: nobody is working with them, "
        "and they stop answering the survey, so the company does not see it.",
        group="customers",
    )
    dark_dissatisfaction_weight: float = coef(
        0.15,
        "Chance of going dark added per unit of satisfaction below `experience_reference` "
        "(taken away above it): the unhappy stop answering, so surveys hear the happy.",
        group="customers",
    )
    dark_distrust_weight: float = coef(
        1.0,
        "How much distrust multiplies the chance of going dark (x(1 + w(1 - trust)) "
        "around trust 0.5).",
        high=5.0,
        group="customers",
    )
    dark_recovery: float = coef(
        0.15, "Quarterly chance a dark customer answers again with no effort.", group="customers"
    )
    dark_recovery_contact: float = coef(
        0.25, "Recovery chance added per unit of `customer_contact`.", group="customers"
    )
    dark_recovery_win_back: float = coef(
        0.35, "Recovery chance added per unit of `win_back`.", group="customers"
    )
    awaken_market_weight: float = coef(
        1.0,
        "How much `market_pressure` multiplies a segment's wake-up chance (x(1 + w p)).",
        high=10.0,
        group="customers",
    )
    awaken_calm: float = coef(
        0.35, "Quarterly chance an awakened customer settles down again.", group="customers"
    )
    value_growth: float = coef(
        0.04,
        "Quarterly change in a customer's spend per unit of thrill above 0.5.",
        high=0.5,
        group="customers",
    )
    survey_response: float = coef(
        0.35,
        "Share of responsive (not dark) customers answering the satisfaction survey.",
        low=0.01,
        group="customers",
    )
    survey_bias: float = coef(
        0.12,
        "Upward bias of reported satisfaction with no data credibility "
        "(leading questions, friendly samples).",
        high=0.5,
        group="customers",
    )
    survey_noise: float = coef(
        0.04,
        "Standard deviation of reported satisfaction with no data credibility.",
        high=0.5,
        group="customers",
    )

    # --- defection drivers (added hazards) -----------------------------------------
    defect_boredom: float = coef(
        0.025, "Defection hazard per unit of boredom (1 - thrill).", group="defection"
    )
    defect_broken_promises: float = coef(
        0.25, "Defection hazard per unit of expectation gap.", group="defection"
    )
    defect_dark: float = coef(
        0.1, "Defection hazard of a customer who has gone dark.", group="defection"
    )
    defect_awakened: float = coef(
        0.25, "Defection hazard of an awakened customer, per unit of boredom.", group="defection"
    )
    defect_poor_experience: float = coef(
        0.3,
        "Defection hazard per unit of experience below `experience_reference`.",
        group="defection",
    )
    misfit_penalty: float = coef(
        0.5,
        "Experience lost per unit of misfit (1 - fit) between customer and offering.",
        group="defection",
    )
    experience_reference: float = coef(
        0.55, "The experience a customer expects of a decent supplier.", group="defection"
    )

    # --- acquisition -------------------------------------------------------------------
    quota_volume: float = coef(
        0.8,
        "New-customer volume added per unit of `quota_pressure` (x(1 + w q)).",
        high=10.0,
        group="acquisition",
    )
    quota_fit_penalty: float = coef(
        0.3, "Mean fit of new customers lost per unit of `quota_pressure`.", group="acquisition"
    )
    marketing_volume: float = coef(
        0.6,
        "New-customer volume added per unit of `marketing` (x(1 + w m)).",
        high=10.0,
        group="acquisition",
    )
    reputation_volume: float = coef(
        0.5,
        "New-customer volume added per unit of average thrill above 0.5 (referrals).",
        high=5.0,
        group="acquisition",
    )

    # --- money -------------------------------------------------------------------------
    cost_containment_saving: float = coef(
        0.1, "Share of salary cost saved per unit of `cost_containment`.", group="money"
    )

    def __post_init__(self) -> None:
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            low, high = item.metadata["low"], item.metadata["high"]
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise ParameterError(f"dynamics.{item.name} must be a number, got {value!r}")
            if not math.isfinite(value) or not low <= value <= high:
                raise ParameterError(
                    f"dynamics.{item.name} must be between {low:g} and {high:g}, got {value!r}"
                )

    @classmethod
    def field_docs(cls) -> list[dataclasses.Field]:
        """The coefficient fields in declaration order, for docs and schemas."""
        return list(dataclasses.fields(cls))

    def replace(self, **overrides: float) -> Dynamics:
        """A copy with some coefficients overridden (unknown names raise TypeError)."""
        return dataclasses.replace(self, **overrides)

    def driver_weights_zero(self) -> Dynamics:
        """A copy with every defection driver switched off (pure sBG churn)."""
        return self.replace(**dict.fromkeys(DEFECTION_DRIVER_WEIGHTS.values(), 0.0))


# Defection drivers as reported by the engine, and the weight that switches each off.
DEFECTION_DRIVER_WEIGHTS: dict[str, str] = {
    "boredom": "defect_boredom",
    "broken_promises": "defect_broken_promises",
    "dark": "defect_dark",
    "awakened": "defect_awakened",
    "poor_experience": "defect_poor_experience",
}
DEFECTION_DRIVERS: tuple[str, ...] = ("baseline", *DEFECTION_DRIVER_WEIGHTS)
