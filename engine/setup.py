"""The starting position: a scenario's company and customers drawn into a State."""

from __future__ import annotations

import numpy as np

from engine.errors import ParameterError
from engine.levers import LEVERS
from engine.memory import MEMORY_BUDGET, MIB, estimate_state_bytes
from engine.metrics import record
from engine.randomness import Concern, Parts, per_run_draws
from engine.scenario.schema import Distribution
from engine.state import FLOAT, Customers, Organisation, State, Workforce
from engine.world import World


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


def _trait(parts: Parts, shape: tuple[int, ...], dist: Distribution) -> np.ndarray:
    values = parts.next().normal(dist.mean, dist.sd, size=shape)
    return np.clip(values, 0.0, 1.0).astype(FLOAT)


def _draw_workforce(world: World, parts: Parts, rows: int) -> dict[str, np.ndarray]:
    columns: dict[str, list[np.ndarray]] = {
        k: [] for k in ("engagement", "skill", "clarity", "self_focus")
    }
    tenure = []
    for department in world.scenario.company.departments:
        shape = (rows, department.headcount)
        for name in columns:
            columns[name].append(_trait(parts, shape, getattr(department, name)))
        # Tenure spread over 0..6 years: a settled company, not a start-up.
        tenure.append(parts.next().integers(0, 25, size=shape, dtype=np.int16))
    drawn = {name: np.concatenate(values, axis=1) for name, values in columns.items()}
    drawn["tenure"] = np.concatenate(tenure, axis=1)
    return drawn


def draw_new_customers(
    world: World, parts: Parts, segment: int, shape: tuple[int, int]
) -> dict[str, np.ndarray]:
    """Attributes of new customers of one segment, shape (runs, customers): one
    generator per attribute, runs on the leading axis."""
    spec = world.scenario.segments[segment]
    sigma = spec.value_spread
    propensity = parts.next().beta(spec.churn.a, spec.churn.b, size=shape)
    # Mean-preserving log-normal spend: exp(N(-sigma^2/2, sigma)) has mean 1.
    value = spec.value * parts.next().lognormal(-0.5 * sigma * sigma, sigma, size=shape)
    return {
        # Capped so that log(1 - p) stays finite in the defection attribution.
        "propensity": np.minimum(propensity, 0.999).astype(FLOAT),
        "value": value.astype(FLOAT),
        "satisfaction": _trait(parts, shape, Distribution(mean=spec.satisfaction, sd=0.08)),
        "thrill": _trait(parts, shape, Distribution(mean=spec.thrill, sd=0.1)),
        "trust": _trait(parts, shape, Distribution(mean=spec.trust, sd=0.08)),
        # Fit around 0 before any shift: callers add the mean they want.
        "fit_noise": parts.next().standard_normal(size=shape).astype(FLOAT),
    }


def _draw_customers(world: World, parts: Parts, rows: int, slots: np.ndarray):
    total = int(slots.sum())
    out = {
        name: np.zeros((rows, total), dtype=FLOAT)
        for name in (
            "satisfaction",
            "thrill",
            "expectation_gap",
            "trust",
            "propensity",
            "value",
            "fit",
        )
    }
    active = np.zeros((rows, total), dtype=bool)
    fit_spec = world.scenario.acquisition.fit
    start = 0
    for s, spec in enumerate(world.scenario.segments):
        n = spec.count
        if n:
            drawn = draw_new_customers(world, parts, s, (rows, n))
            fit = fit_spec.mean + fit_spec.sd * drawn.pop("fit_noise")
            out["fit"][:, start : start + n] = np.clip(fit, 0.05, 1.0)
            for name, values in drawn.items():
                out[name][:, start : start + n] = values
            active[:, start : start + n] = True
        start += int(slots[s])
    return out, active


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
    customers = {
        name: np.empty((runs, total_slots), dtype=FLOAT)
        for name in (
            "satisfaction",
            "thrill",
            "expectation_gap",
            "trust",
            "propensity",
            "value",
            "fit",
        )
    }
    active = np.empty((runs, total_slots), dtype=bool)

    def draw(parts, rows):
        return _draw_workforce(world, parts, rows), _draw_customers(world, parts, rows, slots)

    for local, (staff, (people, flags)) in per_run_draws(
        seed, Concern.SETUP, 0, run_offset, runs, draw
    ):
        for name, values in staff.items():
            workforce[name][local] = values
        for name, values in people.items():
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
