"""Tools for scenario authors: the JSON Schema and new scenario files."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel

from engine.errors import Problem, ScenarioError
from engine.files import write_atomic
from engine.scenario.loader import find_scenario, parse_scenario, read_scenario_text
from engine.scenario.locate import KeyLocator
from engine.scenario.schema import Scenario, Slug
from engine.textfile import inner_model

SCHEMA_FILE = "going-dark.schema.json"


def schema() -> dict[str, Any]:
    """The JSON Schema of the scenario format, from the loader's own models."""
    document = Scenario.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **document}


def schema_json() -> str:
    return json.dumps(schema(), indent=2, sort_keys=False) + "\n"


# --- new scenarios ----------------------------------------------------------------------
@dataclass(frozen=True)
class NewScenario:
    """What ``write_new_scenario`` wrote: the scenario file, and whether it wrote the
    schema beside it (``"wrote"``), refreshed a stale copy (``"updated"``) or found it
    current (``None``)."""

    path: Path
    schema_path: Path
    schema_written: str | None


def blank_scenario(slug: str) -> dict[str, Any]:
    """A small but complete, valid scenario to start writing from."""
    return {
        "meta": {
            "id": slug,
            "title": slug.replace("-", " ").replace("_", " ").capitalize(),
            "summary": "One or two sentences for the scenario browser.",
            "difficulty": "medium",
            "quarters": 8,
            "seed": 1,
            "author": "",
            "tags": [],
        },
        "briefing": {
            "situation": "Who the player is, what the company does and what is going "
            "wrong.\nSeveral paragraphs are fine.\n",
            "controls": "What the player can change and what to watch.\n",
        },
        "company": {
            "name": "Example Ltd",
            "currency": "$",
            "budget": {
                "start": 150_000.0,
                "per_quarter": 100_000.0,
                "profit_share": 0.0,
                "carry_over": True,
                "salary": 20_000.0,
                "hiring_cost": 8_000.0,
            },
            "departments": [
                {
                    "id": "sales",
                    "name": "Sales",
                    "headcount": 8,
                    "engagement": {"mean": 0.6, "sd": 0.1},
                    "skill": {"mean": 0.75, "sd": 0.08},
                    "clarity": {"mean": 0.7, "sd": 0.1},
                    "self_focus": {"mean": 0.3, "sd": 0.05},
                    "quota_exposure": 1.0,
                },
                {
                    "id": "service",
                    "name": "Service",
                    "headcount": 20,
                    "engagement": {"mean": 0.6, "sd": 0.1},
                    "skill": {"mean": 0.8, "sd": 0.08},
                    "clarity": {"mean": 0.75, "sd": 0.1},
                    "self_focus": {"mean": 0.2, "sd": 0.05},
                    "quota_exposure": 0.0,
                },
            ],
        },
        "segments": [
            {
                "id": "core",
                "name": "Core customers",
                "count": 1_000,
                "value": 1_500.0,
                "value_spread": 0.3,
                "churn": {"a": 1.0, "b": 40.0},
                "satisfaction": 0.7,
                "thrill": 0.5,
                "trust": 0.6,
                "served_by": ["sales", "service"],
                "digital_expectation": 0.5,
                "wake_up": 0.02,
            },
        ],
        "acquisition": {"enabled": True, "rate": 0.03, "fit": {"mean": 0.9, "sd": 0.05}},
        "start": {
            "quality_norm": 0.65,
            "data_credibility": 0.3,
            "digital_maturity": 0.4,
            "leadership_commitment": 0.3,
            "learning_culture": 0.3,
            "team_toxicity": 0.15,
        },
        "practices": {
            "recognition": 0.2,
            "growth": 0.2,
            "customer_contact": 0.4,
            "value_innovation": 0.2,
            "data_investment": 0.2,
            "digital": 0.3,
            "learning_culture": 0.2,
            "performance_management": 0.2,
        },
        "interventions": [
            {
                "id": "account-reviews",
                "name": "Account reviews",
                "description": "Quarterly reviews with every customer.",
                "area": "customers",
                "cost": 40_000.0,
                "lag": 1,
                "ramp": 1,
                "duration": 4,
                "decay": 0.5,
                "effects": [{"lever": "customer_contact", "amount": 0.4}],
            },
            {
                "id": "coaching",
                "name": "Coaching for team leads",
                "description": "Team leads learn to recognise and grow their people.",
                "area": "people",
                "cost": 60_000.0,
                "lag": 1,
                "ramp": 1,
                "duration": 4,
                "decay": 0.5,
                "effects": [
                    {"lever": "recognition", "amount": 0.3},
                    {"lever": "growth", "amount": 0.2},
                ],
            },
        ],
        "events": [
            {
                "id": "big-deadline",
                "title": "A big deadline",
                "text": "A key customer wants everything a month early.",
                "quarter": 3,
                "effects": [],
                "choices": [
                    {
                        "id": "crunch",
                        "label": "Crunch to make it",
                        "duration": 2,
                        "effects": [{"lever": "workload_pressure", "amount": 0.5}],
                    },
                    {
                        "id": "negotiate",
                        "label": "Negotiate a later date",
                        "cost": 10_000.0,
                        "effects": [{"lever": "overpromising", "amount": -0.1}],
                    },
                ],
            },
        ],
        "scoring": {
            "terms": [
                {"metric": "logo_retention", "weight": 40.0, "worst": 0.6, "best": 0.95},
                {"metric": "revenue_retention", "weight": 30.0, "worst": 0.6, "best": 1.0},
                {"metric": "engagement", "weight": 30.0, "worst": 0.3, "best": 0.75},
            ],
            "stars": [45.0, 65.0, 80.0],
        },
        "goals": [
            {
                "id": "keep-customers",
                "text": "Keep at least 80% of your starting customers.",
                "metric": "logo_retention",
                "at_least": 0.8,
            },
        ],
        "achievements": [
            {
                "id": "lights-on",
                "title": "Lights on",
                "text": "Fewer than 5% of customers dark for four quarters in a row.",
                "condition": {"metric": "dark_share", "at_most": 0.05, "for_quarters": 4},
            },
        ],
        "lessons": [
            {
                "id": "drift",
                "title": "Standards slip quietly",
                "text": "The quality norm fell while nobody was looking.",
                "when": {"metric": "quality_norm", "measure": "change", "at_most": -0.03},
            },
        ],
        # A plan the case is meant to reward: `goingdark balance` measures it against
        # doing nothing, each card alone and the plans a search finds.
        "reference_plans": [
            {
                "id": "intended",
                "title": "The plan the case rewards",
                "decisions": [
                    {"quarter": 1, "interventions": ["account-reviews", "coaching"]},
                    {"quarter": 5, "interventions": ["account-reviews"]},
                ],
            },
        ],
    }


