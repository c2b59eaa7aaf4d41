"""Every bad scenario input gets a clear, exact error, never a traceback (issue 3).

Each test writes a scenario built by editing a valid one (tests/data/minimal.toml or
the blank template of ``goingdark new``) and asserts the exact problem lines:
``PATH:LINE: key.path: message``, sorted by line, list items named by their id.
Line numbers are literal for edits of minimal.toml (whose layout
test_the_starting_points_are_valid pins down) and found by searching the text for
edits of the longer, commented template.
"""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.errors import Problem, ScenarioError
from engine.scenario.authoring import blank_scenario, commented_toml
from engine.scenario.loader import load_scenario, parse_scenario
from engine.scenario.schema import Scenario

MINIMAL = (Path(__file__).parent / "data" / "minimal.toml").read_text(encoding="utf-8")
BLANK = commented_toml(blank_scenario("blank"))
EMPTY = (
    "the file is empty; a scenario needs at least [meta], [briefing], [company], "
    "[[segments]], [[interventions]] and [scoring]"
)
IDENTIFIER = "expected an identifier of lower-case letters, digits, '_' and '-' "


def edit(text: str, old: str, new: str) -> str:
    """``text`` with the one occurrence of ``old`` replaced (fails if not exactly one)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def line_of(text: str, needle: str) -> int:
    """1-based line of the one occurrence of ``needle`` in ``text``."""
    assert text.count(needle) == 1, f"{needle!r} occurs {text.count(needle)} times"
    return text[: text.index(needle)].count("\n") + 1


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in tmp_path, so problems name files as ``s.toml`` rather than a long path."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def problems(name: str | Path) -> list[str]:
    """The problem lines load_scenario reports for ``name`` (fails if it loads)."""
    with pytest.raises(ScenarioError) as caught:
        load_scenario(name)
    return [str(problem) for problem in caught.value.problems]


def problems_in(text: str | bytes, name: str = "s.toml") -> list[str]:
    """Write ``text`` to ``name`` in the current folder and return its problem lines."""
    path = Path(name)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return problems(name)


def test_the_starting_points_are_valid() -> None:
    assert parse_scenario(MINIMAL).meta.id == "minimal"
    assert parse_scenario(BLANK).meta.id == "blank"
    # The literal line numbers below assume this layout of tests/data/minimal.toml.
    layout = [
        (7, "quarters = 8"),
        (22, 'id = "sales"'),
        (39, 'id = "smb"'),
        (55, "[practices]"),
        (67, 'id = "recognition"'),
        (89, 'requires = ["mandate"]'),
        (97, "stars = [40, 60, 80]"),
    ]
    assert [(line_of(MINIMAL, needle), needle) for _, needle in layout] == layout


# --- files that are not scenario text ---------------------------------------------------
def test_missing_file(workdir: Path) -> None:
    assert problems("nowhere.toml") == ["nowhere.toml: file not found"]
    assert problems("folder/nowhere.toml") == ["folder/nowhere.toml: file not found"]


def test_directory(workdir: Path) -> None:
    (workdir / "folder.toml").mkdir()
    (workdir / "scenarios").mkdir()
    assert problems("folder.toml") == ["folder.toml: is a folder, not a scenario file"]
    assert problems("scenarios") == ["scenarios: is a folder, not a scenario file"]


@pytest.mark.parametrize(
    "content",
    [b"", b"   \n\n\t\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n  \n"],
    ids=["empty", "whitespace", "bom-only", "bom-and-blank-lines"],
)
def test_empty_file(workdir: Path, content: bytes) -> None:
    assert problems_in(content) == [f"s.toml: {EMPTY}"]


def test_empty_text() -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario("")
    assert caught.value.problems == [Problem(None, None, "", EMPTY)]
    assert str(caught.value) == f"<scenario>: {EMPTY}"


def test_binary_file(workdir: Path) -> None:
    assert problems_in(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") == [
        "s.toml: is a binary file, not TOML text"
    ]


def test_utf16_file(workdir: Path) -> None:
    assert problems_in(MINIMAL.encode("utf-16")) == [
        "s.toml: is UTF-16 text; save the file as UTF-8"
    ]


def test_not_utf8(workdir: Path) -> None:
    text = edit(MINIMAL, 'name = "Testco"', 'name = "Testco Café"').encode("latin-1")
    assert problems_in(text) == [
        "s.toml:14: is not UTF-8 text (byte 0xe9 cannot be decoded); save the file as UTF-8"
    ]


def test_utf8_with_bom_is_fine(workdir: Path) -> None:
    (workdir / "s.toml").write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode("utf-8"))
    assert load_scenario("s.toml").meta.id == "minimal"


def test_absurdly_large_file(workdir: Path) -> None:
    filler = "# " + "x" * 1022 + "\n"
    (workdir / "s.toml").write_text(MINIMAL + filler * 3 * 1024, encoding="utf-8")
    assert problems("s.toml") == ["s.toml: file is 3.0 MiB; a scenario file is at most 2 MiB"]


# --- TOML syntax --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "[briefing]",
            "[briefing",
            "10: TOML syntax error at column 10: Expected ']' at the end of a table declaration",
        ),
        ("seed = 7", "seed = ", "8: TOML syntax error at column 8: Invalid value"),
        (
            'name = "Testco"',
            'name = "Testco',
            "14: TOML syntax error at column 15: Illegal character '\\n'",
        ),
        (
            "value = 900",
            "value = 9OO",
            "42: TOML syntax error at column 10: "
            "Expected newline or end of document after a statement",
        ),
        (
            "stars = [40, 60, 80]",
            "stars = [40, 60 80]",
            "97: TOML syntax error at column 17: Unclosed array",
        ),
        (
            'situation = "A test company."',
            'situation = "A test company."\nsituation = "Again."',
            "12: TOML syntax error at column 21: Cannot overwrite a value",
        ),
        (
            'name = "Testco"',
            'name = "Testco"\nbudget = "plenty"',
            "16: TOML syntax error at column 16: Cannot overwrite a value",
        ),
    ],
    ids=[
        "unclosed-header",
        "missing-value",
        "unclosed-string",
        "bad-number",
        "missing-comma",
        "duplicate-key",
        "key-and-table",
    ],
)
def test_toml_syntax_error(workdir: Path, old: str, new: str, expected: str) -> None:
    assert problems_in(edit(MINIMAL, old, new)) == [f"s.toml:{expected}"]


def expect(text: str, pairs: list[tuple[str, str]]) -> list[str]:
    """``s.toml:LINE: message`` for each (needle, message), LINE being the needle's line."""
    return [f"s.toml:{line_of(text, needle)}: {message}" for needle, message in pairs]


