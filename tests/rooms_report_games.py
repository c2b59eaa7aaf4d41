"""Four teams' games of the first-quarter scenario (same seed, different decisions), the
shared data of the class debrief and report tests."""

from __future__ import annotations

from engine.scenario.loader import load_scenario
from engine.session import GameSession

# team -> per quarter (interventions, dilemma answers)
PLANS: dict[str, list[tuple[list[str], dict[str, str]]]] = {
    "Alpha": [
        (["call-round"], {}),
        (["seasonal-blends"], {"fairbank-order": "promise-a-week"}),
        (["thank-the-techs"], {}),
        ([], {}),
    ],
    "Bravo": [
        (["call-round"], {}),
        ([], {"fairbank-order": "promise-a-week"}),
        (["feedback-cards"], {}),
        ([], {}),
    ],
    "Charlie": [([], {}), ([], {}), ([], {}), ([], {})],
    "Delta": [
        (["free-upgrade"], {}),
        ([], {"fairbank-order": "promise-monday"}),
        ([], {}),
        ([], {}),
    ],
}


def play(plan, quarters: int | None = None, player: str = "") -> GameSession:
    """A fresh game of first-quarter played with ``plan`` for ``quarters`` quarters."""
    game = GameSession(load_scenario("first-quarter"), player=player)
    for interventions, answers in plan[:quarters]:
        game.play(interventions, answers)
    return game


def team_games(quarters: int | None = None) -> dict[str, GameSession]:
    """Every team of :data:`PLANS`, played to ``quarters`` (default: the whole game)."""
    return {team: play(plan, quarters, team) for team, plan in PLANS.items()}
