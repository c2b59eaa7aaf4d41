"""The debrief of a game: the appraisal, the goals, what was really going on, the turning
points, the lessons and achievements, and the series to chart.

Headless: the game shows a ``Debrief``, and a facilitator's report can print the same one.
Everything here reads a ``GameSession``'s history and reports; nothing changes the game.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from engine.narrative import DRIVER_WORDS
from engine.params import DEFECTION_DRIVERS
from engine.scenario.schema import Condition
from engine.session import VISIBILITY, GameSession
from engine.vocabulary import METRIC_INFO

# Metrics that are flows of a quarter: quarter 0 has none, so series start at quarter 1.
FLOW_METRICS = frozenset({"profit", "costs", "defections", "new_customers", "employee_attrition"})


# --- figures and charts --------------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    """One metric quarter by quarter (quarter 0 first), and whether the company could
    see it on its dashboard after each quarter."""

    metric: str
    label: str
    unit: str
    values: np.ndarray
    seen: np.ndarray  # bool per quarter

    @property
    def ever_hidden(self) -> bool:
        return not bool(self.seen.all())

    @property
    def never_seen(self) -> bool:
        return not bool(self.seen.any())


def seen_mask(history: Mapping[str, Sequence[np.ndarray]], metric: str, run: int = 0) -> np.ndarray:
    """Per quarter, whether the company could see ``metric``: reported figures always,
    true ones once data credibility reached their threshold (as ``GameSession.visible``)."""
    quarters = len(history[metric])
    if METRIC_INFO[metric].reported:
        return np.ones(quarters, dtype=bool)
    needed = VISIBILITY.get(metric)
    if needed is None:
        return np.zeros(quarters, dtype=bool)
    credibility = np.array([values[run] for values in history["data_credibility"]])
    return credibility >= needed


def figure(session: GameSession, metric: str, label: str) -> Figure:
    return Figure(
        metric,
        label,
        METRIC_INFO[metric].unit,
        session.series(metric),
        seen_mask(session.state.history, metric),
    )


@dataclass(frozen=True)
class Line:
    """One line of a chart: a figure from its first meaningful quarter on."""

    label: str
    figure: Figure
    visible: bool  # whether the company can see it now
    first_quarter: int = 0

    @property
    def quarters(self) -> np.ndarray:
        return np.arange(self.first_quarter, len(self.figure.values))

    @property
    def values(self) -> np.ndarray:
        return self.figure.values[self.first_quarter :]


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    unit: str
    about: str
    lines: tuple[Line, ...]

    @property
    def hidden(self) -> bool:
        """Whether the company can see none of this chart now."""
        return not any(line.visible for line in self.lines)


# id, title, unit, about, ((line label, metric), ...)
CHARTS: tuple[tuple[str, str, str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "customers",
        "Customers",
        "count",
        "Active customers at the end of each quarter: the starting base, less defections, "
        "plus the customers sales won.",
        (("Active customers", "active_customers"),),
    ),
    (
        "retention",
        "Retention",
        "share",
        "Share of the starting customers still with us, and of their starting revenue.",
        (("Customers kept", "logo_retention"), ("Revenue kept", "revenue_retention")),
    ),
    (
        "satisfaction",
        "Satisfaction",
        "level",
        "What the survey says, and (once data is credible) what customers really feel. "
        "Dark customers do not answer surveys.",
        (("Survey (reported)", "csat_reported"), ("True satisfaction", "csat_true")),
    ),
    (
        "engagement",
        "Engagement",
        "level",
        "Mean employee engagement. Disengaged people deliver the norm, not their best.",
        (("Engagement", "engagement"),),
    ),
    (
        "quality",
        "Quality vs norm",
        "level",
        "Quality delivered, and what the organisation counts as good enough. The norm "
        "drifts toward what is delivered.",
        (("Quality delivered", "quality"), ("Norm (good enough)", "quality_norm")),
    ),
    (
        "profit",
        "Profit",
        "money",
        "Revenue minus the costs of people, hiring and interventions, each quarter.",
        (("Profit", "profit"),),
    ),
    (
        "thrill",
        "Thrill",
        "level",
        "Customers' interest and sense that we help them win. It decays every quarter "
        "unless we bring new value.",
        (("Thrill", "thrill"),),
    ),
    (
        "dark",
        "Gone dark",
        "share",
        "Share of active customers who no longer answer us. They defect far more often.",
        (("Gone dark", "dark_share"),),
    ),
    (
        "risk",
        "Defection risk",
        "share",
        "Mean chance that an active customer leaves in a quarter.",
        (("Defection risk", "defection_risk"),),
    ),
)


def charts(session: GameSession) -> tuple[Chart, ...]:
    """The main charts of a game so far, every line with what the company can see now."""
    built = []
    for chart_id, title, unit, about, lines in CHARTS:
        built.append(
            Chart(
                chart_id,
                title,
                unit,
                about,
                tuple(
                    Line(
                        label,
                        figure(session, metric, label),
                        session.visible(metric),
                        1 if metric in FLOW_METRICS else 0,
                    )
                    for label, metric in lines
                ),
            )
        )
    return tuple(built)


def revealing_interventions(session: GameSession) -> list[str]:
    """Names of the scenario's interventions that build data credibility."""
    return [
        intervention.name
        for intervention in session.scenario.interventions
        if any(e.lever == "data_investment" and e.amount > 0 for e in intervention.effects)
    ]