# --- types ----------------------------------------------------------------------------------
def test_wrong_types(workdir: Path) -> None:
    text = MINIMAL
    for old, new in [
        ("quarters = 8", 'quarters = "eight"'),
        ("headcount = 10", "headcount = 10.5"),
        ("hiring_cost = 5_000", "hiring_cost = 5_000\ncarry_over = 1"),
        ('difficulty = "easy"', "difficulty = true"),
        ("value = 900", 'value = "900"'),
        ("churn = { a = 1.0, b = 30.0 }", "churn = 0.03"),
        ('served_by = ["sales", "delivery"]\ndigital', 'served_by = "sales"\ndigital'),
        ("amount = 0.5", 'amount = "lots"'),
        ('requires = ["mandate"]', "requires = [2]"),
        ("stars = [40, 60, 80]", "stars = 80"),
    ]:
        text = edit(text, old, new)
    assert problems_in(text) == expect(
        text,
        [
            (
                "difficulty = true",
                "meta.difficulty: expected one of 'tutorial', 'easy', 'medium', 'hard' or "
                "'expert', found a boolean (true)",
            ),
            (
                'quarters = "eight"',
                'meta.quarters: expected an integer, found a string ("eight")',
            ),
            (
                "carry_over = 1",
                "company.budget.carry_over: expected a boolean, found an integer (1)",
            ),
            (
                "headcount = 10.5",
                "company.departments.sales.headcount: expected an integer, found a float (10.5)",
            ),
            ('value = "900"', 'segments.smb.value: expected a number, found a string ("900")'),
            ("churn = 0.03", "segments.smb.churn: expected a table, found a float (0.03)"),
            (
                'served_by = "sales"',
                'segments.enterprise.served_by: expected an array, found a string ("sales")',
            ),
            (
                'amount = "lots"',
                "interventions.recognition.effects[#1].amount: "
                'expected a number, found a string ("lots")',
            ),
            (
                "requires = [2]",
                "interventions.change.requires[#1]: expected a string, found an integer (2)",
            ),
            ("stars = 80", "scoring.stars: expected an array, found an integer (80)"),
        ],
    )


def test_tables_and_arrays_of_tables_mixed_up(workdir: Path) -> None:
    text = edit(MINIMAL, "[meta]", "[[meta]]")
    text = edit(text, "[scoring]", "[[scoring]]")
    text = edit(text, '[[company.departments]]\nid = "delivery"', '[other]\nid = "delivery"')
    text = edit(text, "[[company.departments]]", "[company.departments.sales]")
    # [segments.big] after [[segments]] extends that segment, as TOML says.
    text = edit(text, '[[segments]]\nid = "enterprise"', '[segments.big]\nid = "enterprise"')
    assert problems_in(text) == [
        "s.toml:2: meta: expected a table, found an array of 1 item",
        # ... and no "unknown department" for every served_by: that would only repeat it.
        "s.toml:21: company.departments: expected an array, found a table",
        "s.toml:30: other: unknown key (expected one of: meta, briefing, company, segments, "
        "acquisition, start, practices, dynamics, interventions, events, scoring, goals, "
        "achievements, lessons, reference_plans)",
        "s.toml:46: segments.smb.big: unknown key (expected one of: id, name, count, value, "
        "value_spread, churn, tenure, satisfaction, thrill, trust, served_by, digital_expectation, "
        "wake_up, share_of_new)",
        "s.toml:92: scoring: expected a table, found an array of 1 item",
    ]


