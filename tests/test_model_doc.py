"""docs/model.md stays in step with the engine.

The model reference documents every coefficient with its default, every lever, state
variable and metric, and a few structural facts (the phases of a quarter, the timing
defaults of interventions and events, the random stream concerns, the performance
constants). These tests read the document's tables and fail when the code and the
document disagree, so that a changed default or a new coefficient cannot go unexplained.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from engine import simulate, step
from engine.levers import LEVERS
from engine.market import CHUNK
from engine.params import DEFECTION_DRIVERS, Dynamics
from engine.randomness import RUN_BLOCK, Concern
from engine.scenario.schema import Event, Intervention, Start
from engine.setup import MEMORY_BUDGET
from engine.state import Customers, Organisation, State, Workforce
from engine.vocabulary import METRICS

DOC_PATH = Path(__file__).resolve().parents[1] / "docs" / "model.md"
DOC = DOC_PATH.read_text(encoding="utf-8")
MIB = 1024 * 1024


def tables(text: str) -> list[list[list[str]]]:
    """Every Markdown table as a list of rows of stripped cells (header row first,
    the |---| separator dropped)."""
    found: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*text.splitlines(), ""]:
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|"):
            cells = [cell.strip() for cell in stripped[1:-1].split("|")]
            if not all(re.fullmatch(r":?-+:?", cell) for cell in cells):
                current.append(cells)
        elif current:
            found.append(current)
            current = []
    return found


def rows_of(kind: str) -> list[list[str]]:
    """Body rows of every table whose header starts with ``kind``."""
    rows = [row for table in tables(DOC) if table[0][0] == kind for row in table[1:]]
    assert rows, f"docs/model.md has no table headed '{kind}'"
    return rows


def by_name(kind: str) -> dict[str, list[list[str]]]:
    """Rows of the ``kind`` tables keyed by the backticked name in their first cell."""
    named: dict[str, list[list[str]]] = {}
    for row in rows_of(kind):
        match = re.fullmatch(r"`([^`]+)`", row[0])
        assert match, f"first cell of a '{kind}' row should be a `name`: {row}"
        named.setdefault(match.group(1), []).append(row)
    return named


def number(cell: str) -> float:
    return float(cell.strip("`"))


COEFFICIENTS = by_name("coefficient")
DYNAMICS_FIELDS = {item.name: item for item in Dynamics.field_docs()}


@pytest.mark.parametrize("name", list(DYNAMICS_FIELDS))
def test_every_coefficient_has_a_row_with_its_exact_default_and_range(name):
    item = DYNAMICS_FIELDS[name]
    assert name in COEFFICIENTS, f"`{name}` has no row in a coefficient table of docs/model.md"
    for row in COEFFICIENTS[name]:
        assert number(row[1]) == item.default, (
            f"docs/model.md gives `{name}` the default {row[1]}, the engine {item.default!r}"
        )
        low, high = item.metadata["low"], item.metadata["high"]
        assert row[2] == f"{low:g}–{high:g}", f"`{name}`: range {row[2]!r}, engine {low:g}–{high:g}"
        assert len(row) >= 4 and len(row[3]) > 20, f"`{name}` needs its reasoning in the row"


def test_coefficient_tables_name_no_coefficient_the_engine_lacks():
    assert set(COEFFICIENTS) <= set(DYNAMICS_FIELDS), set(COEFFICIENTS) - set(DYNAMICS_FIELDS)


def test_every_lever_has_a_row_with_its_area_and_range():
    levers = by_name("lever")
    for lever in LEVERS:
        assert lever.name in levers, f"lever `{lever.name}` is missing from docs/model.md"
        (row,) = levers[lever.name]
        assert row[1] == lever.area, f"`{lever.name}`: area {row[1]!r}, engine {lever.area!r}"
        assert row[2] == f"{lever.low:g}–{lever.high:g}", f"`{lever.name}`: range {row[2]!r}"
    assert set(levers) == {lever.name for lever in LEVERS}


STATE_PARTS = (Workforce, Organisation, Customers, State)


def state_fields(cls) -> list[str]:
    """The variables of one part of the state (State's own parts have their tables)."""
    parts = {"workforce", "organisation", "customers"}
    return [item.name for item in dataclasses.fields(cls) if item.name not in parts]


@pytest.mark.parametrize("cls", STATE_PARTS)
def test_every_state_variable_is_documented(cls):
    variables = by_name("variable")
    for name in state_fields(cls):
        assert name in variables, f"{cls.__name__}.{name} is missing from docs/model.md"


def test_state_tables_name_no_variable_the_engine_lacks():
    known = {name for cls in STATE_PARTS for name in state_fields(cls)}
    assert set(by_name("variable")) <= known


def test_starting_levels_of_the_organisation_match_the_schema_defaults():
    variables = by_name("variable")
    for name, default in Start().model_dump().items():
        (row,) = variables[name]
        assert f"default {default:g}" in " ".join(row), f"`{name}` should say 'default {default:g}'"


def test_every_metric_is_documented_with_whether_the_company_sees_it():
    metrics = by_name("metric")
    for metric in METRICS:
        assert metric.name in metrics, f"metric `{metric.name}` is missing from docs/model.md"
        (row,) = metrics[metric.name]
        expected = "yes" if metric.reported else "no"
        assert row[1] == expected, f"`{metric.name}`: 'company sees it' should be {expected}"
    assert set(metrics) == {metric.name for metric in METRICS}


def test_every_defection_driver_is_named_as_recorded():
    for driver in DEFECTION_DRIVERS:
        assert f"`drivers.{driver}`" in DOC


def test_the_phase_table_follows_the_order_of_engine_step():
    phases = [phase.name for phase in step.PHASES]
    assert len(phases) == 10
    assert [row[0].strip("`") for row in rows_of("phase")] == phases


def test_timing_defaults_match_the_schema():
    keys = by_name("key")
    for name in ("lag", "ramp", "duration", "decay", "resistance"):
        (row,) = keys[name]
        assert number(row[1]) == Event.model_fields[name].default, f"event default of {name}"
        assert number(row[2]) == Intervention.model_fields[name].default, f"intervention {name}"


def test_random_stream_concerns_match_the_engine():
    concerns = by_name("concern")
    assert set(concerns) == {concern.name for concern in Concern}
    for concern in Concern:
        (row,) = concerns[concern.name]
        assert int(row[1]) == concern.value


def test_performance_constants_match_the_engine():
    constants = by_name("constant")
    expected = {
        "RUN_BLOCK": RUN_BLOCK,
        "CHUNK": CHUNK,
        "TILE_BYTES": simulate.TILE_BYTES,
        "MEMORY_BUDGET": MEMORY_BUDGET,
    }
    assert set(constants) == set(expected)
    for name, value in expected.items():
        (row,) = constants[name]
        amount, _, unit = row[1].partition(" ")
        assert int(amount) * (MIB if unit == "MiB" else 1) == value, f"{name}: {row[1]}"


def test_required_references_are_cited():
    for citation in (
        "Oliva, R., & Sterman, J. D. (2001). Cutting corners and working overtime",
        "*Management Science*, 47(7)",
        "Fader, P. S., & Hardie, B. G. S. (2007). How to project customer retention.",
    ):
        assert citation in " ".join(DOC.split()), citation
