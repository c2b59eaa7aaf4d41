"""The quarter report: what happened and why, in plain words, from one run's flows."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.claims import EngagementCauses, HonestSurvey, TopDriver, WhatChanged
from engine.decisions import Decisions
from engine.explain import (
    adopted_this_quarter,
    engagement_causes,
    honest_survey,
    top_driver,
    what_changed,
)
from engine.formatting import exact_money, whole_parts
from engine.params import DEFECTION_DRIVERS
from engine.state import State
from engine.step import QuarterFlows
from engine.world import World, effect_window


@dataclass(frozen=True)
class QuarterReport:
    """One quarter of one game, ready to show."""

    quarter: int
    headline: str
    defections: int
    new_customers: int
    causes: list[tuple[str, float]]  # (driver, share of defections), largest first
    events: list[tuple[str, str | None]]  # (event title, choice label or None)
    leavers: dict[str, int]  # department name -> employees who left
    went_dark: int
    adopted: list[str]  # intervention names adopted this quarter
    skipped: list[str]  # chosen but not adopted (budget, prerequisites)
    started: list[str]  # interventions whose effect begins this quarter
    ended: list[str]  # interventions whose full strength ended this quarter
    brief: list[str]  # of ``started``: at full strength this quarter only, fading next
    changes: dict[str, tuple[float, float]]  # metric -> (before, after)
    lines: list[str] = field(default_factory=list)
    achievements: list[str] = field(default_factory=list)  # titles earned this quarter
    # The claims behind the words, for checking against the run:
    driver: TopDriver | None = None  # the headline's top cause of defection
    engagement: EngagementCauses | None = None  # why engagement moved, when it did
    survey: HonestSurvey | None = None  # a survey drop put down to more honest data
    changed: list[WhatChanged] = field(default_factory=list)  # what each event changed
    answers: list[tuple[str, str]] = field(default_factory=list)  # (event id, choice id)


def _timeline(
    world: World, adopted_at: dict[str, list[int]], quarter: int
) -> tuple[list[str], list[str]]:
    started, ended = [], []
    for name, quarters in adopted_at.items():
        intervention = world.scenario.intervention(name)
        for when in quarters:
            begin, _, full_end = effect_window(intervention, when)
            if begin == quarter and intervention.name not in started:
                started.append(intervention.name)
            if full_end == quarter and intervention.name not in ended:
                ended.append(intervention.name)
    # A card at full strength for this one quarter only is reported as taking effect
    # (the report says it fades from next quarter), never as both starting and fading.
    ended = [name for name in ended if name not in started]
    return started, ended


def one_quarter_cards(world: World, adopted_at: dict[str, list[int]], quarter: int) -> list[str]:
    """Cards that took effect this quarter and are past full strength from the next."""
    brief = []
    for name, quarters in adopted_at.items():
        intervention = world.scenario.intervention(name)
        for when in quarters:
            begin, _, full_end = effect_window(intervention, when)
            if begin == quarter == full_end and intervention.name not in brief:
                brief.append(intervention.name)
    return brief


def narrate(
    world: World,
    state: State,
    flows: QuarterFlows,
    decisions: Decisions,
    adopted_at: dict[str, list[int]],
    run: int = 0,
    dark_visible: bool = True,
) -> QuarterReport:
    """The report of the quarter just played (``state`` is after it). Without
    ``dark_visible`` it does not count the customers who went dark: the company
    cannot see that yet."""
    quarter = flows.quarter
    history = state.history
    defections = int(flows.customers.defections[run])
    won = int(flows.acquisition.new_customers[run])
    counts = flows.customers.drivers[run]
    total = counts.sum()
    causes = (
        sorted(
            (
                (name, float(count / total))
                for name, count in zip(DEFECTION_DRIVERS, counts, strict=True)
                if count > 0
            ),
            key=lambda item: -item[1],
        )
        if total > 0
        else []
    )

    events = []
    for index, event in enumerate(world.scenario.events):
        if flows.fired[run, index]:
            choice = flows.choices[index]
            events.append((event.title, event.choices[choice].label if choice >= 0 else None))

    departments = world.scenario.company.departments
    leavers = {
        d.name: int(n)
        for d, n in zip(departments, flows.workforce.leavers_by_department[run], strict=True)
        if n
    }
    adopted = [world.scenario.interventions[i].name for i in np.flatnonzero(flows.adopted[run])]
    skipped = [
        world.scenario.intervention(name).name
        for name in decisions.interventions
        if not flows.adopted[run, world.intervention_index[name]]
    ]
    adopted_at = adopted_this_quarter(world, flows, adopted_at, run)
    started, ended = _timeline(world, adopted_at, quarter)
    changes = {
        name: (float(history[name][-2][run]), float(history[name][-1][run]))
        for name in (
            "active_customers",
            "logo_retention",
            "csat_reported",
            "engagement",
            "quality",
            "quality_norm",
            "profit",
            "budget",
        )
    }

    active_before = changes["active_customers"][0]
    lost_share = defections / active_before if active_before else 0.0
    driver = top_driver(world, flows, causes, adopted_at)
    if defections == 0:
        headline = "Not a single customer left this quarter."
    else:
        why = f" {driver.text}" if driver else ""
        headline = (
            f"{defections} customer{'s' if defections != 1 else ''} left "
            f"({lost_share:.1%} of the base) and {won} joined.{why}"
        )
    engaged_before, engaged_after = changes["engagement"]
    engagement = (
        engagement_causes(world, state, flows, adopted_at, run)
        if abs(engaged_after - engaged_before) >= 0.02
        else None
    )
    survey = honest_survey(world, state, run)
    lines = _lines(world, flows, changes, leavers, run, dark_visible, engagement)
    if survey is not None:
        lines.insert(0, survey.text)
    if quarter < world.scenario.meta.quarters:  # after the last quarter there is no next
        lines.append(_budget_line(world, flows, changes, run))
    answers = [
        (event.id, event.choices[int(flows.choices[index])].id)
        for index, event in enumerate(world.scenario.events)
        if flows.fired[run, index] and flows.choices[index] >= 0
    ]
    return QuarterReport(
        quarter=quarter,
        headline=headline,
        defections=defections,
        new_customers=won,
        causes=causes,
        events=events,
        leavers=leavers,
        went_dark=int(flows.customers.went_dark[run]),
        adopted=adopted,
        skipped=skipped,
        started=started,
        ended=ended,
        brief=one_quarter_cards(world, adopted_at, quarter),
        changes=changes,
        lines=lines,
        driver=driver if defections else None,
        engagement=engagement,
        survey=survey,
        changed=what_changed(world, flows, run),
        answers=answers,
    )


def _budget_line(world, flows, changes, run) -> str:
    """Where next quarter's budget comes from: what is left, the grant, the profit share."""
    rules = world.scenario.company.budget
    money = world.scenario.company.currency

    def amount(value: float) -> str:
        return exact_money(value, money)

    before, after = changes["budget"]
    left = before - float(flows.spend[run])
    kept = left if rules.carry_over else min(left, 0.0)
    share = rules.profit_share * float(flows.profit[run]) if rules.profit_share else 0.0
    # Shown to the unit, the parts must add up to the total shown; what is left over
    # reads as the picker showed it, and the profit share (or else the grant, a round
    # figure) takes up the rounding.
    if rules.profit_share:
        total, (kept, granted, share) = whole_parts(after, (kept, rules.per_quarter, share))
    else:
        total, (kept, granted) = whole_parts(after, (kept, rules.per_quarter))
    if kept < 0:  # the overspend, as a positive amount: "£32,764 overspent"
        carried = f"{amount(-kept)} overspent"
    elif rules.carry_over:
        carried = f"{amount(kept)} left over"
    else:
        carried = "nothing carried over"
    parts = [carried, f"{amount(granted)} granted"]
    if rules.profit_share:
        parts.append(f"{amount(share)} as {rules.profit_share:.0%} of the profit")
    return f"Next quarter's budget: {amount(total)} ({', '.join(parts)})."


