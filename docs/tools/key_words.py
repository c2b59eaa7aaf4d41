"""Scenario keys in the words of the reference: shapes, bounds, units, defaults.

Part of the docs tooling beside ``reference.py``: everything here is read from the
schema's own annotations (pydantic ``Field`` constraints and the ``Share``,
``Quarters`` and ``Money`` aliases), with a few tables of what constraints alone
cannot tell (which keys name other ids, which count quarters).
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from engine.scenario.schema import Meta, Money, Quarters, Share, Slug

# Descriptions for keys that schema.py does not describe yet, keyed by (model, field).
# A key's own description always wins; once schema.py describes a key, its entry here
# must go (tests/test_docs.py says so), so that the two can never disagree.
SUPPLEMENTS: dict[tuple[str, str], str] = {}

# Names the loader checks against other parts of the file or the vocabularies.
REFERENCES: dict[tuple[str, str], str] = {
    ("Effect", "lever"): "a [lever](#ref-levers) name",
    ("Condition", "metric"): "a [metric](#ref-metrics) name",
    ("ScoreTerm", "metric"): "a [metric](#ref-metrics) name",
    ("Segment", "served_by"): "department ids",
    ("Intervention", "requires"): "intervention ids",
    ("Achievement", "adopted"): "intervention ids",
    ("Achievement", "never_adopted"): "intervention ids",
    ("Event", "default_choice"): "the id of one of this event's choices",
}

# Units the constraints alone cannot tell: fields counted in quarters or naming one.
QUARTER_COUNTS = frozenset({"quarters", "duration", "for_quarters"})
QUARTER_NUMBERS = frozenset({"quarter", "first_quarter", "last_quarter"})
MONEY_FIELDS = frozenset({("Segment", "value")})

METRIC_UNITS = {
    "share": "share (0 to 1)",
    "count": "count",
    "money": "money",
    "level": "level (0 to 1)",
}


# --- reading annotations ---------------------------------------------------------------
@dataclass(frozen=True)
class Shape:
    """What a field holds, in the terms the reference needs."""

    kind: str  # "value", "array" (of values), "table", "array of tables", "map"
    toml_type: str
    model: type[BaseModel] | None  # the table's model for tables and arrays of tables
    bounds: dict[str, Any]  # ge, le, gt, lt, min_length, max_length, pattern
    item_bounds: dict[str, Any]  # the same for the items of an array or map
    choices: tuple[Any, ...] = ()  # the allowed values of a Literal


_BOUND_NAMES = ("ge", "le", "gt", "lt", "min_length", "max_length", "pattern")


def _bounds(metadata: list[Any]) -> dict[str, Any]:
    """Constraints from pydantic/annotated-types metadata (nested FieldInfo included)."""
    found: dict[str, Any] = {}
    for item in metadata:
        if isinstance(item, FieldInfo):
            found.update(_bounds(item.metadata))
            continue
        for name in _BOUND_NAMES:
            value = getattr(item, name, None)
            if value is not None:
                found[name] = value
    return found


def _strip(annotation: Any) -> tuple[Any, dict[str, Any]]:
    """Unwrap ``Annotated[...]`` and ``X | None``: the bare type and its constraints."""
    bounds: dict[str, Any] = {}
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            base, *extra = typing.get_args(annotation)
            bounds.update(_bounds(extra))
            annotation = base
        elif origin in (typing.Union, types.UnionType):
            members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            if len(members) != 1:
                raise TypeError(f"cannot document a union of {members}")
            annotation = members[0]
        else:
            return annotation, bounds


def is_model(annotation: Any) -> bool:
    """Whether an annotation is a table's model."""
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


_SCALARS = {bool: "boolean", int: "integer", float: "float", str: "string"}


def field_shape(field: FieldInfo) -> Shape:
    """The TOML shape of a model field."""
    annotation, bounds = _strip(field.annotation)
    bounds = {**bounds, **_bounds(field.metadata)}
    origin = typing.get_origin(annotation)
    if is_model(annotation):
        return Shape("table", "table", annotation, bounds, {})
    if origin is list:
        item, item_bounds = _strip(typing.get_args(annotation)[0])
        if is_model(item):
            return Shape("array of tables", "array of tables", item, bounds, item_bounds)
        return Shape("array", f"array of {_scalar_word(item)}s", None, bounds, item_bounds)
    if origin is dict:
        value, value_bounds = _strip(typing.get_args(annotation)[1])
        return Shape("map", f"table of {_scalar_word(value)}s", None, bounds, value_bounds)
    if origin is Literal:
        choices = typing.get_args(annotation)
        return Shape("value", _scalar_word(type(choices[0])), None, bounds, {}, choices)
    return Shape("value", _scalar_word(annotation), None, bounds, {})


def _scalar_word(annotation: Any) -> str:
    if annotation in _SCALARS:
        return _SCALARS[annotation]
    raise TypeError(f"no TOML word for {annotation!r}")


def _alias_bounds(alias: Any) -> dict[str, Any]:
    return _strip(alias)[1]


