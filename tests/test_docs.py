"""docs/scenario-authoring.md documents the whole format, and stays in step with it.

The guide's reference section is generated from the schema (docs/tools/reference.py);
these tests fail when the embedded copy is stale, when any key, lever, metric or
``[dynamics]`` coefficient is missing from it, and when the guide's examples or the
error messages it quotes stop being real.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import tomllib
import types
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from engine.errors import ScenarioError
from engine.levers import LEVERS
from engine.params import Dynamics
from engine.policy import Policy
from engine.scenario.loader import parse_scenario
from engine.scenario.schema import Scenario
from engine.vocabulary import METRICS
from engine.world import World

ROOT = Path(__file__).resolve().parents[1]
DOC_PATH = ROOT / "docs" / "scenario-authoring.md"
DOC = DOC_PATH.read_text(encoding="utf-8")
REGENERATE = ".venv/bin/python docs/tools/reference.py --write docs/scenario-authoring.md"


def _load_generator():
    """docs/tools/reference.py, the generator: docs tooling, not an installed module."""
    spec = importlib.util.spec_from_file_location(
        "docs_tools_reference", ROOT / "docs" / "tools" / "reference.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


reference = _load_generator()


# --- an independent walk over the schema -----------------------------------------------
def _nested_model(annotation: typing.Any) -> type[BaseModel] | None:
    """The model inside a field's annotation (through Annotated, Optional and list)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Annotated, list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _nested_model(arg)
            if found is not None:
                return found
        return None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def schema_keys(model: type[BaseModel], table: str = "") -> Iterator[tuple[str, str]]:
    """(table path, key) for every key of the format, ``[dynamics]`` included."""
    for key, field in model.model_fields.items():
        yield table, key
        nested = _nested_model(field.annotation)
        if nested is not None:
            yield from schema_keys(nested, f"{table}.{key}" if table else key)


def schema_models(model: type[BaseModel] = Scenario) -> dict[str, type[BaseModel]]:
    """Every model of the format by class name, with the bases they share fields with."""
    found: dict[str, type[BaseModel]] = {}

    def visit(current: type[BaseModel]) -> None:
        for cls in current.__mro__:
            if isinstance(cls, type) and issubclass(cls, BaseModel) and cls.model_fields:
                found.setdefault(cls.__name__, cls)
        for field in current.model_fields.values():
            nested = _nested_model(field.annotation)
            if nested is not None and nested.__name__ not in found:
                visit(nested)

    visit(model)
    return found


# --- reading the guide ------------------------------------------------------------------
def reference_sections() -> dict[str, str]:
    """The generated reference's sections by key path ("" for the top level; a section
    shared by several paths appears under each)."""
    text = reference.embedded(DOC, "reference")
    sections: dict[str, str] = {}
    for chunk in re.split(r"^(?=### )", text, flags=re.MULTILINE)[1:]:
        heading, _, body = chunk.partition("\n")
        title = heading.removeprefix("### ").strip()
        paths = [""] if title == "Top level" else re.findall(r"`([^`]+)`", title) or [title]
        for path in paths:
            sections[path] = body
    return sections


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", DOC, flags=re.MULTILINE | re.DOTALL)


def example(name: str) -> str:
    """The code block that follows the ``<!-- example: NAME -->`` line."""
    match = re.search(
        rf"^<!-- example: {re.escape(name)} -->\n+```\w*\n(.*?)^```",
        DOC,
        flags=re.MULTILINE | re.DOTALL,
    )
    assert match, f"docs/scenario-authoring.md has no block marked <!-- example: {name} -->"
    return match.group(1)


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


# --- the generated blocks ---------------------------------------------------------------
def test_generated_blocks_are_up_to_date():
    stale = reference.stale_blocks(DOC)
    assert not stale, (
        f"the generated {' and '.join(stale)} block(s) of docs/scenario-authoring.md are "
        f"out of date with the schema; regenerate them with: {REGENERATE}"
    )


def test_every_key_of_the_schema_is_documented():
    sections = reference_sections()
    missing = [
        f"{table}.{key}" if table else key
        for table, key in schema_keys(Scenario)
        if f"| `{key}` |" not in sections.get(table, "")
    ]
    assert not missing, f"keys missing from the reference: {missing}; run: {REGENERATE}"


def test_every_lever_metric_and_coefficient_is_documented():
    sections = reference_sections()
    levers = reference.embedded(DOC, "reference").split("### Levers", 1)[1]
    levers, metrics = levers.split("### Metrics", 1)
    missing = [f"lever {lever.name}" for lever in LEVERS if f"| `{lever.name}` |" not in levers]
    missing += [f"metric {m.name}" for m in METRICS if f"| `{m.name}` |" not in metrics]
    missing += [
        f"dynamics {c.name}"
        for c in Dynamics.field_docs()
        if f"| `{c.name}` |" not in sections["dynamics"]
    ]
    assert not missing, f"missing from the reference: {missing}; run: {REGENERATE}"


