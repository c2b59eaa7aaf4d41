"""Plain-text renderings of results for the terminal (``goingdark run`` and ``replay``).

The quarter table fits the width it is given (the terminal's, 80 when not a terminal):
columns are chosen by priority until the next one would not fit, and a note names the
ones left out. ``wide`` shows every column whatever the width. Prose lines wrap.
"""

from __future__ import annotations

import textwrap

from engine.presentation import DRIVER_PRESENTATION, METRIC_PRESENTATION
from engine.scenario.schema import Scenario
from engine.simulate import Results

# The table's columns, in the order they print. Headers are the metrics' short labels;
# money is in thousands. Each column is as wide as its header or its widest cell.
TABLE_COLUMNS = (
    "active_customers",
    "logo_retention",
    "revenue_retention",
    "defections",
    "new_customers",
    "csat_reported",
    "csat_true",
    "thrill",
    "dark_share",
    "engagement",
    "quality",
    "quality_norm",
    "profit",
)
# Which columns a narrow table keeps first: the reported and true satisfaction side by
# side (the game's lesson), then what lies under them, then money and counts.
COLUMN_PRIORITY = (
    "logo_retention",
    "csat_reported",
    "csat_true",
    "thrill",
    "dark_share",
    "engagement",
    "quality",
    "profit",
    "active_customers",
    "defections",
    "new_customers",
    "quality_norm",
    "revenue_retention",
)
QUARTER_HEADER = "quarter"
# The narrowest width the table and prose are laid out for.
MIN_WIDTH = 40
# How each format prints in a column: shares as percentages, levels as 0..1.
_CELL = {"count": ".0f", "share": ".1%", "level": ".2f", "money": ".0f"}


def _header(metric: str) -> str:
    shown = METRIC_PRESENTATION[metric]
    return shown.short_label + (" k" if shown.format == "money" else "")


def _cell(metric: str, value: float) -> str:
    unit = METRIC_PRESENTATION[metric].format
    return format(value / 1000 if unit == "money" else value, _CELL[unit])


def _wrap(line: str, width: int) -> list[str]:
    """A prose line wrapped to the width, continuation lines indented; blank stays blank."""
    return textwrap.wrap(line, width, subsequent_indent="  ", break_on_hyphens=False) or [""]


def chosen_columns(
    widths: dict[str, int],
    width: int | None,
    columns: tuple[str, ...] = TABLE_COLUMNS,
    priority: tuple[str, ...] = COLUMN_PRIORITY,
) -> list[str]:
    """The columns that fit in ``width`` beside the quarter column, taken in priority
    order and printed in table order; every column when ``width`` is None."""
    if width is None:
        return list(columns)
    used = len(QUARTER_HEADER)
    kept = set()
    for metric in priority:
        if used + 1 + widths[metric] <= width:
            kept.add(metric)
            used += 1 + widths[metric]
    return [metric for metric in columns if metric in kept]


def table_lines(
    means: dict[str, list[float]],
    width: int,
    wide: bool,
    columns: tuple[str, ...] = TABLE_COLUMNS,
    priority: tuple[str, ...] = COLUMN_PRIORITY,
) -> list[str]:
    """A quarter-by-quarter table of metric values (``means[metric][quarter]``): the
    header, one row per quarter, and a note naming the columns left out to fit."""
    rows = {metric: [_cell(metric, value) for value in means[metric]] for metric in columns}
    widths = {
        metric: max(len(_header(metric)), *(len(cell) for cell in cells))
        for metric, cells in rows.items()
    }
    shown = chosen_columns(widths, None if wide else width, columns, priority)
    lines = [
        " ".join([QUARTER_HEADER, *(_header(metric).rjust(widths[metric]) for metric in shown)])
    ]
    for quarter in range(len(means[columns[0]])):
        cells = [str(quarter).rjust(len(QUARTER_HEADER))]
        cells += [rows[metric][quarter].rjust(widths[metric]) for metric in shown]
        lines.append(" ".join(cells))
    left_out = [_header(metric) for metric in columns if metric not in shown]
    if left_out:
        note = f"Left out to fit {width} columns: {', '.join(left_out)}; --wide shows them."
        lines += _wrap(note, width)
    return lines