def test_quoted_values_are_shortened_and_escaped(workdir: Path) -> None:
    text = edit(MINIMAL, 'id = "smb"', 'id = "Small businesses, mostly in the north"')
    text = edit(text, 'id = "enterprise"', 'id = "big\\ncustomers"')
    text = edit(text, 'requires = ["mandate"]', 'requires = ["man\\tdate"]')
    rule = "(starting with a letter or digit)"
    assert problems_in(text) == [
        # An id that is no identifier cannot name its item: the position does.
        f"s.toml:39: segments[#1].id: {IDENTIFIER}{rule}, "
        'found a string ("Small businesses, mostly in...")',
        f's.toml:47: segments[#2].id: {IDENTIFIER}{rule}, found a string ("big\\ncustomers")',
        f"s.toml:89: interventions.change.requires[#1]: {IDENTIFIER}{rule}, "
        'found a string ("man\\tdate")',
        "s.toml:89: interventions.change.requires[#1]: unknown intervention 'man\\tdate'; "
        "did you mean 'mandate'?",
    ]


# --- unknown keys ------------------------------------------------------------------------------
def test_unknown_keys_with_did_you_mean(workdir: Path) -> None:
    text = edit(MINIMAL, "seed = 7", "sede = 7")
    text = edit(text, "[briefing]", "[breifing]")
    text = edit(text, "count = 1_500", "cout = 1_500")
    text = edit(
        text,
        "engagement = { mean = 0.6, sd = 0.1 }\nskill = { mean = 0.8,",
        "engagment = { mean = 0.6, sd = 0.1 }\nskill = { mean = 0.8,",
    )
    text = edit(text, "amount = 0.5", "amout = 0.5")
    assert problems_in(text) == [
        "s.toml:8: meta.sede: unknown key; did you mean 'seed'?",
        "s.toml:10: breifing: unknown key; did you mean 'briefing'?",
        # A missing key is reported where its table starts.
        "s.toml:30: company.departments.delivery.engagement: required key is missing",
        "s.toml:34: company.departments.delivery.engagment: unknown key; "
        "did you mean 'engagement'?",
        "s.toml:38: segments.smb.count: required key is missing",
        "s.toml:41: segments.smb.cout: unknown key; did you mean 'count'?",
        "s.toml:72: interventions.recognition.effects[#1].amount: required key is missing",
        "s.toml:72: interventions.recognition.effects[#1].amout: unknown key; "
        "did you mean 'amount'?",
        # Never guessed: no [briefing] table is anywhere in the file.
        "s.toml: briefing: required key is missing",
    ]


def test_unknown_keys_without_a_near_miss_list_the_keys(workdir: Path) -> None:
    text = edit(MINIMAL, 'name = "Testco"', 'name = "Testco"\ncolour = "red"')
    text = edit(text, "[practices]", "[habits]\nx = 1\n\n[practices]")
    assert problems_in(text) == [
        "s.toml:15: company.colour: unknown key "
        "(expected one of: name, currency, budget, departments)",
        "s.toml:56: habits: unknown key (expected one of: meta, briefing, company, segments, "
        "acquisition, start, practices, dynamics, interventions, events, scoring, goals, "
        "achievements, lessons, reference_plans)",
    ]


def test_unknown_levers(workdir: Path) -> None:
    text = edit(MINIMAL, "digital = 0.2", "digitl = 0.2")
    text = edit(text, "growth = 0.2", "happiness = 0.2")
    assert problems_in(text) == [
        "s.toml:57: practices.happiness: unknown lever 'happiness' "
        "(see the lever list in the docs)",
        "s.toml:61: practices.digitl: unknown lever 'digitl'; did you mean 'digital'?",
    ]


