"""Customer draws made only where they are read land exactly where a full draw puts them."""

from __future__ import annotations

import numpy as np
import pytest

from engine.market import CHUNK, draw_chunk, skip_uniforms
from engine.randomness import BlockStreams, Concern
from engine.state import FLOAT

ROWS, DRAWS = 5, 3


def full_chunk(segment: int, chunk: int) -> np.ndarray:
    streams = BlockStreams(11, Concern.CUSTOMERS, 2, 0)
    out = np.empty((ROWS, DRAWS, CHUNK), FLOAT)
    draw_chunk(streams, segment, chunk, out)
    return out


@pytest.mark.parametrize("used", [1, 2, 169, 170, CHUNK // 2, CHUNK // 2 + 1, CHUNK - 1, CHUNK])
@pytest.mark.parametrize("skipped", [0, 1, 3])
def test_partial_chunk_draws_match_the_full_draw_bit_for_bit(used: int, skipped: int) -> None:
    expected = full_chunk(1, 0)
    out = np.full((ROWS, DRAWS, CHUNK), np.nan, FLOAT)
    draw_chunk(BlockStreams(11, Concern.CUSTOMERS, 2, 0), 1, 0, out, used, skipped)
    assert out[skipped:, :, :used].tobytes() == expected[skipped:, :, :used].tobytes()


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