# --- words and numbers ---------------------------------------------------------------------
def format_value(value: float, unit: str, currency: str = "$", precise: bool = False) -> str:
    """A metric's value as the game shows it (``precise``: one more digit)."""
    if unit == "share":
        return f"{value:.{2 if precise else 1}%}"
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "money":
        sign = "-" if value < 0 else ""
        amount = abs(value)
        if amount >= 1e6:
            return f"{sign}{currency}{amount / 1e6:.2f}M"
        if amount >= 1e4:
            return f"{sign}{currency}{amount / 1e3:.0f}k"
        return f"{sign}{currency}{amount:,.0f}"
    return f"{value:.{3 if precise else 2}f}"


def format_change(change: float, unit: str, currency: str = "$", precise: bool = False) -> str:
    """A change of a metric: shares in percentage points, others in their own unit. A
    change that rounds to nothing shows without a sign ("0.00", not "-0.00")."""
    if unit == "share":
        text = f"{change * 100:+.{2 if precise else 1}f} pts"
    elif unit == "money":
        text = ("+" if change >= 0 else "") + format_value(change, unit, currency)
    elif unit == "count":
        text = f"{change:+,.0f}"
    else:
        text = f"{change:+.{3 if precise else 2}f}"
    rounds_to_zero = not any(digit in text for digit in "123456789")
    return text[1:] if rounds_to_zero and text[0] in "+-" else text


# --- the appraisal -------------------------------------------------------------------------
# Five bands, worst first: (grade, standing, what the board and the customers say).
BANDS: tuple[tuple[str, str, str], ...] = (
    (
        "F",
        "Lights out",
        "The board has thanked you for your service, effective immediately. Customers did "
        "not complain on their way out: they had simply stopped expecting anything of you. "
        "Your successor will spend years winning back what a few quarters lost.",
    ),
    (
        "D",
        "Scorecard keeper",
        "The board packs looked reassuring right up to the quarter they did not. Customers "
        "call you 'fine', the word people use just before they stop answering. The company "
        "you hand over has learned to be satisfied with itself.",
    ),
    (
        "C",
        "Caretaker",
        "The board keeps you on, with questions. Customers stay out of habit more than "
        "conviction, and the first rival with something new will test that. You held the "
        "line in places; too little got better.",
    ),
    (
        "B",
        "A safe pair of hands",
        "The board calls you a safe pair of hands, and most customers would renew without "
        "a second thought. A few left who need not have, but the company you hand over is "
        "in better shape than most.",
    ),
    (
        "A",
        "The customers' champion",
        "The board wants to know how you did it, and your customers want to know what you "
        "will bring them next. People stayed because the work was worth doing; customers "
        "stayed because you kept giving them reasons to.",
    ),
)