# --- numbers out of range ----------------------------------------------------------------------
def test_out_of_range_numbers(workdir: Path) -> None:
    text = MINIMAL
    for old, new in [
        ("quarters = 8", "quarters = 0"),
        ("seed = 7", "seed = 9_999_999_999_999_999_999"),
        (
            "engagement = { mean = 0.6, sd = 0.1 }\nskill = { mean = 0.75",
            "engagement = { mean = 0.6, sd = 0.9 }\nskill = { mean = 0.75",
        ),
        ("headcount = 30", "headcount = 0"),
        ("count = 200", "count = -3"),
        ("churn = { a = 1.0, b = 60.0 }", "churn = { a = 0, b = 60.0 }"),
        ("growth = 0.2", "growth = 1.5"),
        ("cost = 50_000", "cost = -5"),
        ("stars = [40, 60, 80]", "stars = [40, 60, 800]"),
    ]:
        text = edit(text, old, new)
    assert problems_in(text) == [
        "s.toml:7: meta.quarters: must be at least 1, found 0",
        "s.toml:8: meta.seed: must be at most 9223372036854775807, found 9999999999999999999",
        "s.toml:25: company.departments.sales.engagement.sd: must be at most 0.5, found 0.9",
        "s.toml:33: company.departments.delivery.headcount: must be at least 1, found 0",
        "s.toml:49: segments.enterprise.count: must be at least 0, found -3",
        "s.toml:51: segments.enterprise.churn.a: must be greater than 0, found 0",
        # The lever's own range, not the schema's wider one for every practice.
        "s.toml:57: practices.growth: must be between 0 and 1 for lever 'growth', found 1.5",
        "s.toml:71: interventions.recognition.cost: must be at least 0, found -5",
        "s.toml:97: scoring.stars[#3]: must be at most 100, found 800",
    ]


def test_out_of_range_lengths_and_rules(workdir: Path) -> None:
    text = edit(MINIMAL, 'title = "Minimal test company"', f'title = "{"x" * 70}"')
    text = edit(text, 'name = "Sales"', 'name = ""')
    text = edit(text, 'effects = [{ lever = "recognition", amount = 0.5 }]', "effects = []")
    text = edit(text, "stars = [40, 60, 80]", "stars = [40, 60]")
    assert problems_in(text) == [
        "s.toml:4: meta.title: must be at most 60 characters, found 70",
        "s.toml:23: company.departments.sales.name: must not be empty",
        "s.toml:72: interventions.recognition.effects: needs at least 1 item, found 0",
        "s.toml:97: scoring.stars: needs at least 3 items, found 2",
    ]
    # Rules across keys are reported at the key, even when other keys have problems.
    text = edit(MINIMAL, "stars = [40, 60, 80]", "stars = [80, 60, 40]")
    assert problems_in(text) == [
        "s.toml:97: scoring.stars: 'stars' must be three increasing scores"
    ]
    text = edit(MINIMAL, "worst = 0.3, best = 0.8", "worst = 0.3, best = 0.3")
    assert problems_in(text) == [
        "s.toml:95: scoring.terms[#2].best: 'best' and 'worst' must differ"
    ]
    text = edit(text, 'title = "Minimal test company"', f'title = "{"x" * 70}"')
    assert problems_in(text) == [
        "s.toml:4: meta.title: must be at most 60 characters, found 70",
        "s.toml:95: scoring.terms[#2].best: 'best' and 'worst' must differ",
    ]


def test_conditions_must_fit_their_metric_and_the_game(workdir: Path) -> None:
    text = MINIMAL + (
        '\n[[goals]]\nid = "keep"\ntext = "Keep them."\n'
        'metric = "logo_retention"\nat_least = 80\nfor_quarters = 9\n'
        '\n[[events]]\nid = "late"\ntitle = "Late"\ntext = "Too late."\n'
        "chance = 0.5\nfirst_quarter = 9\n"
        '\n[[lessons]]\nid = "both"\ntitle = "Both"\ntext = "Both bounds."\n'
        'when = { metric = "engagement", at_least = 0.1, at_most = 0.9 }\n'
    )
    assert problems_in(text) == [
        f"s.toml:{line_of(text, 'at_least = 80')}: goals.keep.at_least: logo_retention is "
        "a share from 0 to 1, so a value of it lies between 0 and 1; found 80",
        f"s.toml:{line_of(text, 'for_quarters = 9')}: goals.keep.for_quarters: 9 is more "
        "than the scenario's 8 quarters",
        f"s.toml:{line_of(text, 'first_quarter = 9')}: events.late.first_quarter: 9 is more "
        "than the scenario's 8 quarters",
        f"s.toml:{line_of(text, 'at_most = 0.9')}: lessons.both.when: give exactly one of "
        "'at_least' or 'at_most'",
    ]


def test_nan_and_inf_are_refused_everywhere(workdir: Path) -> None:
    text = edit(MINIMAL, "value = 900", "value = inf")
    text = edit(text, "cost = 50_000", "cost = nan")
    text = edit(text, "growth = 0.2", "growth = -inf")
    text = edit(text, "worst = 0.5", "worst = nan")  # a key without bounds in the schema
    text = edit(text, "best = 0.8", "best = +inf")
    assert problems_in(text) == [
        "s.toml:42: segments.smb.value: expected a finite number, found inf",
        "s.toml:57: practices.growth: expected a finite number, found -inf",
        "s.toml:71: interventions.recognition.cost: expected a finite number, found nan",
        "s.toml:94: scoring.terms[#1].worst: expected a finite number, found nan",
        "s.toml:95: scoring.terms[#2].best: expected a finite number, found inf",
    ]


