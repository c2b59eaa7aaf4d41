"""Figures and charts of a finished game: what was seen, when, and the series to plot."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from engine.presentation import METRIC_PRESENTATION
from engine.session import GameSession

# Metrics that are flows of a quarter: quarter 0 has none, so series start at quarter 1.
FLOW_METRICS = frozenset({"profit", "costs", "defections", "new_customers", "employee_attrition"})


@dataclass(frozen=True)
class Figure:
    """One metric quarter by quarter (quarter 0 first), and whether the company could
    see it on its dashboard after each quarter."""

    metric: str
    label: str
    unit: str
    values: np.ndarray
    seen: np.ndarray  # bool per quarter

    @property
    def ever_hidden(self) -> bool:
        return not bool(self.seen.all())

    @property
    def never_seen(self) -> bool:
        return not bool(self.seen.any())


def seen_mask(history: Mapping[str, Sequence[np.ndarray]], metric: str, run: int = 0) -> np.ndarray:
    """Per quarter, whether the company could see ``metric``: reported figures always,
    true ones once data credibility reached their threshold (as ``GameSession.visible``)."""
    quarters = len(history[metric])
    needed = METRIC_PRESENTATION[metric].visible_from
    if needed is None:
        return np.ones(quarters, dtype=bool)
    credibility = np.array([values[run] for values in history["data_credibility"]])
    return credibility >= needed


def figure(session: GameSession, metric: str, label: str) -> Figure:
    """``metric`` over the game so far, under ``label``."""
    return Figure(
        metric,
        label,
        METRIC_PRESENTATION[metric].format,
        session.series(metric),
        seen_mask(session.state.history, metric),
    )


@dataclass(frozen=True)
class Line:
    """One line of a chart: a figure from its first meaningful quarter on."""

    label: str
    figure: Figure
    visible: bool  # whether the company can see it now
    first_quarter: int = 0

    @property
    def quarters(self) -> np.ndarray:
        return np.arange(self.first_quarter, len(self.figure.values))

    @property
    def values(self) -> np.ndarray:
        return self.figure.values[self.first_quarter :]


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    unit: str
    about: str
    lines: tuple[Line, ...]

    @property
    def hidden(self) -> bool:
        """Whether the company can see none of this chart now."""
        return not any(line.visible for line in self.lines)


# id, title, unit, about, metrics of its lines (labelled by their chart labels)
CHARTS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    (
        "customers",
        "Customers",
        "count",
        "Active customers at the end of each quarter: the starting base, less defections, "
        "plus the customers sales won.",
        ("active_customers",),
    ),
    (
        "retention",
        "Retention",
        "share",
        "Share of the starting customers still with us, and of their starting revenue.",
        ("logo_retention", "revenue_retention"),
    ),
    (
        "satisfaction",
        "Satisfaction",
        "level",
        "What the survey says, and (once data is credible) what customers really feel. "
        "Dark customers do not answer surveys.",
        ("csat_reported", "csat_true"),
    ),
    (
        "engagement",
        "Engagement",
        "level",
        "Mean employee engagement. Disengaged people deliver the norm, not their best.",
        ("engagement",),
    ),
    (
        "quality",
        "Quality vs norm",
        "level",
        "Quality delivered, and what the organisation counts as good enough. The norm "
        "drifts toward what is delivered.",
        ("quality", "quality_norm"),
    ),
    (
        "profit",
        "Profit",
        "money",
        "Revenue minus the costs of people, hiring and interventions, each quarter.",
        ("profit",),
    ),
    (
        "thrill",
        "Thrill",
        "level",
        "Customers' interest and sense that we help them win. It decays every quarter "
        "unless we bring new value.",
        ("thrill",),
    ),
    (
        "dark",
        "Gone dark",
        "share",
        "Share of active customers who no longer answer us. They defect far more often.",
        ("dark_share",),
    ),
    (
        "risk",
        "Defection risk",
        "share",
        "Mean chance that an active customer leaves in a quarter.",
        ("defection_risk",),
    ),
)


def goal_charts(session: GameSession) -> tuple[tuple[str, str, str, str, tuple[str, ...]], ...]:
    """A chart for each goal whose metric the main charts do not show, so that every
    goal can be followed during play (or is shown hidden, with how to reveal it)."""
    charted = {metric for *_, lines in CHARTS for metric in lines}
    extra = []
    for goal in session.scenario.goals:
        if goal.metric in charted:
            continue
        charted.add(goal.metric)
        shown = METRIC_PRESENTATION[goal.metric]
        extra.append(
            (
                f"goal-{goal.metric}",
                shown.label[:1].upper() + shown.label[1:],
                shown.format,
                f"{shown.description} A goal of this scenario: {goal.text}",
                (goal.metric,),
            )
        )
    return tuple(extra)


def charts(session: GameSession) -> tuple[Chart, ...]:
    """The main charts of a game so far, then one for each goal's metric they leave
    out; every line with what the company can see now."""
    built = []
    for chart_id, title, unit, about, lines in CHARTS + goal_charts(session):
        built.append(
            Chart(
                chart_id,
                title,
                unit,
                about,
                tuple(
                    Line(
                        METRIC_PRESENTATION[metric].chart_label,
                        figure(session, metric, METRIC_PRESENTATION[metric].chart_label),
                        session.visible(metric),
                        1 if metric in FLOW_METRICS else 0,
                    )
                    for metric in lines
                ),
            )
        )
    return tuple(built)


def revealing_interventions(session: GameSession) -> list[str]:
    """Names of the scenario's interventions that build data credibility."""
    return [
        intervention.name
        for intervention in session.scenario.interventions
        if any(e.lever == "data_investment" and e.amount > 0 for e in intervention.effects)
    ]
