"""What a plan (a policy file) asks for that a run cannot or did not do.

Two kinds of finding, each pointing at the plan's file and line like ``goingdark
check`` does for scenarios:

- :func:`plan_problems`: names the scenario does not know (interventions, dilemmas,
  choices), with a "did you mean"; the plan cannot be run at all.
- :func:`plan_skips`: decisions the simulation did not carry out, and why, computed
  from the run itself (the adoptions and events it recorded quarter by quarter).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from engine.decision_log import Policy
from engine.errors import PolicyError
from engine.formatting import exact_money
from engine.simulate import Results
from engine.textfile import did_you_mean
from engine.world import World

RawPath = tuple[str | int, ...]


@dataclass(frozen=True)
class PlanFinding:
    """One finding about a plan: where it is and what is wrong."""

    source: str
    line: int | None
    key: str
    message: str

    def text(self, severity: str | None = None) -> str:
        """``FILE:LINE: key: [severity: ]message``, as ``goingdark check`` prints."""
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        said = f"{severity}: {self.message}" if severity else self.message
        return f"{where}: {self.key}: {said}"


def _finding(policy: Policy, raw: RawPath, message: str) -> PlanFinding:
    """A finding at a key path of the plan's file (raw: indices 0-based)."""
    source = policy.source
    line = source.line(raw) if source is not None else None
    key = ""
    for part in raw:
        key += f"[#{part + 1}]" if isinstance(part, int) else ("." if key else "") + part
    return PlanFinding(source.name if source else "<plan>", line, key, message)


def _entry(policy: Policy, quarter: int) -> RawPath:
    """The raw key path of a quarter's ``[[decisions]]`` entry in the plan's file."""
    source = policy.source
    index = source.entries.get(quarter) if source is not None else None
    return ("decisions", index) if index is not None else ("decisions",)


def plan_problems(policy: Policy, world: World) -> list[PlanFinding]:
    """Every intervention, dilemma and choice the plan names that the scenario has not."""
    scenario = world.scenario
    known = list(world.intervention_ids)
    dilemmas = {event.id: event for event in scenario.events if event.choices}
    problems = []

    def check_choices(choices: dict[str, str], at: RawPath, said: str) -> None:
        for event_id, choice_id in choices.items():
            event = dilemmas.get(event_id)
            if event is None:
                problems.append(
                    _finding(
                        policy,
                        (*at, "choices", event_id),
                        f"{said}'{event_id}' is not a dilemma of scenario '{scenario.meta.id}'"
                        + did_you_mean(event_id, dilemmas),
                    )
                )
                continue
            ids = [choice.id for choice in event.choices]
            if choice_id not in ids:
                problems.append(
                    _finding(
                        policy,
                        (*at, "choices", event_id),
                        f"{said}dilemma '{event_id}' has no choice '{choice_id}'"
                        + did_you_mean(choice_id, ids)
                        + f" (choices: {', '.join(ids)})",
                    )
                )

    check_choices(policy.choices, (), "")
    for quarter, decisions in sorted(policy.by_quarter.items()):
        entry = _entry(policy, quarter)
        seen = set()
        for position, name in enumerate(decisions.interventions):
            at = (*entry, "interventions", position)
            if name not in world.intervention_index:
                problems.append(
                    _finding(
                        policy,
                        at,
                        f"quarter {quarter}: unknown intervention '{name}' for scenario "
                        f"'{scenario.meta.id}'" + did_you_mean(name, known),
                    )
                )
            elif name in seen:
                problems.append(
                    _finding(policy, at, f"quarter {quarter}: '{name}' is listed twice")
                )
            seen.add(name)
        check_choices(dict(decisions.choices), entry, f"quarter {quarter}: ")
    return problems


def require_runnable(policy: Policy, world: World) -> None:
    """Raise PolicyError if the plan is for another scenario, or listing every name in it
    the scenario does not know."""
    scenario_id = world.scenario.meta.id
    if policy.scenario is not None and policy.scenario != scenario_id:
        where = policy.source.name if policy.source is not None else "<plan>"
        raise PolicyError(
            f"{where}: the policy is for scenario '{policy.scenario}', not '{scenario_id}'"
        )
    problems = plan_problems(policy, world)
    if problems:
        raise PolicyError("\n".join(problem.text() for problem in problems))


