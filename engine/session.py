"""A single-player game in progress: the one owner of a game's state.

The TUI, the tests and (later) saves and replays all drive a game through this
class; nothing else mutates a game's engine state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from engine.commitments import Commitments, commitments
from engine.decision_log import Policy
from engine.decisions import Availability, Decisions, availability
from engine.errors import PolicyError
from engine.events import firing
from engine.narrative import QuarterReport, narrate
from engine.outcomes import Outcome, achievement_earned, evaluate
from engine.presentation import visible
from engine.scenario.schema import Event, Scenario
from engine.setup import initial_state
from engine.step import advance
from engine.world import World, effect_window, strength_curve

# Bands used to draw the workforce map.
ENGAGED_FROM = 0.6
DISENGAGED_BELOW = 0.4


@dataclass(frozen=True)
class RunningEffect:
    """An intervention still at work (or about to start) after the latest quarter."""

    name: str
    adopted: int  # quarter it was adopted in
    strength: float  # next quarter's strength, 0..1 per adoption (added up when re-adopted)
    starts_in: int  # quarters until it begins acting (0: acting)
    quarters_left: int  # quarters of meaningful strength left, from next quarter
    ramping: bool  # acting next quarter, not yet at full strength
    full_left: int  # quarters at full strength left, from next quarter (0 unless at full)
    adoptions: int = 1  # adoptions of this card still acting (a re-adopted card: 2 or more)

    @property
    def phase(self) -> str:
        """In words: 'starts in 2 q', 'ramping up', 'full for 3 more q', 'fading'."""
        if self.starts_in:
            return f"starts in {self.starts_in} q"
        if self.ramping:
            return "ramping up"
        if self.full_left:
            return f"full for {self.full_left} more q"
        return "fading"


class GameSession:
    """One player's (or team's) game of one scenario."""

    def __init__(self, scenario: Scenario, seed: int | None = None, player: str = ""):
        self.scenario = scenario
        self.world = World.from_scenario(scenario)
        self.seed = scenario.meta.seed if seed is None else seed
        self.player = player
        self.state = initial_state(self.world, self.seed)
        self.decisions: dict[int, Decisions] = {}
        self.reports: list[QuarterReport] = []
        self.achieved: dict[str, int] = {}  # achievement id -> quarter earned
        self.recorded = False  # whether the finished game went into the player's progress
        self.place: int | None = None  # its place in the high-score table, if any
        # The sentence announcing its result, when that is news (engine.progress rule).
        self.high_score_news: str | None = None

    # --- where the game stands ------------------------------------------------------------
    @property
    def quarter(self) -> int:
        """Quarters played so far (0 before the first)."""
        return self.state.quarter

    @property
    def quarters(self) -> int:
        return self.scenario.meta.quarters

    @property
    def is_over(self) -> bool:
        return self.quarter >= self.quarters

    @property
    def budget(self) -> float:
        return float(self.state.organisation.budget[0])

    def series(self, metric: str) -> np.ndarray:
        """The metric for every quarter so far, quarter 0 first."""
        return np.array([values[0] for values in self.state.history[metric]])

    def latest(self, metric: str) -> float:
        return float(self.state.history[metric][-1][0])

    def visible(self, metric: str) -> bool:
        """Whether the company can see this figure: reported figures always, true ones
        only once data credibility reaches the metric's threshold (engine.presentation)."""
        return visible(metric, self.latest("data_credibility"))

    def customer_breakdown(self) -> dict[str, int]:
        """Customers by what the company can see of them: loyal, bored, dark, defected.

        Bored: customers the boredom defection driver pulls on harder than their own
        baseline churn does (``boredom_pull``), so the map's bored are the many when
        boredom is the top reason for leaving; loyal: the other responsive customers
        (their own baseline, not boredom, is the larger pull). Mood (loyal vs bored)
        shows only once thrill is visible, and dark customers only once the dark share
        is; until then they count as "active" (mood unknown).
        """
        c = self.state.customers
        active = c.active[0]
        dark = c.dark[0] & active
        responsive = active & ~c.dark[0]
        bored = responsive & (self.boredom_pull() > c.propensity[0])
        counts = {
            "loyal": int((responsive & ~bored).sum()),
            "bored": int(bored.sum()),
            "dark": int(dark.sum()),
            "defected": int(self.series("defections").sum()),
        }
        if not self.visible("thrill"):
            counts = {"active": counts.pop("loyal") + counts.pop("bored"), **counts}
        if not self.visible("dark_share"):
            counts["active" if "active" in counts else "loyal"] += counts.pop("dark")
        return counts

    def boredom_pull(self) -> np.ndarray:
        """Each customer's quarterly defection hazard from boredom as the model weighs it
        (engine.market: ``defect_boredom`` x boredom, boredom = 1 - thrill)."""
        boredom = 1 - self.state.customers.thrill[0]
        return boredom * np.float32(self.world.dynamics.defect_boredom)

    def workforce_breakdown(self) -> list[tuple[str, int, int, int]]:
        """Per department: (name, engaged, lukewarm, disengaged) employee counts."""
        engagement = self.state.workforce.engagement[0]
        rows = []
        for start, department in zip(
            self.world.department_starts, self.scenario.company.departments, strict=True
        ):
            values = engagement[start : start + department.headcount]
            engaged = int((values >= ENGAGED_FROM).sum())
            disengaged = int((values < DISENGAGED_BELOW).sum())
            rows.append((department.name, engaged, len(values) - engaged - disengaged, disengaged))
        return rows

    # --- choosing -------------------------------------------------------------------------
    def availability(self) -> dict[str, tuple[Availability, str]]:
        return availability(self.world, self.state)

    def cost_of(self, interventions: Iterable[str]) -> float:
        """The one-off costs of these interventions (upkeep not included)."""
        return sum(self.scenario.intervention(name).cost for name in interventions)

    def commitments(
        self, interventions: Iterable[str] = (), choices: Mapping[str, str] | None = None
    ) -> Commitments:
        """What next quarter will spend with this plan, in parts: upkeep of running
        interventions, the pending dilemmas, the chosen cards, and what is left
        (computed as the quarter's own money phase will charge it)."""
        return commitments(self.world, self.state, interventions, choices)

    def pending_events(self) -> list[Event]:
        """Events that will happen in the next quarter (known before choosing)."""
        if self.is_over:
            return []
        fired = firing(self.world, self.state)[0]
        return [
            event for event, happens in zip(self.scenario.events, fired, strict=True) if happens
        ]

    def pending_dilemmas(self) -> list[Event]:
        return [event for event in self.pending_events() if event.choices]

    def check(self, interventions: Iterable[str]) -> None:
        """Raise PolicyError unless these interventions can all be adopted now."""
        chosen = list(interventions)
        status = self.availability()
        for name in chosen:
            if name not in status:
                raise PolicyError(f"unknown intervention '{name}'")
            state, reason = status[name]
            if state in (Availability.LOCKED, Availability.ADOPTED):
                raise PolicyError(f"{self.scenario.intervention(name).name}: {reason}")
        # A card is adopted only if its one-off cost fits what is left of the budget
        # (engine.decisions), so a plan whose one-off costs exceed the budget would be
        # cut short. Upkeep and dilemma costs may overspend: the excess comes out of next
        # quarter's budget, which the picker warns about (commitments()).
        cost = self.cost_of(chosen)
        if cost > self.budget + 1e-9:
            raise PolicyError(
                f"the chosen interventions' one-off costs come to {cost:,.0f}, more than "
                f"the budget of {self.budget:,.0f}"
            )

    # --- playing --------------------------------------------------------------------------
    def play(
        self, interventions: Iterable[str] = (), choices: Mapping[str, str] | None = None
    ) -> QuarterReport:
        """Play the next quarter with these decisions and report what happened."""
        if self.is_over:
            raise PolicyError("the game is over: every quarter has been played")
        chosen = tuple(interventions)
        self.check(chosen)
        decisions = Decisions(chosen, dict(choices or {}))
        decisions.validate(self.world)
        # Play on a copy and keep it only when the whole quarter succeeded: an error
        # half-way must not leave a half-played game behind.
        state = self.state.copy()
        flows = advance(self.world, state, decisions)
        self.state = state
        self.decisions[flows.quarter] = decisions
        report = narrate(
            self.world,
            self.state,
            flows,
            decisions,
            self.adoptions(),
            dark_visible=self.visible("dark_share"),
        )
        earned = self._new_achievements(flows.quarter)
        report.achievements.extend(earned)
        self.reports.append(report)
        return report

    def _new_achievements(self, quarter: int) -> list[str]:
        ever = self.state.organisation.adopted_quarter >= 0
        titles = []
        for achievement in self.scenario.achievements:
            if achievement.id in self.achieved:
                continue
            # Decision-based achievements ("never adopted X") can only be judged at the end.
            if achievement.never_adopted and quarter < self.quarters:
                continue
            if achievement_earned(
                achievement, self.state.history, ever, self.world.intervention_index
            )[0]:
                self.achieved[achievement.id] = quarter
                titles.append(achievement.title)
        return titles

    def adoptions(self) -> dict[str, list[int]]:
        """Intervention id -> quarters it was adopted in (only where it was)."""
        adopted: dict[str, list[int]] = {}
        for quarter, decisions in sorted(self.decisions.items()):
            report = self.reports[quarter - 1] if quarter - 1 < len(self.reports) else None
            for name in decisions.interventions:
                title = self.scenario.intervention(name).name
                if report is None or title not in report.skipped:
                    adopted.setdefault(name, []).append(quarter)
        return adopted

    def running_effects(self) -> list[RunningEffect]:
        """Interventions still acting (or about to) from the next quarter on, one per
        card: a card adopted again is one effect, its latest adoption's phase, the
        strengths of its adoptions added and the longest of their tails."""
        effects = []
        for adoptions in self._running_adoptions().values():
            # The phase shown is the latest adoption already acting (a re-adoption that
            # has not started yet does not hide the one at work).
            shown = next((e for e in reversed(adoptions) if not e.starts_in), adoptions[-1])
            effects.append(
                replace(
                    shown,
                    strength=sum(effect.strength for effect in adoptions),
                    quarters_left=max(effect.quarters_left for effect in adoptions),
                    adoptions=len(adoptions),
                )
            )
        return effects

    def _running_adoptions(self) -> dict[str, list[RunningEffect]]:
        """Per card, every adoption still acting (or about to), oldest first."""
        upcoming = self.quarter + 1
        effects: dict[str, list[RunningEffect]] = {}
        for name, quarters in self.adoptions().items():
            intervention = self.scenario.intervention(name)
            for adopted in quarters:
                curve = strength_curve(intervention, upcoming - adopted + 40)
                ahead = curve[upcoming - adopted :]
                meaningful = np.flatnonzero(ahead >= 0.05)
                if meaningful.size == 0:
                    continue
                begin, full_start, full_end = effect_window(intervention, adopted)
                effects.setdefault(name, []).append(
                    RunningEffect(
                        name=intervention.name,
                        adopted=adopted,
                        strength=float(ahead[0]),
                        starts_in=int(meaningful[0]),
                        quarters_left=int(meaningful[-1]) + 1,
                        ramping=begin <= upcoming < full_start,
                        full_left=full_end - upcoming + 1
                        if full_start <= upcoming <= full_end
                        else 0,
                    )
                )
        return effects

    def answers(self) -> dict[str, int]:
        """Dilemma answers given so far, 'EVENT.CHOICE' -> the first quarter given."""
        given: dict[str, int] = {}
        for report in self.reports:
            for event, choice in report.answers:
                given.setdefault(f"{event}.{choice}", report.quarter)
        return given

    # --- outcome --------------------------------------------------------------------------
    def outcome(self) -> Outcome:
        """Score, stars, goals, achievements and lessons by the scenario's rules, as of now."""
        ever = self.state.organisation.adopted_quarter >= 0
        answers = {answer: np.ones(1, dtype=bool) for answer in self.answers()}
        return evaluate(self.scenario, self.state.history, ever, answers)

    def policy(self) -> Policy:
        """The decision log so far, replayable with ``goingdark run --policy``."""
        return Policy(dict(self.decisions), self.scenario.meta.id)
