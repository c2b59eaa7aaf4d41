"""The plans a balance report compares, each a whole game's decisions.

Doing nothing; each intervention alone; each bought every quarter it can be; the
scenario's reference plans; each reference plan without each of its cards and with
each card it lacks; each answer to each dilemma. Quarters are chosen with
:class:`BudgetPlanner`, a deterministic estimate of the budget (the scenario's grants,
carry-over and upkeep, without the profit share, which depends on the run), so a plan
buys a card in the first quarter it can pay for it. Whether the runs really carried a
plan out is measured, not assumed (:mod:`engine.balance.measure`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from engine.decision_log import Policy
from engine.decisions import Decisions, upkeep_quarters
from engine.scenario.schema import Intervention, ReferencePlan, Scenario

PlanKind = Literal[
    "nothing", "alone", "every-quarter", "reference", "minus", "plus", "answer", "search"
]


@dataclass(frozen=True)
class Plan:
    """One plan to measure: what it is in plain words and its decisions."""

    kind: PlanKind
    label: str
    policy: Policy
    card: str | None = None  # the intervention the plan is about (alone, minus, plus...)
    base: str | None = None  # the reference plan it varies, by id


@dataclass
class BudgetPlanner:
    """Purchases laid out quarter by quarter against an estimate of the budget.

    The estimate follows the money phase: the first quarter has ``budget.start``, each
    later one what was left (if unspent budget carries over) plus ``per_quarter``, less
    upkeep already committed. The profit share is left out: it depends on the run.
    """

    scenario: Scenario
    purchases: dict[int, list[str]] = field(default_factory=dict)

    @property
    def quarters(self) -> int:
        """The scenario's length in quarters."""
        return self.scenario.meta.quarters

    def budget_left(self) -> list[float]:
        """Estimated budget left after each quarter's purchases, quarters 1..N (index 0
        is quarter 1); negative where the purchases overspend."""
        money = self.scenario.company.budget
        upkeep = [0.0] * (self.quarters + 2)
        available = money.start
        left_after = []
        for quarter in range(1, self.quarters + 1):
            spend = upkeep[quarter]
            for name in self.purchases.get(quarter, []):
                card = self.scenario.intervention(name)
                spend += card.cost
                last = min(quarter + upkeep_quarters(card), self.quarters + 1)
                for later in range(quarter, last):
                    upkeep[later] += card.upkeep
                spend += card.upkeep  # this quarter's upkeep, charged at once
            left = available - spend
            left_after.append(left)
            kept = left if money.carry_over else min(left, 0.0)
            available = max(kept + money.per_quarter, 0.0)
        return left_after

    def adopted_before(self, name: str, quarter: int) -> bool:
        """Whether ``name`` is bought in some quarter before ``quarter``."""
        return any(name in self.purchases.get(q, []) for q in range(1, quarter))

    def can_add(self, name: str, quarter: int) -> bool:
        """Whether buying ``name`` in ``quarter`` keeps every quarter within the estimate
        and meets its prerequisites and repeatability."""
        card = self.scenario.intervention(name)
        if name in self.purchases.get(quarter, []):
            return False
        if not card.repeatable and any(name in bought for bought in self.purchases.values()):
            return False
        if not all(self.adopted_before(required, quarter) for required in card.requires):
            return False
        self.purchases.setdefault(quarter, []).append(name)
        fits = all(left >= -1e-9 for left in self.budget_left())
        self.purchases[quarter].remove(name)
        return fits

    def add_earliest(self, name: str, first: int = 1) -> int | None:
        """Buy ``name`` in the first quarter from ``first`` on where it fits; the quarter,
        or None when it fits nowhere."""
        for quarter in range(first, self.quarters + 1):
            if self.can_add(name, quarter):
                self.purchases.setdefault(quarter, []).append(name)
                return quarter
        return None

    def policy(self, scenario_id: str, choices: dict[str, str] | None = None) -> Policy:
        """The purchases as a policy (no dilemma answers unless ``choices`` are given)."""
        return Policy(
            {q: Decisions(tuple(names)) for q, names in sorted(self.purchases.items()) if names},
            scenario_id,
            dict(choices or {}),
        )


def reference_policy(scenario: Scenario, plan: ReferencePlan) -> Policy:
    """A reference plan of the scenario as a policy."""
    return Policy(
        {
            entry.quarter: Decisions(tuple(entry.interventions), dict(entry.choices))
            for entry in plan.decisions
        },
        scenario.meta.id,
        dict(plan.choices),
    )


def _with_prerequisites(scenario: Scenario, card: Intervention) -> list[str]:
    """``card`` and everything it needs, prerequisites first."""
    ordered: list[str] = []

    def visit(name: str) -> None:
        for required in scenario.intervention(name).requires:
            visit(required)
        if name not in ordered:
            ordered.append(name)

    visit(card.id)
    return ordered


def _needs_words(scenario: Scenario, names: list[str]) -> str:
    return " and ".join(f"'{scenario.intervention(name).name}'" for name in names)


