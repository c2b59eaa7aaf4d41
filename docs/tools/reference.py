"""The reference part of ``docs/scenario-authoring.md``, generated from the schema.

Docs tooling, not part of the installed package. The pydantic models in
:mod:`engine.scenario.schema` are the scenario format, so the
key reference is written from them (types, bounds, defaults, descriptions), together
with the lever vocabulary, the metric names and the ``[dynamics]`` coefficients. The
guide embeds the output between marker lines, and ``tests/test_docs.py`` fails when
the embedded copy is out of date. To regenerate it::

    python docs/tools/reference.py --write docs/scenario-authoring.md

``--check FILE`` exits with 1 if FILE is out of date; with no option the reference is
printed. The same goes for the strength table of the guide's section on timing,
generated from :func:`engine.world.strength_curve`.
"""

from __future__ import annotations

import argparse
import sys
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from engine.files import write_atomic
from engine.levers import LEVERS
from engine.params import Dynamics
from engine.scenario.schema import (
    DynamicsOverrides,
    Event,
    Intervention,
    Meta,
    Money,
    Quarters,
    Scenario,
    Share,
    Slug,
    Timed,
)
from engine.vocabulary import METRICS
from engine.world import strength_curve

__all__ = [
    "SUPPLEMENTS",
    "reference_markdown",
    "stale_blocks",
    "strength_table_markdown",
    "update_document",
]

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


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


_SCALARS = {bool: "boolean", int: "integer", float: "float", str: "string"}


def field_shape(field: FieldInfo) -> Shape:
    """The TOML shape of a model field."""
    annotation, bounds = _strip(field.annotation)
    bounds = {**bounds, **_bounds(field.metadata)}
    origin = typing.get_origin(annotation)
    if _is_model(annotation):
        return Shape("table", "table", annotation, bounds, {})
    if origin is list:
        item, item_bounds = _strip(typing.get_args(annotation)[0])
        if _is_model(item):
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


# --- walking the format ----------------------------------------------------------------
@dataclass
class Section:
    """One table of keys: a model and every key path at which it appears."""

    model: type[BaseModel]
    paths: list[str]
    kinds: list[str]  # "table" or "array of tables", per path


def iter_fields(
    model: type[BaseModel], prefix: str = ""
) -> Iterator[tuple[str, type[BaseModel], str, FieldInfo]]:
    """(table path, model, key, field) for every key of the format, depth first."""
    for name, field in model.model_fields.items():
        yield prefix, model, name, field
        shape = field_shape(field)
        if shape.model is not None and shape.model is not DynamicsOverrides:
            yield from iter_fields(shape.model, f"{prefix}.{name}" if prefix else name)


def sections() -> list[Section]:
    """The key tables of the reference, in the order a scenario file is written.

    A model used at several paths (a distribution, an effect, a condition) is one
    section listing all of them. ``[dynamics]`` has its own table of coefficients.
    """
    found: dict[type[BaseModel], Section] = {Scenario: Section(Scenario, [""], ["table"])}
    for prefix, _, name, field in iter_fields(Scenario):
        shape = field_shape(field)
        if shape.model is None or shape.model is DynamicsOverrides:
            continue
        path = f"{prefix}.{name}" if prefix else name
        section = found.setdefault(shape.model, Section(shape.model, [], []))
        section.paths.append(path)
        section.kinds.append(shape.kind)
    return list(found.values())


def anchor(path: str) -> str:
    """The HTML anchor of a key path's section: ``company.budget`` -> ``ref-company-budget``."""
    return "ref-" + (path.replace(".", "-").replace("_", "-") if path else "top-level")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    return lines


def _written_as(section: Section) -> str:
    path, kind = section.paths[0], section.kinds[0]
    key = path.rsplit(".", 1)[-1]
    fields = section.model.model_fields
    # Small tables inside others read best inline: churn = { a = 1.0, b = 30.0 }.
    small = "." in path and len(fields) <= 3
    small = small and all(field_shape(field).kind == "value" for field in fields.values())
    inline = "{ " + ", ".join(f"{name} = …" for name in fields) + " }" if small else "{ … }"
    nested = "." in path
    if kind == "array of tables":
        if small:
            return f"An array of tables, usually written inline: `{key} = [{inline}, …]`."
        written = f"An array of tables: one `[[{path}]]` header per item"
        return f"{written}, or inline `{key} = [{inline}, …]`." if nested else f"{written}."
    if small:
        return f"A table, usually written inline: `{key} = {inline}`."
    written = f"A table: a `[{path}]` header"
    return f"{written}, or inline `{key} = {inline}`." if nested else f"{written}."


def _docstring(model: type[BaseModel]) -> str:
    text = model.__dict__.get("__doc__") or ""
    return " ".join(text.strip().split("\n\n")[0].split())


