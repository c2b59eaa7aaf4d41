"""What the next quarter will cost before the player has chosen: the money the picker shows.

The money phase (engine.step) charges a quarter three things: the one-off costs of the
interventions adopted, the costs of the answers taken in the quarter's dilemmas, and the
upkeep of every intervention at work (including ones adopted this quarter). What is left
of the budget after them is carried over, or, when negative, taken from next quarter's
budget. This module works those parts out with the same code the quarter runs
(``adopt_interventions`` on a copy of the state, ``firing`` and ``chosen`` for the
dilemmas, the upkeep schedule the adoption writes), so the picker and the quarter report
cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from engine.decisions import Decisions, adopt_interventions
from engine.events import chosen, firing
from engine.state import State
from engine.world import World


@dataclass(frozen=True)
class DilemmaCost:
    """What a dilemma due next quarter will cost, by the answer taken."""

    title: str
    low: float  # the cheapest answer
    high: float  # the dearest answer
    answered: float | None  # the cost of the answer already given, None before answering

    @property
    def least(self) -> float:
        return self.low if self.answered is None else self.answered

    @property
    def most(self) -> float:
        return self.high if self.answered is None else self.answered


@dataclass(frozen=True)
class Commitments:
    """Next quarter's spending under one plan, in named parts (run 0 of the state)."""

    budget: float  # what there is to spend now
    upkeep: float  # upkeep due next quarter from interventions already running
    dilemmas: tuple[DilemmaCost, ...]  # the dilemmas due next quarter
    cards: float  # one-off costs of the chosen cards the quarter will adopt
    cards_upkeep: float  # upkeep the chosen cards already cost next quarter
    skipped: tuple[str, ...]  # chosen cards the budget cannot pay for (never adopted)

    @property
    def committed_low(self) -> float:
        """Spent whatever is chosen: running upkeep and the cheapest dilemma answers."""
        return self.upkeep + sum(d.least for d in self.dilemmas)

    @property
    def committed_high(self) -> float:
        """Spent whatever is chosen, at the dearest dilemma answers."""
        return self.upkeep + sum(d.most for d in self.dilemmas)

    @property
    def chosen(self) -> float:
        """What the chosen cards cost next quarter: one-off costs and first upkeep."""
        return self.cards + self.cards_upkeep

    @property
    def left_low(self) -> float:
        """What is left after the quarter at the dearest dilemma answers (negative:
        overspent, taken from next quarter's budget)."""
        return self.budget - self.committed_high - self.chosen

    @property
    def left_high(self) -> float:
        """What is left after the quarter at the cheapest dilemma answers."""
        return self.budget - self.committed_low - self.chosen

    @property
    def depends_on_answers(self) -> bool:
        """Whether what is left still depends on dilemma answers not yet given."""
        return self.left_low != self.left_high


def commitments(
    world: World,
    state: State,
    interventions: Iterable[str],
    choices: Mapping[str, str] | None = None,
) -> Commitments:
    """Next quarter's spending if ``interventions`` are adopted and the dilemmas are
    answered with ``choices`` (unanswered ones as a range over their answers)."""
    quarter = state.quarter + 1
    plan = Decisions(tuple(interventions), dict(choices or {}))
    trial = state.copy()
    running = float(trial.organisation.upkeep_schedule[0, quarter])
    adoption = adopt_interventions(world, trial, plan, quarter)
    upkeep_with_cards = float(trial.organisation.upkeep_schedule[0, quarter])
    skipped = tuple(
        name
        for name in plan.interventions
        if not adoption.adopted[0, world.intervention_index[name]]
    )
    fired = firing(world, state, quarter)[0]
    dilemmas = []
    for index, event in enumerate(world.scenario.events):
        if not (fired[index] and event.choices):
            continue
        costs = [choice.cost for choice in event.choices]
        answered = None
        if event.id in plan.choices:
            answered = event.choices[chosen(world, plan, index)].cost
        dilemmas.append(DilemmaCost(event.title, min(costs), max(costs), answered))
    return Commitments(
        budget=float(state.organisation.budget[0]),
        upkeep=running,
        dilemmas=tuple(dilemmas),
        cards=float(adoption.spend[0]),
        cards_upkeep=upkeep_with_cards - running,
        skipped=skipped,
    )
