"""The scenario format: pydantic models that are both the validator and the runtime objects.

Every model forbids unknown keys and validates strictly (a string is never read as a
number). ``docs/scenario-authoring.md`` documents each key; the JSON Schema editors
use is generated from these same models (``goingdark schema``).
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator
from pydantic_core import PydanticCustomError

from engine.levers import LEVER_NAMES
from engine.params import Dynamics
from engine.policy_tables import QuarterDecisions
from engine.scenario.rules import (
    ACHIEVEMENT_CRITERION,
    BEST_WORST,
    CROSS_KEY_ERROR,
    ONE_BOUND,
    ONE_TIMING,
    STARS_ORDER,
    WINDOW_ORDER,
    CrossKeyRule,
)
from engine.vocabulary import METRIC_NAMES

Slug = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        min_length=1,
        max_length=40,
        description="Identifier: lower-case letters, digits, '_' and '-'.",
    ),
]
Text = Annotated[str, Field(min_length=1)]
# A dilemma answer: an event id and one of its choice ids, joined by a dot (the loader's
# checks report an answer that is not of that form, or names no dilemma's choice).
Answer = Annotated[
    str,
    Field(min_length=1, max_length=81, description="A dilemma answer: 'EVENT.CHOICE'."),
]
Share = Annotated[float, Field(ge=0.0, le=1.0)]
Money = Annotated[float, Field(ge=0.0, le=1e12)]
Quarters = Annotated[int, Field(ge=0, le=40)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    def enforce(self, *rules: CrossKeyRule) -> Self:
        """Raise the first broken rule across this table's keys (as the author wrote
        them: a key left unset, or set to None from Python, counts as absent)."""
        written = {
            name: getattr(self, name)
            for name in self.model_fields_set
            if getattr(self, name) is not None
        }
        for rule in rules:
            if rule.broken(written):
                raise PydanticCustomError(CROSS_KEY_ERROR, rule.message)
        return self


class Distribution(Model):
    """A normal distribution of a 0..1 trait, clipped to 0..1."""

    mean: Share = Field(description="Mean of the trait (0 to 1).")
    sd: Annotated[float, Field(ge=0.0, le=0.5)] = Field(
        0.1, description="Standard deviation across individuals."
    )


class Meta(Model):
    id: Slug = Field(description="Unique identifier, used on the command line and in saves.")
    title: Annotated[str, Field(min_length=1, max_length=60)] = Field(
        description="Title shown in the scenario browser."
    )
    summary: Annotated[str, Field(min_length=1, max_length=400)] = Field(
        description="One or two sentences shown in the scenario browser."
    )
    difficulty: Literal["tutorial", "easy", "medium", "hard", "expert"] = Field(
        description="How hard the scenario is."
    )
    quarters: Annotated[int, Field(ge=1, le=40)] = Field(
        description="Number of quarters played: a whole number, 8 not 8.0 (an editor may let "
        "8.0 pass; goingdark check does not)."
    )
    seed: Annotated[int, Field(ge=0, le=2**63 - 1)] = Field(
        1, description="Default random seed (a player may choose another)."
    )
    campaign_order: Annotated[int, Field(ge=1, le=1000)] | None = Field(
        None, description="Position in the built-in campaign (unset for custom scenarios)."
    )
    author: str = Field("", description="Who wrote the scenario.")
    tags: list[Slug] = Field(default_factory=list, description="Topics, for browsing.")
    forecasts: bool = Field(
        True,
        description="Whether the intervention picker forecasts the rest of the game under "
        "the plan being chosen; false for exam-style sessions.",
    )


class Briefing(Model):
    situation: Text = Field(description="The situation the player walks into.")
    controls: str = Field(
        "", description="What the player controls and what to watch (shown under the goals)."
    )


class Budget(Model):
    start: Money = Field(description="Budget for interventions in the first quarter.")
    per_quarter: Money = Field(description="Budget granted at the start of every later quarter.")
    profit_share: Share = Field(
        0.0, description="Share of last quarter's profit (or loss) added to the budget."
    )
    carry_over: bool = Field(True, description="Whether unspent budget carries over.")
    salary: Money = Field(description="Cost of one employee per quarter.")
    hiring_cost: Money = Field(0.0, description="Cost of hiring one replacement employee.")


class Department(Model):
    id: Slug
    name: Text = Field(description="Department name shown in the game.")
    headcount: Annotated[int, Field(ge=1, le=20_000)] = Field(description="Number of employees.")
    engagement: Distribution = Field(description="Engagement across the department's staff.")
    skill: Distribution = Field(description="Skill across the department's staff.")
    clarity: Distribution = Field(description="Role clarity across the department's staff.")
    self_focus: Distribution = Field(
        default_factory=lambda: Distribution(mean=0.2, sd=0.05),
        description="Self-focus (own KPIs crowding out the customer).",
    )
    quota_exposure: Share = Field(
        0.0, description="How much quota pressure weighs on this department (1 for sales)."
    )


class Company(Model):
    name: Text = Field(description="Company name shown in the game.")
    currency: Annotated[str, Field(min_length=1, max_length=4)] = Field(
        "$", description="Currency symbol used in the game."
    )
    budget: Budget = Field(description="The budget for interventions, and the cost of people.")
    departments: Annotated[list[Department], Field(min_length=1, max_length=50)] = Field(
        description="The departments and their people."
    )


class Churn(Model):
    """Beta(a, b) distribution of the baseline quarterly churn propensity."""

    a: Annotated[float, Field(gt=0.0, le=1e4)] = Field(description="Beta shape a (> 0).")
    b: Annotated[float, Field(gt=0.0, le=1e4)] = Field(description="Beta shape b (> 0).")


class Segment(Model):
    id: Slug
    name: Text = Field(description="Segment name shown in the game.")
    count: Annotated[int, Field(ge=0, le=2_000_000)] = Field(
        description="Customers in the segment at the start."
    )
    value: Annotated[float, Field(gt=0.0, le=1e9)] = Field(
        description="Mean revenue per customer per quarter."
    )
    value_spread: Annotated[float, Field(ge=0.0, le=2.0)] = Field(
        0.3, description="Spread of revenue per customer (log-normal sigma)."
    )
    churn: Churn = Field(description="Baseline quarterly churn propensity ~ Beta(a, b).")
    tenure: Annotated[int, Field(ge=0, le=400)] = Field(
        0,
        description="Quarters the starting customers have already been customers. They "
        "are the survivors of a cohort that began that long ago, so their baseline churn "
        "is drawn from Beta(a, b + tenure), the survivors' distribution (new customers "
        "still draw from Beta(a, b)).",
    )
    satisfaction: Share = Field(0.75, description="Mean starting satisfaction.")
    thrill: Share = Field(0.5, description="Mean starting thrill.")
    trust: Share = Field(0.6, description="Mean starting trust.")
    served_by: Annotated[list[Slug], Field(min_length=1)] = Field(
        description="Ids of the departments whose work this segment experiences. Each one "
        "beyond the first costs coordination: coordination_penalty x (1 - role clarity) of the "
        "experience (about 26% with four departments at a clarity of 0.65)."
    )
    digital_expectation: Share = Field(0.5, description="Digital convenience this segment expects.")
    wake_up: Share = Field(
        0.02, description="Quarterly chance that a customer's market wakes it up."
    )
    share_of_new: Annotated[float, Field(ge=0.0, le=1e6)] | None = Field(
        None, description="Relative weight among new customers (default: the segment's count)."
    )


class Acquisition(Model):
    enabled: bool = Field(True, description="Whether new customers are won at all.")
    rate: Annotated[float, Field(ge=0.0, le=2.0)] = Field(
        0.03, description="New customers per quarter, as a share of the starting base."
    )
    fit: Distribution = Field(
        default_factory=lambda: Distribution(mean=0.9, sd=0.05),
        description="How well new customers fit the offering (before quota pressure).",
    )


class Start(Model):
    """Starting levels of the organisation (0 to 1)."""

    quality_norm: Share = Field(0.65, description="What the organisation counts as good enough.")
    data_credibility: Share = Field(
        0.3, description="How far the company's own figures can be trusted."
    )
    digital_maturity: Share = Field(0.4, description="Digital convenience offered to customers.")
    leadership_commitment: Share = Field(0.3, description="Leadership commitment to quality.")
    learning_culture: Share = Field(0.3, description="Strength of the learning culture.")
    team_toxicity: Share = Field(
        0.15, description="Unaddressed slacking and toxic behaviour in teams."
    )


class Effect(Model):
    lever: str = Field(
        description="A lever from the documented vocabulary.",
        json_schema_extra={"enum": list(LEVER_NAMES)},
    )
    amount: Annotated[float, Field(ge=-5.0, le=5.0)] = Field(
        description="Change to the lever at full strength."
    )


class Timed(Model):
    """How an effect unfolds: nothing for `lag` quarters, a linear ramp over `ramp`
    quarters, full strength for `duration` quarters, then shrinking by `decay` a quarter."""

    lag: Quarters = Field(0, description="Quarters before the effect begins.")
    ramp: Quarters = Field(0, description="Quarters to reach full strength.")
    duration: Annotated[int, Field(ge=1, le=40)] = Field(
        1, description="Quarters at full strength."
    )
    decay: Share = Field(1.0, description="Share of strength lost each quarter afterwards.")
    resistance: Share = Field(
        0.0,
        description="Change load added in the quarter it is adopted or happens, even when "
        "its effects come later: a temporary engagement dip.",
    )
    effects: list[Effect] = Field(
        default_factory=list, description="Changes to levers at full strength."
    )


class Intervention(Timed):
    id: Slug
    name: Annotated[str, Field(min_length=1, max_length=40)] = Field(
        description="Short name shown to the player."
    )
    description: Text = Field(
        description="What the intervention is, shown to the player as written: a single line "
        "break shows (the briefing, by contrast, is reflowed)."
    )
    area: Literal["people", "standards", "customers", "sales", "change"] = Field(
        description="The group the intervention is listed under."
    )
    cost: Money = Field(description="One-off cost when adopted.")
    upkeep: Money = Field(
        0.0,
        description="Cost per quarter from adoption until full strength ends (lag, ramp and "
        "duration); nothing while it fades.",
    )
    lag: Quarters = Field(1, description="Quarters before the effect begins.")
    ramp: Quarters = Field(1, description="Quarters to reach full strength.")
    duration: Annotated[int, Field(ge=1, le=40)] = Field(
        4, description="Quarters at full strength."
    )
    decay: Share = Field(0.5, description="Share of strength lost each quarter afterwards.")
    requires: list[Slug] = Field(
        default_factory=list, description="Interventions that must have been adopted before."
    )
    repeatable: bool = Field(True, description="Whether it can be adopted again to reinforce.")
    effects: Annotated[list[Effect], Field(min_length=1)]


class Condition(Model):
    metric: str = Field(
        description="A metric name.", json_schema_extra={"enum": list(METRIC_NAMES)}
    )
    at_least: float | None = Field(
        None, description="The metric must be at least this (give this or 'at_most')."
    )
    at_most: float | None = Field(
        None, description="The metric must be at most this (give this or 'at_least')."
    )
    measure: Literal["level", "change"] = Field(
        "level", description="Compare the level, or the change since the start."
    )
    for_quarters: Annotated[int, Field(ge=1, le=40)] = Field(
        1, description="Consecutive quarters the comparison must hold."
    )

    @model_validator(mode="after")
    def _one_bound(self) -> Self:
        return self.enforce(ONE_BOUND)


class Choice(Timed):
    id: Slug
    label: Annotated[str, Field(min_length=1, max_length=60)] = Field(
        description="The option as the player sees it."
    )
    text: str = Field("", description="A longer explanation of the option.")
    cost: Money = Field(0.0, description="One-off cost when this option is taken.")


class Event(Timed):
    id: Slug
    title: Annotated[str, Field(min_length=1, max_length=60)] = Field(
        description="Headline shown when the event happens."
    )
    text: Text = Field(description="What happened, shown to the player.")
    quarter: Annotated[int, Field(ge=1, le=40)] | None = Field(
        None, description="Scheduled: the quarter it happens in."
    )
    chance: Share | None = Field(None, description="Random: the chance per quarter.")
    first_quarter: Annotated[int, Field(ge=1, le=40)] = Field(
        1, description="Random events: the first quarter it can happen in."
    )
    last_quarter: Annotated[int, Field(ge=1, le=40)] = Field(
        40, description="Random events: the last quarter it can happen in."
    )
    condition: Condition | None = Field(
        None, description="Happens only if this holds at the end of the previous quarter."
    )
    once: bool = Field(
        True,
        description="Whether it can happen only once per game (matters for random and "
        "conditional events).",
    )
    choices: list[Choice] = Field(
        default_factory=list,
        description="The options of a dilemma; an event without choices just happens.",
    )
    default_choice: Slug | None = Field(
        None,
        description="Choice taken when none is given (headless runs, policies that name "
        "none); the first choice if unset.",
    )

    @model_validator(mode="after")
    def _scheduled_or_random(self) -> Self:
        return self.enforce(ONE_TIMING, WINDOW_ORDER)


class ScoreTerm(Model):
    metric: str = Field(
        description="A metric name.", json_schema_extra={"enum": list(METRIC_NAMES)}
    )
    weight: Annotated[float, Field(gt=0.0, le=1000.0)] = Field(
        description="What the term is worth, relative to the other terms' weights."
    )
    worst: float = Field(
        description="Value that earns nothing; above 'best' for metrics where lower is better."
    )
    best: float = Field(description="Value that earns the full weight.")
    aggregate: Literal["final", "mean"] = Field(
        "final", description="Score the final quarter's value or the mean over the game."
    )

    @model_validator(mode="after")
    def _distinct(self) -> Self:
        return self.enforce(BEST_WORST)


class Scoring(Model):
    terms: Annotated[list[ScoreTerm], Field(min_length=1)] = Field(
        description="The metrics that earn points."
    )
    stars: Annotated[
        list[Annotated[float, Field(ge=0.0, le=100.0)]], Field(min_length=3, max_length=3)
    ] = Field(description="Scores (0 to 100) needed for one, two and three stars.")

    @model_validator(mode="after")
    def _increasing(self) -> Self:
        return self.enforce(STARS_ORDER)


class Goal(Condition):
    id: Slug
    text: Text = Field(description="The goal as the player reads it.")


class Achievement(Model):
    id: Slug
    title: Annotated[str, Field(min_length=1, max_length=40)] = Field(
        description="Name of the achievement."
    )
    text: Text = Field(description="What it is earned for.")
    condition: Condition | None = Field(
        None, description="Earned if this holds at the end of any quarter."
    )
    adopted: list[Slug] = Field(
        default_factory=list, description="Interventions that must all have been adopted."
    )
    never_adopted: list[Slug] = Field(
        default_factory=list, description="Interventions that must never have been adopted."
    )

    @model_validator(mode="after")
    def _has_criterion(self) -> Self:
        return self.enforce(ACHIEVEMENT_CRITERION)


class Lesson(Model):
    id: Slug
    title: Annotated[str, Field(min_length=1, max_length=60)] = Field(
        description="Headline of the lesson in the debrief."
    )
    text: Text = Field(description="The lesson.")
    when: Condition | None = Field(
        None, description="Shown when this holds at the end of the game (always if unset)."
    )
    adopted: list[Slug] = Field(
        default_factory=list,
        description="Shown only if the player adopted all of these interventions.",
    )
    never_adopted: list[Slug] = Field(
        default_factory=list,
        description="Shown only if the player adopted none of these interventions.",
    )
    chose: list[Answer] = Field(
        default_factory=list,
        description="Shown only if the player gave all of these dilemma answers, each "
        "written 'EVENT.CHOICE' (an event id, a dot, one of its choice ids).",
    )
    never_chose: list[Answer] = Field(
        default_factory=list,
        description="Shown only if the player gave none of these dilemma answers ('EVENT.CHOICE').",
    )


def _dynamics_model() -> type[BaseModel]:
    fields = {}
    for dyn_field in Dynamics.field_docs():
        meta = dyn_field.metadata
        fields[dyn_field.name] = (
            float | None,
            Field(
                None,
                ge=meta["low"],
                le=meta["high"],
                description=f"{meta['doc']} Default {dyn_field.default}.",
            ),
        )
    return create_model("DynamicsOverrides", __base__=Model, **fields)


DynamicsOverrides = _dynamics_model()


class ReferencePlan(Model):
    """A whole game's decisions, in the policy file's format, that the debrief compares
    a player's game with."""

    id: Slug
    title: Annotated[str, Field(min_length=1, max_length=60)] = Field(
        description="The plan's name in the debrief."
    )
    choices: dict[str, str] = Field(
        default_factory=dict,
        description="Dilemma id -> choice id, whenever the dilemma comes up (a quarter's "
        "own choices win).",
    )
    decisions: list[QuarterDecisions] = Field(
        default_factory=list,
        description="Each quarter's interventions and dilemma answers, as in a policy file; "
        "quarters not listed decide nothing.",
    )


