"""The presentation registry: one complete, consistent entry per metric and per driver."""

from __future__ import annotations

from engine.formatting import format_value
from engine.params import DEFECTION_DRIVERS
from engine.presentation import (
    COLOUR_ROLES,
    DIRECTIONS,
    DRIVER_PRESENTATIONS,
    HIGHER,
    LOWER,
    METRIC_PRESENTATION,
    METRIC_PRESENTATIONS,
    NEITHER,
    NEVER,
    VISIBILITY,
    change_role,
    visible,
)
from engine.vocabulary import METRICS

FORMATS = {"share", "count", "money", "level"}


def test_every_metric_and_driver_has_one_entry_in_order() -> None:
    assert [shown.name for shown in METRIC_PRESENTATIONS] == [m.name for m in METRICS]
    assert tuple(shown.name for shown in DRIVER_PRESENTATIONS) == DEFECTION_DRIVERS


def test_entries_are_complete() -> None:
    for shown in (*METRIC_PRESENTATIONS, *DRIVER_PRESENTATIONS):
        assert shown.label and shown.short_label, shown.name
        assert shown.format in FORMATS, shown.name
        assert shown.good in DIRECTIONS, shown.name
        assert shown.colour_role in COLOUR_ROLES, shown.name
        assert "_" not in shown.short_label, shown.name
    for shown in METRIC_PRESENTATIONS:
        labels = (shown.chart_label, shown.tile_label, shown.column_label, shown.trend_label)
        assert all(labels), shown.name
        format_value(0.5, shown.format)  # every format prints


def test_reported_figures_are_always_visible_and_true_ones_have_a_threshold() -> None:
    for metric in METRICS:
        needed = METRIC_PRESENTATION[metric.name].visible_from
        if metric.reported:
            assert needed is None, metric.name
        else:
            assert needed == NEVER or 0 < needed <= 1, metric.name
    assert VISIBILITY["csat_true"] == 0.75 and "skill" not in VISIBILITY


def test_visibility_follows_data_credibility() -> None:
    assert visible("csat_reported", 0.0)
    assert not visible("csat_true", 0.74) and visible("csat_true", 0.75)
    assert not visible("skill", 1.0)  # only in the debrief
    assert not visible("no_such_metric", 1.0)


def test_the_role_of_a_change_follows_the_good_direction() -> None:
    assert change_role(HIGHER, 0.1) == "good" and change_role(HIGHER, -0.1) == "bad"
    assert change_role(LOWER, 0.1) == "bad" and change_role(LOWER, -0.1) == "good"
    assert change_role(NEITHER, 0.1) == "neutral"