def driver_line(shares: dict[str, float], who: str, quarter: int, width: int) -> list[str]:
    """Why customers left in a quarter, drivers largest first; nothing when none left."""
    if not any(shares.values()):
        return []
    causes = ", ".join(
        f"{DRIVER_PRESENTATION[name].short_label} {share:.0%}"
        for name, share in sorted(shares.items(), key=lambda kv: -kv[1])
        if share >= 0.005
    )
    return _wrap(f"Why {who} left in quarter {quarter}: {causes}.", width)


def quarter_table(scenario: Scenario, results: Results, width: int = 80, wide: bool = False) -> str:
    """One row per quarter (quarter 0 is the start), means over the runs, then why
    customers left and how the runs did. Fits ``width`` columns unless ``wide``."""
    width = max(width, MIN_WIDTH)
    means = {
        metric: [float(values.mean()) for values in results.history[metric]]
        for metric in TABLE_COLUMNS
    }
    title = f"{scenario.meta.title} ({scenario.meta.id}), seed {results.seed}, " + (
        f"means over {results.runs} runs (--json for percentiles)"
        if results.runs > 1
        else "one run"
    )
    lines = [*_wrap(title, width), "", *table_lines(means, width, wide)]
    why = driver_line(results.driver_shares(results.quarters), "customers", results.quarters, width)
    if why:
        lines += ["", *why]
    lines.append("")
    for line in outcome_lines(scenario, results):
        lines += _wrap(line, width)
    return "\n".join(lines)


def share_of_runs(share: float) -> str:
    """A share of runs in words: "in every run", "in no run", else a percentage that
    never rounds to 0% or 100% when it is neither."""
    if share >= 1:
        return "in every run"
    if share <= 0:
        return "in no run"
    return f"in {min(max(round(share * 100), 1), 99)}% of runs"


def outcome_lines(scenario: Scenario, results: Results) -> list[str]:
    """How the game (one run) or the runs did by the scenario's own rules: score, stars,
    goals, achievements, and which debrief lessons apply. One game is spoken of as one
    game; many runs in shares."""
    summary = results.outcome_summary(scenario)
    score = summary["score"]
    one_game = results.runs == 1
    star_shares = {
        int(n): share for n, share in sorted(summary["stars"].items(), reverse=True) if share > 0
    }

    def stars(count: int) -> str:
        return "★" * count or "no star"

    # A game stopped early (a save mid-game, --quarters) is judged on the quarters played.
    rules = "Score by the scenario's rules"
    if results.quarters < scenario.meta.quarters:
        rules += f" after quarter {results.quarters} of {scenario.meta.quarters}"
    if one_game:
        (count,) = star_shares
        lines = [f"{rules}: {score['mean']:.1f}, {stars(count)}."]
    else:
        if list(star_shares) == [0]:
            spread = "no run earned a star"
        else:
            spread = ", ".join(
                f"{stars(count)} {share_of_runs(share)}" for count, share in star_shares.items()
            )
        lines = [
            f"{rules}: {score['mean']:.1f} on average "
            f"(p05 {score['p05']:.0f}, p95 {score['p95']:.0f}); {spread}."
        ]
    for goal in scenario.goals:
        share = summary["goals"][goal.id]
        verdict = ("met" if share else "not met") if one_game else f"met {share_of_runs(share)}"
        lines.append(f"Goal {goal.id}: {verdict}.")
    for achievement in scenario.achievements:
        share = summary["achievements"][achievement.id]
        verdict = (
            ("earned" if share else "not earned") if one_game else f"earned {share_of_runs(share)}"
        )
        lines.append(f"Achievement {achievement.id}: {verdict}.")
    for lesson in scenario.lessons:
        share = summary["lessons"][lesson.id]
        verdict = (
            ("applies" if share else "does not apply")
            if one_game
            else f"applies {share_of_runs(share)}"
        )
        lines.append(f"Lesson {lesson.id}: {verdict}.")
    return lines
