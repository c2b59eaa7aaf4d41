"""The README's commands work as a newcomer types them, in the order they are given.

The quickstart's two commands run without activating anything; everything after them
assumes the environment is active, which the README must say before the first bare
``goingdark``, ``python`` or ``pytest``. The scenario authors' block is run line by line
in an empty folder, and every ``goingdark`` command the facilitators' section names
must exist with the options it shows.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from game.cli import EXIT_OK, main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
ACTIVATE = ". .venv/bin/activate"


def section(title: str) -> str:
    """The text of a ``## title`` section, up to the next one."""
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else len(README)]


def marked_command(marker: str) -> str:
    """The single line of the code block after ``<!-- marker -->``."""
    after = README.split(f"<!-- {marker} -->\n", 1)[1]
    block = re.match(r"```sh\n(.*?)\n```", after, re.S)
    assert block is not None, f"no sh block after {marker}"
    return block.group(1)


def run_cli(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def test_the_quickstart_has_one_play_and_one_test_command_that_need_no_activation() -> None:
    assert README.count("<!-- play-command -->") == 1
    assert README.count("<!-- test-command -->") == 1
    for marker in ("play-command", "test-command"):
        command = marked_command(marker)
        assert "\n" not in command
        # Runnable right after a clone: the environment's own programs, by path.
        assert command.startswith("python3 -m venv .venv && .venv/bin/pip install -e ")
        assert re.search(r"&& \.venv/bin/(goingdark|python -m pytest)$", command), command


def bare_commands(text: str) -> list[re.Match[str]]:
    """Commands that need the environment active, in code blocks or inline code (a bare
    name alone in backticks, like `goingdark`, is a name, not a command)."""
    return list(re.finditer(r"(^|`)(goingdark|python|pytest)( |$)", text, re.M))


def test_activation_is_said_before_the_first_bare_command() -> None:
    quickstart_end = README.index("<!-- test-command -->")
    first_bare = next(
        match.start() for match in bare_commands(README) if match.start() > quickstart_end
    )
    said = README.find(ACTIVATE, quickstart_end)
    assert said != -1, f"the README never says to run {ACTIVATE!r}"
    assert said < first_bare, README[first_bare : first_bare + 60]


def test_every_command_of_the_authors_block_works_in_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOINGDARK_HOME", str(tmp_path / "home"))
    block = re.search(r"```sh\n(.*?)\n```", section("For scenario authors"), re.S)
    assert block is not None
    lines = [line.split("#", 1)[0].strip() for line in block.group(1).splitlines()]
    assert len(lines) >= 5
    for line in lines:
        command, _, target = line.partition(" > ")
        words = shlex.split(command)
        assert words[0] == "goingdark", line
        code, out, err = run_cli(capsys, words[1:])
        assert (code, err) == (EXIT_OK, ""), line
        if target:
            (tmp_path / target.strip()).write_text(out, encoding="utf-8")


def test_every_facilitator_command_exists_with_its_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    named = re.findall(r"`goingdark ([a-z]+)([^`]*)`", section("For facilitators"))
    assert {"play", "run", "replay", "saves"} <= {command for command, _ in named}
    for command, rest in named:
        argv = [command]
        code, usage, _ = run_cli(capsys, [command, "--help"])
        words = rest.split()
        # A command with subcommands (`goingdark session report ...`): the subcommand's
        # own help lists its options.
        if words and "SUBCOMMAND" in usage and re.fullmatch(r"[a-z]+", words[0]):
            argv.append(words[0])
            code, usage, _ = run_cli(capsys, [*argv, "--help"])
        assert code == EXIT_OK, " ".join(argv)
        for option in re.findall(r"--[a-z-]+", rest):
            assert option in usage, f"goingdark {' '.join(argv)} has no {option}"


def test_the_example_replay_works_from_the_checkout(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    examples = re.findall(r"`goingdark (replay saves/[^`]+)`", README)
    assert examples
    for example in examples:
        assert run_cli(capsys, shlex.split(example))[0] == EXIT_OK
