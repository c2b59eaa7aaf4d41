"""A stand-in for ``engine.whatif`` in the debrief's tests, following the agreed API
(the real module is written in parallel). Its effects are made-up but fixed numbers, so
the screen's words can be checked against them; a gate lets a test look at the screen
between the exact pass and the ranged one.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from types import ModuleType
from typing import Literal

import engine
from engine.decision_log import Policy
from engine.session import GameSession

WHATIF_METRICS = ("score", "logo_retention", "revenue_retention", "dark_share", "engagement")


@dataclass(frozen=True)
class Alternative:
    kind: Literal["drop", "answer", "nothing", "reference"]
    label: str
    quarter: int | None
    policy: Policy


@dataclass(frozen=True)
class Spread:
    runs: int
    p05: dict[str, float]
    p50: dict[str, float]
    p95: dict[str, float]
    helped_share: float


@dataclass(frozen=True)
class Effect:
    alternative: Alternative
    exact: dict[str, float]
    spread: Spread | None


class StandIn:
    """The module's functions; ``gate`` (when set) holds the ranged pass until opened."""

    def __init__(self) -> None:
        self.gate: threading.Event | None = None
        self.progress_calls: list[tuple[int, int]] = []

    def alternatives(self, session: GameSession) -> list[Alternative]:
        found = []
        for quarter, decisions in sorted(session.decisions.items()):
            for name in decisions.interventions:
                title = session.scenario.intervention(name).name
                found.append(
                    Alternative("drop", f"Without '{title}' (quarter {quarter})", quarter, Policy())
                )
        found.append(Alternative("nothing", "Doing nothing at all", None, Policy()))
        return found

    def exact_effects(
        self, session: GameSession, alternatives: Sequence[Alternative]
    ) -> list[Effect]:
        effects = []
        for index, alternative in enumerate(alternatives):
            sign = -1 if index % 3 == 1 else 1
            score = sign * (index + 1) * 1.5
            exact = {
                "score": score,
                "logo_retention": sign * 0.01 * (index + 1),
                "revenue_retention": sign * 0.005 * (index + 1),
                "dark_share": -sign * 0.002 * (index + 1),
                "engagement": sign * 0.01,
            }
            effects.append(Effect(alternative, exact, None))
        return effects

    def with_spreads(
        self,
        session: GameSession,
        effects: Sequence[Effect],
        runs: int = 200,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[Effect]:
        if self.gate is not None:
            self.gate.wait(timeout=30)
        if progress is not None and effects:
            progress(0, len(effects))  # the spreads begin
        done = []
        for index, effect in enumerate(effects):
            if cancelled is not None and cancelled():
                break
            score = effect.exact["score"]
            helped = (0.9, 0.5, 0.1)[index % 3]
            spread = Spread(
                runs,
                {name: value - 2.0 for name, value in effect.exact.items()},
                dict(effect.exact),
                {name: value + 2.0 for name, value in effect.exact.items()},
                helped if score >= 0 else 1 - helped,
            )
            done.append(replace(effect, spread=spread))
            self.progress_calls.append((index + 1, len(effects)))
            if progress is not None:
                progress(index + 1, len(effects))
        return done

    def measured_effects(
        self,
        session: GameSession,
        found: Sequence[Alternative],
        runs: int = 200,
        *,
        exact_known: Callable[[list[Effect]], None] | None = None,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[Effect]:
        """The exact effects, told to ``exact_known``, then their made-up ranges (in
        the order of size, as the figures above are made by position)."""
        exact = self.exact_effects(session, found)
        if exact_known is not None:
            exact_known(exact)
        if cancelled is not None and cancelled():
            return exact
        return self.with_spreads(session, self.ranked(exact), runs, progress, cancelled)

    @staticmethod
    def ranked(effects: Sequence[Effect]) -> list[Effect]:
        return sorted(effects, key=lambda effect: -abs(effect.exact["score"]))

    def install(self, monkeypatch) -> None:
        """Make ``from engine import whatif`` find this stand-in."""
        module = ModuleType("engine.whatif")
        for name in ("alternatives", "exact_effects", "with_spreads", "measured_effects", "ranked"):
            setattr(module, name, getattr(self, name))
        module.WHATIF_METRICS = WHATIF_METRICS
        monkeypatch.setitem(sys.modules, "engine.whatif", module)
        monkeypatch.setattr(engine, "whatif", module, raising=False)
