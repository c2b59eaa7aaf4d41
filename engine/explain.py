"""The quarter report's explanations, as claims built from one run's numbers: the top
cause of defection and what worked against it, why engagement moved, a survey that
became more honest, and what events and dilemma answers changed."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from engine.claims import (
    COUNTERS,
    Counter,
    EngagementCauses,
    HonestSurvey,
    MetricMove,
    TopDriver,
    WhatChanged,
)
from engine.flows import QuarterFlows
from engine.presentation import visible
from engine.scenario.schema import Timed
from engine.state import State
from engine.world import World, effect_window, strength_curve

# A pull on engagement smaller than this is not worth a word; resistance weaker than
# this has faded.
NOTABLE_PULL = 0.01
# The survey's fall is put down to honesty when the shrinking bias explains this much.
HONESTY_SHARE = 0.3


def acting(timed: Timed, started: int, quarter: int) -> bool:
    """Whether an effect started in ``started`` acts in ``quarter`` (strength above 0)."""
    if quarter < started:
        return False
    return bool(strength_curve(timed, quarter - started + 1)[quarter - started] > 0)


def helps_against(effects, driver: str) -> tuple[str, ...]:
    """The levers among ``effects`` that work against ``driver``."""
    helpful = COUNTERS[driver]
    return tuple(
        effect.lever
        for effect in effects
        if effect.lever in helpful and effect.amount * helpful[effect.lever] > 0
    )


def top_driver(
    world: World,
    flows: QuarterFlows,
    causes: list[tuple[str, float]],
    adopted_at: Mapping[str, list[int]],
) -> TopDriver | None:
    """The quarter's largest cause of defection, with the interventions acting against it."""
    if not causes:
        return None
    driver, share = causes[0]
    counters = []
    for name, quarters in adopted_at.items():
        intervention = world.scenario.intervention(name)
        levers = helps_against(intervention.effects, driver)
        if not levers:
            continue
        running = [q for q in quarters if acting(intervention, q, flows.quarter)]
        if running:
            since = min(effect_window(intervention, q).begin for q in running)
            counters.append(Counter(intervention.name, since, levers))
    return TopDriver(flows.quarter, driver, share, tuple(counters))


def engagement_causes(
    world: World,
    state: State,
    flows: QuarterFlows,
    adopted_at: Mapping[str, list[int]],
    run: int = 0,
) -> EngagementCauses:
    """Why mean engagement moved this quarter: its biggest pulls, largest first."""
    history = state.history
    quarter = flows.quarter
    move = MetricMove(
        "engagement",
        quarter - 1,
        quarter,
        float(history["engagement"][-2][run]),
        float(history["engagement"][-1][run]),
    )
    pulls = {cause: float(v[run]) for cause, v in flows.workforce.engagement_causes.items()}
    named = sorted(
        ((cause, value) for cause, value in pulls.items() if abs(value) >= NOTABLE_PULL),
        key=lambda item: -abs(item[1]),
    )[:3]
    resisted: list[str] = []
    fades_in = None
    if any(cause == "resistance" for cause, _ in named):
        dyn = world.dynamics
        for name, quarters in adopted_at.items():
            intervention = world.scenario.intervention(name)
            if intervention.resistance and any(
                dyn.change_weight
                * intervention.resistance
                * (1 - dyn.change_decay) ** (quarter - q)
                >= NOTABLE_PULL
                for q in quarters
                if q <= quarter
            ):
                resisted.append(intervention.name)
        for index, event in enumerate(world.scenario.events):
            if flows.fired[run, index]:
                choice = flows.choices[index]
                if event.resistance or (choice >= 0 and event.choices[choice].resistance):
                    resisted.append(event.title)
        fades_in = resistance_fades_in(
            dyn.change_weight, dyn.change_decay, float(history["change_load"][-1][run])
        )
    return EngagementCauses(move, tuple(named), tuple(resisted), fades_in)


def resistance_fades_in(weight: float, decay: float, load: float) -> int:
    """Quarters from now until resistance pulls engagement by less than NOTABLE_PULL
    (``load`` is what is left after this quarter)."""
    pull = weight * load
    if pull < NOTABLE_PULL:
        return 1
    return 1 + math.ceil(math.log(NOTABLE_PULL / pull) / math.log(1 - decay))


def honest_survey(world: World, state: State, run: int = 0) -> HonestSurvey | None:
    """The claim that the survey fell because it became more honest, when it did."""
    history = state.history
    reported = [float(v[run]) for v in history["csat_reported"][-2:]]
    true = [float(v[run]) for v in history["csat_true"][-2:]]
    credibility = [float(v[run]) for v in history["data_credibility"][-2:]]
    bias = [world.dynamics.survey_bias * (1 - c) for c in credibility]
    drop = reported[0] - reported[1]
    shrink = bias[0] - bias[1]
    quarter = len(history["csat_reported"]) - 1
    if drop <= 0.01 or shrink < HONESTY_SHARE * drop or true[1] < true[0] - 0.005:
        return None
    true_move = (
        MetricMove("csat_true", quarter - 1, quarter, *true)
        if visible("csat_true", credibility[1])
        else None
    )
    return HonestSurvey(
        MetricMove("csat_reported", quarter - 1, quarter, *reported), bias[0], bias[1], true_move
    )


def what_changed(world: World, flows: QuarterFlows, run: int = 0) -> list[WhatChanged]:
    """Each event of the quarter, with its answer, and the levers they changed."""
    changed = []
    for index, event in enumerate(world.scenario.events):
        if not flows.fired[run, index]:
            continue
        choice_index = int(flows.choices[index])
        choice = event.choices[choice_index] if choice_index >= 0 else None
        totals: dict[str, float] = {}
        for effect in [*event.effects, *(choice.effects if choice else [])]:
            totals[effect.lever] = totals.get(effect.lever, 0.0) + effect.amount
        changed.append(
            WhatChanged(
                flows.quarter,
                event.title,
                choice.label if choice else None,
                tuple((lever, amount) for lever, amount in totals.items() if amount),
                choice.cost if choice else 0.0,
            )
        )
    return changed


def adopted_this_quarter(
    world: World, flows: QuarterFlows, adopted_at: Mapping[str, list[int]], run: int = 0
) -> dict[str, list[int]]:
    """``adopted_at`` with this quarter's entries kept only where adoption happened
    (a choice the budget or prerequisites refused is no adoption)."""
    kept = {}
    for name, quarters in adopted_at.items():
        done = bool(np.asarray(flows.adopted)[run, world.intervention_index[name]])
        listed = [q for q in quarters if q != flows.quarter or done]
        if listed:
            kept[name] = listed
    return kept
