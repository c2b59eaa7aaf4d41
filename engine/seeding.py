"""NumPy generators keyed by (seed, spawn key), made several times faster.

Every draw of the model comes from ``Generator(PCG64(SeedSequence(seed, spawn_key)))``
(``engine.randomness``), and a quarter makes dozens of them: more than the model's own
arithmetic costs in a small game. Building a ``SeedSequence`` hashes the whole key from
scratch each time; here the hashing of the key's first words (the seed, the concern,
the quarter, the block of runs), which many generators share, is kept, only the last
words are hashed anew, and the state of a whole key is kept for when it is asked for
again (a what-if replays the same quarters for every alternative). The algorithm is
NumPy's own, word for word (``SeedSequence``'s ``mix_entropy`` and
``generate_state``), so the generators are the very same streams:
``tests/test_seeding.py`` compares them with ``SeedSequence`` over many keys.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.random.bit_generator import ISeedSequence

MASK = 0xFFFFFFFF
POOL_SIZE = 4  # SeedSequence's default pool of 32-bit words
INIT_A = 0x43B0D7E5
MULT_A = 0x931E8875
INIT_B = 0x8B51F9DD
MULT_B = 0x58F38DED
MIX_MULT_L = 0xCA01F9DD
MIX_MULT_R = 0x4973F715
XSHIFT = 16
# Key prefixes hashed once and kept: a game touches a few hundred (seed, concern,
# quarter, block of runs), a forecast of 1000 runs over 40 quarters a few thousand.
PREFIX_CACHE = 4096
STATE_CACHE = 65536  # whole keys kept: 32 bytes of state and the key each


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


# The constants of the first hashes, computed once: a key of a dozen words needs ~64.
HASH_CONSTANTS = tuple(hash_constant(calls) for calls in range(257))
# generate_state's (xor, multiply) constants for the eight 32-bit words of PCG64's state.
STATE_CONSTANTS = tuple(
    ((INIT_B * pow(MULT_B, n, 1 << 32)) & MASK, (INIT_B * pow(MULT_B, n + 1, 1 << 32)) & MASK)
    for n in range(8)
)


def hashmix(value: int, calls: int) -> int:
    """SeedSequence's ``hashmix`` of ``value`` as its hash's call number ``calls`` (from
    0): xor with the current constant, advance it, multiply by the new one, fold."""
    if calls + 1 < len(HASH_CONSTANTS):
        before, after = HASH_CONSTANTS[calls], HASH_CONSTANTS[calls + 1]
    else:
        before, after = hash_constant(calls), hash_constant(calls + 1)
    value = ((value ^ before) * after) & MASK
    return value ^ (value >> XSHIFT)


def mix(x: int, y: int) -> int:
    """SeedSequence's ``mix`` of two words."""
    result = (MIX_MULT_L * x - MIX_MULT_R * y) & MASK
    return result ^ (result >> XSHIFT)


@lru_cache(maxsize=64)
def seed_pool(entropy: int) -> tuple[tuple[int, ...], int]:
    """The pool after hashing the seed (SeedSequence's run entropy, padded to the pool),
    and how many hashes were made (the next hash's constant follows from it)."""
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
    return extend(tuple(pool), calls, beyond)


@lru_cache(maxsize=PREFIX_CACHE)
def mixed_prefix(entropy: int, key_prefix: tuple[int, ...]) -> tuple[tuple[int, ...], int]:
    """The pool after hashing the seed and the first words of the spawn key."""
    pool, calls = seed_pool(entropy)
    return extend(pool, calls, key_prefix)


def extend(pool: tuple[int, ...], calls: int, key: tuple[int, ...]) -> tuple[tuple[int, ...], int]:
    """Mix the words of more spawn-key entries into a pool (the hot path: written out,
    with the hash constants from the table, as ``hashmix`` and ``mix`` do them)."""
    a, b, c, d = pool
    constants = HASH_CONSTANTS
    for entry in key:
        for word in (entry,) if 0 <= entry <= MASK else words(entry):
            if calls + 4 >= len(constants):
                constants = tuple(hash_constant(n) for n in range(calls + 5))
            mixed = []
            for target in (a, b, c, d):
                value = ((word ^ constants[calls]) * constants[calls + 1]) & MASK
                value ^= value >> XSHIFT
                result = (MIX_MULT_L * target - MIX_MULT_R * value) & MASK
                mixed.append(result ^ (result >> XSHIFT))
                calls += 1
            a, b, c, d = mixed
    return (a, b, c, d), calls


def state_words(pool: tuple[int, ...]) -> np.ndarray:
    """SeedSequence's ``generate_state(4, np.uint64)`` of a mixed pool."""
    out = []
    for index, (before, after) in enumerate(STATE_CONSTANTS):
        value = ((pool[index & 3] ^ before) * after) & MASK
        out.append(value ^ (value >> XSHIFT))
    return np.array(
        [
            out[0] | out[1] << 32,
            out[2] | out[3] << 32,
            out[4] | out[5] << 32,
            out[6] | out[7] << 32,
        ],
        dtype=np.uint64,
    )


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
    pool, calls = mixed_prefix(entropy, shared)
    pool, _ = extend(pool, calls, own)
    state = state_words(pool)
    state.flags.writeable = False
    return state


def keyed_generator(
    entropy: int, shared: tuple[int, ...], own: tuple[int, ...]
) -> np.random.Generator:
    """``Generator(PCG64(SeedSequence(entropy, spawn_key=shared + own)))``, hashing the
    ``shared`` part of the key once for all generators that share it."""
    return np.random.Generator(np.random.PCG64(KeyedSeed(keyed_state(entropy, shared, own))))
