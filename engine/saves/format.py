"""The save format: what a save holds, its current and older schemas, and migrations.

A save is a small TOML file (docs/saves.md describes every key). Its heart is the
decision log: the scenario id and the ``[[decisions]]`` of every quarter played, in
the very format of ``goingdark run --policy``. Replaying that log from the scenario
and the seed rebuilds the game bit for bit, so a save needs nothing else to be
restored; the ``[save]`` table says what the game is and the ``[recorded]`` figures
let a replay prove that it rebuilt the same game.

A new format gets its schema here and a migration from the one before, registered
in :data:`FORMATS`; reading checks a file against its own format's schema, then
migrates it step by step to the current one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import tomli_w
from pydantic import BaseModel, ConfigDict, Field

from engine.decision_log import Policy, QuarterDecisions
from engine.errors import GoingDarkError
from engine.scenario.schema import Slug
from engine.textfile import one_line

SAVE_FORMAT = 2
AUTOSAVE = "autosave"  # the slot of autosaves; a player's own slot never maps onto it
HEADER_START = "# Going Dark saved game"  # a save's first line starts so
END_MARKER = "# end of save"  # and its last line is this
MAX_SAVE_BYTES = 4 * 1024 * 1024
# The figures a save records for verification: the quarter table's columns and
# the ones the game's dashboard leads with.
RECORDED = (
    "active_customers",
    "logo_retention",
    "revenue",
    "revenue_retention",
    "defections",
    "new_customers",
    "csat_reported",
    "csat_true",
    "thrill",
    "dark_share",
    "engagement",
    "quality",
    "quality_norm",
    "profit",
    "budget",
)
SLOT_MAX_CHARS = 60


class SaveError(GoingDarkError):
    """A save that cannot be written, read or restored; the message names the file."""


def game_version() -> str:
    """The installed package's version, or "dev" when running from a bare checkout."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("going-dark")
    except PackageNotFoundError:
        return "dev"


def now() -> str:
    """The current time as a save writes it: ISO 8601, UTC, whole seconds."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def file_hash(path: Path) -> str:
    """sha256 of a file's bytes, in hex (how a save pins its scenario)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# --- the saved game -----------------------------------------------------------------------
@dataclass
class SaveGame:
    """A saved game as the current format describes it (older files are migrated)."""

    format: int  # the format of the file it was read from (SAVE_FORMAT for new saves)
    game_version: str
    scenario_id: str
    scenario_hash: str  # sha256 of the scenario file's bytes, hex
    scenario_path: str | None  # only for scenarios that are not built in
    seed: int
    player: str
    slot: str
    created: str  # ISO 8601 UTC: when the slot was first written
    updated: str  # ISO 8601 UTC: when it was last written
    quarter: int  # quarters played
    quarters: int  # the scenario's length
    policy: Policy  # the decision log
    recorded: dict[str, list[float]]  # metric -> values of quarters 0..quarter
    score: float | None  # None before the first quarter
    path: Path | None = field(default=None, compare=False)  # where it was read from

    @property
    def is_autosave(self) -> bool:
        return self.slot == AUTOSAVE

    @property
    def is_over(self) -> bool:
        return self.quarter >= self.quarters

    @property
    def migrated(self) -> bool:
        """Read from an older format (saving it again writes the current one)."""
        return self.format < SAVE_FORMAT

    @property
    def name(self) -> str:
        """How messages name this save: its file, else its slot."""
        return str(self.path) if self.path is not None else f'save "{self.slot}"'

    def to_table(self) -> dict[str, Any]:
        """The TOML-ready table of the current format; the decision log comes first
        and the recorded figures last."""
        policy = self.policy.to_table()
        header: dict[str, Any] = {
            "format": SAVE_FORMAT,
            "game_version": self.game_version,
            "slot": self.slot,
            "player": self.player,
            "seed": self.seed,
            "quarter": self.quarter,
            "quarters": self.quarters,
        }
        if self.score is not None:
            header["score"] = self.score
        header |= {"created": self.created, "updated": self.updated}
        header["scenario_hash"] = self.scenario_hash
        if self.scenario_path is not None:
            header["scenario_path"] = self.scenario_path
        return {
            "scenario": self.scenario_id,
            "decisions": policy["decisions"],
            "save": header,
            "recorded": {name: list(values) for name, values in self.recorded.items()},
        }


