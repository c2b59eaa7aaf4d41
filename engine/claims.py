"""Claims about one game: what a sentence asserts, about which numbers, kept apart from
its words until it is rendered.

The quarter report and the debrief build these from a run's numbers and decisions and
render them with ``.text``; a test can read the same fields and check each claim against
the run (tests/test_claims.py). A leaf module: no engine state is read here.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.levers import LEVER_INDEX
from engine.presentation import DRIVER_PRESENTATION, METRIC_PRESENTATION

# Levers that work against each cause of defection, with the sign that helps
# (+1: more of the lever helps, -1: less of it helps), as engine.market uses them.
COUNTERS: dict[str, dict[str, int]] = {
    "baseline": {},
    "boredom": {"value_innovation": 1, "customer_contact": 1},
    "broken_promises": {"service_recovery": 1, "overpromising": -1},
    "dark": {"customer_contact": 1, "win_back": 1, "quota_pressure": -1},
    "awakened": {},
    "poor_experience": {
        "training": 1,
        "role_clarity": 1,
        "onboarding": 1,
        "digital": 1,
        "leadership_attention": 1,
        "workload_pressure": -1,
        "cost_containment": -1,
    },
}
assert all(lever in LEVER_INDEX for levers in COUNTERS.values() for lever in levers)

# A cause of defection as the subject of "Mostly ..., although X is working against it".
DRIVER_NOUNS: dict[str, str] = {
    "baseline": "ordinary churn",
    "boredom": "boredom",
    "broken_promises": "broken promises",
    "dark": "customers who had stopped answering",
    "awakened": "customers whose market made them compare",
    "poor_experience": "a poor service experience",
}

# The causes of the engagement target (engine.people.ENGAGEMENT_CAUSES) in words.
ENGAGEMENT_CAUSE_WORDS: dict[str, str] = {
    "recognition": "recognition",
    "growth": "room to grow",
    "stalled_careers": "stalled careers",
    "toxicity": "team toxicity",
    "pressure": "pressure of work and quota",
    "resistance": "resistance to change",
}


def quoted(names: list[str] | tuple[str, ...]) -> str:
    """'A', 'A' and 'B', 'A', 'B' and 'C'."""
    marked = [f"'{name}'" for name in names]
    return marked[0] if len(marked) == 1 else ", ".join(marked[:-1]) + " and " + marked[-1]


@dataclass(frozen=True)
class MetricMove:
    """'Engagement fell from 0.63 to 0.54': a metric from one quarter to a later one."""

    metric: str
    start_quarter: int
    end_quarter: int
    before: float
    after: float

    @property
    def rose(self) -> bool:
        return self.after > self.before

    @property
    def text(self) -> str:
        label = METRIC_PRESENTATION[self.metric].label
        verb = "rose" if self.rose else "fell"
        return f"{label} {verb} from {self.before:.2f} to {self.after:.2f}"


@dataclass(frozen=True)
class Counter:
    """An intervention acting against a cause of defection in a quarter."""

    name: str
    since: int  # the first quarter it acted in
    levers: tuple[str, ...]  # its levers that work against the cause


@dataclass(frozen=True)
class TopDriver:
    """The quarter's largest cause of defection, and what was working against it."""

    quarter: int
    driver: str
    share: float
    counters: tuple[Counter, ...] = ()

    @property
    def text(self) -> str:
        if not self.counters:
            return f"Mostly {DRIVER_PRESENTATION[self.driver].phrase}."
        names = quoted([counter.name for counter in self.counters])
        since = min(counter.since for counter in self.counters)
        verb = "is" if len(self.counters) == 1 else "are"
        when = "this quarter" if since == self.quarter else f"since quarter {since}"
        return (
            f"Mostly {DRIVER_NOUNS[self.driver]}, although {names} {verb} working "
            f"against it {when}."
        )


@dataclass(frozen=True)
class EngagementCauses:
    """Why engagement moved: the biggest pulls on its target this quarter."""

    move: MetricMove
    pulls: tuple[tuple[str, float], ...]  # (cause, signed pull), the ones named
    resisted: tuple[str, ...] = ()  # the changes resisted, by name
    fades_in: int | None = None  # quarters until the resistance is negligible

    @property
    def text(self) -> str:
        down = [(c, v) for c, v in self.pulls if v < 0]
        up = [(c, v) for c, v in self.pulls if v > 0]

        def words(items: list[tuple[str, float]]) -> str:
            parts = []
            for cause, value in items:
                name = ENGAGEMENT_CAUSE_WORDS[cause]
                if cause == "resistance" and self.resisted:
                    name = f"resistance to {quoted(self.resisted)}"
                parts.append(f"{name} ({value:+.2f})")
            return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]

        first, second = (down, up) if not self.move.rose else (up, down)
        sentence = self.move.text
        if first:
            verb = "weighed on it" if not self.move.rose else "lifted it"
            sentence += f": {words(first)} {verb}"
        if second:
            verb = "held it up" if not self.move.rose else "held it back"
            sentence += f"; {words(second)} {verb}"
        sentence += "."
        if self.fades_in is not None:
            quarters = "quarter" if self.fades_in == 1 else "quarters"
            sentence += f" The resistance fades in about {self.fades_in} {quarters}."
        return sentence


@dataclass(frozen=True)
class HonestSurvey:
    """The survey fell because it became more honest: its friendly bias shrank."""

    move: MetricMove  # the reported satisfaction
    bias_before: float
    bias_after: float
    true_move: MetricMove | None  # the true satisfaction, once the company can see it

    @property
    def text(self) -> str:
        sentence = (
            f"The survey fell from {self.move.before:.2f} to {self.move.after:.2f} because it "
            f"became more honest, not because customers became unhappier: its friendly "
            f"bias shrank from {self.bias_before:+.2f} to {self.bias_after:+.2f}."
        )
        if self.true_move is not None:
            sentence += (
                f" True satisfaction went from {self.true_move.before:.2f} to "
                f"{self.true_move.after:.2f}."
            )
        return sentence


@dataclass(frozen=True)
class WhatChanged:
    """What an event or a dilemma answer changed: levers and their full strength."""

    quarter: int
    event: str  # the event's title
    choice: str | None  # the answer's label, for a dilemma
    effects: tuple[tuple[str, float], ...]  # (lever, amount at full strength)
    cost: float = 0.0

    @property
    def costs_later(self) -> tuple[str, ...]:
        """The levers it raised whose harm comes in later quarters."""
        return tuple(lever for lever, amount in self.effects if amount > 0 and lever in LATER)

    @property
    def text(self) -> str:
        if not self.effects:
            return "It changed nothing in how the company works."
        changes = ", ".join(
            f"{lever.replace('_', ' ')} {amount:+.2f}" for lever, amount in self.effects
        )
        sentence = f"What it changed: {changes}."
        for lever in self.costs_later:
            sentence += f" {LATER[lever]}"
        return sentence


# Levers whose harm arrives after the quarter they act in (engine.market), in words.
LATER: dict[str, str] = {
    "overpromising": "This costs more later: a promise delivery cannot keep opens an "
    "expectation gap that costs trust and customers in the quarters after.",
    "quota_pressure": "This costs more later: pushed customers stop answering, and "
    "customers who have gone dark leave more often.",
}
