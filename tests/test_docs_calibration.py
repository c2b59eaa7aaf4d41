"""docs/calibration.md quotes what `goingdark calibrate` prints today: every
``$ goingdark calibrate ...`` example block is run and compared line by line, and the
figures its prose quotes are those of the same fits."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from game.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "calibration.md").read_text(encoding="utf-8")
# The prose with its line breaks made spaces, to find a sentence wherever it wraps.
PROSE = " ".join(DOC.split())


def examples() -> list[tuple[str, list[str]]]:
    """Each example of the doc: its command line and the output it shows (indented
    four spaces in the doc, up to the next line that is not indented)."""
    found = []
    lines = DOC.splitlines()
    for index, line in enumerate(lines):
        if not line.startswith("    $ goingdark calibrate"):
            continue
        command = line.removeprefix("    $ ")
        end = index + 1
        while command.endswith("\\"):
            command = command[:-1] + lines[end].strip()
            end += 1
        shown = []
        while end < len(lines) and (lines[end].startswith("    ") or not lines[end]):
            shown.append(lines[end].removeprefix("    ").rstrip())
            end += 1
        found.append((command, shown))
    return found


def output(capsys: pytest.CaptureFixture[str], command: str) -> list[str]:
    assert main(shlex.split(command)[1:]) == 0
    return [line.rstrip() for line in capsys.readouterr().out.splitlines()]


def trimmed(lines: list[str]) -> list[str]:
    while lines and not lines[-1]:
        lines = lines[:-1]
    return lines


def test_the_doc_has_both_worked_examples() -> None:
    commands = [command for command, _ in examples()]
    assert len(commands) == 2
    assert any("--scenario" in command for command in commands)


@pytest.mark.parametrize(("command", "shown"), examples(), ids=lambda x: str(x)[:40])
def test_each_example_prints_what_the_doc_shows(command, shown, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert trimmed(output(capsys, command)) == trimmed(shown)


def test_the_prose_quotes_the_fits(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    yearly = output(capsys, "goingdark calibrate 1000 631 468 382 326 289 262 241 --period year")
    assert "churn = { a = 0.709, b = 4.426 }" in yearly
    assert "gives `churn = { a = 0.709, b = 4.426 }`" in PROSE
    assert "Compare the plain yearly fit (a = 0.709, b = 4.426)" in PROSE
    # "its quarterly survival at every year's end is within 0.7 points of the counts"
    rows = [line.split() for line in yearly if re.match(r"\s+\d+\s+[01]\.\d{4}", line)]
    assert max(abs(float(row[3])) for row in rows) < 0.007
    assert "within 0.7 points of the counts" in PROSE
    high_end = output(capsys, "goingdark calibrate 1000 869 743 653 593 551 517 491")
    assert "churn = { a = 0.6681, b = 3.806 }" in high_end
    assert "the command gives 0.6681 and 3.806" in PROSE


def test_the_prose_quotes_the_fit_inside_the_scenario(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    command = next(command for command, _ in examples() if "--scenario" in command)
    printed = output(capsys, command)
    rows = [line.split() for line in printed if re.match(r"\s+\d+\s+[01]\.\d{4}", line)]
    first_year, last_year = rows[1], rows[-1]
    plain = output(capsys, "goingdark calibrate 1000 631 468 382 326 289 262 241 --period year")
    plain_rows = [line.split() for line in plain if re.match(r"\s+\d+\s+[01]\.\d{4}", line)]
    # "the fitted baseline alone loses 34% in the first year rather than 37%, and 67%
    # over seven years rather than 76%"
    losses = [
        round(100 * (1 - float(value)))
        for value in (first_year[5], plain_rows[1][2], last_year[5], plain_rows[-1][2])
    ]
    assert losses == [34, 37, 67, 76]
    assert "loses 34% in the first year rather than 37%, and 67% over seven years" in PROSE
    assert "67% over seven years rather than 76%" in PROSE
    added = re.search(r"so the drivers add (\d+\.\d) points", " ".join(printed)).group(1)
    assert f"the drivers take {added} points over the" in PROSE


def test_the_json_keys_the_doc_lists_are_the_commands(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    plain = output(capsys, "goingdark calibrate 1000 631 468 382 --json")
    assert "with the keys `a`, `b`, `log_likelihood`, `periods`, `counts`," in PROSE
    listed = re.search(r"with the keys (.*?) \(the lines to paste\)", PROSE).group(1)
    assert re.findall(r"`(\w+)`", listed) == list(json.loads("\n".join(plain)))
    command = next(command for command, _ in examples() if "--scenario" in command)
    inside = output(capsys, command + " --json")
    listed = re.search(r"`--json` gives (.*?)\. The report", PROSE).group(1)
    assert re.findall(r"`(\w+)`", listed) == list(json.loads("\n".join(inside)))
