"""Saved games: round trips, replays across processes, kill -9 during writes, every kind
of bad file with its exact message, migrations, changed scenarios, rewinds, listing,
and the committed examples in saves/ (each must replay with --verify)."""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from engine import saves
from engine.catalog import user_scenario_dir
from engine.errors import PolicyError
from engine.policy import load_policy
from engine.saves import (
    AUTOSAVE,
    RECORDED,
    SAVE_FORMAT,
    SaveError,
    branch,
    latest_autosave,
    list_saves,
    read_save,
    render,
    restore,
    save_session,
    saves_dir,
    slot_file_name,
    verify,
    write_save,
)
from engine.scenario.loader import builtin_dir, load_scenario
from engine.session import GameSession
from game.cli import EXIT_OK, EXIT_USER_ERROR, main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "saves"
COMPLETE = EXAMPLES / "first-quarter-complete.toml"
MID_GAME = EXAMPLES / "quota-season-lunch-break.toml"
FORMAT_1 = EXAMPLES / "format-1" / "fine-on-paper-board-meeting.toml"
MINIMAL = ROOT / "tests" / "data" / "minimal.toml"
REGENERATE = "if a built-in scenario or the model changed, regenerate: python saves/make.py"


# --- helpers ----------------------------------------------------------------------------------
def played(scenario="first-quarter", seed=None, player="Team Blue", quarters=None, plan=None):
    """A game of a scenario (an id or a path) played with a few decisions."""
    session = GameSession(load_scenario(scenario), seed=seed, player=player)
    plan = plan or {
        1: (["call-round", "thank-the-techs"], {}),
        2: (["feedback-cards"], {"fairbank-order": "promise-a-week"}),
        4: (["seasonal-blends"], {}),
    }
    for quarter in range(1, (quarters or session.quarters) + 1):
        interventions, choices = plan.get(quarter, ([], {}))
        session.play(interventions, choices)
    return session


MINIMAL_PLAN = {1: (["recognition", "mandate"], {}), 3: (["change"], {})}


def state_bytes(session: GameSession) -> dict[str, bytes]:
    """Every array of the game's state and history, as raw bytes (bit-for-bit compare)."""
    state = session.state
    arrays = {}
    for part in ("workforce", "organisation", "customers"):
        obj = getattr(state, part)
        for item in dataclasses.fields(obj):
            value = getattr(obj, item.name)
            if isinstance(value, np.ndarray):
                arrays[f"{part}.{item.name}"] = value.dtype.str.encode() + value.tobytes()
    for name, values in state.history.items():
        arrays[f"history.{name}"] = np.stack(values).tobytes()
    arrays["quarter"] = str(state.quarter).encode()
    return arrays


def fingerprint(path: Path) -> tuple:
    """A file's bytes and identity: equal only if nobody wrote, replaced or touched it."""
    status = path.stat()
    return path.read_bytes(), status.st_mtime_ns, status.st_ctime_ns, status.st_ino


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in tmp_path, so messages name files by short relative paths."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(saves.SAVES_VARIABLE, raising=False)
    return tmp_path


@pytest.fixture
def custom(workdir: Path) -> Path:
    """A copy of the minimal scenario: not built in, so saves of it name its path."""
    path = workdir / "scenarios" / "minimal.toml"
    path.parent.mkdir()
    shutil.copyfile(MINIMAL, path)
    return path


# --- where saves live -------------------------------------------------------------------------
def test_the_saves_folder_is_the_override_else_the_variable_else_the_data_folder(
    tmp_path, monkeypatch, goingdark_home
):
    monkeypatch.delenv(saves.SAVES_VARIABLE, raising=False)
    assert saves_dir() == goingdark_home / "saves"
    monkeypatch.setenv(saves.SAVES_VARIABLE, str(tmp_path / "team-saves"))
    assert saves_dir() == tmp_path / "team-saves"
    assert saves_dir(tmp_path / "given") == tmp_path / "given"
    assert not (goingdark_home / "saves").exists()
    assert not (tmp_path / "team-saves").exists()


@pytest.mark.parametrize(
    ("slot", "file"),
    [
        ("Lunch break", "lunch-break.toml"),
        ("  Team Blue / round 2!  ", "team-blue-round-2.toml"),
        ("Équipe bleue", "equipe-bleue.toml"),
        ("../../etc/passwd", "etc-passwd.toml"),
        ("autosave", "slot-autosave.toml"),
        ("Autosave 2", "slot-autosave-2.toml"),
        ("CON", "con-save.toml"),
        ("x" * 80, "x" * 60 + ".toml"),
    ],
)
def test_slot_names_become_safe_file_names(slot, file):
    assert slot_file_name(slot) == file


def test_a_slot_without_latin_letters_gets_a_stable_hashed_name():
    assert slot_file_name("午餐") == slot_file_name("午餐")
    assert slot_file_name("午餐") != slot_file_name("晚餐")
    assert slot_file_name("午餐").startswith("save-")


# --- round trip -------------------------------------------------------------------------------
def test_save_read_restore_rebuilds_the_same_game_bit_for_bit(tmp_path):
    session = played()
    path = save_session(session, folder=tmp_path / "saves", slot="Finished")
    assert path == tmp_path / "saves" / "finished.toml"
    save = read_save(path)
    rebuilt = restore(save)
    assert state_bytes(rebuilt) == state_bytes(session)
    assert rebuilt.decisions == session.decisions
    assert rebuilt.achieved == session.achieved
    assert rebuilt.reports == session.reports
    assert rebuilt.outcome().score.tobytes() == session.outcome().score.tobytes()
    assert (rebuilt.seed, rebuilt.player) == (session.seed, "Team Blue")
    assert verify(save, rebuilt) == []


