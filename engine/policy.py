"""Policies: the decisions of a whole game, quarter by quarter, as TOML.

The same table is a save's decision log, so any saved game can be replayed
headless with ``goingdark run SCENARIO --policy FILE`` (a save file itself is read
as its decision log: the save's other keys are left to :mod:`engine.saves`)::

    scenario = "quota-season"          # optional: refuses to run on another scenario

    [[decisions]]
    quarter = 1
    interventions = ["account-reviews", "coaching"]

    [[decisions]]
    quarter = 3
    interventions = []
    choices = { quarter-end-push = "hold-the-line" }

A top-level ``choices`` table answers a dilemma whenever it comes up, so a random
one need not be answered quarter by quarter; a quarter's own ``choices`` win::

    choices = { pushback = "listen" }
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engine.decisions import Decisions
from engine.errors import PolicyError
from engine.scenario.loader import _message, display_path, toml_syntax_error
from engine.scenario.locate import KeyLocator
from engine.world import World


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class QuarterDecisions(_Model):
    quarter: Annotated[int, Field(ge=1, le=40)]
    interventions: list[str] = Field(default_factory=list)
    choices: dict[str, str] = Field(default_factory=dict)


class PolicyFile(_Model):
    scenario: str | None = None
    choices: dict[str, str] = Field(default_factory=dict)
    decisions: list[QuarterDecisions] = Field(default_factory=list)


@dataclass(frozen=True)
class Policy:
    """Decisions per quarter; quarters not listed decide nothing."""

    by_quarter: dict[int, Decisions] = field(default_factory=dict)
    scenario: str | None = None
    # Dilemma answers for whenever the dilemma comes up (a quarter's own answers win).
    choices: dict[str, str] = field(default_factory=dict)

    def for_quarter(self, quarter: int) -> Decisions:
        decisions = self.by_quarter.get(quarter, Decisions())
        if not self.choices:
            return decisions
        return Decisions(decisions.interventions, {**self.choices, **decisions.choices})

    def validate(self, world: World) -> None:
        """Raise PolicyError if the policy names another scenario or unknown ids."""
        scenario_id = world.scenario.meta.id
        if self.scenario is not None and self.scenario != scenario_id:
            raise PolicyError(f"the policy is for scenario '{self.scenario}', not '{scenario_id}'")
        try:
            Decisions(choices=self.choices).validate(world)
        except PolicyError as exc:
            raise PolicyError(f"choices: {exc}") from exc
        for quarter, decisions in sorted(self.by_quarter.items()):
            try:
                decisions.validate(world)
            except PolicyError as exc:
                raise PolicyError(f"quarter {quarter}: {exc}") from exc

    def to_table(self) -> dict:
        """The policy as a TOML-ready table (the decision-log format)."""
        table: dict = {}
        if self.scenario is not None:
            table["scenario"] = self.scenario
        if self.choices:
            table["choices"] = dict(self.choices)
        table["decisions"] = [
            {
                "quarter": quarter,
                "interventions": list(d.interventions),
                **({"choices": dict(d.choices)} if d.choices else {}),
            }
            for quarter, d in sorted(self.by_quarter.items())
        ]
        return table

    def dumps(self) -> str:
        return tomli_w.dumps(self.to_table())

    @classmethod
    def from_table(cls, data: dict, *, source: str = "<policy>", text: str | None = None) -> Policy:
        try:
            parsed = PolicyFile.model_validate(data)
        except ValidationError as exc:
            locator = KeyLocator(text or "")
            lines = []
            for error in exc.errors(include_url=False):
                loc = tuple(error["loc"])
                line = locator.line(loc) if text else None
                where = f"{source}:{line}" if line else source
                lines.append(f"{where}: {display_path(loc, data)}: {_message(error, PolicyFile)}")
            raise PolicyError("\n".join(lines)) from exc
        by_quarter: dict[int, Decisions] = {}
        for entry in parsed.decisions:
            if entry.quarter in by_quarter:
                raise PolicyError(f"{source}: quarter {entry.quarter} is listed twice")
            by_quarter[entry.quarter] = Decisions(tuple(entry.interventions), dict(entry.choices))
        return cls(by_quarter, parsed.scenario, dict(parsed.choices))


def load_policy(path: Path) -> Policy:
    """Read a policy file; raises PolicyError with the file and line of any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise PolicyError(f"{path}: is a folder, not a policy file") from None
    except UnicodeDecodeError:
        raise PolicyError(f"{path}: is not UTF-8 text") from None
    except OSError as exc:
        raise PolicyError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # The same form as a scenario's syntax errors: PATH:LINE: ... at column N.
        line, message = toml_syntax_error(exc)
        where = f"{path}:{line}" if line is not None else str(path)
        raise PolicyError(f"{where}: {message}") from None
    if isinstance(data.get("save"), dict) or data.get("kind") == "going-dark save":
        return _policy_of_save(path)
    return Policy.from_table(data, source=str(path), text=text)


def _policy_of_save(path: Path) -> Policy:
    """The decision log of a saved game, of any format this version reads."""
    from engine.saves import SaveError, read_save  # saves import this module

    try:
        return read_save(path, check_scenario=False).policy
    except SaveError as exc:
        raise PolicyError(str(exc)) from None
