"""Plain-text renderings of results for the terminal (``goingdark run``)."""

from __future__ import annotations

from engine.presentation import DRIVER_PRESENTATION, METRIC_PRESENTATION
from engine.scenario.schema import Scenario
from engine.simulate import Results

# (metric, column width): headers are the metrics' short labels; money is in thousands.
_COLUMNS = (
    ("active_customers", 9),
    ("logo_retention", 8),
    ("revenue_retention", 7),
    ("defections", 6),
    ("new_customers", 5),
    ("csat_reported", 8),
    ("csat_true", 9),
    ("thrill", 6),
    ("dark_share", 6),
    ("engagement", 7),
    ("quality", 7),
    ("quality_norm", 5),
    ("profit", 9),
)
# How each format prints in a column: shares as percentages, levels as 0..1.
_CELL = {"count": ".0f", "share": ".1%", "level": ".2f", "money": ".0f"}


def _header(metric: str) -> str:
    shown = METRIC_PRESENTATION[metric]
    return shown.short_label + (" k" if shown.format == "money" else "")


def _cell(metric: str, value: float, width: int) -> str:
    unit = METRIC_PRESENTATION[metric].format
    return format(value / 1000 if unit == "money" else value, f">{width}{_CELL[unit]}")


def quarter_table(scenario: Scenario, results: Results) -> str:
    """One row per quarter (quarter 0 is the start), means over the runs."""
    header = ["quarter", *(_header(metric) for metric, _ in _COLUMNS)]
    widths = [7, *(width for _, width in _COLUMNS)]
    lines = [
        f"{scenario.meta.title} ({scenario.meta.id}), seed {results.seed}, "
        + (
            f"means over {results.runs} runs (--json for percentiles)"
            if results.runs > 1
            else "one run"
        ),
        "",
        " ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)),
    ]
    for quarter in range(results.quarters + 1):
        cells = [str(quarter).rjust(7)]
        for metric, width in _COLUMNS:
            cells.append(_cell(metric, float(results.history[metric][quarter].mean()), width))
        lines.append(" ".join(cells))
    shares = results.driver_shares(results.quarters)
    if any(shares.values()):
        causes = ", ".join(
            f"{DRIVER_PRESENTATION[name].short_label} {share:.0%}"
            for name, share in sorted(shares.items(), key=lambda kv: -kv[1])
            if share >= 0.005
        )
        lines += ["", f"Why customers left in the last quarter: {causes}."]
    lines += ["", *outcome_lines(scenario, results)]
    return "\n".join(lines)


def outcome_lines(scenario: Scenario, results: Results) -> list[str]:
    """How the runs did by the scenario's own rules: score, stars, goals, achievements."""
    summary = results.outcome_summary(scenario)
    score = summary["score"]
    spread = f" (p05 {score['p05']:.0f}, p95 {score['p95']:.0f})" if results.runs > 1 else ""
    stars = ", ".join(
        f"{'★' * int(n) or 'no star'} {share:.0%}"
        for n, share in summary["stars"].items()
        if share > 0
    )
    lines = [f"Score by the scenario's rules: {score['mean']:.1f}{spread}; {stars}."]
    for goal in scenario.goals:
        lines.append(f"Goal {goal.id}: met in {summary['goals'][goal.id]:.0%} of runs.")
    for achievement in scenario.achievements:
        share = summary["achievements"][achievement.id]
        lines.append(f"Achievement {achievement.id}: earned in {share:.0%} of runs.")
    return lines