def test_a_save_holds_every_documented_key(tmp_path):
    session = played(quarters=3)
    save = read_save(save_session(session, folder=tmp_path, slot="Lunch", player="Team Red"))
    assert save.format == SAVE_FORMAT and not save.migrated
    assert save.game_version == saves.game_version() != ""
    assert save.scenario_id == "first-quarter"
    assert save.scenario_hash == saves.file_hash(builtin_dir() / "first-quarter.toml")
    assert save.scenario_path is None
    assert (save.seed, save.player, save.slot) == (10, "Team Red", "Lunch")
    assert (save.quarter, save.quarters) == (3, 4)
    assert save.policy.to_table() == session.policy().to_table()
    assert set(save.recorded) == set(RECORDED)
    assert {"active_customers", "logo_retention", "revenue", "csat_reported"} <= set(RECORDED)
    assert {"engagement", "quality_norm", "profit", "budget"} <= set(RECORDED)
    assert all(len(values) == 4 for values in save.recorded.values())
    assert save.recorded["revenue"] == [float(v) for v in session.series("revenue")]
    assert save.score == float(session.outcome().score[0])
    assert save.created == save.updated
    assert save.created.endswith("Z") and len(save.created) == len("2025-03-14T09:05:12Z")


def test_the_file_is_commented_toml_with_the_decision_log_first_and_an_end_marker(tmp_path):
    text = save_session(played(quarters=2), folder=tmp_path, slot="Lunch").read_text()
    lines = text.splitlines()
    assert lines[0] == (
        '# Going Dark saved game "Lunch": first-quarter, quarter 2 of 4, player "Team Blue".'
    )
    assert lines[-1] == "# end of save"
    order = [text.index(f"\n{header}\n") for header in ("[[decisions]]", "[save]", "[recorded]")]
    assert order == sorted(order)


def test_a_game_saved_before_its_first_quarter_has_no_score(tmp_path):
    session = GameSession(load_scenario("first-quarter"))
    save = read_save(save_session(session, folder=tmp_path, slot="start"))
    assert (save.quarter, save.score, save.policy.by_quarter) == (0, None, {})
    assert all(len(values) == 1 for values in save.recorded.values())
    assert verify(save, restore(save)) == []


def test_overwriting_a_slot_keeps_created_and_moves_updated(tmp_path, monkeypatch):
    session = played(quarters=1)
    monkeypatch.setattr(saves.writing, "now", lambda: "2025-03-14T09:00:00Z")
    path = save_session(session, folder=tmp_path, slot="Lunch")
    session.play()
    monkeypatch.setattr(saves.writing, "now", lambda: "2025-03-14T10:30:00Z")
    assert save_session(session, folder=tmp_path, slot="lunch") == path
    save = read_save(path)
    assert (save.created, save.updated, save.quarter) == (
        "2025-03-14T09:00:00Z",
        "2025-03-14T10:30:00Z",
        2,
    )
    assert [p.name for p in tmp_path.iterdir()] == ["lunch.toml"]


def test_a_file_in_the_way_that_is_no_save_is_moved_aside_never_overwritten(tmp_path):
    damaged = tmp_path / "lunch.toml"
    damaged.write_text("this is not a save\n")
    path = save_session(played(quarters=1), folder=tmp_path, slot="Lunch")
    assert read_save(path).quarter == 1
    aside = [p for p in tmp_path.iterdir() if p != path]
    assert len(aside) == 1 and aside[0].name.startswith("lunch.replaced-")
    assert aside[0].read_text() == "this is not a save\n"


@pytest.mark.parametrize(
    ("slot", "message"),
    [
        ("   ", "a save needs a name"),
        ("x" * 61, "a save's name has at most 60 characters, not 61"),
        ("two\nlines", "a save's name cannot contain control characters (tabs, line breaks)"),
    ],
)
def test_bad_slot_names_are_refused(tmp_path, slot, message):
    with pytest.raises(SaveError) as error:
        save_session(played(quarters=1), folder=tmp_path, slot=slot)
    assert str(error.value) == message
    assert list(tmp_path.iterdir()) == []


def test_a_custom_scenario_is_saved_with_its_path_and_found_again(custom, tmp_path):
    session = played(custom, plan=MINIMAL_PLAN, quarters=4)
    with pytest.raises(SaveError) as error:
        save_session(session, folder=tmp_path / "saves", slot="mine")
    assert str(error.value) == (
        "cannot save: 'minimal' is not a built-in scenario, so the save needs the path of "
        "its scenario file"
    )
    path = save_session(session, folder=tmp_path / "saves", slot="mine", scenario_path=custom)
    save = read_save(path)
    assert save.scenario_path == str(custom.resolve())
    assert state_bytes(restore(save)) == state_bytes(session)
    # Shared with someone else: the scenario travels beside the save.
    elsewhere = tmp_path / "inbox"
    elsewhere.mkdir()
    shutil.copyfile(path, elsewhere / "mine.toml")
    shutil.move(custom, elsewhere / "minimal.toml")
    moved = read_save(elsewhere / "mine.toml")
    assert saves.locate_scenario(moved) == elsewhere / "minimal.toml"
    assert verify(moved, restore(moved)) == []