def plural(count: int, noun: str) -> str:
    """``1 customer``, ``2 customers``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _lines(world, flows, changes, leavers, run, dark_visible=True, engagement=None) -> list[str]:
    """Short, concrete observations, most telling first (the causes of defection are
    reported separately, as shares)."""
    lines = []
    norm_before, norm_after = changes["quality_norm"]
    if norm_after < norm_before - 0.01:
        lines.append(
            f"What counts as 'good enough' slipped from {norm_before:.2f} to "
            f"{norm_after:.2f}: delivered quality fell short and nobody pushed back."
        )
    elif norm_after > norm_before + 0.01:
        lines.append(
            f"Standards rose: the quality norm went from {norm_before:.2f} to {norm_after:.2f}."
        )
    if engagement is not None:
        lines.append(engagement.text)
    if leavers:
        who = ", ".join(f"{count} from {name}" for name, count in leavers.items())
        lines.append(
            f"{plural(sum(leavers.values()), 'employee')} left ({who}); their replacements "
            "start with less skill and a vaguer idea of their role."
        )
    went_dark = int(flows.customers.went_dark[run])
    if went_dark and dark_visible:
        lines.append(
            f"{plural(went_dark, 'customer')} stopped answering us. They will not "
            "show up in the next survey."
        )
    elif went_dark:
        lines.append(
            "Some customers stopped answering us; without credible data we cannot "
            "tell how many, and they will not show up in the next survey."
        )
    return lines