def test_event_rules(workdir: Path) -> None:
    text = edit(BLANK, "quarter = 3", "quarter = 12\nchance = 0.5")
    assert problems_in(text) == expect(
        text,
        [
            (
                "[[events]]\n",
                "events.big-deadline: "
                "give exactly one of 'quarter' (scheduled) or 'chance' (random)",
            ),
            (
                "quarter = 12",
                "events.big-deadline.quarter: quarter 12 is after the scenario's last quarter (8)",
            ),
        ],
    )


# --- ids and references ---------------------------------------------------------------------
def test_duplicate_ids(workdir: Path) -> None:
    text = edit(MINIMAL, 'id = "delivery"', 'id = "sales"')
    text = edit(text, 'id = "enterprise"', 'id = "smb"')
    text = edit(text, 'id = "mandate"', 'id = "recognition"')
    assert problems_in(text) == [
        "s.toml:31: company.departments.sales.id: "
        "duplicate department id 'sales' (first used on line 22)",
        "s.toml:44: segments.smb.served_by[#2]: unknown department 'delivery'",
        "s.toml:47: segments.smb.id: duplicate segment id 'smb' (first used on line 39)",
        "s.toml:52: segments.smb.served_by[#2]: unknown department 'delivery'",
        "s.toml:75: interventions.recognition.id: "
        "duplicate intervention id 'recognition' (first used on line 67)",
        "s.toml:89: interventions.change.requires[#1]: unknown intervention 'mandate'",
    ]


def test_duplicate_ids_in_the_template(workdir: Path) -> None:
    text = edit(BLANK, 'id = "negotiate"', 'id = "crunch"')
    first, second = (i for i, line in enumerate(text.splitlines(), 1) if line == 'id = "crunch"')
    assert problems_in(text) == [
        f"s.toml:{second}: events.big-deadline.choices.crunch.id: "
        f"duplicate choice id 'crunch' (first used on line {first})",
    ]
    # Ids are unique per kind: a lesson may share an achievement's id.
    text = edit(BLANK, 'id = "drift"', 'id = "lights-on"')
    assert parse_scenario(text).lessons[0].id == "lights-on"


def test_dangling_references(workdir: Path) -> None:
    text = BLANK
    for old, new in [
        ('    "service",\n]', '    "servise",\n]'),
        ('lever = "customer_contact"', 'lever = "customer_contakt"'),
        ('area = "people"', 'area = "people"\nrequires = ["account-review", "nothing-like-it"]'),
        ('lever = "growth"', 'lever = "happiness"'),
        ('title = "A big deadline"', 'title = "A big deadline"\ndefault_choice = "negotiat"'),
        ('lever = "workload_pressure"', 'lever = "workload"'),
        ('metric = "engagement"', 'metric = "engagment"'),
        (
            'metric = "logo_retention"\n# The metric must be at least',
            'metric = "logo_retension"\n# The metric must be at least',
        ),
        ('title = "Lights on"', 'title = "Lights on"\nadopted = ["coachin"]'),
        ('metric = "dark_share"', 'metric = "dark_shares"'),
        ('metric = "quality_norm"', 'metric = "standards"'),
    ]:
        text = edit(text, old, new)
    assert problems_in(text) == expect(
        text,
        [
            (
                '"servise"',
                "segments.core.served_by[#2]: unknown department 'servise'; "
                "did you mean 'service'?",
            ),
            (
                "customer_contakt",
                "interventions.account-reviews.effects[#1].lever: "
                "unknown lever 'customer_contakt'; did you mean 'customer_contact'?",
            ),
            (
                "requires = [",
                "interventions.coaching.requires[#1]: unknown intervention 'account-review'; "
                "did you mean 'account-reviews'?",
            ),
            (
                "nothing-like-it",
                "interventions.coaching.requires[#2]: unknown intervention 'nothing-like-it'",
            ),
            (
                "happiness",
                "interventions.coaching.effects[#2].lever: unknown lever 'happiness' "
                "(see the lever list in the docs)",
            ),
            (
                "default_choice",
                "events.big-deadline.default_choice: unknown choice 'negotiat'; "
                "did you mean 'negotiate'?",
            ),
            (
                'lever = "workload"',
                "events.big-deadline.choices.crunch.effects[#1].lever: unknown lever "
                "'workload'; did you mean 'workload_pressure'?",
            ),
            (
                "engagment",
                "scoring.terms[#3].metric: unknown metric 'engagment'; did you mean 'engagement'?",
            ),
            (
                "logo_retension",
                "goals.keep-customers.metric: unknown metric 'logo_retension'; "
                "did you mean 'logo_retention'?",
            ),
            (
                "adopted = ",
                "achievements.lights-on.adopted[#1]: unknown intervention 'coachin'; "
                "did you mean 'coaching'?",
            ),
            (
                "dark_shares",
                "achievements.lights-on.condition.metric: unknown metric 'dark_shares'; "
                "did you mean 'dark_share'?",
            ),
            (
                '"standards"',
                "lessons.drift.when.metric: unknown metric 'standards' "
                "(see the metric list in the docs)",
            ),
        ],
    )


