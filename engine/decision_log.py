"""Decision logs: the decisions of a whole game, quarter by quarter, as a table.

The types of :mod:`engine.policy`'s files and of a save's decision log. A leaf
module (no file reading): the session, the simulation and the saves all use it,
while :mod:`engine.policy` reads policy files, saves included, from disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import tomli_w
from pydantic import ValidationError

from engine.decisions import Decisions
from engine.errors import PolicyError
from engine.policy_tables import PolicyFile, QuarterDecisions, StrictModel
from engine.scenario.locate import KeyLocator
from engine.textfile import display_path, validation_message
from engine.world import World

# The tables live in engine.policy_tables (a leaf the scenario schema uses too).
__all__ = ["Policy", "PolicyFile", "PolicySource", "QuarterDecisions", "StrictModel"]


@dataclass(frozen=True)
class PolicySource:
    """Where a policy was read from, to point at its lines: the file's name, its text,
    and the index of each quarter's ``[[decisions]]`` entry in the file."""

    name: str
    text: str | None
    entries: dict[int, int]

    def line(self, raw: tuple[str | int, ...]) -> int | None:
        """The line of a key path of the file (raw, indices 0-based), when known."""
        return KeyLocator(self.text).line(raw) if self.text else None


@dataclass(frozen=True)
class Policy:
    """Decisions per quarter; quarters not listed decide nothing."""

    by_quarter: dict[int, Decisions] = field(default_factory=dict)
    scenario: str | None = None
    # Dilemma answers for whenever the dilemma comes up (a quarter's own answers win).
    choices: dict[str, str] = field(default_factory=dict)
    # The file it was read from, if any (not part of what the policy decides).
    source: PolicySource | None = field(default=None, compare=False, repr=False)

    def for_quarter(self, quarter: int) -> Decisions:
        """The decisions of ``quarter``, with the standing dilemma answers added."""
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
        """The policy as the text of a policy file."""
        return tomli_w.dumps(self.to_table())

    @classmethod
    def from_table(cls, data: dict, *, source: str = "<policy>", text: str | None = None) -> Policy:
        """The policy of a parsed table; raises PolicyError naming ``source`` (and the
        line, when ``text`` is given) of every problem."""
        try:
            parsed = PolicyFile.model_validate(data)
        except ValidationError as exc:
            locator = KeyLocator(text or "")
            lines = []
            for error in exc.errors(include_url=False):
                loc = tuple(error["loc"])
                line = locator.line(loc) if text else None
                where = f"{source}:{line}" if line else source
                lines.append(
                    f"{where}: {display_path(loc, data)}: {validation_message(error, PolicyFile)}"
                )
            raise PolicyError("\n".join(lines)) from exc
        by_quarter: dict[int, Decisions] = {}
        entries: dict[int, int] = {}
        for index, entry in enumerate(parsed.decisions):
            if entry.quarter in by_quarter:
                raise PolicyError(f"{source}: quarter {entry.quarter} is listed twice")
            by_quarter[entry.quarter] = Decisions(tuple(entry.interventions), dict(entry.choices))
            entries[entry.quarter] = index
        origin = PolicySource(source, text, entries)
        return cls(by_quarter, parsed.scenario, dict(parsed.choices), origin)