# Why customers left, as the appraisal says it.
LOSS_WORDS: dict[str, str] = {
    "baseline": "ordinary churn (budgets cut, needs changed) that nobody could prevent",
    "boredom": "boredom, as nobody brought them anything new",
    "broken_promises": "promises that were not kept",
    "dark": "silence, as they had stopped answering long before they left",
    "awakened": "their own market pushing them to compare suppliers",
    "poor_experience": "a poor service experience",
}


def band(score: float, stars: Sequence[float]) -> int:
    """0 (worst) to 4 (best): one band per star earned, and below one star, a band for
    scores of at least half the first star's threshold and one for the rest."""
    one, two, three = stars
    if score >= three:
        return 4
    if score >= two:
        return 3
    if score >= one:
        return 2
    return 1 if score >= one / 2 else 0


def losses_by_driver(history: Mapping[str, Sequence[np.ndarray]], run: int = 0) -> list:
    """(driver, customers lost) over the game, largest first, drivers with losses only."""
    totals = [
        (name, round(sum(float(values[run]) for values in history[f"drivers.{name}"])))
        for name in DEFECTION_DRIVERS
    ]
    return sorted(((name, n) for name, n in totals if n > 0), key=lambda item: -item[1])


def loss_sentence(losses: Sequence[tuple[str, int]]) -> str:
    total = sum(count for _, count in losses)
    if total == 0:
        return "Not one customer left over the whole game."
    name, count = losses[0]
    sentence = (
        f"{total:,} customer{'s' if total != 1 else ''} left; the biggest single reason "
        f"({count / total:.0%} of them) was {LOSS_WORDS[name]}."
    )
    avoidable = [(n, c) for n, c in losses if n != "baseline"]
    if name == "baseline" and avoidable and avoidable[0][1] / total >= 0.15:
        other, other_count = avoidable[0]
        sentence = (
            sentence[:-1] + f"; of the avoidable reasons, {LOSS_WORDS[other]} "
            f"({other_count / total:.0%})."
        )
    return sentence


# Changes over the game worth a word in the appraisal: (metric, smallest notable change,
# words when it rose, words when it fell), formatted with the start and end values.
ARC_WORDS: tuple[tuple[str, float, str, str], ...] = (
    (
        "quality_norm",
        0.02,
        "Standards rose: the quality norm went from {:.2f} to {:.2f}.",
        "What counts as 'good enough' slipped from {:.2f} to {:.2f} while you were in charge.",
    ),
    (
        "engagement",
        0.05,
        "Engagement rose from {:.2f} to {:.2f}.",
        "Engagement sank from {:.2f} to {:.2f}.",
    ),
    (
        "thrill",
        0.1,
        "Customers' thrill grew from {:.2f} to {:.2f}.",
        "Customers' thrill faded from {:.2f} to {:.2f}.",
    ),
)


def observations(series: Mapping[str, np.ndarray], seen: Mapping[str, np.ndarray]) -> list:
    """(how notable, sentence) about the game's arc, notable ones only, most notable first.
    A notability of 1 is the smallest change worth a mention."""
    found = []
    for metric, notable, rose, fell in ARC_WORDS:
        before, after = float(series[metric][0]), float(series[metric][-1])
        if abs(after - before) >= notable:
            words = rose if after > before else fell
            found.append((abs(after - before) / notable, words.format(before, after)))
    reported, true = float(series["csat_reported"][-1]), float(series["csat_true"][-1])
    if reported - true >= 0.05:
        never = "" if seen["csat_true"].any() else ", a figure you never saw"
        found.append(
            (
                (reported - true) / 0.05,
                f"The last survey said {reported:.2f}; true satisfaction was {true:.2f}{never}.",
            )
        )
    dark = float(series["dark_share"][-1])
    if dark >= 0.08:
        found.append((dark / 0.08, f"By the end, {dark:.0%} of customers had stopped answering."))
    return sorted(found, key=lambda item: -item[0])


