"""How the game shows each metric and each cause of defection: one entry per name.

An entry holds the labels (a full one, a short one for narrow tables, and the few
variants some screens have always used), how the value prints (the formats of
``engine.formatting``), which way is good, the data credibility at which the
dashboard shows it, and its colour role. Reports, debriefs, charts and screens all
read these entries, so presenting a new metric means adding one line here.

Colour roles are semantic (``"good"``, ``"bad"``...), never colour names: the game maps
them to its theme's variables, so every theme, the colour-blind one included, applies.
Headless: no Textual here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from engine.vocabulary import METRIC_INFO

# Which way is good.
HIGHER, LOWER, NEITHER = "higher", "lower", "neither"
DIRECTIONS = (HIGHER, LOWER, NEITHER)

# The roles a colour may play; the game gives each a theme variable.
COLOUR_ROLES = ("good", "bad", "warning", "accent", "primary", "neutral", "muted")

# A threshold data credibility never reaches: the figure shows only in the debrief.
NEVER = math.inf


@dataclass(frozen=True, slots=True)
class MetricPresentation:
    """How one metric is shown. Empty variant labels fall back to ``label``."""

    name: str
    label: str  # full, as in the glossary: "Logo retention"
    short_label: str  # narrow table headers (``goingdark run``): "logo ret"
    format: str  # share, count, money or level, as engine.formatting prints them
    description: str  # one sentence, from engine.vocabulary
    good: str  # HIGHER, LOWER or NEITHER
    visible_from: float | None  # data credibility to show it on the dashboard (None: always)
    colour_role: str = "primary"
    chart_label: str = ""  # a line of a chart
    tile_label: str = ""  # a dashboard tile
    column_label: str = ""  # a column of the debrief's truth table
    trend_label: str = ""  # a component of the debrief's turning points

    def __post_init__(self) -> None:
        for variant in ("chart_label", "tile_label", "column_label", "trend_label"):
            if not getattr(self, variant):
                object.__setattr__(self, variant, self.label)

    @property
    def words(self) -> str:
        """The name in words, for sentences: ``logo retention``."""
        return self.name.replace("_", " ")


@dataclass(frozen=True, slots=True)
class DriverPresentation:
    """How one cause of defection is shown."""

    name: str
    label: str  # charts and tables: "promises not kept"
    phrase: str  # inside a sentence: "promises we did not keep"
    reason: str  # the debrief's verdict, after "the biggest single reason was"
    format: str = "share"  # drivers are shown as shares of the customers lost
    good: str = LOWER
    visible_from: float | None = None  # the report always names why customers left
    colour_role: str = "bad"

    @property
    def short_label(self) -> str:
        """The name in words, for narrow lists: ``broken promises``."""
        return self.name.replace("_", " ")


def _metric(
    name: str,
    label: str,
    short_label: str,
    good: str,
    visible_from: float | None = None,
    **variants: str,
) -> MetricPresentation:
    """An entry with its format and description from the vocabulary. Reported figures
    are always visible; a true figure without a threshold is never on the dashboard."""
    info = METRIC_INFO[name]
    if not info.reported and visible_from is None:
        visible_from = NEVER
    return MetricPresentation(
        name, label, short_label, info.unit, info.description, good, visible_from, **variants
    )


METRIC_PRESENTATIONS: tuple[MetricPresentation, ...] = (
    _metric("active_customers", "Active customers", "customers", HIGHER, tile_label="Customers"),
    _metric(
        "logo_retention",
        "Logo retention",
        "logo ret",
        HIGHER,
        chart_label="Customers kept",
        tile_label="Kept since start",
        trend_label="Customers kept since start",
    ),
    _metric("revenue", "Revenue", "revenue", HIGHER),
    _metric(
        "revenue_retention",
        "Revenue retention",
        "rev ret",
        HIGHER,
        chart_label="Revenue kept",
        tile_label="Revenue kept",
    ),
    _metric("new_customers", "New customers", "won", HIGHER),
    _metric("defections", "Defections", "lost", LOWER),
    _metric(
        "dark_share",
        "Dark share",
        "dark",
        LOWER,
        0.35,
        chart_label="Gone dark",
        column_label="Dark",
    ),
    _metric("awakened_share", "Awakened share", "awakened", LOWER, 0.5),
    _metric("csat_true", "True satisfaction", "csat true", HIGHER, 0.75, column_label="True sat."),
    _metric(
        "csat_reported",
        "Reported satisfaction",
        "csat rep",
        HIGHER,
        chart_label="Survey (reported)",
        tile_label="Satisfaction",
        column_label="Survey",
    ),
    _metric("thrill", "Thrill", "thrill", HIGHER, 0.5),
    _metric("trust", "Trust", "trust", HIGHER, 0.6),
    _metric("expectation_gap", "Expectation gap", "gap", LOWER, 0.5),
    _metric("defection_risk", "Defection risk", "risk", LOWER, 0.65, column_label="Risk"),
    _metric("engagement", "Engagement", "engaged", HIGHER, column_label="Engaged"),
    _metric("skill", "Skill", "skill", HIGHER),
    _metric("role_clarity", "Role clarity", "clarity", HIGHER),
    _metric("self_focus", "Self focus", "self focus", LOWER),
    _metric(
        "quality",
        "Quality",
        "quality",
        HIGHER,
        chart_label="Quality delivered",
        tile_label="Quality / norm",
    ),
    _metric(
        "quality_norm",
        "Quality norm",
        "norm",
        HIGHER,
        chart_label="Norm (good enough)",
        column_label="Norm",
    ),
    _metric("employee_attrition", "Employee attrition", "attrition", LOWER),
    _metric("team_toxicity", "Team toxicity", "toxicity", LOWER, 0.4),
    _metric("change_load", "Change load", "change load", LOWER),
    _metric("leadership_commitment", "Leadership commitment", "leadership", HIGHER),
    _metric("learning_culture", "Learning culture", "learning", HIGHER),
    _metric("data_credibility", "Data credibility", "credibility", HIGHER),
    _metric("digital_maturity", "Digital maturity", "digital", HIGHER),
    # Spending is not bad in itself: interventions cost money.
    _metric("costs", "Costs", "costs", NEITHER),
    _metric("profit", "Profit", "profit", HIGHER),
    _metric("cumulative_profit", "Cumulative profit", "cum profit", HIGHER),
    _metric("budget", "Budget", "budget", HIGHER),
)

DRIVER_PRESENTATIONS: tuple[DriverPresentation, ...] = (
    DriverPresentation(
        "baseline",
        "ordinary churn (budgets, needs)",
        "ordinary churn (budgets cut, needs changed)",
        "ordinary churn (budgets cut, needs changed) that nobody could prevent",
    ),
    DriverPresentation(
        "boredom",
        "boredom: interest faded",
        "boredom: too little new to keep their interest",
        "boredom, as too little new came their way to keep their interest",
    ),
    DriverPresentation(
        "broken_promises",
        "promises not kept",
        "promises we did not keep",
        "promises that were not kept",
    ),
    DriverPresentation(
        "dark",
        "gone dark: stopped answering",
        "customers who had stopped answering us",
        "silence, as they had stopped answering long before they left",
    ),
    DriverPresentation(
        "awakened",
        "their market made them compare",
        "customers whose market pushed them to compare suppliers",
        "their own market pushing them to compare suppliers",
    ),
    DriverPresentation(
        "poor_experience",
        "poor service experience",
        "a poor service experience",
        "a poor service experience",
    ),
)

METRIC_PRESENTATION: dict[str, MetricPresentation] = {
    shown.name: shown for shown in METRIC_PRESENTATIONS
}
DRIVER_PRESENTATION: dict[str, DriverPresentation] = {
    shown.name: shown for shown in DRIVER_PRESENTATIONS
}

# The thresholds of the true figures the dashboard can show, for docs and tests.
VISIBILITY: dict[str, float] = {
    shown.name: shown.visible_from
    for shown in METRIC_PRESENTATIONS
    if shown.visible_from is not None and shown.visible_from != NEVER
}


def visible(metric: str, credibility: float) -> bool:
    """Whether the dashboard shows ``metric`` at this data credibility: reported figures
    always, true ones from their threshold on, unknown names never."""
    shown = METRIC_PRESENTATION.get(metric)
    if shown is None:
        return False
    return shown.visible_from is None or credibility >= shown.visible_from


def change_role(good: str, change: float) -> str:
    """The colour role of a change: ``good`` or ``bad`` by the direction that is good,
    ``neutral`` when neither is."""
    if good == NEITHER:
        return "neutral"
    return "good" if (change > 0) == (good == HIGHER) else "bad"
