"""The balance report's warnings: what is valid but makes a case play badly.

Each finding is computed from the measured plans and says, in plain words, the figures
it rests on. Differences between two plans are taken run by run (the runs share their
random numbers), so even small ones are the plans' and not luck; "under a point" and
"within a point" use :data:`POINT`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from engine.balance.report import BalanceReport, Measured
from engine.balance.search import plan_text

POINT = 1.0
# Levers whose only work is better data: a card acting on these alone changes what the
# player sees, which a fixed plan cannot use.
INFORMATION_LEVERS = frozenset({"data_investment"})
# An achievement for a condition met by the end of quarter 1 in at least this share of
# the runs of doing nothing is earned before the player could act.
EARLY_SHARE = 0.5


@dataclass(frozen=True)
class Finding:
    """One warning: its kind (for tests and filters) and its sentence."""

    kind: str
    text: str


def _percent(share: float) -> str:
    return f"{100 * share:.0f}%"


def _below(value: float) -> str:
    """A figure under :data:`POINT` to two decimals, or four where two would round it
    up to a whole point (0.9996 is not shown as 1.00)."""
    return f"{value:.2f}" if round(value, 2) < POINT else f"{value:.4f}"


def reference_words(measured: Measured) -> str:
    """A reference plan inside a sentence: "the reference plan 'Title'"."""
    label = measured.plan.label
    return "the r" + label[1:] if label.startswith("Reference plan") else label


def score_gap(one: Measured, other: Measured) -> tuple[float, float]:
    """Mean and standard error of ``one``'s score minus ``other``'s, run by run
    (the runs share their random numbers)."""
    gaps = one.runs.outcome.score - other.runs.outcome.score
    spread = float(gaps.std(ddof=1)) if gaps.size > 1 else 0.0
    return float(gaps.mean()), spread / math.sqrt(gaps.size)


def _matches_reference(report: BalanceReport) -> list[Finding]:
    references = report.of_kind("reference")
    if not references:
        return []
    best = max(references, key=lambda m: m.mean_score)
    distinct = {n for d in best.plan.policy.by_quarter.values() for n in d.interventions}
    if len(distinct) < 2:
        return []
    found = []
    for single in report.of_kind("alone") + report.of_kind("every-quarter"):
        if single.mean_score < best.mean_score - POINT:
            continue
        than = "more than" if single.mean_score > best.mean_score else f"within {POINT:g} point of"
        found.append(
            Finding(
                "dominant",
                f"{single.plan.label} scores {single.mean_score:.1f} on average, {than}"
                f" {reference_words(best)} ({best.mean_score:.1f}): one card does as much as"
                " the whole plan",
            )
        )
    return found


def _card_contexts(report: BalanceReport, card: str) -> list[float]:
    """The card's mean effect on the score in every plan pair that isolates it."""
    nothing = report.nothing()
    references = {m.plan.base: m for m in report.of_kind("reference")}
    effects = []
    for measured in report.measured:
        if measured.plan.card != card:
            continue
        if measured.plan.kind in ("alone", "every-quarter"):
            effects.append(score_gap(measured, nothing)[0])
        elif measured.plan.kind == "minus":
            effects.append(score_gap(references[measured.plan.base], measured)[0])
        elif measured.plan.kind == "plus":
            effects.append(score_gap(measured, references[measured.plan.base])[0])
    return effects


def _weak_cards(report: BalanceReport) -> list[Finding]:
    found = []
    for card in report.scenario.interventions:
        effects = _card_contexts(report, card.id)
        if not effects:
            found.append(
                Finding(
                    "unaffordable",
                    f"'{card.name}' costs {report.scenario.company.currency}{card.cost:,.0f}"
                    " and fits no quarter's budget"
                    " (estimated from the grants, without the profit share), so no plan"
                    " measured could buy it",
                )
            )
            continue
        largest = max(abs(effect) for effect in effects)
        if largest >= POINT:
            continue
        text = (
            f"'{card.name}' is worth under {POINT:g} point in every plan measured"
            f" ({len(effects)} comparisons, the largest change {_below(largest)} points)"
        )
        if {effect.lever for effect in card.effects} <= INFORMATION_LEVERS:
            text += (
                "; its value is information only: it acts on data credibility and nothing"
                " else, which a fixed plan cannot use"
            )
        found.append(Finding("weak", text))
    return found


