"""What separated a room's top teams from its bottom ones, each difference checked with a
same-seed what-if in a bottom-half team's own game.

Every team of a room plays the same seed, so teams differ only by their decisions. A
decision (an adoption, or a dilemma answer) that most top-half teams made and few
bottom-half teams did (or the reverse) is a candidate; a class sees a correlation, so
each candidate is also replayed in one bottom-half team's game with that decision made
the other way (:mod:`engine.whatif`): what the decision was worth in that very game.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from engine.decision_log import Policy
from engine.decisions import Decisions
from engine.scenario.schema import Scenario
from engine.session import GameSession
from engine.whatif import exact_effects, replay
from engine.whatif_plans import Alternative, dilemmas_answered

__all__ = ["MAX_SEPARATORS", "Separator", "WhatIf", "halves", "separators"]

# How many differences the class debrief shows, largest first.
MAX_SEPARATORS = 3


@dataclass(frozen=True)
class WhatIf:
    """One decision replayed the other way in one team's game (same seed, run 0)."""

    team: str
    quarter: int
    label: str  # the change, in plain words: "adopting 'X' in quarter 2"
    made: bool  # whether the team made the decision in its own game
    actual_score: float  # the team's score as it played
    changed_score: float  # its score with the decision made the other way

    @property
    def worth(self) -> float:
        """Score points the decision was worth in that game (with it minus without it)."""
        change = self.actual_score - self.changed_score
        return change if self.made else -change


@dataclass(frozen=True)
class Separator:
    """A decision whose presence differs between the top and bottom halves."""

    kind: Literal["adopted", "answered"]
    subject: str  # the intervention id, or 'EVENT.CHOICE'
    label: str  # "adopted 'An honest survey'", "answered 'Refuse' to 'Quarter-end push'"
    top: tuple[str, ...]  # top-half teams that made the decision
    bottom: tuple[str, ...]  # bottom-half teams that made it
    top_size: int
    bottom_size: int
    whatif: WhatIf | None  # None when no bottom-half team's game could test it
    text: str  # the sentence the class reads

    @property
    def gap(self) -> float:
        """Share of the top half that made the decision minus the bottom half's share."""
        return len(self.top) / self.top_size - len(self.bottom) / self.bottom_size


def halves(ranked: Sequence[str]) -> tuple[list[str], list[str]]:
    """The top and bottom halves of teams listed best first; with an odd number of
    teams the middle one belongs to neither."""
    size = len(ranked) // 2
    return list(ranked[:size]), list(ranked[len(ranked) - size :])


def _decisions_made(scenario: Scenario, game: GameSession) -> dict[str, str]:
    """Every decision of a game: key ('adopted:ID' or 'answered:EVENT.CHOICE') -> label."""
    made = {}
    for name in game.adoptions():
        made[f"adopted:{name}"] = f"adopted '{scenario.intervention(name).name}'"
    events = {event.id: event for event in scenario.events}
    for answer in game.answers():
        event_id, choice_id = answer.split(".")
        event = events[event_id]
        if not event.choices:
            continue
        label = next(choice.label for choice in event.choices if choice.id == choice_id)
        made[f"answered:{answer}"] = f"answered '{label}' to '{event.title}'"
    return made


def _with_decisions(policy: Policy, quarter: int, decisions: Decisions) -> Policy:
    return Policy({**policy.by_quarter, quarter: decisions}, policy.scenario, policy.choices)


def _measured(game: GameSession, team: str, changed: Alternative, made: bool) -> WhatIf:
    """The team's score as played and with ``changed`` (same seed, run 0)."""
    actual = float(game.outcome().score[0])
    effect = exact_effects(game, [changed])[0]
    # An effect is the player's figure minus the alternative's.
    return WhatIf(
        team, changed.quarter or 0, changed.label, made, actual, actual - effect.exact["score"]
    )


def _adoption_whatif(
    game: GameSession, team: str, name: str, quarter: int, made: bool
) -> WhatIf | None:
    """Adoption ``name`` in ``quarter`` of ``team``'s game: dropped if ``made``, else added
    (None when the replay could not adopt it then: a prerequisite or the budget)."""
    scenario = game.scenario
    own = game.policy()
    decisions = own.for_quarter(quarter)
    title = scenario.intervention(name).name
    if made:
        kept = tuple(other for other in decisions.interventions if other != name)
        label = f"leaving out '{title}' in quarter {quarter}"
    else:
        kept = (*decisions.interventions, name)
        label = f"adopting '{title}' in quarter {quarter}"
    changed = Alternative(
        "drop", label, quarter, _with_decisions(own, quarter, Decisions(kept, decisions.choices))
    )
    if not made:
        index = game.world.intervention_index[name]
        if int(replay(game, changed).organisation.adopted_quarter[0, index]) < 0:
            return None
    return _measured(game, team, changed, made)


def _answer_whatif(
    game: GameSession, team: str, answer: str, made: bool, preferred: str | None
) -> WhatIf | None:
    """Dilemma answer ``answer`` in ``team``'s game: the team's own answer changed to it,
    or (if ``made``) to ``preferred`` (the other half's usual answer), else the first
    other choice. None when the dilemma never came up in that game."""
    event_id, choice_id = answer.split(".")
    for quarter, dilemmas in sorted(dilemmas_answered(game).items()):
        for event, taken in dilemmas:
            # The quarter where the team gave the answer (or, without it, answered otherwise).
            if event.id != event_id or (taken == choice_id) != made:
                continue
            labels = {choice.id: choice.label for choice in event.choices}
            if made:
                others = [c for c in labels if c != choice_id]
                instead = preferred if preferred in others else others[0]
            else:
                instead = choice_id
            own = game.policy()
            decisions = own.for_quarter(quarter)
            label = (
                f"answering '{labels[instead]}' instead of '{labels[taken]}' in quarter {quarter}"
            )
            changed = Alternative(
                "answer",
                label,
                quarter,
                _with_decisions(
                    own,
                    quarter,
                    Decisions(decisions.interventions, {**decisions.choices, event.id: instead}),
                ),
            )
            return _measured(game, team, changed, made)
    return None


