"""The appraisal: a grade and a verdict in words, in the spirit of Hamurabi's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from engine.params import DEFECTION_DRIVERS
from engine.presentation import DRIVER_PRESENTATION

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
        "will bring them next.",
    ),
)


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
    """(driver, customers lost) over the game, largest first, drivers with losses only.

    Defections are attributed to drivers in fractions, so the whole counts are shared
    out by largest remainder: they add up to the customers who really left (rounding
    each driver's total alone once said 516 where 517 had left)."""
    exact = np.array(
        [
            sum(float(values[run]) for values in history[f"drivers.{name}"])
            for name in DEFECTION_DRIVERS
        ]
    )
    left = round(sum(float(values[run]) for values in history["defections"]))
    counts = np.floor(exact).astype(int)
    short = left - int(counts.sum())
    if 0 <= short <= len(counts):
        counts[np.argsort(-(exact - counts), kind="stable")[:short]] += 1
    else:  # attribution that does not add up to the defections: round each
        counts = np.rint(exact).astype(int)
    totals = zip(DEFECTION_DRIVERS, counts.tolist(), strict=True)
    return sorted(((name, n) for name, n in totals if n > 0), key=lambda item: -item[1])


def loss_sentence(losses: Sequence[tuple[str, int]], thrill_rose: bool = False) -> str:
    """How many customers left and the biggest reason; boredom while thrill rose over
    the game is said to be the customers it did not reach."""
    total = sum(count for _, count in losses)
    if total == 0:
        return "Not one customer left over the whole game."
    name, count = losses[0]
    reason = DRIVER_PRESENTATION[name].reason
    if name == "boredom" and thrill_rose:
        reason = (
            "boredom among the customers whose interest still faded, though thrill rose overall"
        )
    sentence = (
        f"{total:,} customer{'s' if total != 1 else ''} left; the biggest single reason "
        f"({count / total:.0%} of them) was {reason}."
    )
    avoidable = [(n, c) for n, c in losses if n != "baseline"]
    if name == "baseline" and avoidable and avoidable[0][1] / total >= 0.15:
        other, other_count = avoidable[0]
        sentence = (
            sentence[:-1] + f"; of the avoidable reasons, {DRIVER_PRESENTATION[other].reason} "
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


def why_they_stayed(series: Mapping[str, np.ndarray]) -> list[str]:
    """The best band's praise, each part only where the game's numbers bear it out:
    people stayed if engagement held or rose, customers if thrill rose."""
    said = []
    engagement, thrill = series["engagement"], series["thrill"]
    if float(engagement[-1]) >= float(engagement[0]):
        said.append("People stayed because the work was worth doing.")
    if float(thrill[-1]) > float(thrill[0]):
        said.append("Customers stayed because you kept giving them reasons to.")
    return said


# The B band's words say that only a few customers left: below this share of the
# starting customers kept, the appraisal says how many are still there instead.
FEW_LEFT_KEPT = 0.85


def band_words(grade_band: int, kept: float) -> str:
    """The band's appraisal; the B band's claim that "a few left" only when few did."""
    if grade_band == 3 and kept < FEW_LEFT_KEPT:
        return (
            "The board calls you a safe pair of hands: the score says you did more right "
            f"than wrong. Customers are less sure: {kept:.0%} of those you started with "
            "are still with you."
        )
    return BANDS[grade_band][2]


def verdict(
    grade_band: int,
    losses: Sequence[tuple[str, int]],
    series: Mapping[str, np.ndarray],
    seen: Mapping[str, np.ndarray],
    notes: int = 2,
    kept: float = 1.0,
) -> str:
    """The band's appraisal, why customers left, and the ``notes`` most notable changes;
    ``kept`` is the share of the starting customers still active at the end."""
    parts = [band_words(grade_band, kept)]
    if grade_band == len(BANDS) - 1:
        parts.extend(why_they_stayed(series))
    parts.append(loss_sentence(losses, float(series["thrill"][-1]) > float(series["thrill"][0])))
    parts.extend(sentence for _, sentence in observations(series, seen)[:notes])
    return " ".join(parts)
