"""The balance report as one self-contained HTML file: tables, warnings and inline SVG
fan charts (no script, no stylesheet or image from elsewhere, no external address)."""

from __future__ import annotations

from html import escape

import numpy as np

from engine.balance.findings import findings
from engine.balance.report import BalanceReport, Measured, outcome_groups
from engine.presentation import DRIVER_PRESENTATION, METRIC_PRESENTATION

# The plot is PLOT wide; the legend sits to its right, clear of the lines.
PLOT, LEGEND, HEIGHT, MARGIN = 560, 220, 220, 40
WIDTH = PLOT + LEGEND
LEGEND_CHARACTERS = 34
# Fill and line colours of the plans drawn in one chart, in order.
COLOURS = ("#8a8a8a", "#2f6db5", "#2e8b57", "#b5472f")

STYLE = """
body { font-family: sans-serif; max-width: 62em; margin: 2em auto; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { padding: 0.2em 0.6em; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; }
td + td { white-space: nowrap; }
.warning { color: #8a3b00; }
svg text { font-size: 11px; }
"""


def _points(xs: np.ndarray, ys: np.ndarray) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))


def _shortened(text: str, characters: int) -> str:
    return text if len(text) <= characters else text[: characters - 1] + "…"


def column_title(measured: Measured) -> str:
    """A plan's name as a column heading or legend. A searched plan's label is
    "Best plan found: <its purchases>"; the heading keeps the words before the colon,
    as the purchases are listed in full under Plans."""
    if measured.plan.kind == "search":
        return measured.plan.label.partition(":")[0]
    return measured.plan.label