def verdict(
    grade_band: int,
    losses: Sequence[tuple[str, int]],
    series: Mapping[str, np.ndarray],
    seen: Mapping[str, np.ndarray],
    notes: int = 2,
) -> str:
    """The band's appraisal, why customers left, and the ``notes`` most notable changes."""
    parts = [BANDS[grade_band][2], loss_sentence(losses)]
    parts.extend(sentence for _, sentence in observations(series, seen)[:notes])
    return " ".join(parts)


# --- goals, lessons, achievements ----------------------------------------------------------
@dataclass(frozen=True)
class GoalResult:
    id: str
    text: str
    metric: str
    unit: str
    met: bool
    value: float  # the final level (or change since the start)
    target: float
    at_least: bool
    change: bool  # the goal is on the change since the start
    for_quarters: int

    def describe(self, currency: str = "$") -> str:
        """'thrill 0.37, needed at least 0.45'."""
        fmt = format_change if self.change else format_value
        value, target = fmt(self.value, self.unit, currency), fmt(self.target, self.unit, currency)
        if value == target and not self.met:  # 0.65 is not 0.65: show the digit that decides
            value = fmt(self.value, self.unit, currency, precise=True)
            target = fmt(self.target, self.unit, currency, precise=True)
        what = self.metric.replace("_", " ")
        if self.change:
            what = f"change in {what}"
        if self.for_quarters > 1:
            what = f"{what} (worst of the last {self.for_quarters} quarters)"
        bound = "at least" if self.at_least else "at most"
        return f"{what} {value}, needed {bound} {target}"


def condition_value(condition: Condition, series: np.ndarray) -> float:
    """The value that decides a condition: the level (or the change since the start) at
    the end, or over several quarters, the worst of them."""
    values = np.asarray(series, dtype=np.float64)
    if condition.measure == "change":
        values = values - values[0]
    window = values[-condition.for_quarters :]
    return float(window.min() if condition.at_least is not None else window.max())


def describe_condition(condition: Condition, series: np.ndarray, currency: str = "$") -> str:
    """Why a condition holds or not: 'thrill changed by -0.18; applies at -0.15 or less'."""
    unit = METRIC_INFO[condition.metric].unit
    fmt = format_change if condition.measure == "change" else format_value
    value = fmt(condition_value(condition, series), unit, currency)
    bound = fmt(
        condition.at_least if condition.at_least is not None else condition.at_most,
        unit,
        currency,
    )
    name = condition.metric.replace("_", " ")
    side = "or more" if condition.at_least is not None else "or less"
    verb = "changed by" if condition.measure == "change" else "ended at"
    if condition.for_quarters > 1:
        verb = f"over the last {condition.for_quarters} quarters, at worst {verb.split()[0]}"
    return f"{name} {verb} {value}; applies at {bound} {side}"


@dataclass(frozen=True)
class LessonResult:
    id: str
    title: str
    text: str
    applies: bool
    evidence: str  # what in the game made it apply (empty for lessons that always do)


@dataclass(frozen=True)
class AchievementResult:
    id: str
    title: str
    text: str
    earned: bool
    quarter: int | None  # when it was earned


# --- turning points ------------------------------------------------------------------------
# The composite trajectory: (metric, +1 when up is good, smallest scale, label). Each
# component's quarterly change is divided by its scale: the spread of its changes over
# the game, but never less than the floor, so that noise in a flat series is not
# mistaken for a turn.
COMPONENTS: tuple[tuple[str, int, float, str], ...] = (
    ("logo_retention", +1, 0.01, "Customers kept since start"),
    ("defection_risk", -1, 0.003, "Defection risk"),
    ("engagement", +1, 0.01, "Engagement"),
)
MIN_BEND = 1.0  # a bend smaller than one typical quarterly change is not a turning point
MAX_TURNING_POINTS = 3


