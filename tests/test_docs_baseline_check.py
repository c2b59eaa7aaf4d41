"""The guide's baseline check (docs/scenario-authoring.md, "Calibrating churn") quotes
what `goingdark run --runs 500` prints for the walk-through's small offices alone with
the five defection drivers switched off, and says that this follows the curve
`goingdark calibrate` fitted. Both are checked against the runs and the fit."""

from __future__ import annotations

import json
import re
import shlex

from game.cli import main
from tests.test_docs import DOC, example
from tests.test_docs_walkthrough import flat

COUNTS = "400 391 383 376 370 365 360 356 352"
# The quarters' shares the run may differ from the fitted curve by and still "follow" it.
CLOSE = 0.002


def overrides() -> str:
    """The guide's temporary ``[dynamics]`` block that switches the drivers off."""
    match = re.search(r"```toml\n(\[dynamics\]\n# Temporary: pure baseline.*?)```", DOC, re.DOTALL)
    assert match is not None
    return match.group(1)


def small_offices_only() -> str:
    """The finished walk-through scenario with its mid-sized segment taken out."""
    text = example("helpdesk-drift.toml")
    start = text.index('[[segments]]\nid = "mid-sized"')
    end = text.index("[start]", start)
    return text[:start] + text[end:]


def printed(capsys, command: str) -> str:
    assert main(shlex.split(command)[1:]) == 0
    return capsys.readouterr().out


def test_the_baseline_check_quotes_the_run_and_follows_the_fit(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    scenario = small_offices_only() + "\n" + overrides()
    (tmp_path / "baseline.toml").write_text(scenario, encoding="utf-8")
    run = json.loads(printed(capsys, "goingdark run baseline.toml --runs 500 --json"))
    shares = [quarter["logo_retention"]["mean"] for quarter in run["quarters"][1:]]
    assert len(shares) == 8
    quoted = ", ".join(f"{100 * share:.1f}%" for share in shares[:-1])
    sentence = f"gives a logo retention of {quoted} and {100 * shares[-1]:.1f}% over the eight"
    assert sentence in flat(DOC)

    fit = json.loads(printed(capsys, f"goingdark calibrate {COUNTS} --json"))
    fitted = fit["fitted_survival"][1:]
    curve = f"the fitted curve ({fitted[0]:.4f}, {fitted[1]:.4f}, …, {fitted[-1]:.4f})"
    assert curve in flat(DOC)
    assert all(
        abs(share - fitted_share) < CLOSE
        for share, fitted_share in zip(shares, fitted, strict=True)
    )
