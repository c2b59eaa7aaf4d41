"""The simulation's memory budget and the estimate of what a state takes.

A leaf module so that both the simulation (``engine.setup``, ``engine.simulate``)
and the scenario loader's size check read the same budget and the same estimate
without the loader importing the simulation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.levers import LEVERS

if TYPE_CHECKING:
    from engine.world import World

MIB = 1024 * 1024
# The most memory one simulated state may take; forecasts tile their runs to stay under it.
MEMORY_BUDGET = 512 * MIB

# Bytes per customer slot and per employee in engine.state's arrays.
CUSTOMER_BYTES = 3 * 1 + 7 * 4 + 2  # three flags, seven float32 fields, int16 joined
EMPLOYEE_BYTES = 4 * 4 + 2


def estimate_state_bytes(world: World, runs: int, horizon: int) -> int:
    """Bytes a state of ``runs`` runs takes (the step needs little beyond this)."""
    slots = int(world.initial_segment_slots().sum())
    per_run = (
        slots * CUSTOMER_BYTES
        + world.employees * EMPLOYEE_BYTES
        + (horizon + 1) * (len(LEVERS) * 4 + 8)
        + len(world.intervention_ids) * 2
        + len(world.event_ids)
        + 9 * 8
    )
    return runs * per_run
