"""Numbers as the game shows them: values and changes in a metric's unit, and money.

A leaf module (it imports nothing of the engine), so every part can use it."""

from __future__ import annotations


def exact_money(value: float, currency: str = "$") -> str:
    """An amount to the unit, sign first: ``-£16,000``."""
    return f"{'-' if value < 0 else ''}{currency}{abs(value):,.0f}"


def whole(value: float) -> int:
    """A figure to the unit, as :func:`exact_money` shows it."""
    return int(f"{value:.0f}")


def whole_parts(total: float, parts: tuple[float, ...]) -> tuple[int, tuple[int, ...]]:
    """``total`` and its ``parts`` to the unit, so that the parts shown add up to the
    total shown: each part but the last is rounded as :func:`exact_money` rounds it (so
    it reads the same wherever else it is shown) and the last takes up the difference.
    Parts that do not add up to the total to begin with are each simply rounded."""
    rounded = [whole(part) for part in parts]
    if abs(sum(parts) - total) > 1e-6 * max(1.0, abs(total)):
        return whole(total), tuple(rounded)
    rounded[-1] = whole(total) - sum(rounded[:-1])
    return whole(total), tuple(rounded)


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
