"""Numbers as the game shows them: values and changes in a metric's unit, and money.

A leaf module (it imports nothing of the engine), so every part can use it."""

from __future__ import annotations

import math


def exact_money(value: float, currency: str = "$") -> str:
    """An amount to the unit, sign first: ``-£16,000``."""
    return f"{'-' if value < 0 else ''}{currency}{abs(value):,.0f}"


def whole_parts(total: float, parts: tuple[float, ...]) -> tuple[int, tuple[int, ...]]:
    """``total`` and ``parts`` rounded to whole units so that the rounded parts add up
    to the rounded total (largest remainders first), as money shown as a sum must.
    When the parts do not add up to the total to begin with, each is simply rounded."""
    whole_total = round(total)
    floors = [math.floor(part) for part in parts]
    short = whole_total - sum(floors)
    if abs(sum(parts) - total) > 1e-6 * max(1.0, abs(total)) or not 0 <= short <= len(parts):
        return whole_total, tuple(round(part) for part in parts)
    by_remainder = sorted(range(len(parts)), key=lambda i: parts[i] - floors[i], reverse=True)
    for index in by_remainder[:short]:
        floors[index] += 1
    return whole_total, tuple(floors)


def format_value(value: float, unit: str, currency: str = "$", precise: bool = False) -> str:
    """A metric's value as the game shows it (``precise``: one more digit)."""
    if unit == "share":
        return f"{value:.{2 if precise else 1}%}"
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "money":
        sign = "-" if value < 0 else ""
        amount = abs(value)
        if amount >= 1e6:
            return f"{sign}{currency}{amount / 1e6:.2f}M"
        if amount >= 1e4:
            return f"{sign}{currency}{amount / 1e3:.0f}k"
        return exact_money(value, currency)
    return f"{value:.{3 if precise else 2}f}"


def format_change(change: float, unit: str, currency: str = "$", precise: bool = False) -> str:
    """A change of a metric: shares in percentage points, others in their own unit. A
    change that rounds to nothing shows without a sign ("0.00", not "-0.00")."""
    if unit == "share":
        text = f"{change * 100:+.{2 if precise else 1}f} pts"
    elif unit == "money":
        text = ("+" if change >= 0 else "") + format_value(change, unit, currency)
    elif unit == "count":
        text = f"{change:+,.0f}"
    else:
        text = f"{change:+.{3 if precise else 2}f}"
    rounds_to_zero = not any(digit in text for digit in "123456789")
    return text[1:] if rounds_to_zero and text[0] in "+-" else text
