"""The scenario rules that span several keys of one table, each written once.

A rule is a message and a test over the table as the author wrote it (the keys
present, with their values). The schema's validators apply them to a validated
model (its fields as written) and raise :data:`CROSS_KEY_ERROR`; the loader's
checks apply them to the raw TOML tables, so that a rule is reported at the key
even when other keys of the table are invalid, and the loader drops the schema's
report of the same rule by its error type.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# The pydantic error type of a broken cross-key rule (see engine.scenario.schema).
CROSS_KEY_ERROR = "cross_key_rule"

Table = Mapping[str, Any]


def is_number(value: Any) -> bool:
    """An int or float as TOML gives it (a boolean is not a number)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class CrossKeyRule:
    """A rule across the keys of one table.

    ``key`` is the key the loader reports a broken rule at (None: the table itself);
    ``broken`` tells whether a table as written breaks the rule.
    """

    message: str
    key: str | None
    broken: Callable[[Table], bool]


def _both_or_neither(first: str, second: str) -> Callable[[Table], bool]:
    return lambda table: (first in table) == (second in table)


def _window_reversed(table: Table) -> bool:
    first, last = table.get("first_quarter", 1), table.get("last_quarter", 40)
    return is_number(first) and is_number(last) and first > last


def _stars_not_increasing(table: Table) -> bool:
    stars = table.get("stars")
    return (
        isinstance(stars, list | tuple)
        and len(stars) == 3
        and all(map(is_number, stars))
        and not stars[0] < stars[1] < stars[2]
    )


ONE_BOUND = CrossKeyRule(
    "give exactly one of 'at_least' or 'at_most'",
    None,
    _both_or_neither("at_least", "at_most"),
)
ONE_TIMING = CrossKeyRule(
    "give exactly one of 'quarter' (scheduled) or 'chance' (random)",
    None,
    _both_or_neither("quarter", "chance"),
)
WINDOW_ORDER = CrossKeyRule(
    "'first_quarter' must not be after 'last_quarter'", "first_quarter", _window_reversed
)
BEST_WORST = CrossKeyRule(
    "'best' and 'worst' must differ",
    "best",
    lambda table: "best" in table and table.get("best") == table.get("worst"),
)
STARS_ORDER = CrossKeyRule(
    "'stars' must be three increasing scores", "stars", _stars_not_increasing
)
# An empty list names nothing: it counts as missing.
ACHIEVEMENT_CRITERION = CrossKeyRule(
    "give a 'condition', 'adopted' or 'never_adopted'",
    None,
    lambda table: not any(table.get(key) for key in ("condition", "adopted", "never_adopted")),
)