def scaled_changes(series: Mapping[str, np.ndarray]) -> np.ndarray:
    """(components, quarters + 1) quarterly changes in scale units, signed so that up is
    good; quarter 0 has none. Defection risk's first change is not counted: quarter 0's
    figure is the customers' baseline propensity, before any driver acts."""
    rows = []
    for metric, sign, floor, _ in COMPONENTS:
        values = np.asarray(series[metric], dtype=np.float64)
        change = np.zeros_like(values)
        change[1:] = np.diff(values)
        counted = np.arange(values.size) >= (2 if metric == "defection_risk" else 1)
        change[~counted] = 0.0
        spread = float(change[counted].std()) if counted.sum() > 1 else 0.0
        rows.append(sign * change / max(spread, floor))
    return np.array(rows)


def slopes(series: Mapping[str, np.ndarray]) -> np.ndarray:
    """The composite's change in each quarter (quarter 0: 0)."""
    return scaled_changes(series).sum(axis=0)


def turning_quarters(
    series: Mapping[str, np.ndarray], limit: int = MAX_TURNING_POINTS
) -> list[tuple[int, float]]:
    """The quarters where the trajectory bent most, as (quarter, bend), in quarter order.

    The bend of quarter q is the composite's change in q less its change in q - 1
    (positive: a turn for the better). The largest bends are taken, at most ``limit``,
    each at least ``MIN_BEND`` and at least a third of the largest. A one-quarter blip
    bends twice, down then up (or the reverse): both quarters can be turning points, the
    one that broke the trend and the one that restored it.
    """
    slope = slopes(series)
    if slope.size < 3:
        return []
    bends = {q: float(slope[q] - slope[q - 1]) for q in range(2, slope.size)}
    ranked = sorted(bends, key=lambda q: -abs(bends[q]))
    largest = abs(bends[ranked[0]])
    chosen = [
        (quarter, bends[quarter])
        for quarter in ranked[:limit]
        if abs(bends[quarter]) >= max(MIN_BEND, largest / 3)
    ]
    return sorted(chosen)


@dataclass(frozen=True)
class DecisionsTaken:
    quarter: int
    adopted: tuple[str, ...]  # intervention names
    choices: tuple[tuple[str, str], ...]  # (dilemma title, choice label)
    events: tuple[str, ...]  # other events that happened

    @property
    def empty(self) -> bool:
        return not (self.adopted or self.choices or self.events)


@dataclass(frozen=True)
class TurningPoint:
    quarter: int
    bend: float  # positive: a turn for the better

    better: bool
    title: str
    taken: tuple[DecisionsTaken, ...]  # the quarter before, then this one
    moves: tuple[str, ...]  # what moved, most telling first


def decisions_taken(session: GameSession, quarter: int) -> DecisionsTaken:
    report = session.reports[quarter - 1]
    return DecisionsTaken(
        quarter,
        tuple(report.adopted),
        tuple((title, choice) for title, choice in report.events if choice is not None),
        tuple(title for title, choice in report.events if choice is None),
    )


def _moves(session: GameSession, quarter: int, series, changes: np.ndarray) -> list[str]:
    contributions = changes[:, quarter] - changes[:, quarter - 1]
    moves = []
    for index in np.argsort(-np.abs(contributions)):
        metric, _, _, label = COMPONENTS[index]
        unit = METRIC_INFO[metric].unit
        values = series[metric]
        before = values[quarter - 1] - values[quarter - 2]
        now = values[quarter] - values[quarter - 1]
        if metric == "defection_risk" and quarter == 2:
            moves.append(
                f"{label}: {format_value(values[quarter - 1], unit)} in Q{quarter - 1}, "
                f"{format_value(values[quarter], unit)} in Q{quarter}"
            )
            continue
        moves.append(
            f"{label}: {format_change(before, unit)} in Q{quarter - 1}, "
            f"{format_change(now, unit)} in Q{quarter}"
        )
    report, previous = session.reports[quarter - 1], session.reports[quarter - 2]
    lost = (
        f"Customers lost: {previous.defections:,} in Q{quarter - 1}, "
        f"{report.defections:,} in Q{quarter}"
    )
    if report.causes:
        lost += f", mostly {DRIVER_WORDS[report.causes[0][0]]}"
    moves.insert(1, lost)
    if report.went_dark:
        moves.append(f"{report.went_dark:,} customers went dark in Q{quarter}")
    return moves