class Scenario(Model):
    """A complete scenario."""

    model_config = ConfigDict(title="Going Dark scenario")

    meta: Meta = Field(description="Identity of the scenario: id, title, difficulty, length.")
    briefing: Briefing = Field(description="What the player reads before the first quarter.")
    company: Company = Field(description="The company: name, currency, budget and departments.")
    segments: Annotated[list[Segment], Field(min_length=1, max_length=20)] = Field(
        description="Customer segments: who the customers are, what they are worth and how "
        "likely they are to leave."
    )
    acquisition: Acquisition = Field(
        default_factory=Acquisition, description="How new customers are won."
    )
    start: Start = Field(
        default_factory=Start,
        description="Starting levels of the organisation's standards and capabilities.",
    )
    practices: dict[str, Annotated[float, Field(ge=-5.0, le=5.0)]] = Field(
        default_factory=dict,
        description="Standing lever levels, in force every quarter.",
        json_schema_extra={"propertyNames": {"enum": list(LEVER_NAMES)}},
    )
    dynamics: DynamicsOverrides = Field(
        default_factory=DynamicsOverrides,
        description="Overrides of the model's coefficients (rarely needed).",
    )  # type: ignore[valid-type]
    interventions: Annotated[list[Intervention], Field(min_length=1)] = Field(
        description="What the player can spend the budget on."
    )
    events: list[Event] = Field(
        default_factory=list,
        description="Scheduled, random and conditional events; an event with choices is a dilemma.",
    )
    scoring: Scoring = Field(
        description="How a game is scored (0 to 100) and the scores for stars."
    )
    goals: list[Goal] = Field(
        default_factory=list,
        description="Goals shown to the player and judged at the end of the game.",
    )
    achievements: list[Achievement] = Field(
        default_factory=list, description="Achievements a player can earn during the game."
    )
    lessons: list[Lesson] = Field(default_factory=list, description="Lessons shown in the debrief.")
    reference_plans: list[ReferencePlan] = Field(
        default_factory=list,
        description="Sensible plans, in the policy format: the debrief's what-ifs compare "
        "the player's game with them, and goingdark balance measures the case against them.",
    )

    def dynamics_params(self) -> Dynamics:
        """The engine's coefficients: defaults with this scenario's overrides."""
        overrides = {k: v for k, v in self.dynamics.model_dump().items() if v is not None}
        return Dynamics().replace(**overrides)

    @property
    def customer_count(self) -> int:
        return sum(segment.count for segment in self.segments)

    @property
    def headcount(self) -> int:
        return sum(department.headcount for department in self.company.departments)

    def intervention(self, intervention_id: str) -> Intervention:
        for intervention in self.interventions:
            if intervention.id == intervention_id:
                return intervention
        raise KeyError(intervention_id)