def _runs(count: int, runs: int) -> str:
    return "" if count == runs else f" (in {count} of {runs} runs)"


def plan_skips(policy: Policy, world: World, results: Results) -> list[PlanFinding]:
    """Every decision of the plan that ``results`` did not carry out, with the reason
    read from the run: a quarter after the last one played, an intervention whose
    prerequisite was not adopted before, a one-off adopted already, one the budget left
    could not pay for, and a dilemma answered in a quarter (or for the whole game) that
    did not come up then."""
    assert results.adopted_in is not None and results.fired_in is not None
    scenario = world.scenario
    currency = scenario.company.currency
    first, runs = results.first_quarter, results.runs
    last = first + results.adopted_in.shape[0] - 1
    skips = []
    for quarter, decisions in sorted(policy.by_quarter.items()):
        entry = _entry(policy, quarter)
        if quarter < first:
            continue  # played before these results began: not theirs to judge
        if quarter > last:
            skips.append(
                _finding(
                    policy,
                    entry,
                    f"quarter {quarter} was not played: the run ends after quarter {last}",
                )
            )
            continue
        played = quarter - first
        adopted_now = results.adopted_in[played]
        adopted_before = results.adopted_in[:played].any(axis=0)
        budget = results.history["budget"][quarter - 1]
        spent = np.zeros(runs)
        for position, name in enumerate(decisions.interventions):
            index = world.intervention_index[name]
            intervention = scenario.interventions[index]
            reasons: Counter[str] = Counter()
            left_when_short: list[float] = []
            for run in np.flatnonzero(~adopted_now[:, index]):
                missing = [
                    scenario.intervention(required).name
                    for required in intervention.requires
                    if not adopted_before[run, world.intervention_index[required]]
                ]
                if missing:
                    reasons[f"needs {', '.join(missing)} adopted in an earlier quarter"] += 1
                elif not intervention.repeatable and adopted_before[run, index]:
                    when = first + int(np.argmax(results.adopted_in[:played, run, index]))
                    reasons[f"not repeatable, and adopted already in quarter {when}"] += 1
                else:
                    left_when_short.append(float(budget[run] - spent[run]))
            if left_when_short:
                low, high = min(left_when_short), max(left_when_short)
                left = exact_money(high, currency)
                if exact_money(low, currency) != left:
                    left = f"between {exact_money(low, currency)} and {left}"
                cost = exact_money(intervention.cost, currency)
                reasons[f"costs {cost} and {left} was left"] += len(left_when_short)
            spent += np.where(adopted_now[:, index], intervention.cost, 0.0)
            for reason, count in reasons.items():
                skips.append(
                    _finding(
                        policy,
                        (*entry, "interventions", position),
                        f"quarter {quarter}: '{name}' was not adopted: {reason}"
                        + _runs(count, runs),
                    )
                )
        for event_id in decisions.choices:
            column = world.event_ids.index(event_id)
            happened = int(results.fired_in[played][:, column].sum())
            if happened < runs:
                when = [
                    str(first + index)
                    for index in np.flatnonzero(results.fired_in[:, :, column].any(axis=1))
                ]
                came = f" (it came up in quarter {', '.join(when)})" if when else ""
                skips.append(
                    _finding(
                        policy,
                        (*entry, "choices", event_id),
                        f"quarter {quarter}: the dilemma '{event_id}' did not come up"
                        + _runs(runs - happened, runs)
                        + came,
                    )
                )
    for event_id in policy.choices:
        column = world.event_ids.index(event_id)
        never = runs - int(results.fired_in[:, :, column].any(axis=0).sum())
        if never:
            skips.append(
                _finding(
                    policy,
                    ("choices", event_id),
                    f"the dilemma '{event_id}' never came up in quarters {first} to {last}"
                    + _runs(never, runs),
                )
            )
    return skips