def render(save: SaveGame) -> str:
    """The save as the text of its file: a header comment, the TOML, the end marker."""
    where = f"quarter {save.quarter} of {save.quarters}"
    who = f', player "{save.player}"' if save.player else ""
    lines = [
        f'{HEADER_START} "{save.slot}": {save.scenario_id}, {where}{who}.',
        "# Replay it with: goingdark replay FILE --verify",
        "# `scenario` and `decisions` are the decision log, as goingdark run --policy reads",
        "# it; [recorded] holds the figures the game showed, to check replays against.",
        f"# The last line, '{END_MARKER}', shows the file was written whole: keep it.",
    ]
    header = "\n".join(one_line(line) for line in lines)
    return f"{header}\n\n{tomli_w.dumps(save.to_table())}\n{END_MARKER}\n"


# --- the file formats ---------------------------------------------------------------------
class SaveModel(BaseModel):
    """A table of a save: unknown keys refused, no type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Quarter = Annotated[int, Field(ge=0, le=40)]


class SaveHeader(SaveModel):
    """The ``[save]`` table: what the game is, and when it was saved."""

    format: int
    game_version: str
    slot: Annotated[str, Field(min_length=1, max_length=200)]
    player: str = ""
    seed: Annotated[int, Field(ge=0, lt=2**63)]
    quarter: Quarter
    quarters: Annotated[int, Field(ge=1, le=40)]
    score: float | None = None
    created: str
    updated: str
    scenario_hash: Sha256
    scenario_path: Annotated[str, Field(min_length=1)] | None = None


class SaveFile(SaveModel):
    """Format 2 (current)."""

    scenario: Slug
    decisions: list[QuarterDecisions] = Field(default_factory=list)
    save: SaveHeader
    recorded: dict[str, list[float]]


class TurnV1(SaveModel):
    """Format 1: one ``[[turns]]`` entry."""

    quarter: Annotated[int, Field(ge=1, le=40)]
    adopt: list[str] = Field(default_factory=list)
    dilemmas: dict[str, str] = Field(default_factory=dict)


class HistoryV1(SaveModel):
    """Format 1: the ``[history]`` figures."""

    customers: list[int]
    revenue: list[float]
    retention: list[float]


class SaveFileV1(SaveModel):
    """Format 1 (Going Dark 0.0.x): a flat table marked by ``kind``, decisions as
    ``[[turns]]`` of ``adopt``/``dilemmas``, a ``digest`` prefixed with its algorithm, a
    TOML date-time, and three figures in ``[history]``."""

    kind: Literal["going-dark save"]
    format: Literal[1]
    version: str
    scenario: Slug
    digest: Annotated[str, Field(pattern=r"^sha256:[0-9a-f]{64}$")]
    seed: Annotated[int, Field(ge=0, lt=2**63)]
    team: str = ""
    name: Annotated[str, Field(min_length=1, max_length=200)]
    saved: datetime
    played: Quarter
    length: Annotated[int, Field(ge=1, le=40)]
    turns: list[TurnV1] = Field(default_factory=list)
    history: HistoryV1


def v1_to_v2(old: dict[str, Any]) -> dict[str, Any]:
    """Format 1 -> 2: the decision log moves to the policy format, the header to [save],
    the digest loses its prefix, times become UTC strings, [history] becomes [recorded]."""
    saved = old["saved"]
    if saved.tzinfo is None:  # format 1 wrote UTC, sometimes without the offset
        saved = saved.replace(tzinfo=UTC)
    stamp = saved.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    history = old["history"]
    return {
        "scenario": old["scenario"],
        "decisions": [
            {
                "quarter": turn["quarter"],
                "interventions": list(turn.get("adopt", [])),
                **({"choices": dict(turn["dilemmas"])} if turn.get("dilemmas") else {}),
            }
            for turn in old.get("turns", [])
        ],
        "save": {
            "format": 2,
            "game_version": old["version"],
            "slot": old["name"],
            "player": old.get("team", ""),
            "seed": old["seed"],
            "quarter": old["played"],
            "quarters": old["length"],
            "created": stamp,
            "updated": stamp,
            "scenario_hash": old["digest"].removeprefix("sha256:"),
        },
        "recorded": {
            "active_customers": [float(v) for v in history["customers"]],
            "revenue": list(history["revenue"]),
            "logo_retention": list(history["retention"]),
        },
    }


# Format -> (its schema, the migration to the next format). The current format has none.
FORMATS: dict[int, tuple[type[BaseModel], Callable[[dict[str, Any]], dict[str, Any]] | None]] = {
    1: (SaveFileV1, v1_to_v2),
    2: (SaveFile, None),
}


def migrate(data: dict[str, Any], found: int) -> dict[str, Any]:
    """A parsed save of format ``found`` in the current format, through the chain."""
    while found < SAVE_FORMAT:
        step = FORMATS[found][1]
        assert step is not None
        data = step(data)
        found += 1
    return data
