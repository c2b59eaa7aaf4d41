"""The customer kernel's two passes: tiles of a wide chunk add up exactly as chunks
do, and skipping the logarithm of a zero hazard changes no bit."""

from __future__ import annotations

import math

import numpy as np

from engine.customer_kernel import TILE, cumulative_hazard, customer_constants, play_chunk

RUNS = 3
WIDTH = 2 * TILE + 904  # three tiles, the last one partial


def random_chunk(dynamics) -> tuple:
    """State, terms, draws and constants of one segment's chunk of ``WIDTH`` slots."""
    rng = np.random.default_rng(41)
    shape = (RUNS, WIDTH)

    def unit() -> np.ndarray:
        return rng.random(shape, dtype=np.float32)

    customers = (
        rng.random(shape) < 0.9,  # active, with free slots among them
        rng.random(shape) < 0.2,  # dark
        rng.random(shape) < 0.3,  # awakened
        unit() * np.float32(0.3),  # expectation gap
        unit(),  # satisfaction
        unit(),  # thrill
        unit(),  # trust
        rng.beta(0.7, 3.0, shape).astype(np.float32),  # propensity
        unit() * np.float32(100),  # value
        unit(),  # fit
    )

    def per_run(columns: int = 0) -> np.ndarray:
        values = rng.random((RUNS, columns) if columns else RUNS, dtype=np.float32)
        return values * np.float32(0.3)

    terms = (
        per_run(1) + np.float32(0.5),  # experience
        per_run() + np.float32(0.6),  # gap kept
        per_run(),  # new gap
        per_run(),  # satisfaction boost
        per_run(1),  # thrill gain
        per_run(1) + np.float32(0.6),  # thrill kept
        per_run() + np.float32(0.5),  # trust target
        per_run(),  # dark chance
        per_run(),  # recover chance
        per_run(1),  # wake chance
    )
    uniforms = rng.random((RUNS, 3, WIDTH), dtype=np.float32)
    return customers, terms, uniforms, customer_constants(dynamics)


def empty_flows() -> tuple:
    def counts(*shape: int) -> np.ndarray:
        return np.zeros(shape, dtype=np.int64)

    return (
        counts(RUNS),
        np.zeros((RUNS, 6)),
        np.zeros(RUNS),
        counts(RUNS),
        counts(RUNS),
        counts(RUNS, 1),
        np.zeros((RUNS, 1, 6)),
        np.zeros((RUNS, 1)),
        counts(RUNS, 1),
    )


def test_a_chunk_wider_than_a_tile_plays_as_the_same_slots_cut_into_chunks(minimal_world):
    customers, terms, uniforms, constants = random_chunk(minimal_world.dynamics)
    whole = tuple(values.copy() for values in customers)
    whole_flows = empty_flows()
    play_chunk(
        whole, 0, 0, uniforms, 0, WIDTH, 0, terms, constants, whole_flows, np.zeros((RUNS, 7)), True
    )

    cut = tuple(values.copy() for values in customers)
    cut_flows = empty_flows()
    sums = np.zeros((RUNS, 7))
    starts = range(0, WIDTH, TILE)
    for start in starts:
        stop = min(start + TILE, WIDTH)
        draws = np.ascontiguousarray(uniforms[:, :, start:stop])
        last = start == starts[-1]
        play_chunk(
            cut, 0, start, draws, 0, stop - start, 0, terms, constants, cut_flows, sums, last
        )

    for played, expected in zip(whole + whole_flows, cut + cut_flows, strict=True):
        assert np.array_equal(played, expected)
    defections = whole_flows[0]
    assert (defections > 0).all()  # the attribution pass ran in every run
    assert np.array_equal(whole_flows[3], customers[0].sum(axis=1))  # free slots not counted
    assert np.allclose(whole_flows[1].sum(axis=1), defections)  # each defection split whole


def test_a_zero_hazard_skips_the_logarithm_and_keeps_its_sign():
    for zero in (0.0, -0.0):
        skipped = cumulative_hazard(np.float32(zero))
        assert skipped == 0.0
        assert math.copysign(1.0, skipped) == math.copysign(1.0, -math.log1p(-zero))
    for hazard in (1e-8, 0.25, 0.999, 0.9995):
        rounded = float(np.float32(hazard))
        assert cumulative_hazard(np.float32(hazard)) == -math.log1p(-min(rounded, 0.999))
