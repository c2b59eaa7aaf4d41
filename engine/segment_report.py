"""A quarter table per customer segment, for ``goingdark run --segments``.

The same layout as the whole-company table of :mod:`engine.report` (columns chosen
by priority to fit the width), over the figures :mod:`engine.segment_metrics`
measures, each followed by why that segment's customers left in the last quarter.
"""

from __future__ import annotations

import textwrap

from engine.report import MIN_WIDTH, driver_line, table_lines
from engine.scenario.schema import Scenario
from engine.simulate import Results

# A segment's table: the whole-company table's customer columns, plus trust and risk.
SEGMENT_COLUMNS = (
    "active_customers",
    "logo_retention",
    "revenue_retention",
    "defections",
    "new_customers",
    "csat_true",
    "thrill",
    "trust",
    "dark_share",
    "defection_risk",
)
SEGMENT_PRIORITY = (
    "logo_retention",
    "csat_true",
    "thrill",
    "dark_share",
    "defections",
    "active_customers",
    "trust",
    "defection_risk",
    "revenue_retention",
    "new_customers",
)


def segment_tables(
    scenario: Scenario, results: Results, width: int = 80, wide: bool = False
) -> str:
    """One table per segment (means over the runs, quarter 0 the start), each followed by
    why its customers left in the last quarter. Needs results simulated with segments."""
    if results.segments is None:
        raise ValueError("these results were simulated without per-segment figures")
    width = max(width, MIN_WIDTH)
    lines: list[str] = []
    for index, segment in enumerate(scenario.segments):
        means = {
            metric: [float(values.mean()) for values in results.segments[metric][:, :, index]]
            for metric in SEGMENT_COLUMNS
        }
        title = f"Segment {segment.name} ({segment.id}), {segment.count:,} customers at the start"
        lines += ["", *textwrap.wrap(title, width, subsequent_indent="  ")]
        lines += ["", *table_lines(means, width, wide, SEGMENT_COLUMNS, SEGMENT_PRIORITY)]
        shares = results.segment_driver_shares(results.quarters, index)
        why = driver_line(shares, f"{segment.name} customers", results.quarters, width)
        if why:
            lines += ["", *why]
    return "\n".join(lines)