def fan_chart(title: str, bands: list[tuple[str, np.ndarray]]) -> str:
    """An inline SVG: per plan, the band from the 5th to the 95th percentile and the
    median line, over quarters 0..N. ``bands`` are (label, (quarters + 1, 3) array)."""
    stacked = np.concatenate([band for _, band in bands])
    low, high = float(stacked.min()), float(stacked.max())
    if high - low < 1e-9:
        low, high = low - 1.0, high + 1.0
    quarters = bands[0][1].shape[0] - 1
    xs = MARGIN + np.arange(quarters + 1) * (PLOT - 2 * MARGIN) / max(quarters, 1)

    def y(values: np.ndarray) -> np.ndarray:
        return HEIGHT - MARGIN - (values - low) / (high - low) * (HEIGHT - 2 * MARGIN)

    parts = [
        f'<svg role="img" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}">',
        f"<title>{escape(title)}</title>",
        f'<text x="{MARGIN}" y="16">{escape(title)}</text>',
        f'<text x="4" y="{MARGIN}">{high:.3g}</text>',
        f'<text x="4" y="{HEIGHT - MARGIN}">{low:.3g}</text>',
        f'<text x="{MARGIN}" y="{HEIGHT - 8}">quarter 0</text>',
        f'<text x="{PLOT - MARGIN - 50}" y="{HEIGHT - 8}">quarter {quarters}</text>',
    ]
    for index, (label, band) in enumerate(bands):
        colour = COLOURS[index % len(COLOURS)]
        outline = _points(xs, y(band[:, 2])) + " " + _points(xs[::-1], y(band[::-1, 0]))
        parts.append(f'<polygon points="{outline}" fill="{colour}" fill-opacity="0.18"/>')
        parts.append(
            f'<polyline points="{_points(xs, y(band[:, 1]))}" fill="none"'
            f' stroke="{colour}" stroke-width="2"/>'
        )
        parts.append(
            f'<text x="{PLOT}" y="{MARGIN + 14 * index}"'
            f' fill="{colour}">{escape(_shortened(label, LEGEND_CHARACTERS))}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _plan_rows(measured: list[Measured]) -> str:
    rows = []
    for m in measured:
        outcome = m.runs.outcome
        low, high = np.percentile(outcome.score, (5, 95))
        stars = " / ".join(f"{100 * (outcome.stars >= n).mean():.0f}%" for n in (1, 2, 3))
        rows.append(
            f"<tr><td>{escape(m.plan.label)}</td><td>{outcome.score.mean():.1f}</td>"
            f"<td>{low:.0f}–{high:.0f}</td><td>{stars}</td>"
            f"<td>{100 * m.runs.carried_out.mean():.0f}%</td></tr>"
        )
    return (
        "<table><tr><th>plan</th><th>mean score</th><th>5th–95th</th>"
        "<th>runs at ★1 / ★2 / ★3 or more</th><th>carried out as planned</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def _segment_rows(report: BalanceReport, shown: list[Measured]) -> str:
    scenario = report.scenario
    head = "".join(f"<th>{escape(column_title(m))}</th>" for m in shown)
    rows = [
        f"<tr><td>{escape(segment.name)}: starting customers still there</td>"
        + "".join(f"<td>{100 * m.runs.segment_retention[:, i].mean():.1f}%</td>" for m in shown)
        + "</tr>"
        for i, segment in enumerate(scenario.segments)
    ]
    groups = [("Every segment", [m.runs.driver_shares() for m in shown])]
    groups += [
        (segment.name, [m.runs.segment_driver_shares(i) for m in shown])
        for i, segment in enumerate(scenario.segments)
    ]
    for group, shares in groups:
        rows.append(
            f'<tr><th colspan="{len(shown) + 1}">{escape(group)}: share of the customers'
            " who left, by why they left</th></tr>"
        )
        rows += [
            f"<tr><td>{escape(driver.label)}</td>"
            + "".join(f"<td>{100 * plan[name]:.0f}%</td>" for plan in shares)
            + "</tr>"
            for name, driver in DRIVER_PRESENTATION.items()
        ]
    return f"<table><tr><th></th>{head}</tr>" + "".join(rows) + "</table>"


def _outcome_rows(report: BalanceReport) -> str:
    """Goals, achievements and lessons: the share of runs under the headline plans and
    the range over every plan measured."""
    columns = report.headline_plans()
    plans = report.all_plans()
    head = "".join(f"<th>{escape(column_title(m))}</th>" for _, m in columns)
    rows = []
    for title, items, attribute in outcome_groups(report.scenario):
        for item_id, words in items:
            shares = [float(getattr(m.runs.outcome, attribute)[item_id].mean()) for m in plans]
            cells = "".join(
                f"<td>{100 * getattr(m.runs.outcome, attribute)[item_id].mean():.0f}%</td>"
                for _, m in columns
            )
            rows.append(
                f"<tr><td>{escape(title[:-1])}: {escape(words)}</td>{cells}"
                f"<td>{100 * min(shares):.0f}–{100 * max(shares):.0f}%</td></tr>"
            )
    if not rows:
        return ""
    return (
        f"<h2>Share of runs</h2><table><tr><th></th>{head}<th>all plans</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def render_html(report: BalanceReport) -> str:
    """The whole report as one HTML document."""
    scenario = report.scenario
    shown = [report.nothing(), *report.of_kind("reference")]
    if report.best is not None:
        shown.append(report.best)
    charts = [
        fan_chart(
            METRIC_PRESENTATION[metric].label,
            [(column_title(m), m.runs.bands[metric]) for m in shown],
        )
        for metric in dict.fromkeys(term.metric for term in scenario.scoring.terms)
    ]
    warnings = "".join(f'<li class="warning">{escape(f.text)}</li>' for f in findings(report))
    body = [
        f"<h1>Balance of {escape(scenario.meta.title)}</h1>",
        f"<p>{report.runs} runs per plan, seed {report.seed}. Every plan plays the same"
        " runs (common random numbers): differences between plans are the plans', not"
        " luck.</p>",
        "<h2>Warnings</h2>",
        f"<ul>{warnings}</ul>" if warnings else "<p>None.</p>",
        "<h2>Scoring metrics over the game</h2>",
        "<p>Bands from the 5th to the 95th percentile of the runs, lines the median.</p>",
        *charts,
        _outcome_rows(report),
        "<h2>Plans</h2>",
        _plan_rows(report.all_plans()),
        f"<p>Searched plans: {escape(report.search.words())}.</p>",
        "<h2>Segments and why customers left</h2>",
        _segment_rows(report, shown),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Balance of {escape(scenario.meta.title)}</title>"
        f"<style>{STYLE}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
