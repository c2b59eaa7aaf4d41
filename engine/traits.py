"""The traits of new employees and new customers, each drawn from its own named stream.

Used at the start of a game (every employee and starting customer) and by the
acquisition phase (newcomers). A trait's numbers come from a generator found by the
trait's name, so adding a trait here changes no other trait's numbers: add a draw
function to ``EMPLOYEE_TRAITS`` or ``CUSTOMER_TRAITS`` (and a field to the state), and
leave the ``*_STREAMS`` layouts alone.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from engine.arrays import clip
from engine.randomness import NamedStreams, StreamLayout
from engine.scenario.schema import Department, Distribution, Segment
from engine.state import FLOAT

Shape = tuple[int, ...]
EmployeeTraitDraw = Callable[[np.random.Generator, Shape, Department], np.ndarray]
CustomerTraitDraw = Callable[[np.random.Generator, Shape, Segment], np.ndarray]

# Parts of the traits that were drawn in this order when draws were numbered; they
# keep those parts so that every game plays as it always did (see StreamLayout).
EMPLOYEE_TRAIT_STREAMS = StreamLayout(
    {"engagement": 0, "skill": 1, "clarity": 2, "self_focus": 3, "tenure": 4}, width=5
)
CUSTOMER_TRAIT_STREAMS = StreamLayout(
    {"propensity": 0, "value": 1, "satisfaction": 2, "thrill": 3, "trust": 4, "fit_noise": 5},
    width=6,
)


def clipped_normal(rng: np.random.Generator, shape: Shape, mean: float, sd: float) -> np.ndarray:
    """A 0..1 trait: normal with this mean and sd, clipped to 0..1."""
    values = rng.normal(mean, sd, size=shape)
    return clip(values, 0.0, 1.0).astype(FLOAT)


def _spread(rng: np.random.Generator, shape: Shape, spread: Distribution) -> np.ndarray:
    return clipped_normal(rng, shape, spread.mean, spread.sd)


def _tenure(rng: np.random.Generator, shape: Shape, department: Department) -> np.ndarray:
    # Quarters in the job, spread over 0..6 years: a settled company, not a start-up.
    return rng.integers(0, 25, size=shape, dtype=np.int16)


EMPLOYEE_TRAITS: dict[str, EmployeeTraitDraw] = {
    "engagement": lambda rng, shape, department: _spread(rng, shape, department.engagement),
    "skill": lambda rng, shape, department: _spread(rng, shape, department.skill),
    "clarity": lambda rng, shape, department: _spread(rng, shape, department.clarity),
    "self_focus": lambda rng, shape, department: _spread(rng, shape, department.self_focus),
    "tenure": _tenure,
}


def _propensity(rng: np.random.Generator, shape: Shape, segment: Segment) -> np.ndarray:
    propensity = rng.beta(segment.churn.a, segment.churn.b, size=shape)
    # Capped so that log(1 - p) stays finite in the defection attribution.
    return np.minimum(propensity, 0.999).astype(FLOAT)


def _value(rng: np.random.Generator, shape: Shape, segment: Segment) -> np.ndarray:
    # Mean-preserving log-normal spend: exp(N(-sigma^2/2, sigma)) has mean 1.
    sigma = segment.value_spread
    return (segment.value * rng.lognormal(-0.5 * sigma * sigma, sigma, size=shape)).astype(FLOAT)


def _fit_noise(rng: np.random.Generator, shape: Shape, segment: Segment) -> np.ndarray:
    # Fit around 0 before any shift: callers add the mean they want.
    return rng.standard_normal(size=shape).astype(FLOAT)


CUSTOMER_TRAITS: dict[str, CustomerTraitDraw] = {
    "propensity": _propensity,
    "value": _value,
    # A segment's starting levels: the spread around its means is the model's.
    "satisfaction": lambda rng, shape, seg: clipped_normal(rng, shape, seg.satisfaction, 0.08),
    "thrill": lambda rng, shape, seg: clipped_normal(rng, shape, seg.thrill, 0.1),
    "trust": lambda rng, shape, seg: clipped_normal(rng, shape, seg.trust, 0.08),
    "fit_noise": _fit_noise,
}


def draw_employee_traits(
    department: Department, streams: NamedStreams, shape: Shape
) -> dict[str, np.ndarray]:
    """Every trait of ``shape`` (runs, employees) employees of one department."""
    return {
        name: draw(streams.generator(name), shape, department)
        for name, draw in EMPLOYEE_TRAITS.items()
    }


def draw_customer_traits(
    segment: Segment, streams: NamedStreams, shape: Shape
) -> dict[str, np.ndarray]:
    """Every trait of ``shape`` (runs, customers) new customers of one segment, with
    ``fit_noise`` (standard normal) in place of fit, which depends on the moment."""
    return {
        name: draw(streams.generator(name), shape, segment)
        for name, draw in CUSTOMER_TRAITS.items()
    }
