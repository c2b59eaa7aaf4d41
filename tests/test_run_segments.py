"""Per-segment figures: `goingdark run --segments` and the segments of `run --json`.

Each segment's figures must add up to the whole company's, run by run and quarter by
quarter, so that what a segment's table says is true of the run it describes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from engine.params import DEFECTION_DRIVERS
from engine.scenario.loader import load_scenario
from engine.segment_metrics import SEGMENT_METRICS
from engine.simulate import simulate
from engine.world import World
from game.cli import EXIT_OK, main

MINIMAL = Path(__file__).resolve().parent / "data" / "minimal.toml"


@pytest.fixture(scope="module")
def results():
    world = World.from_scenario(load_scenario(MINIMAL))
    return world, simulate(world, 11, runs=3, segments=True)


def test_segment_counts_add_up_to_the_company(results) -> None:
    _, res = results
    for name in ("active_customers", "defections", "new_customers"):
        np.testing.assert_array_equal(res.segments[name].sum(axis=2), res.history[name], name)
    np.testing.assert_allclose(res.segments["revenue"].sum(axis=2), res.history["revenue"])
    for driver in DEFECTION_DRIVERS:
        key = f"drivers.{driver}"
        np.testing.assert_allclose(res.segments[key].sum(axis=2), res.history[key], atol=1e-9)


def test_segment_shares_weighted_by_size_give_the_company_share(results) -> None:
    world, res = results
    counts = np.array([segment.count for segment in world.scenario.segments])
    logo = (res.segments["logo_retention"] * counts).sum(axis=2) / counts.sum()
    np.testing.assert_allclose(logo, res.history["logo_retention"])
    active = res.segments["active_customers"]
    for name in ("dark_share", "csat_true", "thrill", "trust", "expectation_gap"):
        weighted = (res.segments[name] * active).sum(axis=2) / active.sum(axis=2)
        np.testing.assert_allclose(weighted, res.history[name], rtol=1e-5, err_msg=name)
    risk = res.segments["defection_risk"][1:]
    exposed_weighted = (risk * active[:-1]).sum(axis=2) / active[:-1].sum(axis=2)
    np.testing.assert_allclose(exposed_weighted, res.history["defection_risk"][1:], rtol=1e-5)


def test_segments_leave_the_whole_company_figures_unchanged(results) -> None:
    world, res = results
    plain = simulate(world, 11, runs=3)
    for name, values in plain.history.items():
        np.testing.assert_array_equal(values, res.history[name], name)
    assert plain.segments is None


def test_json_has_every_segment_metric_and_its_drivers(capsys) -> None:
    code = main(["run", str(MINIMAL), "--json", "--runs", "3", "--seed", "11"])
    summary = json.loads(capsys.readouterr().out)
    assert code == EXIT_OK
    assert list(summary["segments"]) == ["smb", "enterprise"]
    for segment in summary["segments"].values():
        assert [entry["quarter"] for entry in segment["quarters"]] == list(range(9))
        for entry in segment["quarters"]:
            assert list(entry) == ["quarter", *SEGMENT_METRICS, "defection_drivers"]
            assert list(entry["defection_drivers"]) == list(DEFECTION_DRIVERS)
            shares = entry["defection_drivers"].values()
            if entry["defections"]["mean"] > 0:
                assert sum(shares) == pytest.approx(1.0)
            else:
                assert not any(shares)
    smb = summary["segments"]["smb"]
    assert smb["name"] == load_scenario(MINIMAL).segments[0].name
    total = sum(
        summary["segments"][s]["quarters"][8]["active_customers"]["mean"]
        for s in ("smb", "enterprise")
    )
    assert total == pytest.approx(summary["quarters"][8]["active_customers"]["mean"])


def test_run_segments_prints_a_table_per_segment_from_the_run(capsys) -> None:
    code = main(["run", str(MINIMAL), "--segments", "--seed", "11"])
    out = capsys.readouterr().out
    assert code == EXIT_OK
    scenario = load_scenario(MINIMAL)
    res = simulate(World.from_scenario(scenario), 11, segments=True)
    for index, segment in enumerate(scenario.segments):
        title = f"Segment {segment.name} ({segment.id}), {segment.count:,} customers at the start"
        assert title in out
        section = out[out.index(title) :].splitlines()
        header = section[2].split()
        assert header[:3] == ["quarter", "customers", "logo"]
        last = section[3 + 8].split()
        assert last[0] == "8"
        assert last[1] == f"{res.segments['active_customers'][8, 0, index]:.0f}"
        assert last[2] == f"{res.segments['logo_retention'][8, 0, index]:.1%}"
        shares = res.segment_driver_shares(8, index)
        top = max(shares, key=shares.get)
        why = next(line for line in section if line.startswith(f"Why {segment.name} customers"))
        assert "in quarter 8: " in why
        assert f"{shares[top]:.0%}" in why
    assert all(len(line) <= 80 for line in out.splitlines())
