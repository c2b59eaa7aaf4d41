"""What-ifs in words and tables: picking an alternative by name, the verdict sentences
("in 9 of 10 worlds this helped"), and the printed comparison of ``goingdark whatif``.

Every figure printed comes from the what-if's own replays (:mod:`engine.whatif`).
"""

from __future__ import annotations

import textwrap

import numpy as np

from engine.errors import PolicyError
from engine.formatting import format_change, format_value
from engine.presentation import METRIC_PRESENTATION
from engine.session import GameSession
from engine.textfile import did_you_mean
from engine.whatif import WHATIF_METRICS, Effect, replay
from engine.whatif_plans import Alternative, answer, dilemmas_answered, drop

WIDTH = 80
# The per-quarter columns of the side-by-side table.
SIDE_BY_SIDE = ("logo_retention", "revenue_retention", "dark_share", "engagement")


def metric_label(metric: str) -> str:
    return "Score" if metric == "score" else METRIC_PRESENTATION[metric].label


def metric_change(metric: str, change: float) -> str:
    """A difference of a what-if figure as the game prints it ("+3.1 pts", "-2.0")."""
    if metric == "score":
        text = f"{change:+.1f}"
        return text[1:] if text in ("+0.0", "-0.0") else text
    return format_change(change, METRIC_PRESENTATION[metric].format)


def metric_value(metric: str, value: float) -> str:
    if metric == "score":
        return f"{value:.1f}"
    return format_value(value, METRIC_PRESENTATION[metric].format)


def verdict_sentence(effect: Effect) -> str:
    """Whether the effect is reliable or luck, in words, once the spread is known."""
    spread = effect.spread
    if spread is None:
        return "range not measured yet"
    helped = round(10 * spread.helped_share)
    hurt = round(10 * spread.hurt_share)
    if effect.verdict == "reliable help":
        return f"in {helped} of 10 worlds this helped: reliable"
    if effect.verdict == "reliable harm":
        return f"in {hurt} of 10 worlds this hurt: reliable"
    return f"this was luck: it helped in {helped} of 10 worlds and hurt in {hurt}"


def whose(effect: Effect) -> str:
    """'Your decision' for one changed decision, 'Your decisions' against a whole plan."""
    whole = effect.alternative.kind in ("nothing", "reference")
    return "Your decisions" if whole else "Your decision"


def spread_sentence(effect: Effect) -> str:
    """The range of the score effect over other luck, and the verdict."""
    spread = effect.spread
    if spread is None:
        return "Range not measured yet."
    low, middle, high = (
        metric_change("score", bound["score"]) for bound in (spread.p05, spread.p50, spread.p95)
    )
    return (
        f"Over {spread.runs} runs of other luck with the same choices, the effect of "
        f"{whose(effect).lower()} on the score ran from {low} to {high} (5-95%), median "
        f"{middle}; {verdict_sentence(effect)}."
    )


def effect_table(effect: Effect) -> dict:
    """An effect as JSON-ready data."""
    alt = effect.alternative
    table: dict = {
        "kind": alt.kind,
        "label": alt.label,
        "quarter": alt.quarter,
        "note": alt.note,
        "exact": dict(effect.exact),
        "verdict": effect.verdict,
    }
    if effect.spread is not None:
        spread = effect.spread
        table["spread"] = {
            "runs": spread.runs,
            "p05": dict(spread.p05),
            "p50": dict(spread.p50),
            "p95": dict(spread.p95),
            "helped_share": spread.helped_share,
            "hurt_share": spread.hurt_share,
        }
    return table


def effect_lines(effect: Effect, rank: int | None = None) -> list[str]:
    """One what-if for a listing: its label, the exact effects, the range and verdict."""
    lead = f"{rank}. " if rank is not None else ""
    indent = " " * len(lead)
    lines = textwrap.wrap(lead + effect.alternative.label, WIDTH, subsequent_indent=indent)
    if effect.alternative.note:
        lines += textwrap.wrap(
            effect.alternative.note, WIDTH, initial_indent=indent, subsequent_indent=indent
        )
    figures = ", ".join(
        f"{metric_label(m).lower()} {metric_change(m, effect.exact[m])}" for m in WHATIF_METRICS
    )
    lines += textwrap.wrap(
        f"{whose(effect)}, in this game: {figures}.",
        WIDTH,
        initial_indent=indent,
        subsequent_indent=indent,
    )
    if effect.spread is not None:
        lines += textwrap.wrap(
            spread_sentence(effect), WIDTH, initial_indent=indent, subsequent_indent=indent
        )
    return lines


