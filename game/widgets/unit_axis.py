"""Axis labels in a metric's unit: percentages, money, counts, quarters."""

from __future__ import annotations

from collections.abc import Sequence
from math import floor, log10

from textual_plot.axis_formatter import NumericAxisFormatter


class UnitAxisFormatter(NumericAxisFormatter):
    """Nice ticks (1, 2, 5, 10...) labelled as the game writes the unit, with just the
    digits that tell neighbouring ticks apart."""

    def __init__(self, unit: str, currency: str = "$"):
        self.unit = unit
        self.currency = currency

    def get_ticks(self, min_: float, max_: float, max_ticks: int = 8) -> list[float]:
        ticks = super().get_ticks(min_, max_, max_ticks)
        if self.unit == "quarter":  # whole quarters only
            ticks = sorted({float(round(tick)) for tick in ticks})
        return ticks

    def get_labels_for_ticks(self, ticks: Sequence[float]) -> list[str]:
        if not ticks:
            return []
        step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else abs(ticks[0]) or 1.0
        if self.unit == "quarter":
            return ["start" if tick == 0 else f"Q{tick:.0f}" for tick in ticks]
        if self.unit == "share":
            digits = _digits(step * 100)
            return [f"{tick * 100:.{digits}f}%" for tick in ticks]
        if self.unit in ("money", "count"):
            biggest = max(abs(tick) for tick in ticks)
            return [self._compact(tick, biggest, step) for tick in ticks]
        return super().get_labels_for_ticks(ticks)

    def _compact(self, value: float, biggest: float, step: float) -> str:
        symbol = self.currency if self.unit == "money" else ""
        sign = "-" if value < 0 else ""
        for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
            if biggest >= limit:
                return f"{sign}{symbol}{abs(value) / limit:.{_digits(step / limit)}f}{suffix}"
        return f"{sign}{symbol}{abs(value):,.{_digits(step)}f}"


def _digits(step: float) -> int:
    """Decimals needed to tell ticks ``step`` apart."""
    return max(0, -floor(log10(step))) if step > 0 else 0