def ordered_fields(model: type[BaseModel]) -> list[tuple[str, FieldInfo]]:
    """A model's fields as the reference lists them: ``id`` first, then the model's own
    keys, then those shared with its base (the timing keys, a condition's keys)."""
    bases = [cls for cls in model.__mro__[1:] if _is_model(cls) and cls.model_fields]
    shared = set(bases[0].model_fields) if bases else set()
    return sorted(
        model.model_fields.items(),
        key=lambda item: (item[0] != "id", item[0] in shared),
    )


def _field_rows(model: type[BaseModel], homes: dict[type, str]) -> list[tuple[str, ...]]:
    rows = []
    for name, field in ordered_fields(model):
        shape = field_shape(field)
        text = description(model, name)
        if shape.model is DynamicsOverrides:
            text += " See [`[dynamics]`](#ref-dynamics)."
        elif shape.model is not None:
            path = homes[shape.model]
            text += f" See [`{path}`](#{anchor(path)})."
        elif shape.kind == "map":
            text += " Keys are lever names (see [the levers](#ref-levers)); a lever left out is 0."
        rows.append(
            (
                f"`{name}`",
                shape.toml_type,
                unit_range(model, name, field),
                default_text(field),
                text,
            )
        )
    return rows


def _section_markdown(section: Section, homes: dict[type, str]) -> list[str]:
    model = section.model
    lines = [f'<a id="{anchor(path)}"></a>' for path in section.paths]
    if section.paths == [""]:
        lines += ["", "### Top level", "", "The tables a scenario file is made of."]
    else:
        heading = ", ".join(f"`{path}`" for path in section.paths)
        lines += ["", f"### {heading}", "", _written_as(section)]
    doc = _docstring(model)
    if doc and model is not Scenario:
        lines += ["", doc]
    if issubclass(model, Timed):
        lines += ["", f"*Timing.* {_docstring(Timed)} See [how effects unfold](#timing)."]
    lines += [""]
    rows = _field_rows(model, homes)
    lines += _table(("key", "type", "unit / range", "default", "description"), rows)
    return lines


def _levers_markdown() -> list[str]:
    rows = [
        (
            f"`{lever.name}`",
            lever.area,
            f"{number(lever.low)} to {number(lever.high)}",
            lever.description,
        )
        for lever in LEVERS
    ]
    return [
        '<a id="ref-levers"></a>',
        "",
        "### Levers",
        "",
        "Names for `lever` in effects and for keys of `[practices]`. A lever's level in a "
        "quarter is its practice plus every effect acting on it, kept within its range.",
        "",
        *_table(("lever", "area", "range", "description"), rows),
    ]


def _metrics_markdown() -> list[str]:
    rows = [
        (
            f"`{metric.name}`",
            METRIC_UNITS[metric.unit],
            "yes" if metric.reported else "no",
            metric.description,
        )
        for metric in METRICS
    ]
    return [
        '<a id="ref-metrics"></a>',
        "",
        "### Metrics",
        "",
        "Names for `metric` in conditions, goals, achievements, lessons and score terms. "
        "*Seen by the company* says whether the player's dashboard shows the figure; the "
        "others are the model's truth, shown in the debrief.",
        "",
        *_table(("metric", "unit", "seen by the company", "description"), rows),
    ]


def _dynamics_markdown() -> list[str]:
    lines = [
        '<a id="ref-dynamics"></a>',
        "",
        "### `dynamics`",
        "",
        "A `[dynamics]` table. Every key is optional and a float; a key left out keeps its "
        "default. Coefficients are per quarter unless the description says otherwise.",
    ]
    groups: dict[str, list[tuple[str, ...]]] = {}
    for coefficient in Dynamics.field_docs():
        meta = coefficient.metadata
        groups.setdefault(meta["group"], []).append(
            (
                f"`{coefficient.name}`",
                number(coefficient.default),
                f"{number(meta['low'])} to {number(meta['high'])}",
                meta["doc"],
            )
        )
    for group, rows in groups.items():
        lines += ["", f"#### {group.capitalize()}", ""]
        lines += _table(("key", "default", "range", "description"), rows)
    return lines


def reference_markdown() -> str:
    """The generated reference: every table of keys, the levers, the metrics and the
    ``[dynamics]`` coefficients, as Markdown."""
    lines = [
        "<!-- Generated by `python docs/tools/reference.py --write "
        "docs/scenario-authoring.md`; do not edit by hand. -->",
        "",
        "## Reference",
        "",
        "Every key of the format, table by table, then the levers, the metrics and the "
        "`[dynamics]` coefficients. *Type* is the TOML type; a float key also accepts a "
        "whole number. *Default* is what a key left out means; *unset* means the key is "
        "simply absent.",
    ]
    found = sections()
    homes = {section.model: section.paths[0] for section in found}
    for section in found:
        lines += ["", *_section_markdown(section, homes)]
    lines += ["", *_levers_markdown(), "", *_metrics_markdown(), "", *_dynamics_markdown()]
    return "\n".join(lines) + "\n"


