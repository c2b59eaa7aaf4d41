"""Scheduled and random events, and the dilemma choices made in them."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from engine.conditions import holds
from engine.decisions import Decisions, schedule
from engine.randomness import Concern, StreamLayout, draws_for_runs
from engine.state import State
from engine.world import World

# One uniform per run and event each quarter, whether the event is random or not.
EVENT_STREAMS = StreamLayout({"event_chance": 0}, width=1)


class EventTiming(NamedTuple):
    """When a scenario's events can happen, one entry per event (in scenario order)."""

    scheduled: np.ndarray  # bool: happens in a set quarter (else at random)
    quarter: np.ndarray  # the set quarter of a scheduled event, 0 for a random one
    first_quarter: np.ndarray  # a random event's window
    last_quarter: np.ndarray
    chance: np.ndarray  # float64: a random event's chance per quarter, 0 for a scheduled one
    once: np.ndarray  # bool: can happen only once per game
    conditional: tuple[int, ...]  # the events with a condition


@lru_cache(maxsize=16)
def event_timing(world: World) -> EventTiming:
    """The :class:`EventTiming` of ``world``'s events, worked out once for each world
    (each quarter asks, once or twice)."""
    events = world.scenario.events
    return EventTiming(
        scheduled=np.array([event.quarter is not None for event in events], dtype=bool),
        quarter=np.array([event.quarter or 0 for event in events], dtype=np.int64),
        first_quarter=np.array([event.first_quarter for event in events], dtype=np.int64),
        last_quarter=np.array([event.last_quarter for event in events], dtype=np.int64),
        chance=np.array([event.chance or 0.0 for event in events], dtype=np.float64),
        once=np.array([event.once for event in events], dtype=bool),
        conditional=tuple(i for i, event in enumerate(events) if event.condition is not None),
    )


def firing(world: World, state: State, quarter: int | None = None) -> np.ndarray:
    """(runs, events) which events happen in ``quarter`` (the next one by default).

    A pure function of the state and the seed: the game calls it before the quarter to
    ask the player about dilemmas, and the step calls it again to apply them.
    """
    quarter = state.quarter + 1 if quarter is None else quarter
    events = world.scenario.events
    if not events:
        return np.zeros((state.runs, 0), dtype=bool)
    chance_draws = draws_for_runs(
        state,
        Concern.EVENTS,
        quarter,
        lambda streams, rows: streams.named("event_chance", EVENT_STREAMS).random(
            (rows, len(events))
        ),
    )
    # All events at once: a scheduled event happens in its quarter, a random one when
    # its draw falls below its chance inside its window; a one-off only the first time.
    timing = event_timing(world)
    in_window = (timing.first_quarter <= quarter) & (quarter <= timing.last_quarter)
    fired = np.where(
        timing.scheduled, timing.quarter == quarter, (chance_draws < timing.chance) & in_window
    )
    fired &= ~(timing.once & state.organisation.event_fired)
    for index in timing.conditional:
        if fired[:, index].any():
            fired[:, index] &= holds(events[index].condition, state.history)
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
    # The events that happened in some run (none to look for in a scenario without).
    happened = fired.any(axis=0).nonzero()[0].tolist() if fired.size else []
    for index in happened:
        event = world.scenario.events[index]
        mask = fired[:, index]
        schedule(state, quarter, mask, event)
        choice_index = chosen(world, decisions, index)
        if choice_index is not None:
            choice = event.choices[choice_index]
            schedule(state, quarter, mask, choice)
            cost += np.where(mask, choice.cost, 0.0)
            choice_taken[index] = choice_index
    state.organisation.event_fired |= fired
    return EventOutcome(fired, choice_taken, cost)
