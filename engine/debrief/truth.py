"""What was really going on: true figures against the reported ones the player saw."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from engine.debrief.figures import Figure

# The side-by-side table's columns (headed by their column labels, engine.presentation):
# reported figures next to the truths the company may not have seen.
TRUTH: tuple[str, ...] = (
    "csat_reported",
    "csat_true",
    "thrill",
    "dark_share",
    "defection_risk",
    "engagement",
    "quality",
    "quality_norm",
)


def _when_seen(fig: Figure) -> str:
    if fig.never_seen:
        return " You never saw this figure."
    if fig.ever_hidden:
        first = int(np.flatnonzero(fig.seen)[0])
        return f" You could see it only from quarter {first} on."
    return ""


def findings(truth: Mapping[str, Figure], audited: bool = False) -> list[str]:
    """What was really going on, in words, each saying whether the player could see it.
    ``audited``: the player made the survey more honest during the game."""
    found = []
    survey, true = truth["csat_reported"], truth["csat_true"]
    gap = float(survey.values[-1] - true.values[-1])
    if gap >= 0.03:
        why = (
            "Dark customers do not answer, and even a more honest survey keeps some of "
            "its friendly lift"
            if audited
            else "Dark customers do not answer, and a survey nobody audits flatters"
        )
        found.append(
            f"Your last survey said {survey.values[-1]:.2f}; true satisfaction was "
            f"{true.values[-1]:.2f}. {why}.{_when_seen(true)}"
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
