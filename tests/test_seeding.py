"""The fast keyed generators are NumPy's SeedSequence streams, bit for bit."""

from __future__ import annotations

import random

import numpy as np
import pytest

from engine.randomness import BlockStreams, Concern, StreamLayout, generator, name_words
from engine.seeding import KeyedSeed, keyed_generator, words


def numpy_generator(seed: int, key: tuple[int, ...]) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


def test_keyed_generators_are_seedsequence_streams_for_many_keys():
    rng = random.Random(5)
    for _ in range(2000):
        bits = rng.choice([1, 3, 32, 64, 128, 200])
        seed = rng.choice([0, 1, 7, rng.getrandbits(bits)])
        key = tuple(
            rng.choice([0, 1, rng.getrandbits(16), rng.getrandbits(32), rng.getrandbits(48)])
            for _ in range(rng.randint(1, 7))
        )
        cut = rng.randint(0, len(key))
        ours = keyed_generator(seed, key[:cut], key[cut:]).random(3)
        assert np.array_equal(ours, numpy_generator(seed, key).random(3)), (seed, key)


def test_the_engines_generators_are_the_streams_they_always_were():
    for part in (0, 5, 100_000 * 3 + 2):
        ours = generator(2**40 + 3, Concern.CUSTOMERS, 7, 12, part).random(5, dtype=np.float32)
        theirs = numpy_generator(2**40 + 3, (3, 7, 12, part)).random(5, dtype=np.float32)
        assert np.array_equal(ours, theirs)
    named = BlockStreams(9, Concern.ACQUISITION, 2, 1).group(7, StreamLayout({}, width=1))
    key = (4, 2, 1, 7, *name_words("loyalty"))
    assert np.array_equal(
        named.generator("loyalty").standard_normal(4), numpy_generator(9, key).standard_normal(4)
    )


def test_a_kept_key_gives_a_fresh_stream_each_time():
    first = keyed_generator(3, (1, 2), (0, 0)).random(4)
    assert np.array_equal(keyed_generator(3, (1, 2), (0, 0)).random(4), first)


def test_bad_keys_are_refused_with_their_reason():
    with pytest.raises(ValueError) as negative:
        words(-1)
    assert str(negative.value) == "seed words must not be negative, got -1"
    with pytest.raises(ValueError) as other:
        KeyedSeed(np.zeros(4, dtype=np.uint64)).generate_state(2, np.uint32)
    assert str(other.value) == "a keyed seed only seeds PCG64"