def _usual_quarter(games: Sequence[GameSession], name: str) -> int:
    """The quarter in which most of these games adopted ``name`` (the earliest on a tie)."""
    counts: dict[int, int] = {}
    for game in games:
        for quarter in game.adoptions().get(name, []):
            counts[quarter] = counts.get(quarter, 0) + 1
    return min(counts, key=lambda quarter: (-counts[quarter], quarter))


def _usual_answer(games: Sequence[GameSession], event_id: str) -> str | None:
    """The answer to ``event_id`` most of these games gave (None if none gave one)."""
    counts: dict[str, int] = {}
    for game in games:
        for answer in game.answers():
            if answer.split(".")[0] == event_id:
                counts[answer] = counts.get(answer, 0) + 1
    if not counts:
        return None
    best = min(counts, key=lambda answer: (-counts[answer], answer))
    return best.split(".")[1]


def _whatif_for(
    key: str,
    games: Mapping[str, GameSession],
    top: list[str],
    bottom: list[str],
    done: set[str],
) -> WhatIf | None:
    """The decision replayed the other way in the first bottom-half team (worst first)
    whose game can test it."""
    kind, subject = key.split(":", 1)
    # Top teams made it more: test adding it where a bottom team did not; else test
    # taking it away where a bottom team did.
    top_made_more = sum(t in done for t in top) > sum(t in done for t in bottom)
    candidates = [t for t in reversed(bottom) if (t in done) != top_made_more]
    # The top teams' own practice says when to adopt it, or what to answer instead.
    examples = [games[t] for t in top if (t in done) == top_made_more]
    for team in candidates:
        game = games[team]
        made = team in done
        if kind == "adopted":
            quarter = game.adoptions()[subject][0] if made else _usual_quarter(examples, subject)
            found = _adoption_whatif(game, team, subject, quarter, made)
        else:
            preferred = _usual_answer(examples, subject.split(".")[0]) if made else None
            found = _answer_whatif(game, team, subject, made, preferred)
        if found is not None:
            return found
    return None


def _sentence(label: str, top: list[str], bottom: list[str], done: set[str]) -> str:
    """How many teams of each half made the decision; with one team a half, by name."""
    if len(top) == 1:
        made, not_made = ("top", top[0]), ("bottom", bottom[0])
        if bottom[0] in done:
            made, not_made = not_made, made
        return (
            f"The {made[0]} team, {made[1]}, {label}; "
            f"the {not_made[0]} team, {not_made[1]}, did not."
        )
    top_made, bottom_made = sum(t in done for t in top), sum(t in done for t in bottom)
    return (
        f"{top_made} of {len(top)} top-half teams {label}, against {bottom_made} of "
        f"{len(bottom)} bottom-half teams."
    )


def _whatif_sentence(whatif: WhatIf | None) -> str:
    if whatif is None:
        return " No bottom-half team's game could test it in a what-if."
    change = whatif.changed_score - whatif.actual_score
    moved = (
        f"raised its score by {change:.1f} points"
        if change >= 0.05
        else f"lowered its score by {-change:.1f} points"
        if change <= -0.05
        else "left its score about the same"
    )
    return (
        f" In a same-seed what-if of {whatif.team}'s game, {whatif.label} would have "
        f"{moved} ({whatif.changed_score:.1f} instead of {whatif.actual_score:.1f})."
    )


def separators(
    scenario: Scenario, games: Mapping[str, GameSession], ranked: Sequence[str]
) -> list[Separator]:
    """The decisions whose presence differs most between the top and bottom halves of
    ``ranked`` (team names, best first), largest difference first, each checked with a
    what-if in a bottom-half team's game."""
    top, bottom = halves(ranked)
    if not top:
        return []
    made = {team: _decisions_made(scenario, games[team]) for team in ranked}
    labels: dict[str, str] = {}
    for decisions in made.values():
        labels.update(decisions)
    found = []
    for key in sorted(labels):
        done = {team for team in ranked if key in made[team]}
        top_made = tuple(t for t in top if t in done)
        bottom_made = tuple(t for t in bottom if t in done)
        if len(top_made) / len(top) == len(bottom_made) / len(bottom):
            continue
        found.append((key, done, top_made, bottom_made))
    found.sort(key=lambda item: (-abs(len(item[2]) - len(item[3])), item[0]))
    result: list[Separator] = []
    dilemmas_shown = set()
    for key, done, top_made, bottom_made in found:
        if len(result) == MAX_SEPARATORS:
            break
        kind, subject = key.split(":", 1)
        # The answers to one dilemma mirror each other: show the dilemma once.
        if kind == "answered":
            if subject.split(".")[0] in dilemmas_shown:
                continue
            dilemmas_shown.add(subject.split(".")[0])
        whatif = _whatif_for(key, games, top, bottom, done)
        text = _sentence(labels[key], top, bottom, done) + _whatif_sentence(whatif)
        result.append(
            Separator(
                kind,  # type: ignore[arg-type]
                subject,
                labels[key],
                top_made,
                bottom_made,
                len(top),
                len(bottom),
                whatif,
                text,
            )
        )
    return result