def turning_points(session: GameSession) -> tuple[TurningPoint, ...]:
    series = {metric: session.series(metric) for metric, *_ in COMPONENTS}
    changes = scaled_changes(series)
    found = []
    for quarter, bend in turning_quarters(series):
        better = bend > 0
        found.append(
            TurningPoint(
                quarter=quarter,
                bend=bend,
                better=better,
                title=f"Quarter {quarter}: a turn for the {'better' if better else 'worse'}",
                taken=(decisions_taken(session, quarter - 1), decisions_taken(session, quarter)),
                moves=tuple(_moves(session, quarter, series, changes)),
            )
        )
    return tuple(found)


# --- what was really going on --------------------------------------------------------------
# The side-by-side table: reported figures next to the truths the company may not have seen.
TRUTH: tuple[tuple[str, str], ...] = (
    ("csat_reported", "Survey"),
    ("csat_true", "True sat."),
    ("thrill", "Thrill"),
    ("dark_share", "Dark"),
    ("defection_risk", "Risk"),
    ("engagement", "Engaged"),
    ("quality", "Quality"),
    ("quality_norm", "Norm"),
)


def _when_seen(fig: Figure) -> str:
    if fig.never_seen:
        return " You never saw this figure."
    if fig.ever_hidden:
        first = int(np.flatnonzero(fig.seen)[0])
        return f" You could see it only from quarter {first} on."
    return ""


def findings(truth: Mapping[str, Figure]) -> list[str]:
    """What was really going on, in words, each saying whether the player could see it."""
    found = []
    survey, true = truth["csat_reported"], truth["csat_true"]
    gap = float(survey.values[-1] - true.values[-1])
    if gap >= 0.03:
        found.append(
            f"Your last survey said {survey.values[-1]:.2f}; true satisfaction was "
            f"{true.values[-1]:.2f}. Dark customers do not answer, and a survey nobody "
            f"audits flatters.{_when_seen(true)}"
        )
    elif gap <= -0.03:
        found.append(
            f"Your last survey said {survey.values[-1]:.2f}, less than the true "
            f"{true.values[-1]:.2f}: this time the noise was against you.{_when_seen(true)}"
        )
    else:
        found.append(
            f"Your survey ended close to the truth ({survey.values[-1]:.2f} against "
            f"{true.values[-1]:.2f}).{_when_seen(true)}"
        )
    thrill = truth["thrill"]
    words = "grew" if thrill.values[-1] > thrill.values[0] else "faded"
    found.append(
        f"Thrill, the sense that you help customers win, {words} from "
        f"{thrill.values[0]:.2f} to {thrill.values[-1]:.2f}.{_when_seen(thrill)}"
    )
    dark = truth["dark_share"]
    peak = int(np.argmax(dark.values))
    found.append(
        f"{dark.values[-1]:.0%} of customers had gone dark by the end"
        + (
            f" (the peak was {dark.values[peak]:.0%} in quarter {peak})"
            if peak < dark.values.size - 1 and dark.values[peak] > dark.values[-1] + 0.01
            else ""
        )
        + f".{_when_seen(dark)}"
    )
    risk = truth["defection_risk"]
    if risk.values.size > 2:
        found.append(
            f"A customer's chance of leaving in a quarter went from {risk.values[1]:.1%} in "
            f"quarter 1 to {risk.values[-1]:.1%} at the end.{_when_seen(risk)}"
        )
    norm = truth["quality_norm"]
    change = float(norm.values[-1] - norm.values[0])
    if change <= -0.01:
        found.append(
            f"The quality norm, what counts as good enough, drifted down from "
            f"{norm.values[0]:.2f} to {norm.values[-1]:.2f}: standards erode unless someone "
            "holds them up."
        )
    elif change >= 0.01:
        found.append(f"The quality norm rose from {norm.values[0]:.2f} to {norm.values[-1]:.2f}.")
    else:
        found.append(f"The quality norm held at about {norm.values[-1]:.2f}.")
    return found