# --- autosaves, listing, continue -------------------------------------------------------------
def test_autosaves_are_one_file_per_game_and_continue_where_they_left_off(tmp_path):
    first = GameSession(load_scenario("first-quarter"))
    first.play()
    path = save_session(first, folder=tmp_path, slot=AUTOSAVE)
    assert path.name.startswith("autosave-first-quarter-") and path.suffix == ".toml"
    first.play()
    # The owner of a game in progress keeps its autosave file and passes it back.
    assert save_session(first, folder=tmp_path, slot=AUTOSAVE, autosave_path=path) == path
    second = GameSession(load_scenario("first-quarter"))
    second.play()
    other = save_session(second, folder=tmp_path, slot=AUTOSAVE)
    assert other != path
    # Continue the first game: its next autosave replaces its own file again.
    restored = read_save(path)
    continued = restore(restored)
    continued.play()
    assert (
        save_session(continued, folder=tmp_path, slot=AUTOSAVE, autosave_path=restored.path) == path
    )
    assert read_save(path).quarter == 3
    assert read_save(path).created == read_save(path).created
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name, other.name])
    assert latest_autosave(tmp_path).path == path


def test_an_autosave_file_is_held_by_the_games_owner_not_by_the_engine(tmp_path):
    """Without the path of its last autosave, a game starts a new autosave file; a path
    in another folder is not written to (the saves folder moved)."""
    session = played(quarters=1)
    first = save_session(session, folder=tmp_path / "a", slot=AUTOSAVE)
    assert save_session(session, folder=tmp_path / "a", slot=AUTOSAVE) != first
    moved = save_session(session, folder=tmp_path / "b", slot=AUTOSAVE, autosave_path=first)
    assert moved.parent == tmp_path / "b"
    assert read_save(first).quarter == 1


def test_listing_shows_newest_first_with_broken_files_and_without_temporaries(tmp_path):
    folder = tmp_path / "saves"
    for index, slot in enumerate(["Monday", "Tuesday"]):
        session = played(quarters=index + 1)
        path = save_session(session, folder=folder, slot=slot)
        save = read_save(path)
        write_save(dataclasses.replace(save, updated=f"2025-03-1{index + 1}T10:00:00Z"), path)
    (folder / "broken.toml").write_text("[save]\nformat = 2\n")
    os.utime(folder / "broken.toml", (0, 0))
    (folder / ".monday.toml.abc123.tmp").write_text("half a sa")
    (folder / "notes.txt").write_text("not a save")
    listed = list_saves(folder)
    assert [s.path.name for s in listed] == ["tuesday.toml", "monday.toml", "broken.toml"]
    tuesday = listed[0]
    assert (tuesday.slot, tuesday.scenario_id, tuesday.title) == (
        "Tuesday",
        "first-quarter",
        "First Quarter",
    )
    assert (tuesday.quarter, tuesday.quarters, tuesday.player) == (2, 4, "Team Blue")
    assert tuesday.score is not None and tuesday.ok and tuesday.warning is None
    broken = listed[2]
    assert (broken.slot, broken.scenario_id, broken.ok) == ("broken", None, False)
    assert broken.problem == (
        f"{folder / 'broken.toml'}: the save is cut off after line 2: its last line should "
        "be '# end of save' (the file was not written or copied whole)"
    )
    assert list_saves(tmp_path / "nowhere") == []
    assert latest_autosave(folder) is None


def test_a_save_whose_scenario_changed_is_listed_with_a_warning(custom, tmp_path):
    session = played(custom, plan=MINIMAL_PLAN, quarters=2)
    save_session(session, folder=tmp_path / "saves", slot="mine", scenario_path=custom)
    custom.write_text(custom.read_text() + "\n# tuned\n")
    (summary,) = list_saves(tmp_path / "saves")
    assert summary.ok and summary.title == "Minimal test company"
    assert summary.warning == (
        "the scenario 'minimal' has changed since this game was saved; loading it anyway "
        "may not replay the same game"
    )
    custom.unlink()
    (summary,) = list_saves(tmp_path / "saves")
    assert not summary.ok and summary.slot == "mine" and summary.quarter == 2
    assert "whose file" in summary.problem


# --- replays across processes -----------------------------------------------------------------
REPLAY_DIGEST = r"""
import hashlib, sys
import numpy as np
sys.path.insert(0, ".")
from engine.report import quarter_table
from engine.saves import read_save, restore, session_results
session = restore(read_save(sys.argv[1]))
digest = hashlib.sha256()
for name, values in sorted(session.state.history.items()):
    digest.update(name.encode() + np.stack(values).tobytes())
for part in (session.state.workforce, session.state.organisation, session.state.customers):
    for name in sorted(part.__slots__):
        digest.update(np.ascontiguousarray(getattr(part, name)).tobytes())
print(digest.hexdigest())
print(quarter_table(session.scenario, session_results(session)))
"""


def test_replays_are_identical_across_processes():
    outputs = []
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", REPLAY_DIGEST, str(MID_GAME)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": str(hash_seed)},
        )
        for hash_seed in (1, 2)
    ]
    for process in processes:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        outputs.append(out)
    assert outputs[0] == outputs[1]
    digest, *table = outputs[0].splitlines()
    assert len(digest) == 64
    assert any(line.startswith("      4 ") for line in table)  # the last quarter played