# --- choosing one alternative by name -----------------------------------------------------
def played_quarter(session: GameSession, quarter: int) -> None:
    if not 1 <= quarter <= session.quarter:
        raise PolicyError(
            f"quarter {quarter} was not played: the game has played quarters 1 to {session.quarter}"
        )


def drop_named(session: GameSession, quarter: int, name: str) -> Alternative:
    """The alternative leaving out intervention ``name`` adopted in ``quarter``."""
    known = [intervention.id for intervention in session.scenario.interventions]
    if name not in known:
        raise PolicyError(f"unknown intervention '{name}'{did_you_mean(name, known)}")
    played_quarter(session, quarter)
    adopted = sorted(n for n, quarters in session.adoptions().items() if quarter in quarters)
    if name not in adopted:
        then = ", ".join(adopted) if adopted else "none"
        raise PolicyError(f"'{name}' was not adopted in quarter {quarter} (adopted then: {then})")
    return drop(session, name, quarter)


def answer_named(session: GameSession, quarter: int, event_id: str, choice_id: str) -> Alternative:
    """The alternative answering dilemma ``event_id`` of ``quarter`` with ``choice_id``."""
    dilemmas = [event.id for event in session.scenario.events if event.choices]
    if event_id not in dilemmas:
        raise PolicyError(f"unknown dilemma '{event_id}'{did_you_mean(event_id, dilemmas)}")
    played_quarter(session, quarter)
    came_up = {
        event.id: (event, taken) for event, taken in dilemmas_answered(session).get(quarter, [])
    }
    if event_id not in came_up:
        then = ", ".join(sorted(came_up)) if came_up else "none"
        raise PolicyError(
            f"the dilemma '{event_id}' did not come up in quarter {quarter} (dilemmas then: {then})"
        )
    event, taken = came_up[event_id]
    choices = [choice.id for choice in event.choices]
    if choice_id not in choices:
        raise PolicyError(
            f"dilemma '{event_id}' has no choice '{choice_id}'{did_you_mean(choice_id, choices)}"
        )
    if choice_id == taken:
        raise PolicyError(f"'{choice_id}' is the answer the game gave in quarter {quarter}")
    return answer(session, quarter, event, choice_id)


# --- the printed comparison ---------------------------------------------------------------
def comparison_table(session: GameSession, effect: Effect) -> str:
    """The game beside the changed game: per quarter, then the final figures and their
    differences (yours minus the changed game's), fitting 80 columns."""
    changed = replay(session, effect.alternative)
    mine, theirs = session.state.history, changed.history
    head = "Q   " + "".join(f"{METRIC_PRESENTATION[m].short_label:>19}" for m in SIDE_BY_SIDE)
    sub = "    " + "".join(f"{'yours':>10}{'changed':>9}" for _ in SIDE_BY_SIDE)
    lines = [head, sub]
    for quarter in range(session.quarter + 1):
        cells = []
        for metric in SIDE_BY_SIDE:
            unit = METRIC_PRESENTATION[metric].format
            cells.append(
                f"{format_value(float(np.asarray(mine[metric][quarter])[0]), unit):>10}"
                f"{format_value(float(np.asarray(theirs[metric][quarter])[0]), unit):>9}"
            )
        lines.append(f"{quarter:<4}" + "".join(cells))
    lines += ["", f"{'At the end':<26}{'yours':>12}{'changed':>12}{'difference':>14}"]
    mine_final = {m: float(np.asarray(mine[m][-1])[0]) for m in WHATIF_METRICS[1:]}
    mine_final["score"] = float(session.outcome().score[0])
    for metric in WHATIF_METRICS:
        difference = effect.exact[metric]
        lines.append(
            f"{metric_label(metric):<26}{metric_value(metric, mine_final[metric]):>12}"
            f"{metric_value(metric, mine_final[metric] - difference):>12}"
            f"{metric_change(metric, difference):>14}"
        )
    return "\n".join(lines)
