"""NumPy generators keyed by (seed, spawn key), made several times faster.

Every draw of the model comes from ``Generator(PCG64(SeedSequence(seed, spawn_key)))``
(``engine.randomness``), and a quarter makes dozens of them: more than the model's own
arithmetic costs in a small game. Building a ``SeedSequence`` hashes the whole key from
scratch each time; here the hashing of the key's first words (the seed, the concern,
the quarter, the block of runs), which many generators share, is kept, only the last
words are hashed anew (in one compiled call: ``engine.seeding_kernel``), and the state
of a whole key is kept for when it is asked for again (a what-if replays the same
quarters for every alternative). The algorithm is NumPy's own, word for word
(``SeedSequence``'s ``mix_entropy`` and ``generate_state``), so the generators are the
very same streams: ``tests/test_seeding.py`` compares them with ``SeedSequence`` over
many keys.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.random.bit_generator import ISeedSequence

from engine.seed_hash import (
    INIT_A,
    MASK,
    MIX_MULT_L,
    MIX_MULT_R,
    MULT_A,
    POOL_SIZE,
    XSHIFT,
)

# Key prefixes hashed once and kept: a game touches a few hundred (seed, concern,
# quarter, block of runs), a forecast of 1000 runs over 40 quarters a few thousand.
PREFIX_CACHE = 4096
STATE_CACHE = 65536  # whole keys kept: 32 bytes of state and the key each
KEY_CACHE = 4096  # the words of key parts: a quarter asks for the same few dozen


def words(value: int) -> tuple[int, ...]:
    """A non-negative integer as little-endian 32-bit words, as SeedSequence splits it
    (zero is one word)."""
    if value < 0:
        raise ValueError(f"seed words must not be negative, got {value}")
    if value == 0:
        return (0,)
    out = []
    while value:
        out.append(value & MASK)
        value >>= 32
    return tuple(out)


def hash_constant(calls: int) -> int:
    """The constant of SeedSequence's hash after ``calls`` hashes: INIT_A * MULT_A^calls."""
    return (INIT_A * pow(MULT_A, calls, 1 << 32)) & MASK


def hashmix(value: int, calls: int) -> int:
    """SeedSequence's ``hashmix`` of ``value`` as its hash's call number ``calls`` (from
    0): xor with the current constant, advance it, multiply by the new one, fold."""
    before, after = hash_constant(calls), hash_constant(calls + 1)
    value = ((value ^ before) * after) & MASK
    return value ^ (value >> XSHIFT)


def mix(x: int, y: int) -> int:
    """SeedSequence's ``mix`` of two words."""
    result = (MIX_MULT_L * x - MIX_MULT_R * y) & MASK
    return result ^ (result >> XSHIFT)


@lru_cache(maxsize=64)
def seed_pool(entropy: int) -> tuple[np.ndarray, int]:
    """The pool after hashing the seed (SeedSequence's run entropy, padded to the pool)
    as four uint64 words, and the hash's constant to go on with."""
    run = list(words(entropy))
    beyond = tuple(run[POOL_SIZE:])  # a seed above 128 bits: mixed in like key words
    run = run[:POOL_SIZE] + [0] * (POOL_SIZE - len(run))
    pool = [hashmix(word, calls) for calls, word in enumerate(run)]
    calls = POOL_SIZE
    for source in range(POOL_SIZE):
        for target in range(POOL_SIZE):
            if source != target:
                pool[target] = mix(pool[target], hashmix(pool[source], calls))
                calls += 1
    start = np.array(pool, dtype=np.uint64)
    start.flags.writeable = False  # as every pool the compiled mixing reads: one signature
    mixed, constant, _ = mix_words(start, hash_constant(calls), beyond)
    mixed.flags.writeable = False  # kept: a stray write would change every later stream
    return mixed, constant


@lru_cache(maxsize=PREFIX_CACHE)
def mixed_prefix(entropy: int, key_prefix: tuple[int, ...]) -> tuple[np.ndarray, int]:
    """The pool after hashing the seed and the first words of the spawn key, and the
    hash's constant to go on with."""
    pool, constant = seed_pool(entropy)
    mixed, constant, _ = mix_words(pool, constant, key_prefix)
    mixed.flags.writeable = False  # kept, as in seed_pool
    return mixed, constant


@lru_cache(maxsize=KEY_CACHE)
def key_words(key: tuple[int, ...]) -> np.ndarray:
    """The spawn-key entries as SeedSequence hashes them: 32-bit words, uint64
    (read-only, kept: the same parts are asked for every quarter)."""
    found = np.array([word for entry in key for word in words(entry)], dtype=np.uint64)
    found.flags.writeable = False
    return found


def mix_words(
    pool: np.ndarray, constant: int, key: tuple[int, ...]
) -> tuple[np.ndarray, int, np.ndarray]:
    """Mix the words of more spawn-key entries into ``pool`` (the hash's constant being
    ``constant``): the new pool, the next constant, and SeedSequence's
    ``generate_state(4, np.uint64)`` of the new pool (PCG64's state words)."""
    global _mix_key
    if _mix_key is None:
        from engine.seeding_kernel import mix_key  # Numba: see engine.seeding_kernel

        _mix_key = mix_key
    out = np.empty(2 * POOL_SIZE, dtype=np.uint64)
    constant = _mix_key(pool, np.uint64(constant), key_words(key), out)
    return out[:POOL_SIZE], int(constant), out[POOL_SIZE:]


# The compiled mixing, once imported (a function-level import costs a microsecond a call).
_mix_key = None


class KeyedSeed(ISeedSequence):
    """A seed sequence that hands PCG64 state words already computed."""

    __slots__ = ("state",)

    def __init__(self, state: np.ndarray):
        self.state = state

    def generate_state(self, n_words: int, dtype: type = np.uint32) -> np.ndarray:
        """The state words (PCG64 asks for exactly four 64-bit words)."""
        if n_words != 4 or (dtype is not np.uint64 and np.dtype(dtype) != np.uint64):
            raise ValueError("a keyed seed only seeds PCG64")
        return self.state


@lru_cache(maxsize=STATE_CACHE)
def keyed_state(entropy: int, shared: tuple[int, ...], own: tuple[int, ...]) -> np.ndarray:
    """PCG64's four state words for the key ``shared + own`` (read-only, kept: a what-if
    or a forecast asks for the same keys again for every alternative or plan)."""
    pool, constant = mixed_prefix(entropy, shared)
    _, _, state = mix_words(pool, constant, own)
    state.flags.writeable = False
    return state


def keyed_generator(
    entropy: int, shared: tuple[int, ...], own: tuple[int, ...]
) -> np.random.Generator:
    """``Generator(PCG64(SeedSequence(entropy, spawn_key=shared + own)))``, hashing the
    ``shared`` part of the key once for all generators that share it."""
    return np.random.Generator(np.random.PCG64(KeyedSeed(keyed_state(entropy, shared, own))))