# --- kill -9 during writes --------------------------------------------------------------------
# One process imports the engine once and forks a writer per trial; the test kills each
# writer with SIGKILL at a random moment, so a trial costs milliseconds, not a start-up.
WRITER_FACTORY = r"""
import os, sys, time
from pathlib import Path
from engine.saves import read_save, write_save
target = Path(sys.argv[1])
versions = [read_save(Path(name), check_scenario=False) for name in sys.argv[2:4]]
started = time.perf_counter()
for version in versions * 5:
    write_save(version, target)
print((time.perf_counter() - started) / 10, flush=True)
while sys.stdin.readline():
    pid = os.fork()
    if pid == 0:
        while True:
            for version in versions:
                write_save(version, target)
    print(pid, flush=True)
    os.waitpid(pid, 0)
    print("reaped", flush=True)
"""
TRIALS = 150


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")
def test_a_writer_killed_at_any_moment_leaves_one_whole_save(tmp_path):
    folder = tmp_path / "saves"
    folder.mkdir()
    target = folder / "lunch.toml"
    versions = {COMPLETE.read_bytes(): "first-quarter", MID_GAME.read_bytes(): "quota-season"}
    rendered = {render(read_save(COMPLETE)), render(read_save(MID_GAME))}
    assert {text.encode() for text in rendered} == set(versions)  # rendering is stable
    seed = int.from_bytes(os.urandom(4), "big")
    moments = random.Random(seed)
    factory = subprocess.Popen(
        [sys.executable, "-c", WRITER_FACTORY, str(target), str(COMPLETE), str(MID_GAME)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"},
    )
    outcomes: Counter[str] = Counter()
    writer = None
    try:
        assert factory.stdin is not None and factory.stdout is not None
        write_seconds = float(factory.stdout.readline())
        for trial in range(TRIALS):
            factory.stdin.write("\n")
            factory.stdin.flush()
            writer = int(factory.stdout.readline())
            time.sleep(moments.uniform(0, 4 * write_seconds))
            os.kill(writer, signal.SIGKILL)
            assert factory.stdout.readline() == "reaped\n"
            writer = None
            left = target.read_bytes()
            assert left in versions, f"trial {trial} (seed {seed}): a half-written save"
            outcomes[versions[left]] += 1
            assert read_save(target).scenario_id == versions[left]
    finally:
        if writer is not None:  # a failure mid-trial must not leave a writer running
            with contextlib.suppress(ProcessLookupError):
                os.kill(writer, signal.SIGKILL)
        factory.kill()
        factory.wait(timeout=30)
    # Both versions were seen: the writers really were writing when killed.
    assert set(outcomes) == {"first-quarter", "quota-season"}, (seed, outcomes)
    temporaries = sorted(folder.glob(".lunch.toml.*.tmp"))
    print(  # shown with pytest -s
        f"kill trial: {TRIALS} kills (seed {seed}), one write {write_seconds * 1000:.2f} ms, "
        f"left {dict(outcomes)}, {len(temporaries)} killed mid-write (temporary left)"
    )
    assert sorted(folder.iterdir()) == sorted([target, *temporaries])
    (summary,) = list_saves(folder)
    assert summary.ok and summary.path == target
    # The next save of the slot sweeps stale leftovers (young ones may be a live writer's).
    for temporary in temporaries:
        os.utime(temporary, (0, 0))
    write_save(read_save(COMPLETE), target)
    assert list(folder.iterdir()) == [target]


# --- bad files --------------------------------------------------------------------------------
def good_text() -> str:
    return COMPLETE.read_text(encoding="utf-8")


def builtin_ids() -> str:
    return ", ".join(sorted(p.stem for p in builtin_dir().glob("*.toml")))


CUT = "the save is cut off after line {n}: its last line should be '# end of save' (the file was not written or copied whole)"  # noqa: E501
BAD_SAVES = {
    "empty": (lambda t: "", "bad.toml: the file is empty, not a save"),
    "blank": (lambda t: " \n\n", "bad.toml: the file is empty, not a save"),
    "binary": (lambda t: "\x00\x01PK", "bad.toml: is a binary file, not a save"),
    "utf-16": (
        lambda t: t.encode("utf-16").decode("latin-1"),
        "bad.toml: is UTF-16 text; a save is UTF-8",
    ),
    "latin-1": (
        lambda t: t.replace("[save]", "[save]\n# café"),
        "bad.toml:36: is not UTF-8 text (byte 0xe9 cannot be decoded)",
    ),
    "corrupt": (
        lambda t: t.replace("seed = 10", "seed = = 10"),
        "bad.toml:40: damaged save: TOML syntax error at column 8: Invalid value",
    ),
    "cut mid-line": (lambda t: t[: t.index("revenue = [") + 14], "bad.toml: " + CUT.format(n=63)),
    "cut at a line end": (
        lambda t: t[: t.index("\n[recorded]\n") + 1],
        "bad.toml: " + CUT.format(n=46),
    ),
    "cut, without its header": (
        lambda t: t[t.index("scenario = ") : t.index("\n[recorded]\n") + 1],
        "bad.toml: the save is cut off after line 40: its last line should be "
        "'# end of save' (the file was not written or copied whole)",
    ),
    "a scenario": (
        lambda t: (builtin_dir() / "first-quarter.toml").read_text(encoding="utf-8"),
        "bad.toml: is a scenario file, not a save (play it with: goingdark play bad.toml)",
    ),
    "a policy": (
        lambda t: (ROOT / "tests" / "data" / "minimal-plan.toml").read_text(),
        "bad.toml: is a decision log (policy), not a save: it has no [save] table "
        "(run it with: goingdark run SCENARIO --policy bad.toml)",
    ),
    "pyproject": (
        lambda t: (ROOT / "pyproject.toml").read_text(),
        "bad.toml: is not a Going Dark save (it has no [save] table)",
    ),
    "missing key": (
        lambda t: t.replace("seed = 10\n", ""),
        "bad.toml:35: save.seed: required key is missing",
    ),
    "missing table": (
        lambda t: t[: t.index("\n[recorded]\n") + 1] + "# end of save\n",
        "bad.toml: recorded: required key is missing",
    ),
    "wrong type": (
        lambda t: t.replace("seed = 10", 'seed = "ten"'),
        'bad.toml:40: save.seed: expected an integer, found a string ("ten")',
    ),
    "wrong type in the log": (
        lambda t: t.replace("interventions = []", 'interventions = "none"'),
        'bad.toml:27: decisions[#3].interventions: expected an array, found a string ("none")',
    ),
    "wrong type in recorded": (
        lambda t: t.replace("active_customers = [\n    650.0,", 'active_customers = [\n    "x",'),
        'bad.toml:50: recorded.active_customers[#1]: expected a number, found a string ("x")',
    ),
    "unknown key": (
        lambda t: t.replace("seed = 10\n", "seed = 10\ncolour = 'red'\n"),
        "bad.toml:41: save.colour: unknown key (expected one of: format, game_version, slot, "
        "player, seed, quarter, quarters, score, created, updated, scenario_hash, "
        "scenario_path)",
    ),
    "a bad hash": (
        lambda t: t.replace('scenario_hash = "', 'scenario_hash = "zz'),
        "bad.toml:46: save.scenario_hash: expected a sha256 of 64 hexadecimal digits, found a "
        'string ("zz31fb14509efd984019ab8d692...")',
    ),
    "a bad time": (
        lambda t: t.replace('created = "2025-03-14T09:05:12Z"', 'created = "yesterday"'),
        "bad.toml:44: save.created: expected an ISO 8601 date-time such as "
        '2025-03-01T14:05:09Z, found a string ("yesterday")',
    ),
    "too few values": (
        lambda t: t.replace("active_customers = [\n    650.0,\n", "active_customers = [\n"),
        "bad.toml:49: recorded.active_customers: expected 5 values (quarters 0 to 4), found 4",
    ),
    "unknown metric": (
        lambda t: t.replace("active_customers = [", "active_customer = ["),
        "bad.toml:49: recorded.active_customer: unknown metric 'active_customer'; did you "
        "mean 'active_customers'?",
    ),
    "a decision after the game": (
        lambda t: t.replace("quarter = 4\ninterventions", "quarter = 5\ninterventions"),
        "bad.toml:30: decisions[#4].quarter: quarter 5 is after the last quarter played (4)",
    ),
    "a quarter twice": (
        lambda t: t.replace("quarter = 4\ninterventions", "quarter = 3\ninterventions"),
        "bad.toml: quarter 3 is listed twice",
    ),
    "more quarters than the game": (
        lambda t: t.replace("quarters = 4", "quarters = 3"),
        "bad.toml:41: save.quarter: 4 quarters played, but the game has 3",
    ),
    "a newer format": (
        lambda t: t.replace("format = 2", "format = 3"),
        "bad.toml: made by a newer Going Dark (format 3); this version reads up to 2",
    ),
    "format 0": (
        lambda t: t.replace("format = 2", "format = 0"),
        "bad.toml: save.format: expected 2, found 0",
    ),
    "format as text": (
        lambda t: t.replace("format = 2", 'format = "2"'),
        'bad.toml: save.format: expected an integer, found a string ("2")',
    ),
    "an unknown scenario": (
        lambda t: t.replace('scenario = "first-quarter"', 'scenario = "second-quarter"'),
        "bad.toml: the save is for scenario 'second-quarter', which this version of Going "
        "Dark does not have; did you mean 'first-quarter'? (built-in: {builtins})",
    ),
    "a scenario file that is gone": (
        lambda t: t.replace("scenario_hash", 'scenario_path = "/nowhere/mine.toml"\nscenario_hash'),
        "bad.toml: the save is for scenario 'first-quarter', whose file /nowhere/mine.toml is "
        "not there (nor beside the save or in {user_scenarios})",
    ),
}


@pytest.mark.parametrize("case", list(BAD_SAVES))
def test_every_bad_save_gets_one_clear_message_and_stays_untouched(workdir, case):
    change, expected = BAD_SAVES[case]
    path = workdir / "bad.toml"
    text = change(good_text())
    if case == "latin-1":
        path.write_bytes(text.encode("latin-1"))
    else:
        path.write_bytes(text.encode("latin-1" if case == "utf-16" else "utf-8"))
    before = fingerprint(path)
    with pytest.raises(SaveError) as error:
        read_save(Path("bad.toml"))
    expected = expected.format(builtins=builtin_ids(), user_scenarios=user_scenario_dir())
    assert str(error.value) == expected
    assert fingerprint(path) == before
    # The same file in a listing: there, with its problem.
    (summary,) = list_saves(workdir)
    assert summary.problem == expected.replace("bad.toml", str(workdir / "bad.toml"))
    assert fingerprint(path) == before
    assert list(workdir.iterdir()) == [path]


def test_a_missing_file_and_a_folder(workdir):
    with pytest.raises(SaveError, match=r"^gone\.toml: file not found$"):
        read_save("gone.toml")
    (workdir / "folder.toml").mkdir()
    with pytest.raises(SaveError, match=r"^folder\.toml: is a folder, not a save file$"):
        read_save("folder.toml")


def test_every_cut_of_a_save_is_refused_as_cut_off(workdir):
    """Whatever prefix of a save survives, it is refused, never read as a shorter game."""
    data = COMPLETE.read_bytes()
    end = data.rindex(b"# end of save")
    line_ends = [i + 1 for i, byte in enumerate(data[:end]) if byte == ord("\n")]
    cuts = sorted({*line_ends, *range(1, end, 7)})
    path = workdir / "cut.toml"
    for cut in cuts:
        path.write_bytes(data[:cut])
        with pytest.raises(SaveError) as error:
            read_save(path)
        lines = len(data[:cut].decode().rstrip().splitlines())
        assert str(error.value) == f"{path}: " + CUT.format(n=lines), cut


# --- migrations -------------------------------------------------------------------------------
def test_the_committed_format_1_example_migrates_and_replays(workdir):
    before = fingerprint(FORMAT_1)
    save = read_save(FORMAT_1)
    assert fingerprint(FORMAT_1) == before
    assert (save.format, save.migrated) == (1, True)
    assert (save.scenario_id, save.seed, save.player) == ("fine-on-paper", 20, "Night shift")
    assert (save.slot, save.game_version) == ("before the board meeting", "0.0.9")
    assert (save.created, save.updated) == ("2024-11-05T16:20:00Z", "2024-11-05T16:20:00Z")
    assert (save.quarter, save.quarters, save.score) == (3, 8, None)
    assert save.scenario_hash == saves.file_hash(builtin_dir() / "fine-on-paper.toml")
    assert save.policy.to_table() == {
        "scenario": "fine-on-paper",
        "decisions": [
            {"quarter": 1, "interventions": ["thank-you", "check-in-calls"]},
            {"quarter": 2, "interventions": ["honest-survey"]},
            {
                "quarter": 3,
                "interventions": ["value-reviews"],
                "choices": {"survey-framed": "keep-accounts"},
            },
        ],
    }
    assert set(save.recorded) == {"active_customers", "revenue", "logo_retention"}
    session = restore(save)
    assert verify(save, session) == []
    # Saving again writes the current format, which reads back as the same game.
    resaved = workdir / "resaved.toml"
    write_save(save, resaved)
    again = read_save(resaved)
    assert again.format == SAVE_FORMAT
    assert dataclasses.replace(again, format=1) == save


def test_format_1_errors_name_format_1_keys(workdir):
    text = FORMAT_1.read_text().replace("played = 3", 'played = "three"')
    (workdir / "old.toml").write_text(text)
    with pytest.raises(SaveError) as error:
        read_save("old.toml")
    assert str(error.value) == 'old.toml:11: played: expected an integer, found a string ("three")'


def test_the_migration_chain_covers_every_older_format():
    assert sorted(saves.FORMATS) == list(range(1, SAVE_FORMAT + 1))
    assert all(saves.FORMATS[n][1] is not None for n in range(1, SAVE_FORMAT))
    assert saves.FORMATS[SAVE_FORMAT][1] is None


# --- changed scenarios ------------------------------------------------------------------------
def test_a_changed_scenario_is_refused_unless_allowed(custom, tmp_path):
    session = played(custom, plan=MINIMAL_PLAN, quarters=4)
    path = save_session(session, folder=tmp_path / "saves", slot="mine", scenario_path=custom)
    save = read_save(path)
    before = fingerprint(path)
    custom.write_text(custom.read_text().replace("start = 200_000", "start = 120_000"))
    with pytest.raises(SaveError) as error:
        restore(save)
    assert str(error.value) == (
        f"{path}: the scenario 'minimal' ({custom}) has changed since this game was saved; "
        "loading it anyway may not replay the same game"
    )
    rebuilt = restore(save, allow_changed=True)
    assert rebuilt.quarter == 4
    differences = verify(save, rebuilt)
    assert differences and differences[0].startswith("quarter 0, budget: saved 200000.0, replayed")
    assert fingerprint(path) == before


def test_a_changed_scenario_whose_decisions_no_longer_fit_says_which_quarter(custom, tmp_path):
    session = played(custom, plan=MINIMAL_PLAN, quarters=4)
    path = save_session(session, folder=tmp_path, slot="mine", scenario_path=custom)
    custom.write_text(custom.read_text().replace('id = "change"', 'id = "overhaul"'))
    with pytest.raises(SaveError) as error:
        restore(read_save(path), allow_changed=True)
    assert str(error.value) == (
        f"{path}: quarter 3 does not replay: unknown intervention 'change' for scenario "
        "'minimal' (the scenario changed since the save)"
    )


# --- rewind -----------------------------------------------------------------------------------
def test_branching_a_save_replays_only_the_first_quarters_and_leaves_the_file(tmp_path):
    path = tmp_path / "complete.toml"
    shutil.copyfile(COMPLETE, path)
    before = fingerprint(path)
    save = read_save(path)
    rewound = branch(save, 2)
    assert rewound.quarter == 2 and not rewound.is_over and not rewound.recorded
    full = restore(save)
    again = played(quarters=2, player="Example trainee")
    assert state_bytes(rewound) == state_bytes(again)
    assert rewound.decisions == {q: full.decisions[q] for q in (1, 2)}
    # Play on differently and save as a new slot: the original stays.
    rewound.play(["tech-training"])
    new = save_session(rewound, folder=tmp_path, slot="What if")
    assert new != path and fingerprint(path) == before
    assert read_save(new).quarter == 3


def test_branching_a_session_leaves_the_session_alone():
    session = played()
    before = state_bytes(session)
    rewound = branch(session, 1)
    rewound.play(["free-upgrade"])
    assert state_bytes(session) == before
    assert rewound.quarter == 2 and rewound.decisions[1] == session.decisions[1]
    assert state_bytes(branch(session, 4)) == before


@pytest.mark.parametrize("quarter", [-1, 5])
def test_branching_outside_the_played_quarters_is_refused(quarter):
    with pytest.raises(SaveError) as error:
        branch(read_save(COMPLETE), quarter)
    assert str(error.value) == (
        f"{COMPLETE}: cannot rewind to quarter {quarter}: the game has played 4 quarters"
    )


def test_a_restored_finished_game_counts_as_recorded_in_progress():
    assert restore(read_save(COMPLETE)).recorded
    assert not restore(read_save(MID_GAME)).recorded


# --- the command line -------------------------------------------------------------------------
def test_replay_prints_the_quarter_table_and_verifies(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run_cli(capsys, "replay", str(COMPLETE), "--verify")
    assert (code, err) == (EXIT_OK, "")
    lines = out.splitlines()
    assert lines[:2] == [
        'Saved game "Tutorial, played through", Example trainee: quarter 4 of 4, saved',
        "  2025-03-14T09:31:47Z by Going Dark 0.1.0",
    ]
    assert lines[3] == "First Quarter (first-quarter), seed 10, one run"
    assert lines[-1] == "verified: 4 quarters match"


def test_replay_lists_every_difference_and_fails(workdir, capsys):
    save = read_save(MID_GAME)
    revenue = save.recorded["revenue"]
    save.recorded["revenue"] = [*revenue[:3], revenue[3] + 16.5, revenue[4]]
    save.recorded["budget"][4] = 1234.0
    write_save(save, workdir / "tampered.toml")
    code, out, err = run_cli(capsys, "replay", "tampered.toml", "--verify")
    assert code == EXIT_USER_ERROR
    assert "verified" not in out
    assert err.splitlines() == [
        "goingdark replay: replay differs from the save: quarter 3, revenue: saved "
        f"{revenue[3] + 16.5!r}, replayed {revenue[3]!r}",
        "goingdark replay: replay differs from the save: quarter 4, budget: saved 1234.0, "
        f"replayed {read_save(MID_GAME).recorded['budget'][4]!r}",
    ]


def test_replay_of_a_bad_save_is_one_message(workdir, capsys):
    (workdir / "bad.toml").write_text("")
    assert run_cli(capsys, "replay", "bad.toml") == (
        EXIT_USER_ERROR,
        "",
        "goingdark replay: bad.toml: the file is empty, not a save\n",
    )


def test_replay_of_a_changed_scenario_needs_the_flag_and_warns(custom, workdir, capsys):
    session = played(custom, plan=MINIMAL_PLAN, quarters=2)
    save_session(session, folder=workdir, slot="mine", scenario_path=custom)
    custom.write_text(custom.read_text() + "# a comment changes the hash, not the game\n")
    code, out, err = run_cli(capsys, "replay", "mine.toml", "--verify")
    assert (code, out) == (EXIT_USER_ERROR, "")
    assert err == (
        f"goingdark replay: mine.toml: the scenario 'minimal' ({custom}) has changed since "
        "this game was saved; loading it anyway may not replay the same game\n"
    )
    code, out, err = run_cli(capsys, "replay", "mine.toml", "--verify", "--allow-changed-scenario")
    assert code == EXIT_OK and out.splitlines()[-1] == "verified: 2 quarters match"
    assert err == (
        "goingdark replay: warning: the scenario 'minimal' has changed since this game was "
        "saved; the replay may differ\n"
    )


def test_replay_finds_a_save_by_name_in_the_saves_folder(workdir, capsys):
    save_session(played(quarters=1), folder=workdir / "saves", slot="Lunch break")
    code, out, _ = run_cli(capsys, "replay", "Lunch break", "--saves", "saves", "--verify")
    assert code == EXIT_OK and out.splitlines()[-1] == "verified: 1 quarter matches"


def test_the_saves_command_lists_the_folder(workdir, capsys, monkeypatch):
    monkeypatch.setenv(saves.SAVES_VARIABLE, str(workdir / "saves"))
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr("game.cli.example_saves", list)  # no example saves
    assert run_cli(capsys, "saves") == (EXIT_OK, f"no saves in {workdir / 'saves'}\n", "")
    shutil.copytree(EXAMPLES, workdir / "saves", ignore=shutil.ignore_patterns("*.py"))
    (workdir / "saves" / "empty.toml").write_text("")
    code, out, _ = run_cli(capsys, "saves")
    assert code == EXIT_OK
    # Each save's line wraps to the terminal (80 columns when not a terminal).
    assert out.splitlines() == [
        "empty.toml: cannot be loaded",
        f"    {workdir / 'saves' / 'empty.toml'}: the file is empty, not a save",
        'quota-season-lunch-break.toml: "Lunch break", Team Blue, Quota Season, quarter 4',
        f"  of 8, score {read_save(MID_GAME).score:.0f}, 2025-03-14T12:15:03Z",
        'first-quarter-complete.toml: "Tutorial, played through", Example trainee, First',
        f"  Quarter, quarter 4 of 4, score {read_save(COMPLETE).score:.0f}, 2025-03-14T09:31:47Z",
    ]


def after_the_save_line(replayed: str) -> str:
    """What replay prints after its first paragraph (the save's name, quarter and date)."""
    return replayed.split("\n\n", 1)[1]


def test_run_takes_a_save_as_its_policy(capsys):
    _, replayed, _ = run_cli(capsys, "replay", str(COMPLETE))
    code, ran, err = run_cli(capsys, "run", "first-quarter", "--policy", str(COMPLETE))
    assert (code, err) == (EXIT_OK, "")
    assert ran == after_the_save_line(replayed)
    # A save of another seed replays with run given that seed, for the quarters played.
    for save, scenario in ((FORMAT_1, "fine-on-paper"), (MID_GAME, "quota-season")):
        game = read_save(save)
        _, replayed, _ = run_cli(capsys, "replay", str(save))
        code, ran, err = run_cli(
            capsys,
            "run",
            scenario,
            "--policy",
            str(save),
            "--seed",
            str(game.seed),
            "--quarters",
            str(game.quarter),
        )
        assert (code, err) == (EXIT_OK, "")
        assert ran == after_the_save_line(replayed)


def test_load_policy_reads_the_decision_log_of_a_save_and_refuses_a_bad_one(workdir):
    assert load_policy(COMPLETE) == read_save(COMPLETE).policy
    assert load_policy(FORMAT_1) == read_save(FORMAT_1).policy
    (workdir / "new.toml").write_text(good_text().replace("format = 2", "format = 9"))
    with pytest.raises(PolicyError) as error:
        load_policy(Path("new.toml"))
    assert str(error.value) == (
        "new.toml: made by a newer Going Dark (format 9); this version reads up to 2"
    )


# --- the committed examples -------------------------------------------------------------------
def test_every_example_in_saves_replays_with_verify():
    examples = sorted(EXAMPLES.rglob("*.toml"))
    assert {COMPLETE, MID_GAME, FORMAT_1} <= set(examples)
    processes = {
        example: subprocess.Popen(
            [sys.executable, "-m", "game", "replay", str(example), "--verify"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for example in examples
    }
    for example, process in processes.items():
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, f"{example}: {err}\n{REGENERATE}"
        quarters = read_save(example).quarter
        assert out.splitlines()[-1] == f"verified: {quarters} quarters match"


def same_but_version(written: Path, committed: Path) -> bool:
    """Equal files, but for the version of the game that wrote them."""

    def text(path: Path) -> str:
        return re.sub(r'(?m)^game_version = ".*"$', "", path.read_text(encoding="utf-8"))

    return text(written) == text(committed)


def test_the_examples_are_what_make_py_writes(tmp_path, monkeypatch):
    """Committed examples match their generator (so docs and fixtures stay in step)."""
    spec = importlib.util.spec_from_file_location("saves_make", EXAMPLES / "make.py")
    make = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "saves_make", make)  # dataclasses look their module up
    spec.loader.exec_module(make)
    monkeypatch.setattr(make, "HERE", tmp_path)
    for example in make.EXAMPLES:
        written = make.write_example(example)
        assert same_but_version(written, EXAMPLES / example.file), REGENERATE
    assert make.write_format_1().read_bytes() == FORMAT_1.read_bytes(), REGENERATE
    complete, mid_game = read_save(COMPLETE), read_save(MID_GAME)
    assert complete.quarter == complete.quarters == 4 and complete.is_over
    assert mid_game.quarter < mid_game.quarters and mid_game.seed != 30  # not the default


def test_the_docs_describe_every_key_and_recorded_metric():
    doc = (ROOT / "docs" / "saves.md").read_text(encoding="utf-8")
    for model, prefix in ((saves.SaveFile, ""), (saves.SaveHeader, "save.")):
        for key in model.model_fields:
            assert f"`{prefix}{key}`" in doc, key
    for key in ("quarter", "interventions", "choices"):
        assert f"`decisions[].{key}`" in doc, key
    for key in saves.SaveFileV1.model_fields:
        assert f"\n{key} = " in doc or f"[{key}]" in doc or f"[[{key}]]" in doc, key
    for metric in RECORDED:
        assert f"`{metric}`" in doc, metric
    for example in EXAMPLES.rglob("*.toml"):
        assert f"`{example.relative_to(EXAMPLES)}`" in doc, example


def test_a_byte_order_mark_alone_is_an_empty_save(tmp_path):
    from engine.saves import SaveError, list_saves, read_save

    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf")
    with pytest.raises(SaveError, match="the file is empty, not a save"):
        read_save(bom)
    assert [summary.problem for summary in list_saves(tmp_path)] == [
        f"{bom}: the file is empty, not a save"
    ]
