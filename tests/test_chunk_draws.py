"""Customer draws made only where they are read land exactly where a full draw puts them."""

from __future__ import annotations

import numpy as np
import pytest

from engine.market import CHUNK, CHUNK_ALIGN, chunk_width, draw_chunk, skip_uniforms
from engine.randomness import BlockStreams, Concern
from engine.state import FLOAT
from engine.uniforms import draw_uniforms

ROWS, DRAWS = 5, 3


def full_chunk(segment: int, chunk: int, width: int) -> np.ndarray:
    streams = BlockStreams(11, Concern.CUSTOMERS, 2, 0)
    out = np.empty((ROWS, DRAWS, width), FLOAT)
    draw_chunk(streams, segment, chunk, out)
    return out


@pytest.mark.parametrize("width", [CHUNK, 176])
@pytest.mark.parametrize("share", [0.0, 0.08, 0.49, 0.5, 0.51, 0.9, 1.0])
@pytest.mark.parametrize("skipped", [0, 1, 3])
def test_partial_chunk_draws_match_the_full_draw_bit_for_bit(
    width: int, share: float, skipped: int
) -> None:
    used = max(1, round(share * width))
    expected = full_chunk(1, 0, width)
    out = np.full((ROWS, DRAWS, width), np.nan, FLOAT)
    draw_chunk(BlockStreams(11, Concern.CUSTOMERS, 2, 0), 1, 0, out, used, skipped)
    assert out[skipped:, :, :used].tobytes() == expected[skipped:, :, :used].tobytes()


@pytest.mark.parametrize("slots", [0, 1, 16, 17, 170, 1475, 2048, 2049, 9190, 100_000])
def test_a_chunk_width_covers_the_starting_slots_in_the_fewest_aligned_chunks(slots: int) -> None:
    width = chunk_width(slots)
    pieces = max(1, -(-slots // width))
    assert width % CHUNK_ALIGN == 0 and 0 < width <= CHUNK
    assert pieces == max(1, -(-slots // CHUNK)), "no more generators than full chunks need"
    assert pieces * width - max(slots, 1) < pieces * CHUNK_ALIGN, "next to nothing unread"


@pytest.mark.parametrize("drawn", [0, 1, 2, 7, 8])
@pytest.mark.parametrize("skipped", [0, 1, 2, 9, 10])
def test_skipping_uniforms_is_drawing_and_discarding_them(drawn: int, skipped: int) -> None:
    # Runs of draws start at an even count, as every row of a chunk does.
    if (drawn + skipped) % 2:
        skipped += 1
    reference = np.random.Generator(np.random.PCG64(5))
    expected = reference.random(drawn + skipped + 4, dtype=FLOAT)
    rng = np.random.Generator(np.random.PCG64(5))
    first = rng.random(drawn, dtype=FLOAT)
    skip_uniforms(rng, skipped)
    after = rng.random(4, dtype=FLOAT)
    assert first.tobytes() == expected[:drawn].tobytes()
    assert after.tobytes() == expected[drawn + skipped :].tobytes()


@pytest.mark.parametrize("size", [2, 4, 1000, 3 * 1488 * 5])
@pytest.mark.parametrize("seed", [0, 5, 2**40 + 3])
def test_uniforms_from_raw_words_are_numpys_float32_uniforms(size: int, seed: int) -> None:
    expected = np.random.Generator(np.random.PCG64(seed)).random(size, dtype=FLOAT)
    rng = np.random.Generator(np.random.PCG64(seed))
    out = np.empty(size, FLOAT)
    draw_uniforms(rng, out)
    assert out.tobytes() == expected.tobytes()
    # The generator moved on exactly as far: what it draws next is the same too.
    reference = np.random.Generator(np.random.PCG64(seed))
    reference.random(size, dtype=FLOAT)
    assert rng.random(6, dtype=FLOAT).tobytes() == reference.random(6, dtype=FLOAT).tobytes()
