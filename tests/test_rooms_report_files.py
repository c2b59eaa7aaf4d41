"""The class debrief's files: one self-contained HTML file, and tidy CSVs of every
figure and every decision, each checked against the teams' games."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import pytest
from rooms_report_games import PLANS, team_games

from engine.rooms.class_debrief import class_debrief
from engine.rooms.report_csv import (
    DECISION_COLUMNS,
    FIGURE_COLUMNS,
    decisions_csv,
    decisions_path,
    figures_csv,
    write_csv,
)
from engine.rooms.report_html import html_report
from engine.scenario.loader import load_scenario


@pytest.fixture(scope="module")
def games():
    return team_games()


@pytest.fixture(scope="module")
def debrief(games):
    return class_debrief(load_scenario("first-quarter"), games, {("Delta", 3): "draft"})


@pytest.fixture(scope="module")
def html(debrief):
    return html_report(debrief, room_name="Tuesday <cohort>", code="ABC234")


class Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_the_html_reaches_nothing_outside_itself(html):
    parser = Tags()
    parser.feed(html)
    names = {tag for tag, _ in parser.tags}
    assert not names & {"script", "link", "img", "iframe", "object", "embed", "image", "use"}
    for _, attrs in parser.tags:
        assert not {"src", "href", "xlink:href", "srcset"} & set(attrs)
    assert not re.search(r"(https?:|ftp:|file:|//[a-z0-9])", html, re.IGNORECASE)
    assert "url(" not in html and "@import" not in html


def test_the_html_names_every_team_with_its_result(debrief, html):
    assert html.startswith("<!DOCTYPE html>")
    for result in debrief.results:
        row = re.search(
            rf"<td class='number'>{result.rank}</td><td><span class='swatch' "
            rf"style='border-color:#[0-9a-f]{{6}}'></span>{result.team}</td>"
            rf"<td class='number'>([\d.]+)</td>",
            html,
        )
        assert row is not None and float(row[1]) == pytest.approx(result.score, abs=0.05)
    assert "Tuesday &lt;cohort&gt;" in html and "session ABC234" in html


def test_the_html_holds_every_sentence_chart_and_prompt(debrief, html):
    from html import escape

    for separator in debrief.separators:
        assert escape(separator.text) in html
    for prompt in debrief.prompts:
        assert escape(prompt.sentence) in html
    # Five charts; one line per team and line of each chart, true ones dashed.
    assert html.count("<svg") == 5
    assert html.count("<polyline") == 4 * 6
    assert html.count('stroke-dasharray="6 4"') == 4 * 2
    assert "defaulted: the team&#x27;s last draft" in html


def test_the_html_prints_well(html):
    assert "@media print" in html and "break-before: page" in html


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_figures_csv_has_one_row_per_team_quarter_and_metric(games, debrief):
    text = figures_csv(debrief)
    assert text.splitlines()[0] == ",".join(FIGURE_COLUMNS)
    rows = _rows(text)
    metrics = set(next(iter(games.values())).state.history)
    assert len(rows) == len(games) * 5 * len(metrics)
    keys = {(r["team"], int(r["quarter"]), r["metric"]) for r in rows}
    assert len(keys) == len(rows)
    for row in rows:
        value = games[row["team"]].series(row["metric"])[int(row["quarter"])]
        assert float(row["value"]) == pytest.approx(float(value), rel=1e-12)


def test_decisions_csv_lists_every_decision(debrief):
    text = decisions_csv(debrief)
    assert text.splitlines()[0] == ",".join(DECISION_COLUMNS)
    rows = _rows(text)
    for team, plan in PLANS.items():
        for quarter, (interventions, answers) in enumerate(plan, start=1):
            mine = [r for r in rows if r["team"] == team and int(r["quarter"]) == quarter]
            adopted = [r["id"] for r in mine if r["kind"] in ("adopted", "skipped")]
            assert adopted == interventions
            for event, choice in answers.items():
                assert any(r["kind"] == "answered" and r["id"] == f"{event}.{choice}" for r in mine)
            if not adopted and not any(r["kind"] == "answered" for r in mine):
                assert [r["kind"] for r in mine] == ["nothing"]
            expected = "draft" if (team, quarter) == ("Delta", 3) else "team"
            assert {r["source"] for r in mine} == {expected}


def test_both_csv_files_are_written(debrief, tmp_path):
    figures, decisions = write_csv(debrief, tmp_path / "class.csv")
    assert decisions == tmp_path / "class-decisions.csv"
    assert figures.read_text(encoding="utf-8") == figures_csv(debrief)
    assert decisions.read_text(encoding="utf-8") == decisions_csv(debrief)
    assert decisions_path(tmp_path / "out") == tmp_path / "out-decisions.csv"


def test_a_report_before_any_quarter_says_so_and_compares_nothing():
    early = class_debrief(load_scenario("first-quarter"), team_games(0))
    html = html_report(early)
    assert "<p>No quarter has been played yet.</p>" in html
    assert "What separated" not in html and "For discussion" not in html
    empty = html_report(class_debrief(load_scenario("first-quarter"), {}))
    assert "<p>No team has joined yet.</p>" in empty
    assert figures_csv(class_debrief(load_scenario("first-quarter"), {})) == (
        "team,quarter,metric,value\n"
    )
