"""Scheduled and random events, and the dilemma choices made in them."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine.conditions import holds
from engine.decisions import Decisions, schedule
from engine.randomness import Concern, StreamLayout, per_run_draws
from engine.state import State
from engine.world import World

# One uniform per run and event each quarter, whether the event is random or not.
EVENT_STREAMS = StreamLayout({"event_chance": 0}, width=1)


def firing(world: World, state: State, quarter: int | None = None) -> np.ndarray:
    """(runs, events) which events happen in ``quarter`` (the next one by default).

    A pure function of the state and the seed: the game calls it before the quarter to
    ask the player about dilemmas, and the step calls it again to apply them.
    """
    quarter = state.quarter + 1 if quarter is None else quarter
    events = world.scenario.events
    fired = np.zeros((state.runs, len(events)), dtype=bool)
    if not events:
        return fired
    chance_draws = np.empty((state.runs, len(events)), dtype=np.float64)
    for local, draws in per_run_draws(
        state.seed,
        Concern.EVENTS,
        quarter,
        state.run_offset,
        state.runs,
        lambda streams, rows: streams.named("event_chance", EVENT_STREAMS).random(
            (rows, len(events))
        ),
    ):
        chance_draws[local] = draws
    for index, event in enumerate(events):
        if event.quarter is not None:
            happens = np.full(state.runs, event.quarter == quarter)
        else:
            in_window = event.first_quarter <= quarter <= event.last_quarter
            happens = (chance_draws[:, index] < event.chance) & in_window
        if event.once:
            happens &= ~state.organisation.event_fired[:, index]
        if event.condition is not None and happens.any():
            happens &= holds(event.condition, state.history)
        fired[:, index] = happens
    return fired


def chosen(world: World, decisions: Decisions, event_index: int) -> int | None:
    """Index of the choice taken in a dilemma: the decision's, else the default, else
    the first. None for an event without choices."""
    event = world.scenario.events[event_index]
    if not event.choices:
        return None
    ids = [choice.id for choice in event.choices]
    choice_id = decisions.choices.get(event.id) or event.default_choice or ids[0]
    return ids.index(choice_id)


class EventOutcome(NamedTuple):
    """What this quarter's events did."""

    fired: np.ndarray  # (runs, events) bool: the events that happened
    choices: np.ndarray  # (events,) index of the choice taken in each dilemma, -1 where none
    cost: np.ndarray  # (runs,) what the choices taken cost


def apply_events(world: World, state: State, decisions: Decisions, quarter: int) -> EventOutcome:
    """Schedule the effects of this quarter's events and of the choices taken in them."""
    fired = firing(world, state, quarter)
    cost = np.zeros(state.runs, dtype=np.float64)
    choice_taken = np.full(len(world.event_ids), -1, dtype=np.int16)
    for index, event in enumerate(world.scenario.events):
        mask = fired[:, index]
        if not mask.any():
            continue
        schedule(state, quarter, mask, event)
        choice_index = chosen(world, decisions, index)
        if choice_index is not None:
            choice = event.choices[choice_index]
            schedule(state, quarter, mask, choice)
            cost += np.where(mask, choice.cost, 0.0)
            choice_taken[index] = choice_index
    state.organisation.event_fired |= fired
    return EventOutcome(fired, choice_taken, cost)
