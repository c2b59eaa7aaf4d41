"""What a group session's store hands out: plain frozen records, no SQL, no games."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

RoundState = Literal["waiting", "open", "paused", "finished"]
TeamStatus = Literal["joined", "deciding", "submitted", "defaulted", "offline"]
DecisionSource = Literal["team", "draft", "default"]

# A client not heard from for this long is offline on the roster (the team app beats
# every second; a command-line team is heard only when it submits).
OFFLINE_AFTER = 30.0
# A team's seat is free for another client after this much silence. A team app beats
# every second, so five silent seconds mean its terminal or browser is gone (crashed,
# killed, closed): the team can rejoin from a new one almost at once. A live client
# never goes that quiet, so a second screen is still refused while the first plays.
# The roster's "offline" keeps its longer rule: a brief pause is not worth a warning.
SEAT_FREE_AFTER = 5.0


@dataclass(frozen=True)
class RoomInfo:
    """A session's settings and where its round stands."""

    code: str
    name: str  # the facilitator's title, may be ""
    scenario_id: str
    scenario_title: str
    scenario_sha256: str
    seed: int
    quarters: int  # the scenario's length
    quarter: int  # the quarter being decided; quarters + 1 once finished
    state: RoundState
    deadline: float | None  # unix time the open round closes by itself; None = by hand
    deadline_minutes: int | None  # the room's setting, applied when a round opens
    remaining: float | None  # seconds left (open: deadline - now; paused: frozen)
    forecasts: bool
    reveal: bool  # the facilitator revealed the true figures
    created_at: float
    path: Path


@dataclass(frozen=True)
class TeamInfo:
    """A team as the facilitator's roster shows it."""

    name: str
    status: TeamStatus
    joined_at: float
    last_seen: float | None
    played: int  # quarters played so far (closed rounds)
    connected: bool


@dataclass(frozen=True)
class Decision:
    """One team's decision for one quarter."""

    team: str
    quarter: int
    interventions: tuple[str, ...]
    answers: dict[str, str]  # dilemma event id -> choice id
    submitted_at: float
    source: DecisionSource  # "draft"/"default" = defaulted at close


@dataclass(frozen=True)
class RoomEvent:
    """One line of the session's log."""

    id: int
    at: float
    kind: str
    team: str | None
    text: str  # a plain sentence, e.g. "Round 2 closed: 3 teams defaulted."
    old_team: str | None = None  # "renamed": the name before (``team`` is the new one)


@dataclass(frozen=True)
class Standing:
    """One row of the leaderboard."""

    rank: int
    team: str
    score: float  # score so far by the scenario's rules (engine.outcomes)
    stars: int
    grade: str
    figures: dict[str, float]  # metric -> latest value the team can see
    true_figures: dict[str, float] | None  # hidden metrics; None unless revealed
    status: TeamStatus