# --- the debrief ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Debrief:
    scenario_id: str
    scenario_title: str
    company: str
    currency: str
    seed: int
    quarters: int  # quarters played
    score: float  # 0..100
    stars: int  # 0..3
    star_thresholds: tuple[float, float, float]
    grade: str  # A..F
    standing: str  # the band's name
    verdict: str
    place: int | None  # high-score rank, if the game made the table
    goals: tuple[GoalResult, ...]
    losses: tuple[tuple[str, int], ...]  # (driver, customers lost), largest first
    truth: tuple[Figure, ...]  # the side-by-side table's columns
    findings: tuple[str, ...]
    turning_points: tuple[TurningPoint, ...]
    lessons: tuple[LessonResult, ...]
    achievements: tuple[AchievementResult, ...]
    charts: tuple[Chart, ...]

    @property
    def goals_met(self) -> int:
        return sum(goal.met for goal in self.goals)


def debrief(session: GameSession) -> Debrief:
    """The debrief of a game (normally finished; a game in progress is appraised so far)."""
    if not session.reports:
        raise ValueError("a debrief needs at least one quarter played")
    scenario = session.scenario
    history = session.state.history
    outcome = session.outcome()
    currency = scenario.company.currency
    score = float(outcome.score[0])
    grade_band = band(score, scenario.scoring.stars)
    truth = {metric: figure(session, metric, label) for metric, label in TRUTH}
    series = {metric: fig.values for metric, fig in truth.items()}
    seen = {metric: fig.seen for metric, fig in truth.items()}
    losses = losses_by_driver(history)

    goals = []
    for goal in scenario.goals:
        values = session.series(goal.metric)
        goals.append(
            GoalResult(
                id=goal.id,
                text=goal.text,
                metric=goal.metric,
                unit=METRIC_INFO[goal.metric].unit,
                met=bool(outcome.goals[goal.id][0]),
                value=condition_value(goal, values),
                target=goal.at_least if goal.at_least is not None else goal.at_most,
                at_least=goal.at_least is not None,
                change=goal.measure == "change",
                for_quarters=goal.for_quarters,
            )
        )
    lessons = [
        LessonResult(
            lesson.id,
            lesson.title,
            lesson.text,
            bool(outcome.lessons[lesson.id][0]),
            ""
            if lesson.when is None
            else describe_condition(lesson.when, session.series(lesson.when.metric), currency),
        )
        for lesson in scenario.lessons
    ]
    lessons.sort(key=lambda lesson: not lesson.applies)
    achievements = [
        AchievementResult(
            a.id,
            a.title,
            a.text,
            a.id in session.achieved or bool(outcome.achievements[a.id][0]),
            session.achieved.get(a.id),
        )
        for a in scenario.achievements
    ]
    achievements.sort(key=lambda a: not a.earned)
    return Debrief(
        scenario_id=scenario.meta.id,
        scenario_title=scenario.meta.title,
        company=scenario.company.name,
        currency=currency,
        seed=session.seed,
        quarters=session.quarter,
        score=score,
        stars=int(outcome.stars[0]),
        star_thresholds=tuple(scenario.scoring.stars),
        grade=BANDS[grade_band][0],
        standing=BANDS[grade_band][1],
        verdict=verdict(grade_band, losses, series, seen),
        place=session.place,
        goals=tuple(goals),
        losses=tuple(losses),
        truth=tuple(truth.values()),
        findings=tuple(findings(truth)),
        turning_points=turning_points(session),
        lessons=tuple(lessons),
        achievements=tuple(achievements),
        charts=charts(session),
    )
