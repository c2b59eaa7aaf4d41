"""The class debrief as one self-contained HTML file: styles inline, charts as inline SVG,
no script and no address outside the file, laid out to print on paper."""

from __future__ import annotations

from html import escape

from engine.presentation import METRIC_PRESENTATION
from engine.rooms.class_debrief import CHARTS, ClassDebrief, TeamQuarter
from engine.rooms.report_svg import line_chart, team_colour

__all__ = ["SOURCE_WORDS", "html_report"]

# How a quarter's decisions reached the room, in the report's words.
SOURCE_WORDS = {
    "team": "submitted",
    "draft": "defaulted: the team's last draft",
    "default": "defaulted: nothing adopted, default answers",
}

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto;
  max-width: 60rem; padding: 0 1rem; color: #1b1b1b; line-height: 1.45; }
h1 { margin-bottom: 0.2rem; }
.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; width: 100%; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.5rem; text-align: left;
  vertical-align: top; }
th { background: #eef1f4; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.swatch { display: inline-block; width: 1.6rem; height: 0; border-top: 3px solid;
  vertical-align: middle; margin-right: 0.4rem; }
.swatch.true { border-top-style: dashed; }
.chart { width: 100%; max-width: 40rem; height: auto; display: block; }
.chart .plot { fill: #fff; stroke: #999; }
.chart .grid { stroke: #e2e2e2; }
.chart .axis { font-size: 11px; fill: #444; }
.defaulted { color: #9a3412; }
ul.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem;
  padding: 0; }
section.decisions td { font-size: 0.85em; }
figure { margin: 0 0 1.2rem; }
figcaption { font-weight: 600; }
@page wide { size: A4 landscape; }
@media print {
  section.decisions { page: wide; }
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  section { break-inside: avoid-page; }
  section.page { break-before: page; }
  figure, tr { break-inside: avoid; }
  th { background: #eef1f4 !important; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _stars(stars: int) -> str:
    return "★" * stars + "☆" * (3 - stars)


def _results(debrief: ClassDebrief) -> str:
    rows = "".join(
        f"<tr><td class='number'>{r.rank}</td><td><span class='swatch' "
        f"style='border-color:{team_colour(i)}'></span>{escape(r.team)}</td>"
        f"<td class='number'>{r.score:.1f}</td><td>{_stars(r.stars)}</td>"
        f"<td>{escape(r.grade)}</td></tr>"
        for i, r in enumerate(debrief.results)
    )
    return (
        "<section><h2>Results</h2><table><thead><tr><th>Rank</th><th>Team</th>"
        "<th>Score</th><th>Stars</th><th>Grade</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></section>"
    )


def _separators(debrief: ClassDebrief) -> str:
    if len(debrief.results) < 2 or debrief.quarter == 0:
        return ""  # nothing to compare yet: the notes say why
    if not debrief.separators:
        found = "<p>No decision set the top half apart from the bottom half.</p>"
    else:
        found = "<ul>" + "".join(f"<li>{escape(s.text)}</li>" for s in debrief.separators)
        found += "</ul>"
    return (
        "<section><h2>What separated the top teams from the bottom ones</h2>"
        "<p>Every team played the same seed, so teams differ only by their decisions. "
        "Each difference below is checked by replaying one bottom-half team's own game "
        "with that decision made the other way.</p>"
        f"{found}</section>"
    )


def _legend(debrief: ClassDebrief) -> str:
    items = "".join(
        f"<li><span class='swatch' style='border-color:{team_colour(i)}'></span>{escape(team)}</li>"
        for i, team in enumerate(debrief.teams)
    )
    return (
        f"<ul class='legend'>{items}</ul><p><span class='swatch'></span>solid: a figure the "
        f"teams saw (reported) &nbsp; <span class='swatch true'>"
        "</span>dashed: the true figure, hidden from the teams</p>"
    )


def _charts(debrief: ClassDebrief) -> str:
    colours = {team: team_colour(i) for i, team in enumerate(debrief.teams)}
    figures = []
    for title, unit, wanted in CHARTS:
        lines = [
            (team, kind, debrief.series[team][metric])
            for metric, kind in wanted
            for team in debrief.teams
            if metric in debrief.series[team]
        ]
        names = "; ".join(
            f"{'dashed' if kind == 'true' else 'solid'}: {METRIC_PRESENTATION[metric].label}"
            for metric, kind in wanted
        )
        chart = line_chart(title, unit, debrief.currency, debrief.quarter, lines, colours)
        figures.append(
            f"<figure><figcaption>{escape(title)}</figcaption>{chart}"
            f"<p class='meta'>{escape(names)}</p></figure>"
        )
    return (
        "<section class='page'><h2>Every team's curves</h2>"
        f"{_legend(debrief)}{''.join(figures)}</section>"
    )


def _cell(decided: TeamQuarter) -> str:
    parts = [escape(", ".join(decided.interventions)) or "nothing adopted"]
    if decided.skipped:
        parts.append("not adopted (budget or prerequisite): " + escape(", ".join(decided.skipped)))
    parts.extend(escape(answer) for answer in decided.answers)
    source = SOURCE_WORDS.get(decided.source, decided.source)
    if decided.source != "team":
        parts.append(f"<span class='defaulted'>{escape(source)}</span>")
    return "<br>".join(parts)


def _decisions(debrief: ClassDebrief) -> str:
    if not debrief.decisions:
        return ""
    head = "".join(f"<th>Q{q}</th>" for q in debrief.decisions)
    rows = "".join(
        f"<tr><th>{escape(team)}</th>"
        + "".join(f"<td>{_cell(debrief.decisions[q][team])}</td>" for q in debrief.decisions)
        + "</tr>"
        for team in debrief.teams
    )
    return (
        "<section class='page decisions'><h2>Decisions side by side</h2>"
        f"<table><thead><tr><th>Team</th>{head}</tr></thead><tbody>{rows}</tbody></table>"
        "</section>"
    )


def _prompts(debrief: ClassDebrief) -> str:
    items = "".join(
        f"<li><strong>{escape(p.title)}</strong>. {escape(p.text)} <em>{escape(p.sentence)}</em>"
        "</li>"
        for p in debrief.prompts
    )
    return (
        f"<section><h2>For discussion: the scenario's lessons</h2><ol>{items}</ol></section>"
        if items
        else ""
    )


def html_report(debrief: ClassDebrief, *, room_name: str = "", code: str = "") -> str:
    """The whole class debrief as the text of one HTML file."""
    heading = f"Class debrief: {debrief.scenario_title}"
    about = [f"{len(debrief.results)} teams", f"quarter {debrief.quarter} of {debrief.quarters}"]
    if room_name:
        about.insert(0, room_name)
    if code:
        about.append(f"session {code}")
    notes = "".join(f"<p>{escape(note)}</p>" for note in debrief.notes)
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(heading)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(heading)}</h1><p class='meta'>{escape(' · '.join(about))}</p>{notes}"
        f"{_results(debrief)}{_separators(debrief)}{_prompts(debrief)}"
        f"{_charts(debrief)}{_decisions(debrief)}</body></html>\n"
    )
