"""The golden run: the model's output for a fixed scenario, seed and policy is
committed, so any change to the model's numbers is seen, reviewed and explained."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "golden"))
from regenerate import GOLDEN, golden_summary

# Same machine: bit-identical. Across CPU types float sums may differ in the last bits.
RELATIVE = 1e-6


def test_the_model_still_produces_the_golden_run():
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    actual = json.loads(json.dumps(golden_summary()))
    assert actual.keys() == expected.keys()
    assert actual["quarters"][0].keys() == expected["quarters"][0].keys()
    for got, want in zip(actual["quarters"], expected["quarters"], strict=True):
        for metric, value in want.items():
            assert got[metric] == pytest.approx(value, rel=RELATIVE, abs=1e-9), (
                f"quarter {want['quarter']}, {metric} changed: if the model change is "
                "intended, run `python tests/golden/regenerate.py` and explain the change "
                "in the commit message"
            )
