"""The engine's error types.

Everything the engine refuses is raised as a subclass of :class:`GoingDarkError`
with a message a user can act on. Callers (the CLI, the game) catch that one
type and show its text; anything else escaping the engine is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class GoingDarkError(Exception):
    """Base of every error the engine raises on purpose, with a user-facing message."""


class ParameterError(GoingDarkError, ValueError):
    """Impossible parameters: negative counts, Beta shapes <= 0, probabilities outside
    [0, 1], or a simulation larger than the memory budget."""


class CalibrationError(GoingDarkError, ValueError):
    """Survivor counts that cannot be fitted (increasing, negative, too few, ...)."""


class PolicyError(GoingDarkError, ValueError):
    """A policy (decision log) that does not fit its scenario."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a scenario file.

    ``key`` is the dotted key path with list items named by their ``id`` where they
    have one (``interventions.coaching.cost``); ``line`` is 1-based and only set when
    the key can actually be found in the file.
    """

    path: Path | None
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = str(self.path) if self.path is not None else "<scenario>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class ScenarioError(GoingDarkError):
    """A scenario that cannot be loaded; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))
