"""The debrief as text (80 columns) and as JSON, what-ifs included, for
``goingdark debrief``: what a facilitator prints or projects after a game."""

from __future__ import annotations

import dataclasses
import textwrap
from collections.abc import Sequence

from engine.debrief import Debrief
from engine.formatting import format_value
from engine.presentation import DRIVER_PRESENTATION
from engine.whatif import Effect
from engine.whatif_words import WIDTH, effect_lines, effect_table


def wrapped(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent) or [""]


def heading(title: str) -> list[str]:
    return ["", title, "-" * len(title)]


def debrief_text(report: Debrief, effects: Sequence[Effect]) -> str:
    """The whole debrief in words, with the what-ifs ranked, each line at most 80 columns."""
    stars = "*" * report.stars + "." * (3 - report.stars)
    lines = wrapped(
        f"Debrief: {report.scenario_title}, {report.company}, seed {report.seed}, "
        f"{report.quarters} quarters played"
    )
    lines += wrapped(
        f"Score {report.score:.0f} of 100 [{stars}], grade {report.grade}: {report.standing}"
    )
    lines += ["", *wrapped(report.verdict)]

    if report.goals:
        lines += heading(f"Goals: {report.goals_met} of {len(report.goals)} met")
        for goal in report.goals:
            mark = "met    " if goal.met else "missed "
            lines += wrapped(f"{mark}{goal.text} ({goal.describe(report.currency)})", indent="")
    if report.losses:
        lines += heading("Customers lost, by cause")
        for driver, count in report.losses:
            lines += wrapped(f"{count:>6,}  {DRIVER_PRESENTATION[driver].phrase}")

    lines += heading("What was really going on")
    width = max(len(fig.label) for fig in report.truth)
    for fig in report.truth:
        start, end = (format_value(float(v), fig.unit) for v in (fig.values[0], fig.values[-1]))
        lines.append(f"{fig.label:<{width}}  {start:>8} -> {end:>8}")
    for finding in report.findings:
        lines += wrapped(f"- {finding}")

    lines += heading("Turning points")
    if not report.turning_points:
        lines += wrapped("No quarter's decisions moved the final score by 2 points or more.")
    for point in report.turning_points:
        lines += ["", point.title]
        lines += wrapped(point.because, indent="  ")
        lines += [line for move in point.moves for line in wrapped(f"- {move}", indent="  ")]

    lines += heading("What if: your decisions, largest effect first")
    if not effects:
        lines += wrapped("There was nothing to compare: no decision was taken.")
    for rank, effect in enumerate(effects, start=1):
        lines += ["", *effect_lines(effect, rank)]

    applied = [lesson for lesson in report.lessons if lesson.applies]
    if applied:
        lines += heading("Lessons")
        for lesson in applied:
            lines += ["", *wrapped(lesson.title), *wrapped(lesson.text, indent="  ")]
    earned = [a for a in report.achievements if a.earned]
    if earned:
        lines += heading("Achievements")
        for achievement in earned:
            when = f" (quarter {achievement.quarter})" if achievement.quarter else ""
            lines += wrapped(f"{achievement.title}{when}: {achievement.text}")
    return "\n".join(lines)


def debrief_table(report: Debrief, effects: Sequence[Effect]) -> dict:
    """The whole debrief as JSON-ready data, what-ifs ranked (no chart series)."""
    return {
        "scenario": report.scenario_id,
        "title": report.scenario_title,
        "company": report.company,
        "seed": report.seed,
        "quarters": report.quarters,
        "score": report.score,
        "stars": report.stars,
        "grade": report.grade,
        "standing": report.standing,
        "verdict": report.verdict,
        "goals": [dataclasses.asdict(goal) for goal in report.goals],
        "losses": dict(report.losses),
        "truth": {
            fig.metric: {"values": [float(v) for v in fig.values], "seen": fig.seen.tolist()}
            for fig in report.truth
        },
        "findings": list(report.findings),
        "turning_points": [
            {
                "quarter": point.quarter,
                "better": point.better,
                "points": point.points,
                "title": point.title,
                "because": point.because,
                "moves": list(point.moves),
            }
            for point in report.turning_points
        ],
        "whatifs": [effect_table(effect) for effect in effects],
        "lessons": [dataclasses.asdict(lesson) for lesson in report.lessons],
        "achievements": [dataclasses.asdict(a) for a in report.achievements],
    }
