"""Checking a team's plan for a quarter against its own game, and the plan a team that
never submitted gets at the close."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from engine.decisions import Availability, Decisions
from engine.formatting import exact_money
from engine.rooms.errors import RoomError
from engine.session import GameSession
from engine.textfile import did_you_mean


def checked_plan(
    game: GameSession, interventions: Sequence[str], answers: Mapping[str, str]
) -> Decisions:
    """The plan as decisions for the game's next quarter; RoomError, naming the first
    problem, when an intervention is unknown, listed twice, locked, already adopted or
    over the budget, or an answer is not to one of this quarter's dilemmas."""
    scenario = game.scenario
    known = [item.id for item in scenario.interventions]
    seen: set[str] = set()
    for name in interventions:
        if name not in known:
            raise RoomError(
                f"There is no intervention '{name}' in {scenario.meta.title} "
                f"(interventions: {', '.join(known)}){ending(did_you_mean(name, known))}"
            )
        if name in seen:
            raise RoomError(f"'{name}' is listed twice.")
        seen.add(name)
    status = game.availability()
    for name in interventions:
        state, reason = status[name]
        if state in (Availability.LOCKED, Availability.ADOPTED):
            raise RoomError(f"{scenario.intervention(name).name} cannot be adopted now: {reason}.")
    cost = game.cost_of(interventions)
    if cost > game.budget + 1e-9:
        currency = scenario.company.currency
        raise RoomError(
            f"The plan's one-off costs come to {exact_money(cost, currency)}, more than the "
            f"budget of {exact_money(game.budget, currency)}."
        )
    dilemmas = {event.id: event for event in game.pending_dilemmas()}
    for event_id, choice_id in answers.items():
        event = dilemmas.get(event_id)
        if event is None:
            listed = ", ".join(dilemmas) if dilemmas else "there is none"
            raise RoomError(
                f"'{event_id}' is not a dilemma of quarter {game.quarter + 1} (this "
                f"quarter's: {listed}){ending(did_you_mean(event_id, list(dilemmas)))}"
            )
        choices = [choice.id for choice in event.choices]
        if choice_id not in choices:
            raise RoomError(
                f"Dilemma '{event_id}' has no choice '{choice_id}' (choices: "
                f"{', '.join(choices)}){ending(did_you_mean(choice_id, choices))}"
            )
    return Decisions(tuple(interventions), dict(answers))


def ending(suggestion: str) -> str:
    """How a sentence ends: with its "did you mean" question, else a full stop."""
    return suggestion or "."


def dilemma_defaults(game: GameSession) -> dict[str, str]:
    """Each dilemma pending in the game's next quarter -> its default choice, the one the
    engine itself takes when a dilemma is not answered (engine.events)."""
    return {
        event.id: event.default_choice or event.choices[0].id for event in game.pending_dilemmas()
    }


def default_answers(game: GameSession, answers: Mapping[str, str] | None = None) -> dict[str, str]:
    """``answers`` completed with each pending dilemma's default choice."""
    return completed_answers(answers, dilemma_defaults(game))


def completed_answers(
    answers: Mapping[str, str] | None, defaults: Mapping[str, str]
) -> dict[str, str]:
    """``answers`` with a default choice for each pending dilemma not answered."""
    completed = dict(answers or {})
    for event_id, choice_id in defaults.items():
        completed.setdefault(event_id, choice_id)
    return completed