def _descriptions(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> dict[tuple, str]:
    """Field descriptions keyed by key path without indices, for comments."""
    found: dict[tuple, str] = {}
    for name, field in model.model_fields.items():
        path = (*prefix, name)
        if field.description:
            found[path] = field.description
        inner = inner_model(field.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel) and len(path) < 4:
            found.update(_descriptions(inner, path))
    return found


def commented_toml(data: dict[str, Any]) -> str:
    """TOML written by tomli-w, with each documented key explained in a comment above it."""
    text = tomli_w.dumps(data, multiline_strings=True)
    lines = text.splitlines()
    locator = KeyLocator(text)
    described = _descriptions(Scenario)
    notes: dict[int, str] = {}

    def walk(node: Any, path: tuple) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, (*path, key))
        elif isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, dict):
                    walk(item, (*path, index))
        key = tuple(part for part in path if isinstance(part, str))
        line = locator.line(path) if path else None
        # Only keys that start their own line: a comment above an inline table in an
        # array would describe one of its keys as if it were the whole item.
        if (
            key in described
            and line
            and line not in notes
            and re.match(rf"{re.escape(str(path[-1]))}\s*=", lines[line - 1])
        ):
            notes[line] = described[key]

    walk(data, ())
    header = [
        f"#:schema ./{SCHEMA_FILE}",
        "# A Going Dark scenario. Every key is documented in docs/scenario-authoring.md;",
        f"# check your changes with: goingdark check {data['meta']['id']}.toml",
        "",
    ]
    out = list(header)
    for number, line in enumerate(lines, start=1):
        if number in notes and not line.startswith("["):
            out.append(f"# {notes[number]}")
        out.append(line)
    return "\n".join(out) + "\n"


