"""How far the model's golden run has moved: python tests/golden/compare.py

Prints, for every metric whose figures differ from the committed golden file, the
largest absolute and relative difference over its quarters and statistics. Run it
before ``regenerate.py`` and put its figures in the commit message.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from regenerate import GOLDEN, golden_summary  # noqa: E402


def differences(old: dict, new: dict) -> dict[str, tuple[float, float]]:
    """Metric -> (largest absolute, largest relative difference) where any differs."""
    moved: dict[str, tuple[float, float]] = {}
    for was, now in zip(old["quarters"], new["quarters"], strict=True):
        for metric, figures in was.items():
            if not isinstance(figures, dict):
                continue
            for statistic, before in figures.items():
                after = now[metric][statistic]
                gap = abs(after - before)
                if gap == 0:
                    continue
                relative = gap / abs(before) if before else float("inf")
                worst = moved.get(metric, (0.0, 0.0))
                moved[metric] = (max(worst[0], gap), max(worst[1], relative))
    return moved


def main() -> None:
    old = json.loads(GOLDEN.read_text(encoding="utf-8"))
    new = json.loads(json.dumps(golden_summary()))
    moved = differences(old, new)
    if not moved:
        print("the golden run is bit-identical")
    for metric, (absolute, relative) in sorted(moved.items()):
        print(f"{metric:<32} max abs {absolute:.3g}   max rel {relative:.3g}")


if __name__ == "__main__":
    main()