def test_prerequisite_cycles(workdir: Path) -> None:
    text = edit(MINIMAL, "cost = 30_000\n", 'cost = 30_000\nrequires = ["change"]\n')
    assert problems_in(text) == [
        "s.toml:90: interventions.change.requires: "
        "prerequisite cycle: mandate -> change -> mandate",
    ]
    text = edit(MINIMAL, "cost = 50_000\n", 'cost = 50_000\nrequires = ["recognition"]\n')
    assert problems_in(text) == [
        "s.toml:72: interventions.recognition.requires: "
        "prerequisite cycle: recognition -> recognition",
    ]
    # A longer loop is reported once, at the intervention that closes it.
    text = edit(MINIMAL, "cost = 50_000\n", 'cost = 50_000\nrequires = ["change"]\n')
    text = edit(text, "cost = 30_000\n", 'cost = 30_000\nrequires = ["recognition"]\n')
    assert problems_in(text) == [
        "s.toml:81: interventions.mandate.requires: "
        "prerequisite cycle: recognition -> change -> mandate -> recognition",
    ]


# --- sizes ----------------------------------------------------------------------------------------
def test_absurd_size_is_refused_with_the_estimate(workdir: Path) -> None:
    from engine.setup import MEMORY_BUDGET, MIB, estimate_state_bytes
    from engine.world import World

    extra = "".join(
        f'\n[[segments]]\nid = "s{i}"\nname = "More"\ncount = 2_000_000\nvalue = 10\n'
        'churn = { a = 1.0, b = 30.0 }\nserved_by = ["sales"]\n'
        for i in range(18)
    )
    text = edit(MINIMAL, "count = 1_500", "count = 2_000_000") + extra
    scenario = Scenario.model_validate(tomllib.loads(text))  # valid, only too large
    estimate = estimate_state_bytes(World.from_scenario(scenario), 1, scenario.meta.quarters)
    assert estimate > MEMORY_BUDGET
    assert problems_in(text) == [
        f"s.toml:38: segments: too large to simulate: 38,000,200 customers and 40 employees "
        f"need about {estimate / MIB:,.0f} MiB for one run, over the 512 MiB budget; "
        "use fewer customers"
    ]


def test_no_customers_at_all(workdir: Path) -> None:
    text = edit(MINIMAL, "count = 1_500", "count = 0")
    text = edit(text, "count = 200", "count = 0")
    assert problems_in(text) == ["s.toml:38: segments: the segments have no customers at all"]


# --- everything at once -----------------------------------------------------------------------
def test_every_problem_is_reported_sorted_by_line(workdir: Path) -> None:
    text = MINIMAL
    # Made in an order unlike the file's, and found by different checks (schema types,
    # ranges and keys; cross-references).
    for old, new in [
        ('requires = ["mandate"]', 'requires = ["mandat"]'),
        ('"delivery"]\ndigital', '"delivry"]\ndigital'),
        ("quarters = 8", "quarters = 41"),
        ('name = "Testco"', "name = 5"),
        ('lever = "recognition", amount = 0.5', 'lever = "recogniton", amount = 0.5'),
        ("digital = 0.2", "digital = 0.2\nbogus = 1"),
        ("[briefing]\n", "[briefing]\nmood = 'grim'\n"),
        ("situation = ", "situaton = "),
    ]:
        text = edit(text, old, new)
    lines = problems_in(text)
    assert lines == [
        "s.toml:7: meta.quarters: must be at most 40, found 41",
        "s.toml:10: briefing.situation: required key is missing",
        "s.toml:11: briefing.mood: unknown key (expected one of: situation, controls)",
        "s.toml:12: briefing.situaton: unknown key; did you mean 'situation'?",
        "s.toml:15: company.name: expected a string, found an integer (5)",
        "s.toml:53: segments.enterprise.served_by[#2]: unknown department 'delivry'; "
        "did you mean 'delivery'?",
        "s.toml:63: practices.bogus: unknown lever 'bogus' (see the lever list in the docs)",
        "s.toml:74: interventions.recognition.effects[#1].lever: unknown lever 'recogniton'; "
        "did you mean 'recognition'?",
        "s.toml:91: interventions.change.requires[#1]: unknown intervention 'mandat'; "
        "did you mean 'mandate'?",
    ]
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, Path("s.toml"))
    assert str(caught.value) == "\n".join(lines)


