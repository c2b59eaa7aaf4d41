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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from engine.files import write_atomic
from engine.levers import LEVERS
from engine.params import Dynamics
from engine.scenario.schema import DynamicsOverrides, Event, Intervention, Scenario, Timed
from engine.vocabulary import METRICS
from engine.world import strength_curve

# key_words.py sits beside this script; docs tooling is not an installed package.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from key_words import (
    METRIC_UNITS,
    MONEY_FIELDS,
    QUARTER_COUNTS,
    QUARTER_NUMBERS,
    REFERENCES,
    SUPPLEMENTS,
    default_text,
    description,
    field_shape,
    is_model,
    number,
    unit_range,
)

__all__ = [
    "MONEY_FIELDS",
    "QUARTER_COUNTS",
    "QUARTER_NUMBERS",
    "REFERENCES",
    "SUPPLEMENTS",
    "reference_markdown",
    "stale_blocks",
    "strength_table_markdown",
    "update_document",
]


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
    bases = [cls for cls in model.__mro__[1:] if is_model(cls) and cls.model_fields]
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
        "whole number, but an integer key wants one without a point (`goingdark check` "
        "refuses `quarters = 8.0`, though an editor checking the JSON Schema lets it pass). "
        "*Default* is what a key left out means; *unset* means the key is simply absent.",
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
