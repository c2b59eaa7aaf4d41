"""The alternatives a what-if compares a game with, each a whole plan of decisions.

One per adopted intervention left out, one per other answer to each dilemma that came
up, doing nothing at all, and the scenario's reference plans. Each alternative is the
player's own decision log with one change, so it replays with ``goingdark run
--policy`` exactly as the what-if plays it. :mod:`engine.whatif` measures them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from engine.decision_log import Policy
from engine.decisions import Decisions
from engine.events import chosen, firing
from engine.scenario.schema import Event
from engine.session import GameSession
from engine.setup import initial_state
from engine.step import advance

AlternativeKind = Literal["drop", "answer", "nothing", "reference", "quarter"]


@dataclass(frozen=True)
class Alternative:
    """One changed plan: the player's decisions with one thing done otherwise."""

    kind: AlternativeKind
    label: str  # in plain words, e.g. "Without 'An honest survey' (quarter 2)"
    quarter: int | None  # the quarter of the changed decision (None: nothing / reference)
    policy: Policy  # the whole game's decisions with this one change
    note: str = ""  # what else the change brought with it (a later decision skipped)


def first_change(own: Policy, other: Policy, played: int) -> int | None:
    """The first of quarters 1..played whose decisions differ, or None if none do."""
    for quarter in range(1, played + 1):
        mine, theirs = own.for_quarter(quarter), other.for_quarter(quarter)
        if tuple(mine.interventions) != tuple(theirs.interventions) or dict(mine.choices) != dict(
            theirs.choices
        ):
            return quarter
    return None


def dilemmas_answered(session: GameSession) -> dict[int, list[tuple[Event, str]]]:
    """Quarter -> the dilemmas that came up in it and the choice id taken in each (the
    player's answer, else the default), found by replaying the game's events."""
    world, own = session.world, session.policy()
    state = initial_state(world, session.seed)
    answered: dict[int, list[tuple[Event, str]]] = {}
    for quarter in range(1, session.quarter + 1):
        fired = firing(world, state)[0]
        decisions = own.for_quarter(quarter)
        for index, event in enumerate(world.scenario.events):
            if fired[index] and event.choices:
                taken = event.choices[chosen(world, decisions, index)].id
                answered.setdefault(quarter, []).append((event, taken))
        advance(world, state, decisions)
    return answered


def _with_quarter(policy: Policy, quarter: int, decisions: Decisions) -> Policy:
    return Policy({**policy.by_quarter, quarter: decisions}, policy.scenario, policy.choices)


def _skipped_without(session: GameSession, dropped: str, quarter: int) -> list[tuple[str, int]]:
    """Later adoptions that become impossible once ``dropped`` is left out of
    ``quarter``: they need it (or something else now skipped) adopted before."""
    scenario = session.scenario
    kept = {(name, q) for name, quarters in session.adoptions().items() for q in quarters}
    kept.discard((dropped, quarter))
    skipped = []
    for later, name in sorted((q, name) for name, q in kept if q > quarter):
        for required in scenario.intervention(name).requires:
            if not any(other == required and q < later for other, q in kept):
                kept.discard((name, later))
                skipped.append((name, later))
                break
    return skipped


def quarters_words(quarters: list[int]) -> str:
    """'quarter 4', or 'quarters 4, 6 and 8'."""
    if len(quarters) == 1:
        return f"quarter {quarters[0]}"
    return f"quarters {', '.join(map(str, quarters[:-1]))} and {quarters[-1]}"


def requirements(session: GameSession, name: str) -> str:
    """The interventions ``name`` requires, by name, quoted: "'A' and 'B'"."""
    scenario = session.scenario
    names = [f"'{scenario.intervention(r).name}'" for r in scenario.intervention(name).requires]
    return " and ".join(names)


