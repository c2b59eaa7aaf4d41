"""The workforce phase's fused kernel: every employee's quarter in one pass.

Engagement drifts toward its target, the disengaged leave and are replaced at once,
skill and role clarity grow (or erode under change), self-focus drifts, and tenure
moves on: each employee's state is read once and written once. The per-run terms are
computed beforehand by ``engine.people``; the arithmetic here is float32 in the order
the model has always used (``fastmath`` off), so the results are the same bits as the
NumPy expressions this kernel replaced.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine.jit import float32_constant_array, inline, kernel, per_dynamics, to_fixed_tuple
from engine.params import Dynamics


class WorkforceConstants(NamedTuple):
    """The coefficients of the workforce phase as float32, as the model applies them."""

    engagement_base: np.float32
    stall_tenure: np.float32
    stall_weight: np.float32
    pressure_weight: np.float32
    engagement_adjust: np.float32
    engagement_noise: np.float32
    attrition_base: np.float32
    attrition_disengaged: np.float32
    self_focus_base: np.float32
    self_focus_adjust: np.float32
    hire_engagement: np.float32


CONSTANT_COUNT = len(WorkforceConstants._fields)


@per_dynamics
def workforce_constants(dyn: Dynamics) -> np.ndarray:
    """The kernel's constants for ``dyn``, as :func:`engine.jit.float32_constant_array`
    makes them; the kernel names them again with :func:`named_constants`."""
    return float32_constant_array(WorkforceConstants, dyn)


@inline
def named_constants(values):
    """The :class:`WorkforceConstants` of the array :func:`workforce_constants` made."""
    return WorkforceConstants(*to_fixed_tuple(values, CONSTANT_COUNT))


@inline
def play_run(staff, normal, leaving, exposed_of, run_terms, k, pulls, leaves_of):
    """Play one run's employees in place (``staff``: that run's rows), without a branch,
    so that the compiler plays several employees per instruction.

    ``exposed_of`` is each employee's exposure to quota pressure, ``run_terms`` the
    run's terms; each employee's stalled-career and pressure pulls go to ``pulls`` and
    whether they left (and were replaced) to ``leaves_of``, counted afterwards: a count
    kept here, in 64 bits, would halve how many employees one instruction plays.
    """
    engagement_of, skill_of, clarity_of, focus_of, tenure_of = staff
    stalled_pulls, pressure_pulls = pulls
    recognition, growth_pull, growth, toxicity, resistance, workload, quota = run_terms[:7]
    learning, clarity_gain, erosion, kpi_pull, quota_focus, goals_pull = run_terms[7:13]
    hire_skill, hire_clarity = run_terms[13:]
    one = np.float32(1.0)
    zero = np.float32(0.0)
    for person in range(engagement_of.size):
        exposed = exposed_of[person]
        tenure = tenure_of[person]
        # The engagement target: base plus the pulls, summed in the model's order.
        stalled = min(np.float32(tenure) / k.stall_tenure, one)
        stalled_pull = -(k.stall_weight * (stalled * (one - growth)))
        pressure_pull = -(k.pressure_weight * (workload + quota * exposed))
        stalled_pulls[person] = stalled_pull
        pressure_pulls[person] = pressure_pull
        target = k.engagement_base + recognition + growth_pull + stalled_pull
        target = target + toxicity + pressure_pull + resistance
        engagement = engagement_of[person]
        drift = k.engagement_adjust * (target - engagement)
        engagement = engagement + (drift + k.engagement_noise * normal[person])
        engagement = min(max(engagement, zero), one)
        # Disengaged people leave; the slot is refilled by a replacement hire at once.
        disengaged = one - engagement
        chance = k.attrition_base + k.attrition_disengaged * (disengaged * disengaged)
        leaves = leaving[person] < chance
        skill = skill_of[person]
        skill = skill + learning * (one - skill)
        clarity = clarity_of[person]
        clarity = clarity + (clarity_gain * (one - clarity) - erosion * clarity)
        # Quota pressure turns people inward in the departments it weighs on.
        focus_target = k.self_focus_base + kpi_pull + quota_focus * exposed
        focus_target = min(max(focus_target - goals_pull, zero), one)
        focus = focus_of[person]
        focus = focus + k.self_focus_adjust * (focus_target - focus)
        leaves_of[person] = leaves
        skill = hire_skill if leaves else skill
        clarity = hire_clarity if leaves else clarity
        engagement = k.hire_engagement if leaves else engagement
        focus = k.self_focus_base if leaves else focus
        tenure_of[person] = 0 if leaves else tenure + 1
        engagement_of[person] = engagement
        skill_of[person] = min(max(skill, zero), one)
        clarity_of[person] = min(max(clarity, zero), one)
        focus_of[person] = min(max(focus, zero), one)


@kernel
def play_workforce(staff, department_of, exposure, shocks, terms, constants, results):
    """Play the quarter for every employee of every run, in place.

    ``staff`` is (engagement, skill, clarity, self_focus, tenure), (runs, employees);
    ``department_of`` each employee's department and ``exposure`` each department's
    exposure to quota pressure; ``shocks`` the (engagement shock, leaving) draws;
    ``terms`` the per-run float32 terms of ``engine.people.WorkforceTerms``, in order;
    ``constants`` the array of :func:`workforce_constants`.
    ``results`` is (leavers (runs,), leavers by department (runs, departments),
    stalled-career pull and pressure pull (runs, employees)), all written here.
    """
    k = named_constants(constants)
    normal, leaving = shocks
    leavers, by_department, stalled_pulls, pressure_pulls = results
    runs, employees = staff[0].shape
    exposed_of = np.empty(employees, dtype=np.float32)
    for person in range(employees):
        exposed_of[person] = exposure[department_of[person]]
    leaves_of = np.empty(employees, dtype=np.bool_)
    for run in range(runs):
        run_terms = (
            terms[0][run],
            terms[1][run],
            terms[2][run],
            terms[3][run],
            terms[4][run],
            terms[5][run],
            terms[6][run],
            terms[7][run],
            terms[8][run],
            terms[9][run],
            terms[10][run],
            terms[11][run],
            terms[12][run],
            terms[13][run],
            terms[14][run],
        )
        play_run(
            (staff[0][run], staff[1][run], staff[2][run], staff[3][run], staff[4][run]),
            normal[run],
            leaving[run],
            exposed_of,
            run_terms,
            k,
            (stalled_pulls[run], pressure_pulls[run]),
            leaves_of,
        )
        leavers[run] = 0
        by_department[run, :] = 0
        for person in range(employees):
            leavers[run] += leaves_of[person]
            by_department[run, department_of[person]] += leaves_of[person]