def single_card_plans(scenario: Scenario) -> list[Plan]:
    """Each intervention alone (bought once, as early as the budget allows, after its
    prerequisites) and, if repeatable, bought every quarter the budget allows."""
    plans = []
    scenario_id = scenario.meta.id
    for card in scenario.interventions:
        needed = _with_prerequisites(scenario, card)
        planner = BudgetPlanner(scenario)
        placed = None
        for name in needed:  # can_add waits for the prerequisites bought before
            placed = planner.add_earliest(name)
            if placed is None:
                break
        if placed is None:
            continue  # never affordable: the warnings say so
        extra = needed[:-1]
        note = f" (after {_needs_words(scenario, extra)})" if extra else ""
        plans.append(
            Plan(
                "alone",
                f"'{card.name}' alone{note}",
                planner.policy(scenario_id),
                card.id,
            )
        )
        if card.repeatable:
            for quarter in range(placed + 1, planner.quarters + 1):
                if planner.can_add(card.id, quarter):
                    planner.purchases.setdefault(quarter, []).append(card.id)
            plans.append(
                Plan(
                    "every-quarter",
                    f"'{card.name}' every affordable quarter{note}",
                    planner.policy(scenario_id),
                    card.id,
                )
            )
    return plans


def reference_variations(scenario: Scenario) -> list[Plan]:
    """Each reference plan as written, without each of its cards (and the cards that
    need it), and with each card it lacks bought in the first quarter it fits."""
    plans = []
    for reference in scenario.reference_plans:
        base = reference_policy(scenario, reference)
        plans.append(
            Plan("reference", f"Reference plan '{reference.title}'", base, None, reference.id)
        )
        bought = {name for d in base.by_quarter.values() for name in d.interventions}
        for card in scenario.interventions:
            if card.id in bought:
                dropped = _dependants(scenario, card.id, bought)
                verb = "needs" if len(dropped) == 1 else "need"
                note = (
                    f" (and {_needs_words(scenario, dropped)}, which {verb} it)" if dropped else ""
                )
                removed = {card.id, *dropped}
                by_quarter = {
                    q: Decisions(
                        tuple(n for n in d.interventions if n not in removed), dict(d.choices)
                    )
                    for q, d in base.by_quarter.items()
                }
                plans.append(
                    Plan(
                        "minus",
                        f"'{reference.title}' without '{card.name}'{note}",
                        Policy(by_quarter, base.scenario, dict(base.choices)),
                        card.id,
                        reference.id,
                    )
                )
            else:
                added = _with_card(scenario, base, card)
                if added is not None:
                    policy, quarter = added
                    plans.append(
                        Plan(
                            "plus",
                            f"'{reference.title}' plus '{card.name}' in quarter {quarter}",
                            policy,
                            card.id,
                            reference.id,
                        )
                    )
    return plans


def _dependants(scenario: Scenario, name: str, bought: set[str]) -> list[str]:
    """The bought cards that need ``name``, directly or through another such card."""
    found: list[str] = []
    changed = True
    while changed:
        changed = False
        for card in scenario.interventions:
            candidate = card.id in bought and card.id not in found and card.id != name
            if candidate and any(needed in (name, *found) for needed in card.requires):
                found.append(card.id)
                changed = True
    return found


def _with_card(scenario: Scenario, base: Policy, card: Intervention) -> tuple[Policy, int] | None:
    """``base`` with ``card`` added, last in the first quarter it fits, or None."""
    planner = BudgetPlanner(
        scenario, {q: list(d.interventions) for q, d in base.by_quarter.items()}
    )
    quarter = planner.add_earliest(card.id)
    if quarter is None:
        return None
    by_quarter = dict(base.by_quarter)
    old = by_quarter.get(quarter, Decisions())
    by_quarter[quarter] = Decisions((*old.interventions, card.id), dict(old.choices))
    return Policy(by_quarter, base.scenario, dict(base.choices)), quarter


def answer_plans(scenario: Scenario) -> list[Plan]:
    """Each answer to each dilemma, given whenever it comes up, on top of the first
    reference plan (or of doing nothing when the scenario has none)."""
    if scenario.reference_plans:
        reference = scenario.reference_plans[0]
        base = reference_policy(scenario, reference)
        under, base_id = f"'{reference.title}'", reference.id
    else:
        base, under, base_id = Policy({}, scenario.meta.id), "doing nothing", None
    plans = []
    for event in scenario.events:
        for choice in event.choices:
            # The answer replaces the plan's own answers to this dilemma in every quarter.
            by_quarter = {
                q: Decisions(d.interventions, {k: v for k, v in d.choices.items() if k != event.id})
                for q, d in base.by_quarter.items()
            }
            plans.append(
                Plan(
                    "answer",
                    f"'{event.title}': '{choice.label}', under {under}",
                    Policy(by_quarter, base.scenario, {**base.choices, event.id: choice.id}),
                    f"{event.id}.{choice.id}",
                    base_id,
                )
            )
    return plans


def standard_plans(scenario: Scenario) -> list[Plan]:
    """Every plan of the report except the searched ones, doing nothing first."""
    nothing = Plan("nothing", "Doing nothing", Policy({}, scenario.meta.id))
    return [
        nothing,
        *single_card_plans(scenario),
        *reference_variations(scenario),
        *answer_plans(scenario),
    ]