def _losing_cards(report: BalanceReport) -> list[Finding]:
    references = {m.plan.base: m for m in report.of_kind("reference")}
    found = []
    for without in report.of_kind("minus"):
        reference = references[without.plan.base]
        gain, error = score_gap(without, reference)
        if gain > 0 and gain - 2 * error > 0:
            card = report.scenario.intervention(without.plan.card or "")
            found.append(
                Finding(
                    "loses",
                    f"'{card.name}' is in {reference_words(reference)}, but the plan scores"
                    f" {gain:.2f} points more on average without it (standard error"
                    f" {error:.2f})",
                )
            )
    return found


def _never_or_always(shares: list[float]) -> str | None:
    """ "never" when every share is 0, "always" when every share is 1, else None."""
    if all(share == 0.0 for share in shares):
        return "never"
    if all(share == 1.0 for share in shares):
        return "always"
    return None


def _goals(report: BalanceReport) -> list[Finding]:
    plans = report.all_plans()
    found = []
    for goal in report.scenario.goals:
        extreme = _never_or_always([float(m.runs.outcome.goals[goal.id].mean()) for m in plans])
        if extreme is not None:
            words = "0%" if extreme == "never" else "100%"
            found.append(
                Finding(
                    "goal",
                    f"goal '{goal.text}' is met in {words} of runs under every plan measured"
                    f" ({len(plans)} plans)",
                )
            )
    return found


def _early_achievements(report: BalanceReport) -> list[Finding]:
    nothing = report.nothing().runs
    found = []
    for achievement in report.scenario.achievements:
        if achievement.condition is None:
            continue  # earned by deciding (or abstaining), which is the point
        share = float(nothing.early_achievements[achievement.id].mean())
        if share >= EARLY_SHARE:
            found.append(
                Finding(
                    "early",
                    f"achievement '{achievement.title}' is earned by the end of quarter 1 in"
                    f" {_percent(share)} of runs of doing nothing: the player gets it"
                    " without acting",
                )
            )
    return found


def _lessons(report: BalanceReport) -> list[Finding]:
    plans = report.all_plans()
    found = []
    for lesson in report.scenario.lessons:
        conditional = lesson.when or lesson.adopted or lesson.never_adopted
        if not (conditional or lesson.chose or lesson.never_chose):
            continue  # shown in every debrief by design
        shares = [float(m.runs.outcome.lessons[lesson.id].mean()) for m in plans]
        extreme = _never_or_always(shares)
        if extreme is not None:
            words = "no run of any" if extreme == "never" else "every run of every"
            found.append(
                Finding(
                    "lesson",
                    f"lesson '{lesson.title}' applies in {words} plan measured"
                    f" ({len(plans)} plans)",
                )
            )
    return found


def _stars(report: BalanceReport) -> list[Finding]:
    plans = report.all_plans()
    top = max(float(m.runs.outcome.score.max()) for m in plans)
    found = []
    for count, needed in enumerate(report.scenario.scoring.stars, start=1):
        if not any(bool((m.runs.outcome.stars >= count).any()) for m in plans):
            stars = "1 star" if count == 1 else f"{count} stars"
            found.append(
                Finding(
                    "stars",
                    f"no run of any plan measured reaches {stars} (a score of {needed:g});"
                    f" the highest score of any run was {top:.1f}",
                )
            )
    return found


def _search_beats_reference(report: BalanceReport) -> list[Finding]:
    references = report.of_kind("reference")
    if report.best is None or not references:
        return []
    best_reference = max(references, key=lambda m: m.mean_score)
    gain, _ = score_gap(report.best, best_reference)
    if gain < POINT:
        return []
    return [
        Finding(
            "search",
            f"the search found a plan scoring {report.best.mean_score:.1f} on average,"
            f" {gain:.1f} points more than {reference_words(best_reference)}"
            f" ({best_reference.mean_score:.1f}): {plan_text(report.scenario, report.best.plan)}",
        )
    ]


def findings(report: BalanceReport) -> list[Finding]:
    """Every warning of the report, in a fixed order."""
    return [
        *_matches_reference(report),
        *_weak_cards(report),
        *_losing_cards(report),
        *_search_beats_reference(report),
        *_goals(report),
        *_early_achievements(report),
        *_lessons(report),
        *_stars(report),
    ]