# Read from the schema, so that the words follow the format: an id's pattern, and the
# largest seed (written 2^63 - 1 rather than in its 19 digits).
SLUG_PATTERN = _alias_bounds(Slug)["pattern"]
MAX_SEED = field_shape(Meta.model_fields["seed"]).bounds["le"]


# --- formatting values -----------------------------------------------------------------
def number(value: float) -> str:
    """A bound or default as an author would type it: ``0.5``, ``40``, ``1_000_000``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value == MAX_SEED:
        return "2^63 - 1"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int):
        return f"{value:_}" if abs(value) >= 10_000 else str(value)
    return repr(value)


def toml_value(value: Any) -> str:
    """A default value in TOML syntax."""
    if isinstance(value, BaseModel):
        value = value.model_dump()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML form for {value!r}")


def _span(bounds: dict[str, Any]) -> str:
    """Numeric bounds in words: ``0 to 1``, ``more than 0, at most 10_000``."""
    low = bounds.get("ge")
    high = bounds.get("le")
    if low is not None and high is not None:
        return f"{number(low)} to {number(high)}"
    parts = []
    if low is not None:
        parts.append(f"at least {number(low)}")
    if bounds.get("gt") is not None:
        parts.append(f"more than {number(bounds['gt'])}")
    if high is not None:
        parts.append(f"at most {number(high)}")
    if bounds.get("lt") is not None:
        parts.append(f"less than {number(bounds['lt'])}")
    return ", ".join(parts)


def _text_span(bounds: dict[str, Any]) -> str:
    """String constraints in words."""
    parts = []
    if bounds.get("pattern") == SLUG_PATTERN:
        parts.append("identifier (lower-case letters, digits, `_`, `-`)")
    elif bounds.get("pattern"):
        parts.append(f"matching `{bounds['pattern']}`")
    low, high = bounds.get("min_length"), bounds.get("max_length")
    if high is not None:
        parts.append(f"{number(low or 0)} to {number(high)} characters")
    elif low:
        parts.append("not empty")
    return "; ".join(parts)


def _count_span(bounds: dict[str, Any]) -> str:
    """Array length constraints in words."""
    low, high = bounds.get("min_length"), bounds.get("max_length")
    if low is not None and low == high:
        return f"exactly {number(low)} items"
    if low is not None and high is not None:
        return f"{number(low)} to {number(high)} items"
    if low:
        return f"at least {number(low)} item{'s' if low != 1 else ''}"
    if high is not None:
        return f"at most {number(high)} items"
    return ""


def unit_range(model: type[BaseModel], name: str, field: FieldInfo) -> str:
    """The unit/range column: what the value means and which values are allowed."""
    shape = field_shape(field)
    bounds = shape.bounds
    for cls in model.__mro__:
        if (cls.__name__, name) in REFERENCES:
            return REFERENCES[(cls.__name__, name)]
    if shape.choices:
        return "one of " + ", ".join(f"`{choice}`" for choice in shape.choices)
    if shape.kind == "value" and shape.toml_type == "string":
        return _text_span(bounds)
    if shape.kind in ("array", "table", "array of tables"):
        parts = [_count_span(bounds)]
        items = shape.item_bounds
        if items:
            parts.append("each " + (_text_span(items) if "pattern" in items else _span(items)))
        return ", ".join(part for part in parts if part)
    if shape.kind == "map":
        # The loader also holds each practice to its own lever's range.
        return f"each {_span(shape.item_bounds)}, and within its lever's range"
    if bounds == _alias_bounds(Share):
        return "0 to 1"
    unit = ""
    if name in QUARTER_COUNTS or bounds == _alias_bounds(Quarters):
        unit = "quarters"
    elif name in QUARTER_NUMBERS:
        unit = "quarter number"
    elif bounds == _alias_bounds(Money) or any(
        (cls.__name__, name) in MONEY_FIELDS for cls in model.__mro__
    ):
        unit = "money"
    return ", ".join(part for part in (unit, _span(bounds)) if part)


def _all_defaults(value: BaseModel) -> bool:
    """Whether a model instance is just its model's defaults."""
    fields = type(value).model_fields.values()
    return all(not field.is_required() for field in fields) and value == type(value)()


def default_text(field: FieldInfo) -> str:
    """The default column: ``required``, ``unset``, a TOML value, or ``all defaults``."""
    if field.is_required():
        return "required"
    value = field.get_default(call_default_factory=True, validated_data={})
    if value is None:
        return "unset"
    if isinstance(value, BaseModel) and _all_defaults(value):
        return "all defaults"
    return f"`{toml_value(value)}`"


def description(model: type[BaseModel], name: str) -> str:
    """A field's description: its own, else an inherited one, else the supplement."""
    for cls in model.__mro__:
        fields = getattr(cls, "model_fields", {})
        if isinstance(fields, dict) and name in fields and fields[name].description:
            return fields[name].description
    for cls in model.__mro__:
        if (cls.__name__, name) in SUPPLEMENTS:
            return SUPPLEMENTS[(cls.__name__, name)]
    return ""
