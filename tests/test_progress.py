"""The player's progress file: round trip, high scores, campaign unlocking, achievements,
damaged files set aside, atomic saves."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from conftest import merge, minimal_table

from engine import progress as progress_module
from engine.catalog import ScenarioEntry
from engine.progress import DEFAULT_THEME, HIGH_SCORES, HighScore, Progress, high_score_news
from engine.scenario.schema import Scenario


def entry(scenario_id: str, order: int | None, builtin: bool = True) -> ScenarioEntry:
    """A catalogue entry for the minimal scenario under another id and campaign place."""
    table = merge(minimal_table(), {"meta": {"id": scenario_id}})
    if order is not None:
        table["meta"]["campaign_order"] = order
    return ScenarioEntry(Path(f"{scenario_id}.toml"), builtin, Scenario.model_validate(table))


def broken(name: str) -> ScenarioEntry:
    return ScenarioEntry(Path(f"{name}.toml"), True, None, ("it is broken",))


def files_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


# --- reading and writing --------------------------------------------------------------------
def test_a_missing_file_gives_defaults_and_writes_nothing(tmp_path):
    progress = Progress.load(tmp_path)
    assert progress.path == tmp_path / "progress.toml"
    assert (progress.theme, progress.unlock_all, progress.scenarios) == (DEFAULT_THEME, False, {})
    assert progress.warning is None
    assert files_in(tmp_path) == []


def test_the_home_variable_says_where_progress_lives(tmp_path, monkeypatch):
    monkeypatch.setenv("GOINGDARK_HOME", str(tmp_path / "home"))
    assert Progress.load().path == tmp_path / "home" / "progress.toml"


def test_round_trip(tmp_path):
    progress = Progress.load(tmp_path / "new folder")
    progress.theme = "going-light"
    progress.unlock_all = True
    progress.record_game("first-quarter", 71.456, 2, 42, "Team Ann")
    progress.record_game("first-quarter", 55.0, 1, 7)
    progress.earn("first-quarter", "in-touch")
    progress.earn("capstone", "lights-on")
    progress.save()

    again = Progress.load(tmp_path / "new folder")
    assert again.warning is None
    assert again.theme == "going-light"
    assert again.unlock_all is True
    assert again.scenarios == progress.scenarios
    assert again.finished("first-quarter")
    assert not again.finished("capstone")  # an achievement alone does not finish it
    assert again.best_stars("first-quarter") == 2
    scores = again.high_scores("first-quarter")
    assert [(s.score, s.stars, s.seed, s.player) for s in scores] == [
        (71.46, 2, 42, "Team Ann"),
        (55.0, 1, 7, ""),
    ]
    assert all(isinstance(s, HighScore) and s.date for s in scores)
    assert set(again.achievements("first-quarter")) == {"in-touch"}
    assert set(again.achievements("capstone")) == {"lights-on"}


def test_unknown_scenarios_read_as_empty(tmp_path):
    progress = Progress.load(tmp_path)
    assert not progress.finished("nowhere")
    assert progress.best_stars("nowhere") == 0
    assert progress.high_scores("nowhere") == []
    assert progress.achievements("nowhere") == {}
    assert progress.scenarios == {}  # asking records nothing


# --- high scores ----------------------------------------------------------------------------
def test_high_scores_are_best_first_and_capped(tmp_path):
    progress = Progress.load(tmp_path)
    places = [
        progress.record_game("s", score, stars=1, seed=index)
        for index, score in enumerate([50, 80, 20, 65, 90, 10, 30, 70, 40, 60, 55, 5, 95])
    ]
    scores = progress.high_scores("s")
    assert len(scores) == HIGH_SCORES == 10
    assert [s.score for s in scores] == [95, 90, 80, 70, 65, 60, 55, 50, 40, 30]
    # Places as they were when each game was recorded; None when it missed the table.
    assert places[:3] == [1, 1, 3]
    assert places[5] == 6  # 10 was sixth of six
    assert places[11] is None  # 5 came after the table was full of better scores
    assert places[12] == 1
    # Dropped from the table: 20 and 10 and 5.
    assert not {20, 10, 5} & {s.score for s in scores}


def test_a_tie_keeps_the_earlier_game_ahead(tmp_path):
    progress = Progress.load(tmp_path)
    progress.record_game("s", 70, 2, seed=1, player="first")
    assert progress.record_game("s", 70, 2, seed=2, player="second") == 2
    assert [s.player for s in progress.high_scores("s")] == ["first", "second"]


def test_a_game_that_misses_a_full_table_is_not_placed(tmp_path):
    progress = Progress.load(tmp_path)
    for seed in range(HIGH_SCORES):
        progress.record_game("s", 80, 3, seed)
    assert progress.record_game("s", 80, 3, 99) is None  # a tie does not push anyone out
    assert progress.record_game("s", 10, 0, 100) is None
    assert len(progress.high_scores("s")) == HIGH_SCORES
    assert 99 not in {s.seed for s in progress.high_scores("s")}


def record_with_news(progress, scenario_id, score, player=""):
    """Record a game as the controller does and return what the debrief would announce."""
    earlier_best = progress.best_for(scenario_id, player)
    place = progress.record_game(scenario_id, score, 0, seed=1, player=player)
    return high_score_news(place, progress.games_played(scenario_id), score, player, earlier_best)


def test_a_high_score_is_news_only_near_the_top_of_enough_games(tmp_path):
    progress = Progress.load(tmp_path)
    # A grade-F 9 as the 2nd of 2 games is no high score (issue 10, item 13).
    assert record_with_news(progress, "s", 40) is None
    assert record_with_news(progress, "s", 9) is None
    assert progress.games_played("s") == 2
    # The third game: 2nd of 3 is news, and says among how many.
    assert (
        record_with_news(progress, "s", 30) == "A high score: 2nd best of 3 games of this scenario."
    )
    assert (
        record_with_news(progress, "s", 50) == "A high score: 1st best of 4 games of this scenario."
    )
    assert record_with_news(progress, "s", 8) is None  # 5th of 5: in the table, not news
    assert progress.high_scores("s")[-1].score == 8


def test_a_teams_personal_best_is_news(tmp_path):
    progress = Progress.load(tmp_path)
    for score in (60, 70, 80):
        record_with_news(progress, "s", score, "Owls")
    assert record_with_news(progress, "s", 40, "Ravens") is None  # a first game is no best
    assert record_with_news(progress, "s", 45, "Ravens") == (
        "A personal best for Ravens: 45, up from 40."
    )
    assert record_with_news(progress, "s", 44, "Ravens") is None  # below the team's best
    assert record_with_news(progress, "s", 12, "") is None  # no name, no personal best


def test_the_game_count_survives_the_table_and_the_file(tmp_path):
    progress = Progress.load(tmp_path)
    for seed in range(HIGH_SCORES + 2):
        progress.record_game("s", 50 + seed, 1, seed, player="Ravens" if seed == 0 else "")
    progress.save()
    again = Progress.load(tmp_path)
    assert again.warning is None
    assert again.games_played("s") == HIGH_SCORES + 2
    # The Ravens' 50 fell out of the table; their best is still known.
    assert again.best_for("s", "Ravens") == 50


def test_best_stars_never_go_down_and_any_game_finishes(tmp_path):
    progress = Progress.load(tmp_path)
    progress.record_game("s", 10, 0, 1)
    assert progress.finished("s") and progress.best_stars("s") == 0
    progress.record_game("s", 90, 3, 1)
    progress.record_game("s", 40, 1, 1)
    assert progress.best_stars("s") == 3


# --- unlocking ------------------------------------------------------------------------------
def test_the_campaign_opens_one_scenario_at_a_time(tmp_path):
    first, second, third = entry("one", 1), entry("two", 2), entry("three", 3)
    catalog = [third, first, second]  # the order in the list does not matter
    progress = Progress.load(tmp_path)

    def unlocked() -> list[bool]:
        return [progress.is_unlocked(e, catalog) for e in (first, second, third)]

    assert unlocked() == [True, False, False]
    progress.record_game("one", 10, 0, 1)  # finishing counts, whatever the stars
    assert unlocked() == [True, True, False]
    progress.record_game("two", 50, 1, 1)
    assert unlocked() == [True, True, True]


def test_only_the_scenario_just_before_counts(tmp_path):
    first, second, third = entry("one", 1), entry("two", 2), entry("three", 3)
    progress = Progress.load(tmp_path)
    progress.record_game("two", 50, 1, 1)  # played while a facilitator had unlocked all
    assert progress.is_unlocked(third, [first, second, third])


def test_gaps_in_the_campaign_order_and_broken_files_do_not_block(tmp_path):
    first, fifth = entry("one", 1), entry("five", 5)
    catalog = [first, broken("two"), fifth]
    progress = Progress.load(tmp_path)
    assert not progress.is_unlocked(fifth, catalog)
    progress.record_game("one", 50, 1, 1)
    assert progress.is_unlocked(fifth, catalog)
    assert progress.is_unlocked(catalog[1], catalog)  # broken: the browser explains why


def test_own_scenarios_and_unlock_all_open_everything(tmp_path):
    first, second = entry("one", 1), entry("two", 2)
    own = entry("mine", None, builtin=False)
    own_with_order = entry("copied", 9, builtin=False)  # a copy of a built-in keeps its order
    catalog = [first, second, own, own_with_order]
    progress = Progress.load(tmp_path)
    assert progress.is_unlocked(own, catalog)
    assert progress.is_unlocked(own_with_order, catalog)
    assert not progress.is_unlocked(second, catalog)
    assert progress.is_unlocked(second, catalog, unlock_all=True)  # --unlock-all
    progress.unlock_all = True  # the facilitator switch in the settings
    assert all(progress.is_unlocked(e, catalog) for e in catalog)


# --- achievements ---------------------------------------------------------------------------
def test_earning_is_idempotent(tmp_path):
    progress = Progress.load(tmp_path)
    assert progress.earn("s", "lights-on") is True
    first_date = progress.achievements("s")["lights-on"]
    assert progress.earn("s", "lights-on") is False
    assert progress.achievements("s") == {"lights-on": first_date}
    assert progress.earn("s", "in-touch") is True
    assert progress.earn("other", "lights-on") is True  # per scenario
    assert set(progress.achievements("s")) == {"lights-on", "in-touch"}


def test_achievements_returns_a_copy(tmp_path):
    progress = Progress.load(tmp_path)
    progress.earn("s", "a")
    progress.achievements("s")["b"] = "today"
    assert set(progress.achievements("s")) == {"a"}


# --- damaged files --------------------------------------------------------------------------
DAMAGED = {
    "not TOML": "this is [not toml",
    "no format": '[settings]\ntheme = "going-dark"\n',
    "a future format": "format = 99\n",
    "settings not a table": 'format = 1\nsettings = "dark"\n',
    "unlock_all not a boolean": 'format = 1\n[settings]\nunlock_all = "yes"\n',
    "scenarios not a table": "format = 1\nscenarios = [1, 2]\n",
    "a record not a table": 'format = 1\n[scenarios]\nfirst-quarter = "done"\n',
    "a score row without a score": (
        "format = 1\n[[scenarios.s.scores]]\nstars = 1\nseed = 1\ndate = 'x'\n"
    ),
    "best stars not a number": 'format = 1\n[scenarios.s]\nbest_stars = "three"\n',
    "achievements not a table": "format = 1\n[scenarios.s]\nachievements = [1]\n",
}


@pytest.mark.parametrize("text", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_file_is_set_aside_and_the_game_starts_afresh(tmp_path, text):
    path = tmp_path / "progress.toml"
    path.write_text(text, encoding="utf-8")

    progress = Progress.load(tmp_path)

    backups = list(tmp_path.glob("progress.damaged-*.toml"))
    assert len(backups) == 1
    assert backups[0].read_text(encoding="utf-8") == text  # moved, not rewritten
    assert not path.exists()
    assert progress.warning is not None
    assert str(backups[0]) in progress.warning
    assert "start afresh" in progress.warning
    assert (progress.theme, progress.unlock_all, progress.scenarios) == (DEFAULT_THEME, False, {})
    progress.record_game("s", 50, 1, 1)
    progress.save()
    assert Progress.load(tmp_path).warning is None


def test_a_file_that_is_not_utf8_is_set_aside(tmp_path):
    (tmp_path / "progress.toml").write_bytes(b"format = 1\n\xff\xfe\n")
    progress = Progress.load(tmp_path)
    assert progress.warning is not None and "UnicodeDecodeError" in progress.warning
    assert len(list(tmp_path.glob("progress.damaged-*.toml"))) == 1


def test_two_damaged_files_in_the_same_second_keep_both_backups(tmp_path, monkeypatch):
    monkeypatch.setattr(progress_module, "_stamp", lambda: "20250101T000000")
    for text in ("first [", "second ["):
        (tmp_path / "progress.toml").write_text(text, encoding="utf-8")
        assert Progress.load(tmp_path).warning is not None
    backups = sorted(tmp_path.glob("progress.damaged-*.toml"))
    assert sorted(b.read_text(encoding="utf-8") for b in backups) == ["first [", "second ["]


# --- atomic saves ---------------------------------------------------------------------------
def test_save_leaves_only_the_progress_file(tmp_path):
    progress = Progress.load(tmp_path)
    for score in (10, 20, 30):
        progress.record_game("s", score, 1, 1)
        progress.save()
    assert files_in(tmp_path) == ["progress.toml"]
    data = tomllib.loads((tmp_path / "progress.toml").read_text(encoding="utf-8"))
    assert data["format"] == 1
    assert [row["score"] for row in data["scenarios"]["s"]["scores"]] == [30, 20, 10]


def test_a_failed_save_keeps_the_old_file_and_no_temporary_one(tmp_path, monkeypatch):
    progress = Progress.load(tmp_path)
    progress.record_game("s", 50, 1, 1)
    progress.save()
    before = (tmp_path / "progress.toml").read_bytes()

    def fail(*_args):
        raise OSError("disk full")

    monkeypatch.setattr("engine.files.os.replace", fail)
    progress.record_game("s", 90, 3, 2)
    with pytest.raises(OSError, match="disk full"):
        progress.save()
    assert files_in(tmp_path) == ["progress.toml"]
    assert (tmp_path / "progress.toml").read_bytes() == before


def test_atomic_writes_give_ordinary_permissions_and_keep_existing_ones(tmp_path):
    import os
    import stat

    from engine.files import write_atomic

    fresh = tmp_path / "fresh.toml"
    write_atomic(fresh, "a = 1\n")
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask
    kept = tmp_path / "kept.toml"
    kept.write_text("a = 1\n")
    kept.chmod(0o640)
    write_atomic(kept, "a = 2\n")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    assert kept.read_text() == "a = 2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.toml", "kept.toml"]
