"""The starting position: a scenario's company and customers drawn into a State."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine.arrays import clip
from engine.errors import ParameterError
from engine.levers import LEVERS
from engine.memory import MEMORY_BUDGET, MIB, estimate_state_bytes
from engine.metrics import record
from engine.randomness import BlockStreams, Concern, per_run_draws
from engine.scenario.schema import Churn, Segment
from engine.state import FLOAT, Customers, Organisation, State, Workforce
from engine.traits import (
    CUSTOMER_TRAIT_STREAMS,
    EMPLOYEE_TRAIT_STREAMS,
    draw_customer_traits,
    draw_employee_traits,
)
from engine.world import World

# The float32 fields of a customer, all drawn at the start except the expectation gap.
CUSTOMER_FIELDS = (
    "satisfaction",
    "thrill",
    "expectation_gap",
    "trust",
    "propensity",
    "value",
    "fit",
)


def check_size(world: World, runs: int, horizon: int, budget: int = MEMORY_BUDGET) -> None:
    """Refuse a simulation whose state would not fit the memory budget, naming the estimate."""
    if runs < 1:
        raise ParameterError(f"runs must be at least 1, got {runs}")
    if horizon < 0:
        raise ParameterError(f"quarters must not be negative, got {horizon}")
    estimate = estimate_state_bytes(world, runs, horizon)
    if estimate > budget:
        raise ParameterError(
            f"{runs} run(s) of {world.initial_customers:,} customers and "
            f"{world.employees:,} employees need about {estimate / MIB:,.0f} MiB, over the "
            f"{budget / MIB:,.0f} MiB budget; use fewer runs or a smaller scenario"
        )


def _employee_groups(world: World) -> list[int]:
    """The first part of each department's employee traits in the setup streams.

    Laid out as when draws were numbered in the order made: each department's traits
    in turn, then (see :func:`_customer_groups`) each segment's customers.
    """
    width = EMPLOYEE_TRAIT_STREAMS.width
    return [width * index for index in range(len(world.scenario.company.departments))]


def _customer_groups(world: World) -> dict[int, int]:
    """Segment index -> the first part of its starting customers' traits, for the
    segments that have starting customers (the others never drew)."""
    first = EMPLOYEE_TRAIT_STREAMS.width * len(world.scenario.company.departments)
    groups = {}
    for index, segment in enumerate(world.scenario.segments):
        if segment.count:
            groups[index] = first
            first += CUSTOMER_TRAIT_STREAMS.width
    return groups


def _draw_workforce(world: World, streams: BlockStreams, rows: int) -> dict[str, np.ndarray]:
    """Every employee's traits, (rows, employees), departments side by side."""
    departments = world.scenario.company.departments
    drawn = [
        draw_employee_traits(
            department,
            streams.group(first, EMPLOYEE_TRAIT_STREAMS),
            (rows, department.headcount),
        )
        for department, first in zip(departments, _employee_groups(world), strict=True)
    ]
    return {name: np.concatenate([part[name] for part in drawn], axis=1) for name in drawn[0]}


class _StartingCustomers(NamedTuple):
    traits: dict[str, np.ndarray]  # customer field -> (rows, slots)
    active: np.ndarray  # (rows, slots) bool: the slots holding a starting customer


def starting_segment(segment: Segment) -> Segment:
    """The segment as its starting customers are drawn: with ``tenure`` quarters behind
    them, the survivors of a cohort with churn ~ Beta(a, b) have churn ~ Beta(a, b +
    tenure) under the shifted-beta-geometric model, exactly. Without tenure, unchanged."""
    if segment.tenure == 0:
        return segment
    # Constructed, not validated: b + tenure may pass the limit an author may write.
    churn = Churn.model_construct(a=segment.churn.a, b=segment.churn.b + segment.tenure)
    return segment.model_copy(update={"churn": churn})


