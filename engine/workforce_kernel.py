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

from engine.jit import float32_constants, kernel, per_dynamics
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


@per_dynamics
def workforce_constants(dyn: Dynamics) -> WorkforceConstants:
    """The kernel's constants for ``dyn``."""
    return float32_constants(WorkforceConstants, dyn)


@kernel
def play_workforce(staff, department_of, exposure, shocks, terms, k, results):
    """Play the quarter for every employee of every run, in place.

    ``staff`` is (engagement, skill, clarity, self_focus, tenure), (runs, employees);
    ``department_of`` each employee's department and ``exposure`` each department's
    exposure to quota pressure; ``shocks`` the (engagement shock, leaving) draws;
    ``terms`` the per-run float32 terms of ``engine.people.WorkforceTerms``, in order.
    ``results`` is (leavers (runs,), leavers by department (runs, departments),
    stalled-career pull and pressure pull (runs, employees)), all written here.
    """
    engagement_of, skill_of, clarity_of, focus_of, tenure_of = staff
    normal, leaving = shocks
    recognition, growth_pull, growth, toxicity, resistance, workload, quota = terms[:7]
    learning, clarity_gain, erosion, kpi_pull, quota_focus, goals_pull = terms[7:13]
    hire_skill, hire_clarity = terms[13:]
    leavers, by_department, stalled_pulls, pressure_pulls = results
    one = np.float32(1.0)
    zero = np.float32(0.0)
    runs, employees = engagement_of.shape
    for run in range(runs):
        leavers[run] = 0
        by_department[run, :] = 0
        for person in range(employees):
            department = department_of[person]
            exposed = exposure[department]
            # The engagement target: base plus the pulls, summed in the model's order.
            stalled = min(np.float32(tenure_of[run, person]) / k.stall_tenure, one)
            stalled_pull = -(k.stall_weight * (stalled * (one - growth[run])))
            pressure_pull = -(k.pressure_weight * (workload[run] + quota[run] * exposed))
            stalled_pulls[run, person] = stalled_pull
            pressure_pulls[run, person] = pressure_pull
            target = k.engagement_base + recognition[run] + growth_pull[run] + stalled_pull
            target = target + toxicity[run] + pressure_pull + resistance[run]
            engagement = engagement_of[run, person]
            drift = k.engagement_adjust * (target - engagement)
            engagement = engagement + (drift + k.engagement_noise * normal[run, person])
            engagement = min(max(engagement, zero), one)
            # Disengaged people leave; the slot is refilled by a replacement hire at once.
            disengaged = one - engagement
            chance = k.attrition_base + k.attrition_disengaged * (disengaged * disengaged)
            leaves = leaving[run, person] < chance
            skill = skill_of[run, person]
            skill = skill + learning[run] * (one - skill)
            clarity = clarity_of[run, person]
            clarity = clarity + (clarity_gain[run] * (one - clarity) - erosion[run] * clarity)
            # Quota pressure turns people inward in the departments it weighs on.
            focus_target = k.self_focus_base + kpi_pull[run] + quota_focus[run] * exposed
            focus_target = min(max(focus_target - goals_pull[run], zero), one)
            focus = focus_of[run, person]
            focus = focus + k.self_focus_adjust * (focus_target - focus)
            if leaves:
                skill = hire_skill[run]
                clarity = hire_clarity[run]
                engagement = k.hire_engagement
                focus = k.self_focus_base
                tenure_of[run, person] = 0
                leavers[run] += 1
                by_department[run, department] += 1
            else:
                tenure_of[run, person] += 1
            engagement_of[run, person] = engagement
            skill_of[run, person] = min(max(skill, zero), one)
            clarity_of[run, person] = min(max(clarity, zero), one)
            focus_of[run, person] = min(max(focus, zero), one)
