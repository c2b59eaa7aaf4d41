"""The tables of a decision log, as pydantic models: a leaf module.

A policy file, a save's decision log and a scenario's reference plans share these
tables, so the scenario schema can use them without importing the simulation
(:mod:`engine.decision_log` turns them into a :class:`~engine.decision_log.Policy`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class StrictModel(BaseModel):
    """A table of a decision log: unknown keys refused, no type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class QuarterDecisions(StrictModel):
    """One ``[[decisions]]`` entry: a quarter's interventions and dilemma answers."""

    quarter: Annotated[int, Field(ge=1, le=40)] = Field(description="The quarter, from 1.")
    interventions: list[str] = Field(
        default_factory=list,
        description="Intervention ids to adopt, in order of priority if the budget runs short.",
    )
    choices: dict[str, str] = Field(
        default_factory=dict, description="Dilemma id -> choice id, for this quarter."
    )


class PolicyFile(StrictModel):
    """A policy file's top level (also the decision-log part of a save)."""

    scenario: str | None = None
    choices: dict[str, str] = Field(default_factory=dict)
    decisions: list[QuarterDecisions] = Field(default_factory=list)
