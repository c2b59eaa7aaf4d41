"""The goingdark command: exit codes (0 ok, 1 user error, 2 usage) and exact messages.

Most tests call :func:`game.cli.main` in-process with capsys; a few run the real
``goingdark`` entry point and ``python -m game`` in a subprocess.
"""

from __future__ import annotations

import itertools
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.scenario.authoring import SCHEMA_FILE, schema
from engine.vocabulary import METRIC_NAMES
from game.cli import EXIT_OK, EXIT_USAGE, EXIT_USER_ERROR, main

ROOT = Path(__file__).resolve().parent.parent
MINIMAL_PATH = ROOT / "tests" / "data" / "minimal.toml"
MINIMAL = MINIMAL_PATH.read_text(encoding="utf-8")
ENTRY_POINT = Path(sys.executable).parent / "goingdark"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in tmp_path, so messages name files by short relative paths."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def builtins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of two built-in scenarios, in place of the shipped ones (which change)."""
    folder = tmp_path / "builtin"
    folder.mkdir()
    for slug in ("quota-season", "tutorial"):
        (folder / f"{slug}.toml").write_text(
            MINIMAL.replace('id = "minimal"', f'id = "{slug}"'), encoding="utf-8"
        )
    monkeypatch.setattr("engine.scenario.loader.builtin_dir", lambda: folder)
    return folder


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``goingdark ARGV``, usage errors included."""
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse: --help and usage errors
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- check ------------------------------------------------------------------------------------
def test_check_accepts_a_valid_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "check", str(MINIMAL_PATH)) == (EXIT_OK, f"{MINIMAL_PATH}: ok\n", "")


def test_check_lists_every_problem_and_exits_1(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = MINIMAL.replace("quarters = 8", 'quarters = "eight"').replace("seed = 7", "sede = 7")
    write(workdir / "bad.toml", bad)
    code, out, err = run_cli(capsys, "check", "bad.toml")
    assert (code, err) == (EXIT_USER_ERROR, "")
    assert out == (
        'bad.toml:7: meta.quarters: expected an integer, found a string ("eight")\n'
        "bad.toml:8: meta.sede: unknown key; did you mean 'seed'?\n"
    )


def test_check_several_files_at_once(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(MINIMAL_PATH, workdir / "good.toml")
    typo = MINIMAL.replace(
        'lever = "recognition", amount = 0.5', 'lever = "recogniton", amount = 0.5'
    )
    write(workdir / "typo.toml", typo)
    write(workdir / "empty.toml", "")
    (workdir / "folder.toml").mkdir()
    code, out, err = run_cli(
        capsys,
        "check",
        "good.toml",
        "typo.toml",
        "missing.toml",
        "empty.toml",
        "folder.toml",
        "good.toml",
    )
    assert (code, err) == (EXIT_USER_ERROR, "")
    assert out.splitlines() == [
        "good.toml: ok",
        "typo.toml:72: interventions.recognition.effects[#1].lever: unknown lever 'recogniton'; "
        "did you mean 'recognition'?",
        "missing.toml: file not found",
        "empty.toml: the file is empty; a scenario needs at least [meta], [briefing], "
        "[company], [[segments]], [[interventions]] and [scoring]",
        "folder.toml: is a folder, not a scenario file",
        "good.toml: ok",
    ]


def test_check_all_valid_files_exit_0(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(MINIMAL_PATH, workdir / "a.toml")
    shutil.copy(MINIMAL_PATH, workdir / "b.toml")
    assert run_cli(capsys, "check", "a.toml", "b.toml") == (EXIT_OK, "a.toml: ok\nb.toml: ok\n", "")


def test_check_an_unknown_id(builtins: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "check", "tutorial", "tutorail")
    assert code == EXIT_USER_ERROR
    assert out.splitlines() == [
        "tutorial: ok",
        "tutorail: no such scenario file, built-in scenario "
        "or scenario in your folder; did you mean 'tutorial'? "
        "(built-in: quota-season, tutorial)",
    ]


def test_check_needs_a_path(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "check")
    assert (code, out) == (EXIT_USAGE, "")
    assert err.endswith("goingdark check: error: the following arguments are required: PATH\n")


def test_check_through_the_entry_point(tmp_path: Path) -> None:
    if not ENTRY_POINT.exists():
        pytest.skip("the goingdark script is not installed in this environment")
    shutil.copy(MINIMAL_PATH, tmp_path / "good.toml")
    write(tmp_path / "bad.toml", MINIMAL.replace("count = 200", "count = -3"))
    done = subprocess.run(
        [str(ENTRY_POINT), "check", "good.toml", "bad.toml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (EXIT_USER_ERROR, "")
    assert done.stdout == (
        "good.toml: ok\nbad.toml:49: segments.enterprise.count: must be at least 0, found -3\n"
    )
    done = subprocess.run(
        [str(ENTRY_POINT), "check", "good.toml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout, done.stderr) == (EXIT_OK, "good.toml: ok\n", "")


# --- run --------------------------------------------------------------------------------------
def test_run_prints_the_quarter_table(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run_cli(capsys, "run", str(MINIMAL_PATH))
    assert (code, err) == (EXIT_OK, "")
    lines = out.splitlines()
    assert lines[0] == "Minimal test company (minimal), seed 7, one run"
    # 80 columns leave out the customer count; --wide shows it.
    assert lines[2].split()[:3] == ["quarter", "logo", "ret"]
    assert [line.split()[0] for line in lines[3:12]] == [str(q) for q in range(9)]
    wide = run_cli(capsys, "run", str(MINIMAL_PATH), "--wide")[1].splitlines()
    assert wide[2].split()[:3] == ["quarter", "customers", "logo"]
    assert [line.split()[0] for line in wide[3:12]] == [str(q) for q in range(9)]


def test_run_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(
        capsys, "run", str(MINIMAL_PATH), "--json", "--runs", "3", "--seed", "11"
    )
    assert (code, err) == (EXIT_OK, "")
    summary = json.loads(out)  # one JSON object and nothing else
    assert list(summary) == ["scenario", "seed", "runs", "quarters", "segments", "outcome"]
    assert (summary["scenario"], summary["seed"], summary["runs"]) == ("minimal", 11, 3)
    outcome = summary["outcome"]
    assert outcome["score"]["p05"] <= outcome["score"]["p50"] <= outcome["score"]["p95"]
    assert math.isclose(sum(outcome["stars"].values()), 1.0)
    assert set(outcome["stars"]) == {"0", "1", "2", "3"}
    quarters = summary["quarters"]
    assert [entry["quarter"] for entry in quarters] == list(range(9))
    for entry in quarters:
        for name in METRIC_NAMES:
            stats = entry[name]
            assert set(stats) == {"mean", "p05", "p50", "p95"}, name
            assert stats["p05"] <= stats["p50"] <= stats["p95"], name
        shares = entry["defection_drivers"]
        if entry["defections"]["mean"] > 0:
            assert math.isclose(sum(shares.values()), 1.0), entry["quarter"]
            assert all(0.0 <= share <= 1.0 for share in shares.values())
        else:
            assert not any(shares.values())
    assert quarters[0]["defections"]["mean"] == 0
    assert any(entry["defections"]["mean"] > 0 for entry in quarters)


def test_run_json_uses_the_scenario_seed_and_quarters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "run", str(MINIMAL_PATH), "--json", "--quarters", "2")
    summary = json.loads(out)
    assert (code, summary["seed"], summary["runs"], len(summary["quarters"])) == (EXIT_OK, 7, 1, 3)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--runs", "0"], "argument --runs: must be at least 1, got 0"),
        (["--runs", "-2"], "argument --runs: must be at least 1, got -2"),
        (["--runs", "many"], "argument --runs: expected a whole number, got 'many'"),
        (["--runs", "1.5"], "argument --runs: expected a whole number, got '1.5'"),
        (["--quarters", "0"], "argument --quarters: must be at least 1, got 0"),
        (["--seed", "-1"], "argument --seed: must be between 0 and 2^63 - 1, got -1"),
        (
            ["--seed", str(2**63)],
            f"argument --seed: must be between 0 and 2^63 - 1, got {2**63}",
        ),
        (["--seed", "lucky"], "argument --seed: expected a whole number, got 'lucky'"),
        (["--runs"], "argument --runs: expected one argument"),
    ],
)
def test_run_bad_options_are_usage_errors(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run_cli(capsys, "run", str(MINIMAL_PATH), *args)
    assert (code, out) == (EXIT_USAGE, "")
    assert err.startswith("usage: goingdark run")
    assert err.endswith(f"goingdark run: error: {message}\n")


def test_run_an_unknown_scenario_id(builtins: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "run", "quota-seasn") == (
        EXIT_USER_ERROR,
        "",
        "goingdark run: quota-seasn: no such scenario file, built-in scenario "
        "or scenario in your folder; "
        "did you mean 'quota-season'? (built-in: quota-season, tutorial)\n",
    )


def test_run_an_unknown_scenario_id_without_builtins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("engine.scenario.loader.builtin_dir", lambda: tmp_path)
    assert run_cli(capsys, "run", "anything") == (
        EXIT_USER_ERROR,
        "",
        "goingdark run: anything: no such scenario file, built-in scenario "
        "or scenario in your folder "
        "(there are no built-in scenarios)\n",
    )


def test_run_an_unknown_scenario_id_in_a_subprocess(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "game", "run", "no-such-scenario"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (EXIT_USER_ERROR, "")
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith(
        "goingdark run: no-such-scenario: no such scenario file, built-in scenario "
        "or scenario in your folder ("
    )


def test_run_a_bad_scenario_prints_each_problem(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = MINIMAL.replace("quarters = 8", "quarters = 0").replace("cost = 50_000", "cost = -1")
    write(workdir / "bad.toml", bad)
    assert run_cli(capsys, "run", "bad.toml") == (
        EXIT_USER_ERROR,
        "",
        "goingdark run: bad.toml:7: meta.quarters: must be at least 1, found 0\n"
        "goingdark run: bad.toml:71: interventions.recognition.cost: "
        "must be at least 0, found -1\n",
    )


# --- run --policy -----------------------------------------------------------------------------
def run_policy(capsys: pytest.CaptureFixture[str], policy: Path) -> tuple[int, str, str]:
    return run_cli(capsys, "run", str(MINIMAL_PATH), "--policy", policy.name)


def test_run_with_a_policy(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = write(
        workdir / "plan.toml",
        'scenario = "minimal"\n\n[[decisions]]\nquarter = 1\n'
        'interventions = ["mandate", "recognition"]\n\n'
        '[[decisions]]\nquarter = 2\ninterventions = ["change"]\n',
    )
    code, out, err = run_policy(capsys, policy)
    assert (code, err) == (EXIT_OK, "")
    assert out.startswith("Minimal test company (minimal), seed 7, one run\n")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '[[decisions]]\nquarter = 1\ninterventions = ["coachin"]\n',
            "plan.toml:3: decisions[#1].interventions[#1]: quarter 1: unknown intervention "
            "'coachin' for scenario 'minimal'",
        ),
        (
            '[[decisions]\nquarter = 1\ninterventions = ["mandate"]\n',
            "plan.toml:1: TOML syntax error at column 12: "
            "Expected ']]' at the end of an array declaration",
        ),
        (
            '[[decisions]]\nquarter = 1\ninterventions = ["mandate" "change"]\n',
            "plan.toml:3: TOML syntax error at column 28: Unclosed array",
        ),
        (
            'scenario = "quota-season"\n',
            "plan.toml: the policy is for scenario 'quota-season', not 'minimal'",
        ),
        (
            '[[decisions]]\nquarter = 3\nchoices = { big-deadline = "crunch" }\n',
            "plan.toml:3: decisions[#1].choices.big-deadline: quarter 3: 'big-deadline' is not "
            "a dilemma of scenario 'minimal'",
        ),
        (
            '[[decisions]]\nquarter = 1\ninterventions = ["mandate", "mandate"]\n',
            "plan.toml:3: decisions[#1].interventions[#2]: quarter 1: 'mandate' is listed twice",
        ),
        (
            "[[decisions]]\nquarter = 2\n\n[[decisions]]\nquarter = 2\n",
            "plan.toml: quarter 2 is listed twice",
        ),
    ],
    ids=[
        "unknown-intervention",
        "syntax-header",
        "syntax-array",
        "other-scenario",
        "unknown-dilemma",
        "twice-in-a-quarter",
        "quarter-twice",
    ],
)
def test_run_with_a_bad_policy(
    workdir: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    policy = write(workdir / "plan.toml", content)
    assert run_policy(capsys, policy) == (EXIT_USER_ERROR, "", f"goingdark run: {message}\n")


def test_run_with_a_policy_of_wrong_types(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = write(
        workdir / "plan.toml",
        '[[decisions]]\nquarter = "1"\nintervention = ["mandate"]\n\n'
        "[[decisions]]\nquarter = 50\ninterventions = 'change'\n",
    )
    assert run_policy(capsys, policy) == (
        EXIT_USER_ERROR,
        "",
        "goingdark run: plan.toml:2: decisions[#1].quarter: "
        'expected an integer, found a string ("1")\n'
        "goingdark run: plan.toml:3: decisions[#1].intervention: unknown key; "
        "did you mean 'interventions'?\n"
        "goingdark run: plan.toml:6: decisions[#2].quarter: must be at most 40, found 50\n"
        "goingdark run: plan.toml:7: decisions[#2].interventions: "
        'expected an array, found a string ("change")\n',
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda folder: folder / "nowhere.toml", "nowhere.toml: file not found"),
        (
            lambda folder: (folder / "plans").mkdir() or folder / "plans",
            "plans: is a folder, not a policy file",
        ),
        (
            lambda folder: (
                (folder / "plan.toml").write_bytes(b"scenario = 'caf\xe9'\n")
                and folder / "plan.toml"
            ),
            "plan.toml: is not UTF-8 text",
        ),
    ],
    ids=["missing", "folder", "not-utf8"],
)
def test_run_with_an_unreadable_policy(
    workdir: Path, capsys: pytest.CaptureFixture[str], make, message: str
) -> None:
    policy = make(workdir)
    assert run_policy(capsys, policy) == (EXIT_USER_ERROR, "", f"goingdark run: {message}\n")


# --- new --------------------------------------------------------------------------------------
def test_new_writes_a_scenario_that_check_accepts(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run_cli(capsys, "new", "my-company")
    assert (code, err) == (EXIT_OK, "")
    assert out == (
        "wrote my-company.toml; check it with: goingdark check my-company.toml\n"
        f"wrote {SCHEMA_FILE} beside it: the scenario format, which editors read\n"
        "  through the file's #:schema line to complete and check keys\n"
    )
    text = (workdir / "my-company.toml").read_text(encoding="utf-8")
    assert text.startswith(f"#:schema ./{SCHEMA_FILE}\n")
    assert 'id = "my-company"' in text
    # Comments explain keys on their own lines, never inside an array of inline tables.
    for above, below in itertools.pairwise(text.splitlines()):
        assert not (above.startswith("#") and below.startswith((" ", "{", "]"))), below
    assert json.loads((workdir / SCHEMA_FILE).read_text(encoding="utf-8")) == schema()
    assert run_cli(capsys, "check", "my-company.toml") == (
        EXIT_OK,
        "my-company.toml: ok\n",
        "",
    )


def test_new_into_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "drafts"
    folder.mkdir()
    code, out, _ = run_cli(capsys, "new", "draft_2", "--dir", str(folder))
    target = folder / "draft_2.toml"
    assert code == EXIT_OK
    assert out.splitlines()[0] == f"wrote {target}; check it with: goingdark check {target}"
    assert out.splitlines()[1].startswith(f"wrote {SCHEMA_FILE} beside it: ")
    assert run_cli(capsys, "check", str(target))[0] == EXIT_OK


def test_new_refuses_to_overwrite_without_force(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "mine.toml", "# my own work\n")
    assert run_cli(capsys, "new", "mine") == (
        EXIT_USER_ERROR,
        "",
        "goingdark new: mine.toml: already exists (use --force to overwrite it)\n",
    )
    assert (workdir / "mine.toml").read_text(encoding="utf-8") == "# my own work\n"
    assert run_cli(capsys, "new", "mine", "--force")[0] == EXIT_OK
    assert run_cli(capsys, "check", "mine.toml") == (EXIT_OK, "mine.toml: ok\n", "")


@pytest.mark.parametrize("slug", ["Bad Slug", "_underscore-first", "x" * 41, "ünïcode", "a.b"])
def test_new_refuses_a_bad_slug(
    workdir: Path, capsys: pytest.CaptureFixture[str], slug: str
) -> None:
    assert run_cli(capsys, "new", slug) == (
        EXIT_USER_ERROR,
        "",
        f"goingdark new: '{slug}' is not a valid id: use 1 to 40 lower-case letters, "
        "digits, '_' and '-', starting with a letter or digit\n",
    )
    assert list(workdir.iterdir()) == []


def test_new_into_a_missing_folder_or_a_file(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(capsys, "new", "x", "--dir", "nowhere") == (
        EXIT_USER_ERROR,
        "",
        "goingdark new: nowhere: folder not found\n",
    )
    write(workdir / "notes.txt", "")
    assert run_cli(capsys, "new", "x", "--dir", "notes.txt") == (
        EXIT_USER_ERROR,
        "",
        "goingdark new: notes.txt: is not a folder\n",
    )


def test_new_when_the_file_cannot_be_written(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(path: Path, text: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("engine.scenario.authoring.write_atomic", refuse)
    assert run_cli(capsys, "new", "x") == (
        EXIT_USER_ERROR,
        "",
        "goingdark new: x.toml: cannot be written: Permission denied\n",
    )


def test_new_from_a_builtin(
    builtins: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(capsys, "new", "my-season", "--from", "quota-season")[0] == EXIT_OK
    assert run_cli(capsys, "check", "my-season.toml") == (EXIT_OK, "my-season.toml: ok\n", "")
    text = (workdir / "my-season.toml").read_text(encoding="utf-8")
    assert 'id = "my-season"' in text
    assert run_cli(capsys, "new", "other", "--from", "quota-seasn") == (
        EXIT_USER_ERROR,
        "",
        "goingdark new: quota-seasn: no such scenario file, built-in scenario "
        "or scenario in your folder; "
        "did you mean 'quota-season'? (built-in: quota-season, tutorial)\n",
    )
    # A file of one's own is found as every command finds a scenario (issue 12, item 6).
    shutil.copy(MINIMAL_PATH, workdir / "own.toml")
    assert run_cli(capsys, "new", "other", "--from", "own.toml")[0] == EXIT_OK
    assert 'id = "other"' in (workdir / "other.toml").read_text(encoding="utf-8")


# --- schema -----------------------------------------------------------------------------------
def test_schema_prints_the_committed_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "schema")
    assert (code, err) == (EXIT_OK, "")
    committed = json.loads((ROOT / "scenarios" / SCHEMA_FILE).read_text(encoding="utf-8"))
    printed = json.loads(out)
    # If this fails, regenerate the copy: goingdark schema > scenarios/going-dark.schema.json
    assert printed == committed
    assert printed == schema()
    assert out.endswith("}\n")  # one newline, not a blank line after the JSON


# --- calibrate --------------------------------------------------------------------------------
def test_calibrate(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "calibrate", "1000", "631", "468", "382", "326")
    assert (code, err) == (EXIT_OK, "")
    assert out.startswith("Shifted-beta-geometric fit to 5 counts (4 periods)\n")
    assert "churn = { a = " in out
    code, out, _ = run_cli(capsys, "calibrate", "1000", "631", "468", "--json")
    assert code == EXIT_OK
    assert json.loads(out)["counts"] == [1000.0, 631.0, 468.0]


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        (
            ["100", "90"],
            "need at least 3 counts (the cohort size, then the survivors after each of at "
            "least 2 periods), got 2",
        ),
        (["100", "ninety", "80"], "counts must be numbers: period 1 has 'ninety'"),
        (["100", "inf", "80"], "counts must be finite numbers: period 1 has inf"),
        (["100", "-5", "-6"], "counts must not be negative: period 1 has -5"),
        (["100", "120", "80"], "counts must not increase: period 1 has 120 after 100 in period 0"),
        (
            ["0", "0", "0"],
            "the first count is the cohort size at the start and must be more than 0",
        ),
    ],
)
def test_calibrate_bad_counts(
    capsys: pytest.CaptureFixture[str], counts: list[str], message: str
) -> None:
    assert run_cli(capsys, "calibrate", *counts) == (
        EXIT_USER_ERROR,
        "",
        f"goingdark calibrate: {message}\n",
    )


# --- help ---------------------------------------------------------------------------------------
def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "--help")
    assert (code, err) == (EXIT_OK, "")
    assert out.startswith("usage: goingdark [-h] COMMAND ...")
    for command in ("run", "check", "schema", "new", "calibrate"):
        assert f"\n    {command}" in out


def test_no_command_opens_the_game(monkeypatch: pytest.MonkeyPatch) -> None:
    from game.app import GoingDarkApp

    opened = []

    def fake_run(app: GoingDarkApp) -> int:
        opened.append((app.start_scenario, app.start_seed, app.unlock_all))
        return 0

    monkeypatch.setattr(GoingDarkApp, "run", fake_run)
    assert main([]) == EXIT_OK
    assert opened == [(None, None, False)]


def test_play_passes_scenario_seed_and_unlock(monkeypatch: pytest.MonkeyPatch) -> None:
    from game.app import GoingDarkApp

    opened = []

    def fake_run(app: GoingDarkApp) -> int:
        opened.append(
            (
                app.start_scenario,
                app.start_seed,
                app.unlock_all,
                [str(p) for p in app.scenario_paths],
            )
        )
        return 0

    monkeypatch.setattr(GoingDarkApp, "run", fake_run)
    assert main(["play", str(MINIMAL_PATH), "--seed", "9", "--unlock-all"]) == EXIT_OK
    assert opened == [(str(MINIMAL_PATH), 9, True, [str(MINIMAL_PATH)])]


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "play-golf")
    assert (code, out) == (EXIT_USAGE, "")
    assert "goingdark: error: argument COMMAND: invalid choice: 'play-golf'" in err


def test_python_dash_m_game_help(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "game", "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (EXIT_OK, "")
    assert done.stdout.startswith("usage: goingdark [-h] COMMAND ...")
