"""The acquisition phase's kernels and counts: the same bits as the NumPy formulas they
replaced, pools drawn only as far as they are read, and the Poisson quantile exact."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import make_world
from scipy.special import pdtr

from engine.acquisition import POOL_TRAITS, poisson_quantile
from engine.acquisition_kernel import (
    NewcomerTerms,
    newcomer_constants,
    place_newcomers,
    room_shortfall,
)
from engine.arrays import clip
from engine.randomness import BlockStreams, Concern
from engine.setup import CUSTOMER_FIELDS
from engine.simulate import simulate
from engine.traits import CUSTOMER_TRAIT_STREAMS, draw_customer_traits

# The state arrays in the order the placing kernel takes them.
FIELDS = ("active", "dark", "awakened", "joined", *CUSTOMER_FIELDS)


def random_customers(
    rng: np.random.Generator, runs: int, slots: int, taken: float
) -> dict[str, np.ndarray]:
    """Random state arrays, a share ``taken`` of the slots active."""
    arrays = {name: rng.random((runs, slots)) < taken for name in FIELDS[:3]}
    arrays["joined"] = rng.integers(0, 9, (runs, slots)).astype(np.int16)
    for name in FIELDS[4:]:
        arrays[name] = rng.random((runs, slots), dtype=np.float32)
    return arrays


def placed_by_numpy(
    arrays, first_run, first_slot, last_slot, quarter, wanted, pool, first, stride, terms, fit_sd
):
    """The acquisition phase's former NumPy formulas: index arrays of the first free
    slots, each trait gathered and assigned by fancy indexing."""
    traits = dict(zip(POOL_TRAITS, pool, strict=True))
    run_of, slot_of, source_of = [], [], []
    for row, needed in enumerate(wanted):
        run = first_run + row
        free = np.flatnonzero(~arrays["active"][run, first_slot:last_slot])[:needed] + first_slot
        run_of += [run] * len(free)
        slot_of += list(free)
        source_of += list(range(first + row * stride, first + row * stride + len(free)))
    run_of, slot_of, source_of = (np.array(v, dtype=np.intp) for v in (run_of, slot_of, source_of))
    drawn = {name: values[source_of] for name, values in traits.items()}
    fit = terms.fit_mean[run_of] + fit_sd * drawn.pop("fit_noise")
    drawn["fit"] = clip(fit, 0.05, 1.0).astype(np.float32)
    drawn["satisfaction"] = np.minimum(
        drawn["satisfaction"] + terms.satisfaction_boost[run_of], 1
    ).astype(np.float32)
    drawn["expectation_gap"] = terms.expectation_gap[run_of]
    for name, values in drawn.items():
        arrays[name][run_of, slot_of] = values
    arrays["active"][run_of, slot_of] = True
    arrays["dark"][run_of, slot_of] = False
    arrays["awakened"][run_of, slot_of] = False
    arrays["joined"][run_of, slot_of] = quarter


@pytest.mark.parametrize("fit_type", [np.float32, np.float64])
@pytest.mark.parametrize("seed", range(6))
def test_placing_newcomers_gives_the_bits_of_the_numpy_formulas(seed, fit_type):
    rng = np.random.default_rng(seed)
    runs, slots, stride = 9, 60, 12
    # Rows with many free slots and rows with few.
    before = random_customers(rng, runs, slots, 0.6 if seed % 2 else 0.97)
    first_run, first_slot, last_slot = 2, 7, 50
    wanted = rng.integers(0, stride + 1, runs - first_run)
    skipped = int(rng.integers(0, 3))
    pool = tuple(
        (rng.standard_normal((skipped + wanted.size) * stride) * 0.6 + 0.5).astype(np.float32)
        for _ in POOL_TRAITS
    )
    overpromise = rng.random(runs, dtype=np.float32) * np.float32(1.5)
    terms = NewcomerTerms(
        fit_mean=(0.9 - 0.3 * rng.random(runs, dtype=np.float32)).astype(fit_type),
        satisfaction_boost=0.2 * overpromise,
        expectation_gap=np.minimum(0.7 * overpromise, 1).astype(np.float32),
    )
    fit_sd = 0.37
    by_kernel = {name: values.copy() for name, values in before.items()}
    by_numpy = {name: values.copy() for name, values in before.items()}
    place = (first_run, first_slot, last_slot, 5, wanted, pool, skipped * stride, stride, terms)
    place_newcomers(
        tuple(by_kernel[name] for name in FIELDS), *place, newcomer_constants(fit_sd, terms)
    )
    placed_by_numpy(by_numpy, *place, fit_sd)
    for name in FIELDS:
        assert by_kernel[name].dtype == before[name].dtype
        assert np.array_equal(by_kernel[name], by_numpy[name]), name
    assert not np.array_equal(by_kernel["active"], before["active"])


def test_the_room_shortfall_is_what_counting_every_free_slot_says():
    rng = np.random.default_rng(4)
    active = rng.random((30, 80)) < np.linspace(0.5, 1.0, 30)[:, None]
    for first, last in [(0, 80), (10, 45), (45, 45), (3, 77)]:
        free = (last - first) - np.count_nonzero(active[:, first:last], axis=1)
        for _ in range(20):
            wanted = rng.integers(0, 30, 30)
            expected = int((wanted - free).max(initial=0))
            assert max(int(room_shortfall(active, first, last, wanted)), 0) == expected


def test_a_pool_drawn_only_as_far_as_it_is_read_has_the_numbers_of_the_whole_pool():
    # The phase draws a block's pool flat and stops after the last newcomer a run
    # takes: each trait's generator fills its draw in order, so nothing read moves.
    segment = make_world().scenario.segments[1]
    streams = BlockStreams(17, Concern.ACQUISITION, 3, 2).group(7, CUSTOMER_TRAIT_STREAMS)
    whole = draw_customer_traits(segment, streams, (5, 40))
    for stop in (0, 1, 39, 41, 123, 200):
        part = draw_customer_traits(segment, streams, (stop,))
        for name, values in whole.items():
            assert np.array_equal(part[name], values.reshape(-1)[:stop]), (name, stop)


def poisson_by_definition(uniform: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """The smallest k with pdtr(k, mean) >= uniform, by counting up from 0."""
    k = np.zeros(uniform.shape)
    short = (mean > 0) & (pdtr(k, np.maximum(mean, 0)) < uniform)
    while short.any():
        k[short] += 1
        short &= pdtr(k, np.maximum(mean, 0)) < uniform
    return k.astype(np.int64)


def test_the_poisson_quantile_is_the_smallest_count_whose_cdf_reaches_the_uniform():
    rng = np.random.default_rng(8)
    mean = np.concatenate([rng.random(20_000) * 40, np.round(rng.random(5_000) * 30), [1e-12]])
    uniform = rng.random(mean.size)
    # Uniforms exactly at the CDF's steps, and one float either side of them.
    steps = pdtr(np.floor(mean[:3000]), mean[:3000])
    uniform[:3000] = steps
    uniform[3000:6000] = np.nextafter(steps, 0)
    uniform[6000:9000] = np.minimum(np.nextafter(steps, 2), np.nextafter(1, 0))
    assert np.array_equal(poisson_quantile(uniform, mean), poisson_by_definition(uniform, mean))


def test_the_poisson_quantile_brackets_the_uniform_for_large_means():
    rng = np.random.default_rng(9)
    mean = np.exp(rng.uniform(np.log(50), np.log(1e7), 20_000))
    uniform = rng.random(mean.size)
    uniform[:10] = np.nextafter(1, 0)
    k = poisson_quantile(uniform, mean).astype(np.float64)
    assert (pdtr(k, mean) >= uniform).all()
    assert (pdtr(k - 1, mean) < uniform).all()


def test_the_poisson_quantile_at_the_edges():
    uniform = np.array([0.0, 0.0, 0.5, 0.5, 0.5, 0.5, np.nextafter(1, 0), 0.999, 1.0])
    mean = np.array([0.0, 7.0, 0.0, -1.0, np.nan, 1e-300, 1e-9, 4000.0, 3.0])
    counts = poisson_quantile(uniform, mean)
    assert counts.dtype == np.int64
    assert counts[:7].tolist() == [0, 0, 0, 0, 0, 0, 1]
    assert counts[7] == poisson_by_definition(uniform[7:8], mean[7:8])[0]
    assert pdtr(counts[8], 3.0) == 1.0 and pdtr(counts[8] - 1, 3.0) < 1.0


def test_a_poisson_mean_too_large_to_count_is_refused():
    with pytest.raises(ValueError) as caught:
        poisson_quantile(np.array([0.5, 0.5]), np.array([3.0, 2.0**60]))
    assert str(caught.value) == "a Poisson mean must be below 2**53 to be counted, got 1.15292e+18"


def test_a_run_that_outgrows_its_pool_gets_the_same_newcomers_played_alone_or_with_others():
    world = make_world(acquisition={"rate": 0.1}, practices={"marketing": 1.0})
    world.__dict__["pool_sizes"] = np.array([3, 0], dtype=np.int64)  # every run overflows
    alone = simulate(world, seed=21, runs=1, quarters=4)
    together = simulate(world, seed=21, runs=70, quarters=4)
    assert alone.history["new_customers"][1:].min() > 3
    for name in alone.history:
        assert np.array_equal(alone.history[name][:, 0], together.history[name][:, 0]), name