def test_parse_without_a_path_names_no_file() -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(edit(MINIMAL, "quarters = 8", "quarters = 0"))
    assert caught.value.problems == [
        Problem(None, 7, "meta.quarters", "must be at least 1, found 0")
    ]
    assert str(caught.value) == "<scenario>:7: meta.quarters: must be at least 1, found 0"


# --- property: nothing but ScenarioError, ever -------------------------------------------------
BASES = [tomllib.loads(MINIMAL), tomllib.loads(BLANK)]
TEXTS = [MINIMAL, BLANK]
REPLACEMENTS = list("[]{}\"'=,.#\n\r\t 0-aZ\x00\ufeffé")
ODD_VALUES = st.one_of(
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=10),
    st.sampled_from(["sales", "mandate", "coaching", "core", "logo_retention", "x" * 70, "Bad Id"]),
    st.lists(st.one_of(st.integers(), st.text(max_size=3)), max_size=3),
    st.dictionaries(st.text(min_size=1, max_size=5), st.integers(), max_size=2),
)


def _key_paths(node: object, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _key_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _key_paths(value, (*prefix, index))
    return found


@st.composite
def mutated_documents(draw: st.DrawFn) -> str:
    """A valid scenario with keys deleted, values of other types or out of range,
    unknown keys inserted and array items duplicated, written back as TOML."""
    data = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 4))):
        paths = _key_paths(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        action = draw(st.sampled_from(["delete", "replace", "scale", "insert", "duplicate"]))
        if action == "delete":
            del parent[key]
        elif action == "replace":
            parent[key] = draw(ODD_VALUES)
        elif action == "scale" and isinstance(parent[key], int | float):
            parent[key] = parent[key] * draw(st.sampled_from([-1, 0, 1000, 10**9, 0.5]))
        elif action == "insert" and isinstance(parent[key], dict):
            parent[key][draw(st.text(min_size=1, max_size=12))] = draw(ODD_VALUES)
        elif action == "duplicate" and isinstance(parent[key], list) and parent[key]:
            parent[key].append(copy.deepcopy(draw(st.sampled_from(parent[key]))))
    return tomli_w.dumps(data)


@st.composite
def mangled_texts(draw: st.DrawFn) -> str:
    """A valid scenario's TOML text with characters dropped, replaced or inserted, or cut short."""
    text = draw(st.sampled_from(TEXTS))
    for _ in range(draw(st.integers(1, 3))):
        if not text:
            break
        at = draw(st.integers(0, len(text) - 1))
        action = draw(st.sampled_from(["drop", "replace", "insert", "truncate"]))
        if action == "drop":
            text = text[:at] + text[at + 1 :]
        elif action == "replace":
            text = text[:at] + draw(st.sampled_from(REPLACEMENTS)) + text[at + 1 :]
        elif action == "insert":
            text = text[:at] + draw(st.text(max_size=4)) + text[at:]
        else:
            text = text[:at]
    return text


def assert_loads_or_explains(text: str) -> None:
    try:
        parse_scenario(text, Path("s.toml"))
    except ScenarioError as exc:  # anything else escapes and fails the test
        assert exc.problems
        lines = text.count("\n") + 1
        for problem in exc.problems:
            assert problem.message.strip(), problem
            assert problem.line is None or 1 <= problem.line <= lines, problem
            assert "\n" not in str(problem), problem


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(mutated_documents())
def test_mutated_documents_load_or_raise_scenario_error(text: str) -> None:
    assert_loads_or_explains(text)


@FUZZ
@given(mangled_texts())
def test_mangled_texts_load_or_raise_scenario_error(text: str) -> None:
    assert_loads_or_explains(text)


@pytest.mark.parametrize(
    "text",
    [
        "meta = true\n",  # a scalar where a table belongs, read by the cross-checks
        '[[interventions]]\nid = []\nrequires = ["x"]\n'
        '[[interventions]]\nid = "x"\nrequires = []\n',
        "[[segments]]\nid = 1\nserved_by = [[1], {a = 1}]\n",
        '[[events]]\nid = "e"\nchoices = [1, "two", {id = []}]\ndefault_choice = 3\n',
        "scoring = { terms = [1, {metric = 2}] }\n",
        '"a\\nb" = 1\n[meta]\n"\\u0000" = nan\n',
    ],
    ids=["scalar-table", "unhashable-id", "odd-items", "odd-choices", "odd-terms", "odd-keys"],
)
def test_found_crashes_stay_fixed(text: str) -> None:
    assert_loads_or_explains(text)
    with pytest.raises(ScenarioError):
        parse_scenario(text)


def test_an_empty_achievement_criterion_is_reported_not_crashed_on(workdir: Path) -> None:
    text = MINIMAL + (
        '\n[[achievements]]\nid = "nothing"\ntitle = "Nothing"\ntext = "Nothing at all."\n'
        "adopted = []\n"
    )
    header = line_of(text, 'id = "nothing"') - 1
    assert problems_in(text) == [
        f"s.toml:{header}: achievements.nothing: give a 'condition', 'adopted' or 'never_adopted'"
    ]


def test_absurdly_deep_nesting_is_a_scenario_error(workdir: Path) -> None:
    with pytest.raises(ScenarioError, match="nested too deeply"):
        parse_scenario("a = " + "[" * 5000 + "]" * 5000)


def test_forecasts_must_be_true_or_false(workdir: Path) -> None:
    text = edit(MINIMAL, "seed = 7", 'seed = 7\nforecasts = "no"')
    assert problems_in(text) == expect(
        text, [('forecasts = "no"', 'meta.forecasts: expected a boolean, found a string ("no")')]
    )


# --- reference plans ------------------------------------------------------------------------
REFERENCE_PLANS = """
[[reference_plans]]
id = "steady"
title = "Steady"
choices = { big-deadlin = "crunch" }

[[reference_plans.decisions]]
quarter = 1
interventions = ["coachin", "account-reviews"]
choices = { big-deadline = "negotiat" }

[[reference_plans.decisions]]
quarter = 1
interventions = []

[[reference_plans.decisions]]
quarter = 9
interventions = ["coaching"]
choise = { big-deadline = "crunch" }

[[reference_plans]]
id = "steady"
title = "Steady again"
decisions = [{ quarter = "two" }]
"""


def test_reference_plans_are_checked_like_policies(workdir: Path) -> None:
    text = BLANK + REFERENCE_PLANS
    first = line_of(text, 'id = "steady"\ntitle = "Steady"\n')
    assert problems_in(text) == expect(
        text,
        [
            (
                'choices = { big-deadlin = "crunch" }',
                "reference_plans.steady.choices.big-deadlin: unknown dilemma 'big-deadlin'; "
                "did you mean 'big-deadline'?",
            ),
            (
                'interventions = ["coachin", "account-reviews"]',
                "reference_plans.steady.decisions[#1].interventions[#1]: unknown intervention "
                "'coachin'; did you mean 'coaching'?",
            ),
            (
                'choices = { big-deadline = "negotiat" }',
                "reference_plans.steady.decisions[#1].choices.big-deadline: unknown choice "
                "'negotiat'; did you mean 'negotiate'?",
            ),
            (
                "quarter = 1\ninterventions = []",
                "reference_plans.steady.decisions[#2].quarter: quarter 1 is listed twice",
            ),
            (
                "quarter = 9",
                "reference_plans.steady.decisions[#3].quarter: quarter 9 is after the "
                "scenario's last quarter (8)",
            ),
            (
                'choise = { big-deadline = "crunch" }',
                "reference_plans.steady.decisions[#3].choise: unknown key; did you mean 'choices'?",
            ),
            (
                'id = "steady"\ntitle = "Steady again"',
                "reference_plans.steady.id: duplicate reference plan id 'steady' (first used "
                f"on line {first})",
            ),
            (
                'decisions = [{ quarter = "two" }]',
                "reference_plans.steady.decisions[#1].quarter: expected an integer, found a "
                'string ("two")',
            ),
        ],
    )


def test_lesson_answers_name_a_dilemma_and_one_of_its_choices(workdir: Path) -> None:
    text = MINIMAL + (
        '\n[[events]]\nid = "push"\ntitle = "Push"\ntext = "Quarter-end."\nquarter = 2\n'
        '\n[[events.choices]]\nid = "hold"\nlabel = "Hold"\n'
        '\n[[events]]\nid = "storm"\ntitle = "Storm"\ntext = "Rain."\nquarter = 3\n'
        '\n[[lessons]]\nid = "held"\ntitle = "Held"\ntext = "You held."\n'
        'chose = ["push.hodl", "pish.hold", "storm.shelter"]\n'
        'never_chose = ["push"]\n'
    )
    chose = line_of(text, "\nchose = [") + 1
    never = line_of(text, "never_chose = [")
    assert problems_in(text) == [
        f"s.toml:{chose}: lessons.held.chose[#1]: unknown choice 'hodl' of event 'push'; "
        "did you mean 'hold'?",
        f"s.toml:{chose}: lessons.held.chose[#2]: unknown event 'pish'; did you mean 'push'?",
        f"s.toml:{chose}: lessons.held.chose[#3]: event 'storm' is not a dilemma: it has "
        "no choices",
        f"s.toml:{never}: lessons.held.never_chose[#1]: expected a dilemma answer "
        "'EVENT.CHOICE' (an event id, a dot and one of its choice ids), found 'push'",
    ]
