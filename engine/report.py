"""Plain-text renderings of results for the terminal (``goingdark run``)."""

from __future__ import annotations

from engine.scenario.schema import Scenario
from engine.simulate import Results

# (metric, header, format): shares as percentages, levels as 0..1, money in thousands.
_COLUMNS = (
    ("active_customers", "customers", "{:>9.0f}"),
    ("logo_retention", "logo ret", "{:>8.1%}"),
    ("revenue_retention", "rev ret", "{:>7.1%}"),
    ("defections", "lost", "{:>6.0f}"),
    ("new_customers", "won", "{:>5.0f}"),
    ("csat_reported", "csat rep", "{:>8.2f}"),
    ("csat_true", "csat true", "{:>9.2f}"),
    ("thrill", "thrill", "{:>6.2f}"),
    ("dark_share", "dark", "{:>6.1%}"),
    ("engagement", "engaged", "{:>7.2f}"),
    ("quality", "quality", "{:>7.2f}"),
    ("quality_norm", "norm", "{:>5.2f}"),
    ("profit", "profit k", "{:>9.0f}"),
)


def quarter_table(scenario: Scenario, results: Results) -> str:
    """One row per quarter (quarter 0 is the start), means over the runs."""
    header = ["quarter", *(title for _, title, _ in _COLUMNS)]
    widths = [7, *(len(fmt.format(0.0)) for _, _, fmt in _COLUMNS)]
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
        for metric, _, fmt in _COLUMNS:
            value = float(results.history[metric][quarter].mean())
            cells.append(fmt.format(value / 1000 if metric == "profit" else value))
        lines.append(" ".join(cells))
    shares = results.driver_shares(results.quarters)
    if any(shares.values()):
        causes = ", ".join(
            f"{name.replace('_', ' ')} {share:.0%}"
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