def copied_scenario(source: str, slug: str) -> str:
    """The text of scenario ``source`` (a path, a built-in id or an id in the player's
    folder, as :func:`find_scenario` decides) as a new scenario ``slug``: the author's
    own text and comments kept line for line, with only the id changed, the campaign
    place dropped (a copy is not part of the campaign) and a header naming the source."""
    path = find_scenario(source)
    text = read_scenario_text(path).removeprefix("\ufeff")
    parse_scenario(text, path)  # say what is wrong with the source, at its own lines
    lines = text.splitlines()
    locator = KeyLocator(text)
    id_line = locator.line(("meta", "id"))
    if id_line is None:  # only a dotted or inline meta hides it: rewrite the id there
        raise ScenarioError(
            [Problem(path, None, "meta.id", "cannot be found on a line of its own to change")]
        )
    lines[id_line - 1] = re.sub(
        r"""^(\s*id\s*=\s*)("[^"]*"|'[^']*')""", rf'\g<1>"{slug}"', lines[id_line - 1]
    )
    campaign_line = locator.line(("meta", "campaign_order"))
    if campaign_line is not None:
        del lines[campaign_line - 1]
    header = [
        f"# Copied from {path.stem} by goingdark new --from.",
        f"# Check your changes with: goingdark check {slug}.toml",
    ]
    if lines and lines[0].startswith("#:schema"):
        lines[1:1] = header
    else:
        lines[0:0] = [f"#:schema ./{SCHEMA_FILE}", *header]
    return "\n".join(lines) + "\n"


def write_new_scenario(
    slug: str, folder: Path, source: str | None = None, force: bool = False
) -> NewScenario:
    """Write ``folder/slug.toml``: the blank template, or a copy of scenario ``source``
    (see :func:`copied_scenario`), and the JSON Schema beside it when missing or out of
    date. Raises ScenarioError for a bad slug, an unknown source or an existing file."""
    from pydantic import TypeAdapter, ValidationError

    try:
        TypeAdapter(Slug).validate_python(slug)
    except ValidationError:
        raise ScenarioError(
            [
                Problem(
                    None,
                    None,
                    "",
                    f"'{slug}' is not a valid id: use 1 to 40 lower-case letters, digits, "
                    "'_' and '-', starting with a letter or digit",
                )
            ]
        ) from None
    text = commented_toml(blank_scenario(slug)) if source is None else copied_scenario(source, slug)
    target = folder / f"{slug}.toml"
    if target.exists() and not force:
        raise ScenarioError(
            [Problem(target, None, "", "already exists (use --force to overwrite it)")]
        )
    if not folder.is_dir():
        found = "is not a folder" if folder.exists() else "folder not found"
        raise ScenarioError([Problem(folder, None, "", found)])
    parse_scenario(text, target)  # never write a scenario our own loader would refuse
    # Editors resolve the file's #:schema line relative to it: put the schema beside it.
    schema_path = folder / SCHEMA_FILE
    current = schema_json()
    schema_written = None
    if not schema_path.exists():
        schema_written = "wrote"
    elif _read_or_none(schema_path) != current:
        schema_written = "updated"  # an older game's schema would miss newer keys
    writing = target
    try:
        write_atomic(target, text)
        if schema_written is not None:
            writing = schema_path
            write_atomic(schema_path, current)
    except OSError as exc:
        raise ScenarioError(
            [Problem(writing, None, "", f"cannot be written: {exc.strerror or exc}")]
        ) from exc
    return NewScenario(target, schema_path, schema_written)


def _read_or_none(path: Path) -> str | None:
    """The text of a file, or None when it cannot be read as UTF-8 text."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
