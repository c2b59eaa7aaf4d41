"""Regenerate the example saves: python saves/make.py

The examples are fixtures (tests replay every one with ``goingdark replay --verify``)
and documentation (docs/saves.md). Each pins its built-in scenario file by hash and
the model by its recorded figures, so when a built-in scenario or the model changes,
their replays stop verifying: regenerate them deliberately, look at what moved, and
say why in the commit message. Times are fixed so that regenerating changes only
what really changed.
"""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import tomli_w

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from engine.files import write_atomic  # noqa: E402
from engine.saves import file_hash, snapshot, write_save  # noqa: E402
from engine.scenario.loader import builtin_dir, load_scenario  # noqa: E402
from engine.session import GameSession  # noqa: E402

Plan = dict[int, tuple[list[str], dict[str, str]]]


@dataclass(frozen=True)
class Example:
    file: str
    scenario: str
    seed: int | None  # None: the scenario's own
    player: str
    slot: str
    created: str
    updated: str
    plan: Plan  # quarter -> (interventions, dilemma choices); the quarters to play


EXAMPLES = (
    Example(
        file="first-quarter-complete.toml",
        scenario="first-quarter",
        seed=None,
        player="Example trainee",
        slot="Tutorial, played through",
        created="2025-03-14T09:05:12Z",
        updated="2025-03-14T09:31:47Z",
        plan={
            1: (["call-round", "thank-the-techs"], {}),
            2: (["feedback-cards"], {"fairbank-order": "promise-a-week"}),
            3: ([], {}),
            4: (["seasonal-blends"], {}),
        },
    ),
    Example(
        file="quota-season-lunch-break.toml",
        scenario="quota-season",
        seed=31,
        player="Team Blue",
        slot="Lunch break",
        created="2025-03-14T10:02:40Z",
        updated="2025-03-14T12:15:03Z",
        plan={
            1: (["account-plans", "health-scores"], {}),
            2: (["win-back-desk"], {"push-q2": "hold"}),
            3: (["fleet-insights"], {}),
            4: ([], {"push-q4": "push"}),
        },
    ),
)

# The format-1 example: a game of fine-on-paper saved after three quarters.
V1_FILE = Path("format-1") / "fine-on-paper-board-meeting.toml"
V1_SCENARIO = "fine-on-paper"
V1_PLAN: Plan = {
    1: (["thank-you", "check-in-calls"], {}),
    2: (["honest-survey"], {}),
    3: (["value-reviews"], {"survey-framed": "keep-accounts"}),
}


def play(scenario_id: str, seed: int | None, player: str, plan: Plan) -> GameSession:
    session = GameSession(load_scenario(scenario_id), seed=seed, player=player)
    for quarter in range(1, max(plan) + 1):
        interventions, choices = plan.get(quarter, ([], {}))
        session.play(interventions, choices)
    return session


def write_example(example: Example) -> Path:
    session = play(example.scenario, example.seed, example.player, example.plan)
    save = snapshot(session, slot=example.slot, created=example.created)
    save = dataclasses.replace(save, updated=example.updated)
    path = HERE / example.file
    write_save(save, path)
    return path


def format_1_table(session: GameSession, saved: datetime) -> dict:
    """What Going Dark 0.0.x wrote: see SaveFileV1 in engine/saves.py."""
    path = builtin_dir() / f"{session.scenario.meta.id}.toml"
    return {
        "kind": "going-dark save",
        "format": 1,
        "version": "0.0.9",
        "scenario": session.scenario.meta.id,
        "digest": f"sha256:{file_hash(path)}",
        "seed": session.seed,
        "team": session.player,
        "name": "before the board meeting",
        "saved": saved,
        "played": session.quarter,
        "length": session.quarters,
        "turns": [
            {
                "quarter": quarter,
                "adopt": list(decisions.interventions),
                **({"dilemmas": dict(decisions.choices)} if decisions.choices else {}),
            }
            for quarter, decisions in sorted(session.decisions.items())
        ],
        "history": {
            "customers": [int(v) for v in session.series("active_customers")],
            "revenue": [float(v) for v in session.series("revenue")],
            "retention": [float(v) for v in session.series("logo_retention")],
        },
    }


def write_format_1() -> Path:
    session = play(V1_SCENARIO, None, "Night shift", V1_PLAN)
    saved = datetime(2024, 11, 5, 16, 20, 0, tzinfo=UTC)
    text = "# Going Dark save (format 1)\n" + tomli_w.dumps(format_1_table(session, saved))
    path = HERE / V1_FILE
    path.parent.mkdir(exist_ok=True)
    write_atomic(path, text)
    return path


if __name__ == "__main__":
    for path in [*(write_example(example) for example in EXAMPLES), write_format_1()]:
        print(f"wrote {path.relative_to(ROOT)}")
