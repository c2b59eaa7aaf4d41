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

from dataclasses import replace
from pathlib import Path

from engine.decision_log import Policy, PolicyFile, PolicySource, QuarterDecisions
from engine.errors import PolicyError
from engine.saves import SaveError, read_save
from engine.textfile import (
    FileIssue,
    TomlSyntaxError,
    UnreadableFile,
    parse_toml,
    read_text,
)

# The types live in engine.decision_log (a leaf the session and the saves share);
# they stay importable from here, beside the reader of policy files.
__all__ = ["Policy", "PolicyFile", "QuarterDecisions", "load_policy"]

_WORDING = {
    FileIssue.MISSING: "file not found",
    FileIssue.FOLDER: "is a folder, not a policy file",
    FileIssue.UTF16: "is not UTF-8 text",
    FileIssue.NOT_UTF8: "is not UTF-8 text",
    FileIssue.BINARY: "is a binary file, not a policy file",
}


def load_policy(path: Path) -> Policy:
    """Read a policy file, or the decision log of a save; raises PolicyError with the
    file and line of any problem."""
    try:
        text = read_text(path)
    except UnreadableFile as exc:
        words = _WORDING.get(exc.issue, f"cannot be read: {exc.reason}")
        raise PolicyError(f"{path}: {words}") from None
    try:
        data = parse_toml(text)
    except TomlSyntaxError as exc:
        # The same form as a scenario's syntax errors: PATH:LINE: ... at column N.
        where = f"{path}:{exc.line}" if exc.line is not None else str(path)
        message = exc.message or "TOML nested too deeply to read"
        raise PolicyError(f"{where}: {message}") from None
    if isinstance(data.get("save"), dict) or data.get("kind") == "going-dark save":
        try:
            policy = read_save(path, check_scenario=False).policy
        except SaveError as exc:
            raise PolicyError(str(exc)) from None
        # A save's log is not laid out as a policy file: name the file, not its lines.
        return replace(policy, source=PolicySource(str(path), None, {}))
    return Policy.from_table(data, source=str(path), text=text)