def _draw_customers(
    world: World, streams: BlockStreams, rows: int, slots: np.ndarray
) -> _StartingCustomers:
    """Every starting customer's traits in its segment's block of slots; the rest of
    each block (room for newcomers) stays empty."""
    total = int(slots.sum())
    traits = {name: np.zeros((rows, total), dtype=FLOAT) for name in CUSTOMER_FIELDS}
    active = np.zeros((rows, total), dtype=bool)
    fit_spec = world.scenario.acquisition.fit
    starts = np.concatenate([[0], np.cumsum(slots)]).astype(int)
    for index, first_part in _customer_groups(world).items():
        segment = world.scenario.segments[index]
        columns = slice(starts[index], starts[index] + segment.count)
        drawn = draw_customer_traits(
            starting_segment(segment),
            streams.group(first_part, CUSTOMER_TRAIT_STREAMS),
            (rows, segment.count),
        )
        fit = fit_spec.mean + fit_spec.sd * drawn.pop("fit_noise")
        traits["fit"][:, columns] = clip(fit, 0.05, 1.0)
        for name, values in drawn.items():
            traits[name][:, columns] = values
        active[:, columns] = True
    return _StartingCustomers(traits, active)


def initial_state(
    world: World, seed: int, runs: int = 1, horizon: int | None = None, run_offset: int = 0
) -> State:
    """The starting position of ``runs`` runs, able to play ``horizon`` quarters."""
    scenario = world.scenario
    horizon = scenario.meta.quarters if horizon is None else horizon
    check_size(world, runs, horizon)
    slots = world.initial_segment_slots()
    total_slots = int(slots.sum())
    employees = world.employees

    workforce = {
        name: np.empty((runs, employees), dtype=FLOAT)
        for name in ("engagement", "skill", "clarity", "self_focus")
    }
    workforce["tenure"] = np.empty((runs, employees), dtype=np.int16)
    customers = {name: np.empty((runs, total_slots), dtype=FLOAT) for name in CUSTOMER_FIELDS}
    active = np.empty((runs, total_slots), dtype=bool)

    def draw(streams: BlockStreams, rows: int) -> tuple[dict[str, np.ndarray], ...]:
        staff = _draw_workforce(world, streams, rows)
        starting = _draw_customers(world, streams, rows, slots)
        return staff, starting.traits, starting.active

    for local, (staff, traits, flags) in per_run_draws(
        seed, Concern.SETUP, 0, run_offset, runs, draw
    ):
        for name, values in staff.items():
            workforce[name][local] = values
        for name, values in traits.items():
            customers[name][local] = values
        active[local] = flags

    start = scenario.start
    ones = np.ones(runs, dtype=FLOAT)
    budget = scenario.company.budget
    organisation = Organisation(
        quality_norm=ones * start.quality_norm,
        data_credibility=ones * start.data_credibility,
        digital_maturity=ones * start.digital_maturity,
        leadership_commitment=ones * start.leadership_commitment,
        learning_culture=ones * start.learning_culture,
        team_toxicity=ones * start.team_toxicity,
        change_load=np.zeros(runs, dtype=FLOAT),
        budget=np.full(runs, budget.start, dtype=np.float64),
        cumulative_profit=np.zeros(runs, dtype=np.float64),
        lever_schedule=np.zeros((runs, horizon + 1, len(LEVERS)), dtype=FLOAT),
        upkeep_schedule=np.zeros((runs, horizon + 1), dtype=np.float64),
        adopted_quarter=np.full((runs, len(world.intervention_ids)), -1, dtype=np.int16),
        event_fired=np.zeros((runs, len(world.event_ids)), dtype=bool),
    )
    bounds = tuple(int(b) for b in np.concatenate([[0], np.cumsum(slots)]))
    state = State(
        quarter=0,
        seed=seed,
        run_offset=run_offset,
        workforce=Workforce(**workforce),
        organisation=organisation,
        customers=Customers(
            active=active,
            dark=np.zeros_like(active),
            awakened=np.zeros_like(active),
            joined=np.zeros((runs, total_slots), dtype=np.int16),
            **customers,
        ),
        segment_bounds=bounds,
    )
    record(world, state, flows=None)
    return state
