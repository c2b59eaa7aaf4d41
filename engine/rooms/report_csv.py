"""The class debrief as two tidy CSV files: every recorded figure, and every decision.

Figures: ``team,quarter,metric,value``, one row per team, quarter (0 = the start) and
recorded metric. Decisions: ``team,quarter,kind,id,label,source``, one row per decision:
kind ``adopted`` (an intervention adopted), ``skipped`` (chosen but not adopted: budget
or a prerequisite), ``answered`` (a dilemma answer, id ``EVENT.CHOICE``) or ``nothing``
(a quarter with neither, so that its source is still recorded); source ``team``
(submitted), ``draft`` (defaulted to the team's last draft) or ``default`` (defaulted to
nothing and each dilemma's default answer).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from engine.files import write_atomic
from engine.rooms.class_debrief import ClassDebrief

__all__ = [
    "DECISION_COLUMNS",
    "FIGURE_COLUMNS",
    "decisions_csv",
    "decisions_path",
    "figures_csv",
    "write_csv",
]

FIGURE_COLUMNS = ("team", "quarter", "metric", "value")
DECISION_COLUMNS = ("team", "quarter", "kind", "id", "label", "source")


def _text(rows: list[tuple], columns: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def figures_csv(debrief: ClassDebrief) -> str:
    """Every recorded figure of every team and quarter, one per row (long format)."""
    rows = [
        (team, quarter, metric, repr(value))
        for team in debrief.teams
        for metric, values in debrief.series[team].items()
        for quarter, value in enumerate(values)
    ]
    rows.sort(key=lambda row: (debrief.teams.index(row[0]), row[1], row[2]))
    return _text(rows, FIGURE_COLUMNS)


def decisions_csv(debrief: ClassDebrief) -> str:
    """Every decision of every team and quarter, one per row."""
    rows = []
    for team in debrief.teams:
        for quarter, by_team in debrief.decisions.items():
            decided = by_team[team]
            made = [
                (kind, ident, label)
                for kind, ids, labels in (
                    ("adopted", decided.adopted_ids, decided.interventions),
                    ("skipped", decided.skipped_ids, decided.skipped),
                    ("answered", decided.answer_ids, decided.answers),
                )
                for ident, label in zip(ids, labels, strict=True)
            ]
            for kind, ident, label in made or [("nothing", "", "")]:
                rows.append((team, quarter, kind, ident, label, decided.source))
    return _text(rows, DECISION_COLUMNS)


def decisions_path(figures: Path) -> Path:
    """Where the decisions CSV goes: beside the figures CSV, ``NAME-decisions.csv``."""
    return figures.with_name(f"{figures.stem}-decisions{figures.suffix or '.csv'}")


def write_csv(debrief: ClassDebrief, figures: Path) -> tuple[Path, Path]:
    """Write both CSV files (each atomically); returns their paths."""
    write_atomic(figures, figures_csv(debrief))
    decisions = decisions_path(figures)
    write_atomic(decisions, decisions_csv(debrief))
    return figures, decisions