def drop(session: GameSession, name: str, quarter: int) -> Alternative:
    """The game without adopting ``name`` in ``quarter``."""
    own = session.policy()
    scenario = session.scenario
    decisions = own.for_quarter(quarter)
    kept = tuple(other for other in decisions.interventions if other != name)
    title = scenario.intervention(name).name
    later: dict[str, list[int]] = {}
    for skipped, q in _skipped_without(session, name, quarter):
        later.setdefault(skipped, []).append(q)
    note = "; ".join(
        f"'{scenario.intervention(skipped).name}' in {quarters_words(qs)} "
        f"is skipped: it needs "
        f"{requirements(session, skipped)} adopted first"
        for skipped, qs in later.items()
    )
    return Alternative(
        "drop",
        f"Without '{title}' (quarter {quarter})",
        quarter,
        _with_quarter(own, quarter, Decisions(kept, dict(decisions.choices))),
        note,
    )


def answer(session: GameSession, quarter: int, event: Event, choice_id: str) -> Alternative:
    """The game with dilemma ``event`` of ``quarter`` answered ``choice_id``."""
    own = session.policy()
    decisions = own.for_quarter(quarter)
    taken = dict(decisions.choices).get(event.id) or event.default_choice or event.choices[0].id
    labels = {choice.id: choice.label for choice in event.choices}
    return Alternative(
        "answer",
        f"Quarter {quarter}, '{event.title}': '{labels[choice_id]}' instead of '{labels[taken]}'",
        quarter,
        _with_quarter(
            own,
            quarter,
            Decisions(decisions.interventions, {**decisions.choices, event.id: choice_id}),
        ),
    )


def quarter_undecided(
    session: GameSession, quarter: int, dilemmas: list[tuple[Event, str]]
) -> Alternative:
    """The game with nothing adopted in ``quarter`` and each of its dilemmas answered
    otherwise: the default where the player chose something else, else the first other
    choice. What was decided in that quarter, undone (the turning points' measure)."""
    own = session.policy()
    answers = {}
    for event, taken in dilemmas:
        ids = [choice.id for choice in event.choices]
        default = event.default_choice or ids[0]
        others = [c for c in ids if c != taken]
        # The default where the player chose otherwise; else another choice, if any.
        answers[event.id] = default if default != taken else (others or [taken])[0]
    return Alternative(
        "quarter",
        f"Quarter {quarter} decided otherwise",
        quarter,
        _with_quarter(own, quarter, Decisions((), answers)),
    )


def reference_policies(session: GameSession) -> list[tuple[str, str, Policy]]:
    """The scenario's reference plans as (id, title, policy)."""
    scenario = session.scenario
    return [
        (
            plan.id,
            plan.title,
            Policy(
                {
                    entry.quarter: Decisions(tuple(entry.interventions), dict(entry.choices))
                    for entry in plan.decisions
                },
                scenario.meta.id,
                dict(plan.choices),
            ),
        )
        for plan in scenario.reference_plans
    ]


def alternatives(session: GameSession) -> list[Alternative]:
    """Every alternative to the game so far: each adoption left out, each dilemma
    answered each other way, doing nothing at all, and each reference plan; plans that
    decide exactly as the player did are left out."""
    found = [
        drop(session, name, quarter)
        for quarter, name in sorted(
            (quarter, name)
            for name, quarters in session.adoptions().items()
            for quarter in quarters
        )
    ]
    for quarter, dilemmas in sorted(dilemmas_answered(session).items()):
        for event, taken in dilemmas:
            found.extend(
                answer(session, quarter, event, choice.id)
                for choice in event.choices
                if choice.id != taken
            )
    own, played = session.policy(), session.quarter
    nothing = Policy({}, session.scenario.meta.id)
    if first_change(own, nothing, played) is not None:
        found.append(Alternative("nothing", "Doing nothing at all", None, nothing))
    for _, title, policy in reference_policies(session):
        if first_change(own, policy, played) is not None:
            found.append(
                Alternative("reference", f"The scenario's reference plan '{title}'", None, policy)
            )
    return found
