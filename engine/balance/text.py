"""The balance report in words: the JSON data and the plain-text report (80 columns)."""

from __future__ import annotations

import textwrap

import numpy as np

from engine.balance.findings import findings
from engine.balance.report import BalanceReport, Measured, outcome_groups, plan_summary
from engine.presentation import DRIVER_PRESENTATION

LABEL_WIDTH = 46
SECTIONS = (
    ("nothing", "Doing nothing"),
    ("reference", "Reference plans"),
    ("alone", "Each intervention alone"),
    ("every-quarter", "Each intervention bought every quarter the budget allows"),
    ("minus", "Each reference plan without one of its cards"),
    ("plus", "Each reference plan with a card it lacks"),
    ("answer", "Each dilemma answer"),
)


def report_data(report: BalanceReport) -> dict:
    """The report as JSON-ready data: what ``goingdark balance --json`` prints."""
    return {
        "scenario": report.scenario.meta.id,
        "seed": report.seed,
        "runs": report.runs,
        "search": {
            "method": report.search.words(),
            "candidates": report.search.candidates,
            "screening_runs": report.search.screening_runs,
        },
        "plans": [plan_summary(report.scenario, m) for m in report.all_plans()],
        "warnings": [finding.text for finding in findings(report)],
    }


def _label(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _legend(columns: list[tuple[str, Measured]]) -> list[str]:
    """What a short column name stands for ("ref 1: Reference plan '…'"), wrapped."""
    return [
        line
        for name, m in columns
        for line in textwrap.wrap(
            f"{name}: {m.plan.label}", 78, initial_indent="  ", subsequent_indent="    "
        )
    ]


def plan_lines(measured: Measured, width: int = LABEL_WIDTH) -> list[str]:
    """One plan's rows: its label (wrapped, with the share of runs that carried it out
    when not all did), then on the last row the mean score, the 5th to 95th percentile
    and the share of runs at 1, 2 and 3 stars or more."""
    outcome = measured.runs.outcome
    low, high = np.percentile(outcome.score, (5, 95))
    stars = "/".join(f"{100 * (outcome.stars >= n).mean():.0f}" for n in (1, 2, 3))
    carried = measured.runs.carried_out.mean()
    label = measured.plan.label
    if carried < 1.0:
        label += f" [{100 * carried:.0f}% of runs as planned]"
    wrapped = textwrap.wrap(label, width, subsequent_indent="  ")
    figures = f" {outcome.score.mean():5.1f}  {low:4.0f}–{high:<4.0f} {stars}"
    return [f"  {line}" for line in wrapped[:-1]] + [f"  {wrapped[-1]:<{width}}{figures}"]


def _outcome_lines(report: BalanceReport) -> list[str]:
    """Goals, achievements and lessons: the share of runs under doing nothing, the
    reference plans and the best plan found, and the range over every plan."""
    scenario = report.scenario
    columns = report.headline_plans()
    if not (scenario.goals or scenario.achievements or scenario.lessons):
        return []
    lines = ["", "Share of runs (%)"]
    lines += _legend([(name, m) for name, m in columns[1:] if name != "best"])
    header = f"  {'':<34}" + "".join(f"{name:>8}" for name, _ in columns) + "  all plans"
    plans = report.all_plans()
    for title, items, attribute in outcome_groups(scenario):
        if not items:
            continue
        lines += [title, header]
        for item_id, words in items:
            shares = [float(getattr(m.runs.outcome, attribute)[item_id].mean()) for m in plans]
            cells = "".join(
                f"{100 * getattr(m.runs.outcome, attribute)[item_id].mean():>8.0f}"
                for _, m in columns
            )
            spread = f"{100 * min(shares):.0f}–{100 * max(shares):.0f}"
            # A goal's text is a sentence: wrapped whole, the figures on its last line.
            wrapped = textwrap.wrap(words, 34, subsequent_indent="  ") or [""]
            lines += [f"  {line}" for line in wrapped[:-1]]
            lines.append(f"  {wrapped[-1]:<34}{cells}  {spread}")
    return lines


def _segment_lines(report: BalanceReport) -> list[str]:
    scenario = report.scenario
    # Doing nothing and the first reference plan, by the short names of the outcome
    # table ("nothing", "ref 1"), the reference plan's label spelled out below.
    named = [(name, m) for name, m in report.headline_plans() if name in ("nothing", "ref 1")]
    columns = [m for _, m in named]
    lines = ["", "Starting customers still there at the end (%), by segment"]
    lines += _legend([(name, m) for name, m in named if name != "nothing"])
    lines.append(f"  {'':<34}" + "".join(f"{name:>8}" for name, _ in named))
    for index, segment in enumerate(scenario.segments):
        cells = "".join(f"{100 * m.runs.segment_retention[:, index].mean():>8.1f}" for m in columns)
        lines.append(f"  {_label(segment.name, 34):<34}{cells}")
    lines += ["", "Why customers left (share of the defections over the game)"]
    for measured in columns:
        lines += textwrap.wrap(measured.plan.label, 78, initial_indent="  ")
        rows = [
            (segment.name, measured.runs.segment_driver_shares(index))
            for index, segment in enumerate(scenario.segments)
        ]
        if len(rows) > 1:
            rows.insert(0, ("Every segment", measured.runs.driver_shares()))
        for name, shares in rows:
            lines += textwrap.wrap(
                f"{name}: {driver_words(shares)}",
                78,
                initial_indent="    ",
                subsequent_indent="      ",
            )
    return lines


def driver_words(shares: dict[str, float]) -> str:
    """Drivers by their share of the defections, largest first, e.g. "ordinary churn
    (budgets, needs) 61%, poor service experience 39%"; "nobody left" when none did."""
    words = ", ".join(
        f"{DRIVER_PRESENTATION[name].label} {100 * share:.0f}%"
        for name, share in sorted(shares.items(), key=lambda kv: -kv[1])
        if share > 0
    )
    return words or "nobody left"


def render_text(report: BalanceReport) -> str:
    """The whole report as plain text, 80 columns wide."""
    scenario = report.scenario
    title = (
        f"Balance of '{scenario.meta.title}' ({scenario.meta.id}): {report.runs} runs per"
        f" plan, seed {report.seed}. Every plan plays the same runs (common random"
        " numbers): differences between plans are the plans', not luck."
    )
    lines = [
        *textwrap.wrap(title, 80),
        "",
        f"  {'plan':<{LABEL_WIDTH}} {'score':>5}  {'p5–p95':<9} ★≥1/2/3 %",
    ]
    for kind, title in SECTIONS:
        group = report.of_kind(kind)
        if group:
            lines += ["", title] + [line for m in group for line in plan_lines(m)]
    if report.best is not None and report.worst is not None:
        lines += ["", "Searched plans"]
        lines += textwrap.wrap(
            report.search.words(), 78, initial_indent="  ", subsequent_indent="  "
        )
        for measured in (report.best, report.worst):
            lines += plan_lines(measured)
    lines += _outcome_lines(report)
    lines += _segment_lines(report)
    found = findings(report)
    lines += ["", f"Warnings ({len(found)})" if found else "Warnings: none"]
    for finding in found:
        lines += textwrap.wrap(finding.text, 78, initial_indent="- ", subsequent_indent="  ")
    return "\n".join(lines) + "\n"
