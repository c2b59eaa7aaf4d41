"""The structure of a quarter: the phases advance runs are the data in PHASES, and
random draws are found by name, so adding a trait moves no other trait's numbers."""

from __future__ import annotations

import numpy as np
import pytest

from engine import step, traits
from engine.decisions import Decisions
from engine.randomness import BlockStreams, Concern, StreamLayout, generator, name_words
from engine.setup import initial_state
from engine.state import FLOAT
from engine.step import PHASES, Phase, advance
from engine.traits import (
    CUSTOMER_TRAIT_STREAMS,
    EMPLOYEE_TRAIT_STREAMS,
    draw_customer_traits,
    draw_employee_traits,
)


def test_advance_runs_the_phases_of_PHASES_in_their_order(minimal_world, monkeypatch):
    ran = []

    def recording(phase: Phase) -> Phase:
        def run(quarter):
            ran.append(phase.name)
            phase.run(quarter)

        return Phase(phase.name, run)

    monkeypatch.setattr(step, "PHASES", tuple(recording(phase) for phase in PHASES))
    state = initial_state(minimal_world, seed=1)
    flows = advance(minimal_world, state, Decisions())
    assert ran == [phase.name for phase in PHASES]
    assert len(set(ran)) == len(ran)
    assert flows.quarter == state.quarter == 1


def test_a_phase_moved_ahead_of_what_it_reads_fails_at_once(minimal_world, monkeypatch):
    names = [phase.name for phase in PHASES]
    swapped = list(PHASES)
    customers, experience = names.index("customers"), names.index("experience")
    swapped[customers], swapped[experience] = swapped[experience], swapped[customers]
    monkeypatch.setattr(step, "PHASES", tuple(swapped))
    with pytest.raises(AttributeError, match="experience"):
        advance(minimal_world, initial_state(minimal_world, seed=1), Decisions())


def _patience(rng, shape, owner):
    return rng.random(shape).astype(FLOAT)


@pytest.mark.parametrize(
    ("table", "layout", "draw", "owner_of"),
    [
        (
            "CUSTOMER_TRAITS",
            CUSTOMER_TRAIT_STREAMS,
            draw_customer_traits,
            lambda world: world.scenario.segments[1],
        ),
        (
            "EMPLOYEE_TRAITS",
            EMPLOYEE_TRAIT_STREAMS,
            draw_employee_traits,
            lambda world: world.scenario.company.departments[0],
        ),
    ],
)
def test_adding_a_trait_leaves_every_other_traits_draws_bit_identical(
    minimal_world, monkeypatch, table, layout, draw, owner_of
):
    owner = owner_of(minimal_world)
    streams = BlockStreams(seed=11, concern=Concern.SETUP, quarter=0, block=2)
    shape = (5, 40)
    before = draw(owner, streams.group(7, layout), shape)
    next_group = draw(owner, streams.group(7 + layout.width, layout), shape)

    # The new trait comes first, where a positional draw would have moved all others.
    monkeypatch.setattr(traits, table, {"patience": _patience, **getattr(traits, table)})
    after = draw(owner, streams.group(7, layout), shape)
    assert set(after) == {*before, "patience"}
    for name, values in before.items():
        assert after[name].tobytes() == values.tobytes(), name
    assert draw(owner, streams.group(7 + layout.width, layout), shape).keys() == after.keys()
    for name, values in next_group.items():
        again = draw(owner, streams.group(7 + layout.width, layout), shape)[name]
        assert again.tobytes() == values.tobytes(), name
    # The new trait's numbers are its own: no other stream of the group gives them.
    patience = after["patience"]
    for part in range(7, 7 + 2 * layout.width):
        assert not np.array_equal(patience, streams.numbered(part).random(shape).astype(FLOAT))
    assert not np.array_equal(patience, draw(owner, streams.group(8, layout), shape)["patience"]), (
        "a group's new traits depend on the group"
    )


def test_the_traits_that_existed_keep_the_parts_they_were_drawn_from():
    streams = BlockStreams(seed=5, concern=Concern.ACQUISITION, quarter=3, block=1)
    group = streams.group(13, CUSTOMER_TRAIT_STREAMS)
    for name, offset in CUSTOMER_TRAIT_STREAMS.offsets.items():
        legacy = generator(5, Concern.ACQUISITION, 3, 1, part=13 + offset)
        assert group.generator(name).random(8).tobytes() == legacy.random(8).tobytes(), name


def test_the_order_of_the_trait_table_does_not_matter(minimal_world, monkeypatch):
    segment = minimal_world.scenario.segments[0]
    streams = BlockStreams(seed=2, concern=Concern.SETUP, quarter=0, block=0)
    before = draw_customer_traits(segment, streams.group(0, CUSTOMER_TRAIT_STREAMS), (3, 9))
    reversed_table = dict(reversed(list(traits.CUSTOMER_TRAITS.items())))
    monkeypatch.setattr(traits, "CUSTOMER_TRAITS", reversed_table)
    after = draw_customer_traits(segment, streams.group(0, CUSTOMER_TRAIT_STREAMS), (3, 9))
    for name, values in before.items():
        assert after[name].tobytes() == values.tobytes(), name


def test_a_names_code_is_fixed_forever():
    # A digest, not hash() (salted per process): if this value changed, every trait
    # added since positional draws would get new numbers.
    assert name_words("patience") == (3488900422, 198157330)
    assert name_words("patience") != name_words("patiencf")


def test_a_layout_refuses_overlapping_or_out_of_range_offsets():
    with pytest.raises(ValueError, match="distinct"):
        StreamLayout({"a": 0, "b": 0}, width=2)
    with pytest.raises(ValueError, match="below 2"):
        StreamLayout({"a": 2}, width=2)
