"""A quarter's decisions, and how adopting interventions schedules their effects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple

import numpy as np

from engine.errors import PolicyError
from engine.scenario.schema import Timed
from engine.state import State
from engine.world import World, effect_vector, strength_curve


@dataclass(frozen=True)
class Decisions:
    """What the player decides for one quarter: interventions to adopt (in order of
    priority when the budget runs short) and the choice taken in each dilemma."""

    interventions: tuple[str, ...] = ()
    choices: Mapping[str, str] = field(default_factory=dict)

    def validate(self, world: World) -> None:
        """Raise PolicyError for names the scenario does not know."""
        for name in self.interventions:
            if name not in world.intervention_index:
                raise PolicyError(
                    f"unknown intervention '{name}' for scenario '{world.scenario.meta.id}'"
                )
        if len(set(self.interventions)) != len(self.interventions):
            raise PolicyError("an intervention is listed twice in one quarter")
        events = {event.id: event for event in world.scenario.events}
        for event_id, choice_id in self.choices.items():
            event = events.get(event_id)
            if event is None or not event.choices:
                raise PolicyError(
                    f"'{event_id}' is not a dilemma of scenario '{world.scenario.meta.id}'"
                )
            if choice_id not in {choice.id for choice in event.choices}:
                raise PolicyError(f"dilemma '{event_id}' has no choice '{choice_id}'")


class Availability(Enum):
    """Whether an intervention can be adopted next quarter, or why not."""

    AVAILABLE = "available"
    LOCKED = "locked"  # a prerequisite has not been adopted
    ADOPTED = "adopted"  # not repeatable and already adopted
    UNAFFORDABLE = "unaffordable"


def availability(world: World, state: State, run: int = 0) -> dict[str, tuple[Availability, str]]:
    """Whether each intervention can be adopted next quarter in one run, and why not."""
    organisation = state.organisation
    result = {}
    for index, intervention in enumerate(world.scenario.interventions):
        missing = [
            name
            for name in intervention.requires
            if organisation.adopted_quarter[run, world.intervention_index[name]] < 0
        ]
        if missing:
            titles = ", ".join(world.scenario.intervention(name).name for name in missing)
            result[intervention.id] = (Availability.LOCKED, f"needs {titles} first")
        elif not intervention.repeatable and organisation.adopted_quarter[run, index] >= 0:
            result[intervention.id] = (Availability.ADOPTED, "already adopted")
        elif intervention.cost > organisation.budget[run]:
            result[intervention.id] = (Availability.UNAFFORDABLE, "over the budget")
        else:
            result[intervention.id] = (Availability.AVAILABLE, "")
    return result


def upkeep_quarters(timed: Timed) -> int:
    """How many quarters upkeep is charged for, from the quarter of adoption on: while
    the effect waits, ramps up and acts at full strength (not while it fades)."""
    return timed.lag + timed.ramp + timed.duration


def schedule(
    state: State, quarter: int, mask: np.ndarray, timed: Timed, upkeep: float = 0.0
) -> None:
    """Add a timed effect starting in ``quarter`` to the runs where ``mask`` is set."""
    organisation = state.organisation
    length = state.horizon + 1 - quarter
    if length <= 0 or not mask.any():
        return
    curve = strength_curve(timed, length)
    vector = effect_vector(timed.effects)
    weights = mask.astype(np.float32)
    organisation.lever_schedule[:, quarter:, :] += (
        weights[:, None, None] * curve[None, :, None] * vector[None, None, :]
    )
    organisation.change_load += weights * np.float32(timed.resistance)
    if upkeep:
        active_quarters = min(upkeep_quarters(timed), length)
        organisation.upkeep_schedule[:, quarter : quarter + active_quarters] += (
            weights[:, None] * upkeep
        )


class Adoption(NamedTuple):
    """The interventions adopted this quarter."""

    spend: np.ndarray  # (runs,) what they cost
    adopted: np.ndarray  # (runs, interventions) bool: adopted in this run


def adopt_interventions(world: World, state: State, decisions: Decisions, quarter: int) -> Adoption:
    """Adopt the chosen interventions in every run that can: prerequisites adopted
    before, not a repeat of a one-off, and cost within what is left of the budget."""
    organisation = state.organisation
    runs = state.runs
    spend = np.zeros(runs, dtype=np.float64)
    adopted = np.zeros((runs, len(world.intervention_ids)), dtype=bool)
    for name in decisions.interventions:
        index = world.intervention_index[name]
        intervention = world.scenario.interventions[index]
        can = organisation.budget - spend >= intervention.cost
        for required in intervention.requires:
            can &= organisation.adopted_quarter[:, world.intervention_index[required]] >= 0
        if not intervention.repeatable:
            can &= organisation.adopted_quarter[:, index] < 0
        spend += np.where(can, intervention.cost, 0.0)
        adopted[:, index] = can
        schedule(state, quarter, can, intervention, upkeep=intervention.upkeep)
    # Prerequisites count only from earlier quarters, so record adoption afterwards.
    organisation.adopted_quarter[adopted] = quarter
    return Adoption(spend, adopted)