# --- the strength table ----------------------------------------------------------------
STRENGTH_QUARTERS = 10


def _timing_defaults(model: type[Timed]) -> dict[str, Any]:
    return {name: model.model_fields[name].default for name in ("lag", "ramp", "duration", "decay")}


def strength_examples() -> list[tuple[str, Timed]]:
    """The timings the guide's strength table shows."""
    return [
        ("intervention, default timing", Timed(**_timing_defaults(Intervention))),
        ("event or choice, default timing", Timed(**_timing_defaults(Event))),
        ("`career-ladder` (walk-through)", Timed(lag=1, ramp=2, duration=6, decay=0.3)),
        ("`ransomware-wave` (walk-through)", Timed(lag=0, ramp=0, duration=2, decay=0.5)),
        ("a lasting change (decay 0)", Timed(lag=2, ramp=3, duration=1, decay=0.0)),
    ]


def _strength(value: float) -> str:
    if value == 0:
        return "0"
    if value < 0.005:
        return "<0.01"
    if value == 1:
        return "1"
    return f"{value:.2f}"


def strength_table_markdown() -> str:
    """Strength of an effect in the quarters after it starts, for a few timings."""
    quarters = tuple(str(quarter) for quarter in range(STRENGTH_QUARTERS))
    header = ("timing", "lag", "ramp", "duration", "decay", *quarters)
    rows = []
    for label, timed in strength_examples():
        curve = strength_curve(timed, STRENGTH_QUARTERS)
        rows.append(
            (
                label,
                str(timed.lag),
                str(timed.ramp),
                str(timed.duration),
                number(timed.decay),
                *(_strength(float(value)) for value in curve),
            )
        )
    return "\n".join(_table(header, rows)) + "\n"


# --- embedding in the guide ------------------------------------------------------------
BLOCKS: dict[str, Callable[[], str]] = {
    "reference": reference_markdown,
    "strength": strength_table_markdown,
}


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def _block_span(lines: list[str], name: str) -> tuple[int, int]:
    """Indices of a block's start and end marker lines; ValueError if missing."""
    start, end = _markers(name)
    stripped = [line.strip() for line in lines]
    if stripped.count(start) != 1 or stripped.count(end) != 1:
        raise ValueError(f"needs the marker lines {start} and {end}, once each")
    first, last = stripped.index(start), stripped.index(end)
    if last < first:
        raise ValueError(f"{end} comes before {start}")
    return first, last


def embedded(text: str, name: str) -> str:
    """The text between a block's marker lines; ValueError if they are missing."""
    lines = text.splitlines(keepends=True)
    first, last = _block_span(lines, name)
    return "".join(lines[first + 1 : last])


def update_document(text: str) -> str:
    """The guide with every generated block rewritten; the rest is left untouched."""
    for name, generate in BLOCKS.items():
        lines = text.splitlines(keepends=True)
        first, last = _block_span(lines, name)
        block = f"\n{generate()}\n"
        text = "".join([*lines[: first + 1], block, *lines[last:]])
    return text


def stale_blocks(text: str) -> list[str]:
    """Names of the generated blocks that are out of date in the guide's text."""
    return [
        name
        for name, generate in BLOCKS.items()
        if embedded(text, name).strip() != generate().strip()
    ]


def main(argv: list[str] | None = None) -> int:
    """Print the reference, or check or rewrite the generated blocks of a guide."""
    parser = argparse.ArgumentParser(
        prog="python docs/tools/reference.py",
        description="Print or update the generated reference of the scenario guide.",
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", type=Path, metavar="FILE", help="rewrite the blocks in FILE")
    group.add_argument("--check", type=Path, metavar="FILE", help="exit 1 if FILE is stale")
    args = parser.parse_args(argv)
    target = args.write or args.check
    if target is None:
        sys.stdout.write(reference_markdown())
        return 0
    try:
        text = target.read_text(encoding="utf-8")
        stale = stale_blocks(text)
    except (OSError, ValueError) as exc:
        print(f"{target}: {exc}", file=sys.stderr)
        return 1
    if args.check:
        for name in stale:
            print(f"{target}: the {name} block is out of date", file=sys.stderr)
        return 1 if stale else 0
    if stale:
        write_atomic(target, update_document(text))
        print(f"{target}: rewrote {', '.join(stale)}")
    else:
        print(f"{target}: up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