def test_supplements_describe_real_keys_the_schema_leaves_undescribed():
    models = schema_models()
    for (model_name, key), _ in reference.SUPPLEMENTS.items():
        assert model_name in models, f"SUPPLEMENTS names an unknown model {model_name}"
        model = models[model_name]
        assert key in model.model_fields, f"SUPPLEMENTS names an unknown key {model_name}.{key}"
        assert not model.model_fields[key].description, (
            f"engine/scenario/schema.py now describes {model_name}.{key}: delete its entry "
            "from SUPPLEMENTS in docs/tools/key_words.py, then run: " + REGENERATE
        )


def test_unit_and_reference_tables_name_real_keys():
    models = schema_models()
    named = {(cls, key) for cls, model in models.items() for key in model.model_fields}
    for cls, key in [*reference.REFERENCES, *reference.MONEY_FIELDS]:
        assert (cls, key) in named, f"{cls}.{key} is not a key of the format"
    keys = {key for _, key in named}
    for key in reference.QUARTER_COUNTS | reference.QUARTER_NUMBERS:
        assert key in keys, f"{key} is not a key of the format"


def test_write_rewrites_only_the_generated_blocks(tmp_path):
    stale = DOC.replace("| `engagement_base` |", "| `engagement_basis` |", 1)
    assert stale != DOC
    path = tmp_path / "guide.md"
    path.write_text(stale, encoding="utf-8")
    assert reference.main(["--check", str(path)]) == 1
    assert reference.main(["--write", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == reference.update_document(DOC)
    assert reference.main(["--check", str(path)]) == 0


def test_missing_markers_are_reported(tmp_path):
    path = tmp_path / "guide.md"
    path.write_text("# No markers here\n", encoding="utf-8")
    assert reference.main(["--check", str(path)]) == 1
    with pytest.raises(ValueError, match="reference:start"):
        reference.update_document("# No markers here\n")


# --- the hand-written guide -------------------------------------------------------------
def test_every_toml_example_is_valid_toml():
    blocks = code_blocks("toml")
    assert blocks
    for block in blocks:
        try:
            tomllib.loads(block)
        except tomllib.TOMLDecodeError as exc:
            pytest.fail(f"invalid TOML example in the guide ({exc}):\n{block}")


def test_walk_through_scenario_and_policy_are_valid():
    scenario = parse_scenario(example("helpdesk-drift.toml"))
    assert scenario.meta.id == "helpdesk-drift"
    policy = Policy.from_table(tomllib.loads(example("good-policy.toml")))
    policy.validate(World.from_scenario(scenario))


def test_internal_links_resolve():
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', DOC))
    anchors |= {github_slug(h) for h in re.findall(r"^#+ (.*)$", DOC, flags=re.MULTILINE)}
    links = set(re.findall(r"\]\(#([^)]+)\)", DOC))
    assert not links - anchors, f"links to missing anchors: {sorted(links - anchors)}"


# Mistakes the guide shows, made in its walk-through scenario: (name, old text, new text).
# The guide quotes goingdark check's output for each; the output must still be real.
MISTAKES = [
    ("number-in-quotes", "value = 2_400", 'value = "2,400"'),
    ("department-typo", '["service-desk", "field"]', '["service_desk", "field"]'),
    ("lever-typo", '"customer_contact", amount = 0.4', '"customer_contacts", amount = 0.4'),
    ("percentage", "satisfaction = 0.72", "satisfaction = 72"),
    ("key-typo", "quota_exposure = 1.0 ", "quota_exposur = 1.0 "),
    ("float-for-integer", "quarters = 8", "quarters = 8.0"),
    ("neither-quarter-nor-chance", "quarter = 4\n", ""),
    ("stars-out-of-order", "stars = [40, 60, 80]", "stars = [40, 80, 60]"),
    ("duplicate-id", 'id = "honest-survey"', 'id = "career-ladder"'),
    ("syntax-error", 'customers gone"\nsummary', "customers gone\nsummary"),
    ("requires-typo", 'requires = ["board-mandate"]', 'requires = ["board-mandat"]'),
    (
        "requires-cycle",
        'duration = 6\neffects = [{ lever = "leadership_attention"',
        'duration = 6\nrequires = ["drop-ticket-targets"]\n'
        'effects = [{ lever = "leadership_attention"',
    ),
    ("metric-typo", 'metric = "engagement"', 'metric = "engagment"'),
    ("practice-out-of-range", "recognition = 0.3", "recognition = 1.5"),
    ("unknown-default-choice", 'default_choice = "push"', 'default_choice = "ring-everyone"'),
    ("window-back-to-front", "first_quarter = 2", "first_quarter = 9"),
]


@pytest.mark.parametrize(("old", "new"), [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES])
def test_error_messages_quoted_in_the_guide_are_real(old, new):
    scenario = example("helpdesk-drift.toml")
    assert scenario.count(old) == 1, f"{old!r} is not once in the walk-through scenario"
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(scenario.replace(old, new), Path("helpdesk-drift.toml"))
    for problem in raised.value.problems:
        assert str(problem) in DOC, (
            f"the guide should quote goingdark check's message for {new!r}:\n{problem}"
        )
