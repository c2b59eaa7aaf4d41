"""Checks across the keys of a scenario: ids, references, vocabularies and cycles.

The schema validates each table on its own; these checks read the raw TOML document
and report, at the key, what only makes sense across keys: duplicate ids, names
that refer to nothing, levers and metrics that do not exist, prerequisite cycles,
quarters outside the game, and the cross-key rules of :mod:`engine.scenario.rules`.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from engine.errors import Problem
from engine.levers import LEVER_NAMES, LEVERS
from engine.scenario.locate import KeyLocator
from engine.scenario.rules import (
    ACHIEVEMENT_CRITERION,
    BEST_WORST,
    ONE_BOUND,
    ONE_TIMING,
    STARS_ORDER,
    WINDOW_ORDER,
    CrossKeyRule,
    is_number,
)
from engine.textfile import RawPath, did_you_mean, display_path, plain_number
from engine.vocabulary import METRIC_INFO, METRIC_NAMES, metric_range


def check_across_keys(data: dict, path: Path | None, locator: KeyLocator) -> list[Problem]:
    """Every problem across the keys of a parsed scenario document, at its key."""
    return _Checker(data, path, locator).run()


class _Checker:
    """Checks that only make sense across keys: ids, references, cycles."""

    def __init__(self, data: dict, path: Path | None, locator: KeyLocator):
        self.data = data
        self.path = path
        self.locator = locator
        self.problems: list[Problem] = []

    def add(self, raw: RawPath, message: str) -> None:
        self.problems.append(
            Problem(self.path, self.locator.line(raw), display_path(raw, self.data), message)
        )

    def rule(self, raw: RawPath, table: dict, rule: CrossKeyRule) -> None:
        """Report ``rule`` at its key of the table at ``raw`` if the table breaks it."""
        if rule.broken(table):
            self.add(raw if rule.key is None else (*raw, rule.key), rule.message)

    def node(self, *keys: str) -> Any:
        node: Any = self.data
        for key in keys:
            node = node.get(key) if isinstance(node, dict) else None
        return node

    def items(self, *keys: str) -> list[tuple[RawPath, dict]]:
        node = self.node(*keys)
        if not isinstance(node, list):
            return []
        return [((*keys, i), item) for i, item in enumerate(node) if isinstance(item, dict)]

    def ids(self, items: list[tuple[RawPath, dict]], what: str) -> list[str]:
        seen: dict[str, RawPath] = {}
        for raw, item in items:
            item_id = item.get("id")
            if not isinstance(item_id, str):
                continue
            if item_id in seen:
                first = self.locator.line((*seen[item_id], "id"))
                also = f" (first used on line {first})" if first else ""
                self.add((*raw, "id"), f"duplicate {what} id '{item_id}'{also}")
            else:
                seen[item_id] = raw
        return list(seen)

    def reference(self, raw: RawPath, value: Any, known: list[str] | None, what: str) -> None:
        # known is None when the ids' array is missing or no array: the schema reports
        # that once, and every reference into it would only repeat it.
        if isinstance(value, str) and known is not None and value not in known:
            self.add(raw, f"unknown {what} '{value}'{did_you_mean(value, known)}")

    def lever(self, raw: RawPath, name: Any) -> None:
        if isinstance(name, str) and name not in LEVER_NAMES:
            hint = did_you_mean(name, LEVER_NAMES) or " (see the lever list in the docs)"
            self.add(raw, f"unknown lever '{name}'{hint}")

    def metric(self, raw: RawPath, name: Any) -> None:
        if isinstance(name, str) and name not in METRIC_NAMES:
            hint = did_you_mean(name, METRIC_NAMES) or " (see the metric list in the docs)"
            self.add(raw, f"unknown metric '{name}'{hint}")

    def effects(self, raw: RawPath, item: dict) -> None:
        effects = item.get("effects")
        if isinstance(effects, list):
            for index, effect in enumerate(effects):
                if isinstance(effect, dict):
                    self.lever((*raw, "effects", index, "lever"), effect.get("lever"))

    def condition(self, raw: RawPath, condition: Any) -> None:
        """A condition's metric, its single bound (within the metric's unit) and window."""
        if not isinstance(condition, dict):
            return
        metric = condition.get("metric")
        self.metric((*raw, "metric"), metric)
        bounds = [key for key in ("at_least", "at_most") if key in condition]
        self.rule(raw, condition, ONE_BOUND)
        info = METRIC_INFO.get(metric) if isinstance(metric, str) else None
        for key in bounds:
            value = condition[key]
            if info is None or info.unit not in ("share", "level") or not is_number(value):
                continue
            low = -1.0 if condition.get("measure") == "change" else 0.0
            _, high = metric_range(metric)  # revenue retention may exceed 1
            if not low <= value <= high:
                what = "a change in" if low < 0 else "a value of"
                span, limits = (
                    ("from 0 to 1", f"lies between {plain_number(low)} and 1")
                    if high == 1.0
                    else ("from 0 up", f"is at least {plain_number(low)}")
                )
                self.add(
                    (*raw, key),
                    f"{metric} is a {info.unit} {span}, so {what} it {limits}; "
                    f"found {plain_number(value)}",
                )
        self.within_game((*raw, "for_quarters"), condition.get("for_quarters"))

    def within_game(self, raw: RawPath, value: Any, what: str = "for_quarters") -> None:
        quarters = self.node("meta", "quarters")
        if is_number(value) and is_number(quarters) and value > quarters:
            self.add(raw, f"{plain_number(value)} is more than the scenario's {quarters} quarters")

    def event_rules(self, raw: RawPath, event: dict) -> None:
        self.rule(raw, event, ONE_TIMING)
        self.rule(raw, event, WINDOW_ORDER)
        if "chance" in event:
            self.within_game((*raw, "first_quarter"), event.get("first_quarter"))

    def run(self) -> list[Problem]:
        departments = self.ids(self.items("company", "departments"), "department")
        if not isinstance(self.node("company", "departments"), list):
            departments = None
        self.ids(self.items("segments"), "segment")
        interventions = self.items("interventions")
        intervention_ids = self.ids(interventions, "intervention")
        if not isinstance(self.node("interventions"), list):
            intervention_ids = None
        events = self.items("events")
        self.ids(events, "event")
        for kind in ("goals", "achievements", "lessons"):
            self.ids(self.items(kind), kind.rstrip("s"))
        self.ids(self.items("reference_plans"), "reference plan")

        for raw, segment in self.items("segments"):
            served = segment.get("served_by")
            if isinstance(served, list):
                for index, name in enumerate(served):
                    self.reference((*raw, "served_by", index), name, departments, "department")

        practices = self.data.get("practices")
        if isinstance(practices, dict):
            ranges = {lever.name: lever for lever in LEVERS}
            for name, level in practices.items():
                self.lever(("practices", name), name)
                lever = ranges.get(name)
                if (
                    lever
                    and isinstance(level, int | float)
                    and not isinstance(level, bool)
                    and math.isfinite(level)
                    and not lever.low <= level <= lever.high
                ):
                    self.add(
                        ("practices", name),
                        f"must be between {plain_number(lever.low)} and {plain_number(lever.high)} "
                        f"for lever '{name}', found {plain_number(level)}",
                    )

        requires: dict[str, list[str]] = {}
        for raw, intervention in interventions:
            self.effects(raw, intervention)
            needed = intervention.get("requires")
            if isinstance(needed, list):
                for index, name in enumerate(needed):
                    self.reference(
                        (*raw, "requires", index), name, intervention_ids, "intervention"
                    )
                if isinstance(intervention.get("id"), str):
                    requires[intervention["id"]] = [n for n in needed if isinstance(n, str)]
        self._cycles(requires)

        meta = self.data.get("meta")
        quarters = meta.get("quarters") if isinstance(meta, dict) else None
        for raw, event in events:
            self.effects(raw, event)
            self.condition((*raw, "condition"), event.get("condition"))
            self.event_rules(raw, event)
            listed = event.get("choices")
            choices = (
                [((*raw, "choices", i), c) for i, c in enumerate(listed) if isinstance(c, dict)]
                if isinstance(listed, list)
                else []
            )
            choice_ids = self.ids(choices, "choice")
            if listed is not None and not isinstance(listed, list):
                choice_ids = None
            for choice_raw, choice in choices:
                self.effects(choice_raw, choice)
            if "default_choice" in event:
                self.reference(
                    (*raw, "default_choice"), event["default_choice"], choice_ids, "choice"
                )
            when = event.get("quarter")
            if (
                isinstance(when, int)
                and isinstance(quarters, int)
                and not isinstance(when, bool)
                and when > quarters
            ):
                self.add(
                    (*raw, "quarter"),
                    f"quarter {when} is after the scenario's last quarter ({quarters})",
                )

        scoring = self.data.get("scoring")
        if isinstance(scoring, dict) and isinstance(scoring.get("terms"), list):
            for index, term in enumerate(scoring["terms"]):
                if isinstance(term, dict):
                    self.metric(("scoring", "terms", index, "metric"), term.get("metric"))
                    self.rule(("scoring", "terms", index), term, BEST_WORST)
        if isinstance(scoring, dict):
            self.rule(("scoring",), scoring, STARS_ORDER)
        for raw, goal in self.items("goals"):
            self.condition(raw, goal)
        for raw, achievement in self.items("achievements"):
            self.rule(raw, achievement, ACHIEVEMENT_CRITERION)
            self.condition((*raw, "condition"), achievement.get("condition"))
            for key in ("adopted", "never_adopted"):
                names = achievement.get(key)
                if isinstance(names, list):
                    for index, name in enumerate(names):
                        self.reference((*raw, key, index), name, intervention_ids, "intervention")
        answers = self.answers(events)
        for raw, lesson in self.items("lessons"):
            self.condition((*raw, "when"), lesson.get("when"))
            for key in ("adopted", "never_adopted"):
                names = lesson.get(key)
                if isinstance(names, list):
                    for index, name in enumerate(names):
                        self.reference((*raw, key, index), name, intervention_ids, "intervention")
            for key in ("chose", "never_chose"):
                names = lesson.get(key)
                if isinstance(names, list) and answers is not None:
                    for index, name in enumerate(names):
                        self.answer((*raw, key, index), name, answers)
        for raw, plan in self.items("reference_plans"):
            self.plan(raw, plan, intervention_ids, events, quarters)
        return self.problems

    def plan(
        self,
        raw: RawPath,
        plan: dict,
        intervention_ids: list[str] | None,
        events: list[tuple[RawPath, dict]],
        quarters: Any,
    ) -> None:
        """A reference plan's interventions, dilemmas, choices and quarters."""
        dilemmas: dict[str, list[str]] = {}
        for _, event in events:
            listed = event.get("choices")
            if isinstance(event.get("id"), str) and isinstance(listed, list) and listed:
                dilemmas[event["id"]] = [
                    c["id"] for c in listed if isinstance(c, dict) and isinstance(c.get("id"), str)
                ]
        known_events = list(dilemmas) if isinstance(self.node("events"), list) else None

        def answers(where: RawPath, table: Any) -> None:
            if not isinstance(table, dict):
                return
            for event_id, choice_id in table.items():
                self.reference((*where, event_id), event_id, known_events, "dilemma")
                if event_id in dilemmas:
                    self.reference((*where, event_id), choice_id, dilemmas[event_id], "choice")

        answers((*raw, "choices"), plan.get("choices"))
        seen: dict[int, int] = {}
        entries = (
            [
                ((*raw, "decisions", i), entry)
                for i, entry in enumerate(plan.get("decisions") or [])
                if isinstance(entry, dict)
            ]
            if isinstance(plan.get("decisions"), list)
            else []
        )
        for entry_raw, entry in entries:
            names = entry.get("interventions")
            if isinstance(names, list):
                for index, name in enumerate(names):
                    self.reference(
                        (*entry_raw, "interventions", index), name, intervention_ids, "intervention"
                    )
            answers((*entry_raw, "choices"), entry.get("choices"))
            when = entry.get("quarter")
            if not isinstance(when, int) or isinstance(when, bool):
                continue
            if isinstance(quarters, int) and when > quarters:
                self.add(
                    (*entry_raw, "quarter"),
                    f"quarter {when} is after the scenario's last quarter ({quarters})",
                )
            if when in seen:
                self.add((*entry_raw, "quarter"), f"quarter {when} is listed twice")
            seen[when] = when

    def answers(self, events: list[tuple[RawPath, dict]]) -> dict[str, list[str]] | None:
        """Event id -> its choice ids (None when the events array itself is broken)."""
        if "events" in self.data and not isinstance(self.node("events"), list):
            return None
        found: dict[str, list[str]] = {}
        for _, event in events:
            if isinstance(event.get("id"), str):
                choices = event.get("choices")
                found[event["id"]] = [
                    choice["id"]
                    for choice in (choices if isinstance(choices, list) else [])
                    if isinstance(choice, dict) and isinstance(choice.get("id"), str)
                ]
        return found

    def answer(self, raw: RawPath, value: Any, answers: dict[str, list[str]]) -> None:
        """A dilemma answer 'EVENT.CHOICE' names a dilemma and one of its choices."""
        if not isinstance(value, str) or not value:
            return  # the schema reports what is not a string, or empty
        if value.count(".") != 1 or not all(value.split(".")):
            self.add(
                raw,
                f"expected a dilemma answer 'EVENT.CHOICE' (an event id, a dot and one of "
                f"its choice ids), found '{value}'",
            )
            return
        event, choice = value.split(".")
        if event not in answers:
            self.add(raw, f"unknown event '{event}'{did_you_mean(event, list(answers))}")
        elif not answers[event]:
            self.add(raw, f"event '{event}' is not a dilemma: it has no choices")
        elif choice not in answers[event]:
            self.add(
                raw,
                f"unknown choice '{choice}' of event '{event}'"
                f"{did_you_mean(choice, answers[event])}",
            )

    def _cycles(self, requires: dict[str, list[str]]) -> None:
        """Report each prerequisite cycle once, at the intervention that closes it."""
        state: dict[str, int] = {}  # 1: on the current path, 2: done
        index = {
            item["id"]: raw
            for raw, item in self.items("interventions")
            if isinstance(item.get("id"), str)
        }
        reported: set[frozenset[str]] = set()

        def visit(node: str, trail: list[str]) -> None:
            state[node] = 1
            for nxt in requires.get(node, []):
                if state.get(nxt) == 1:
                    cycle = [*trail[trail.index(nxt) :], nxt] if nxt in trail else [node, nxt]
                    key = frozenset(cycle)
                    if key not in reported:
                        reported.add(key)
                        self.add(
                            (*index[node], "requires"), "prerequisite cycle: " + " -> ".join(cycle)
                        )
                elif state.get(nxt) is None and nxt in requires:
                    visit(nxt, [*trail, nxt])
            state[node] = 2

        for node in requires:
            if state.get(node) is None:
                visit(node, [node])
