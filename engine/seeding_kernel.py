"""The hashing of :mod:`engine.seeding` as one compiled call: a key's words mixed into
a kept pool, and PCG64's four state words made from the result.

In Python this arithmetic costs about 7 microseconds a generator, and a quarter of a
single game makes a couple of dozen new generators: about a fifth of its time. The
arithmetic is NumPy's ``SeedSequence`` (``mix_entropy`` and ``generate_state``), word
for word: 32-bit words held in 64-bit unsigned integers and masked after every
product (a product of two 32-bit words fits, and wrap-around modulo 2**64 leaves the
low 32 bits exact), so ``tests/test_seeding.py`` still finds NumPy's streams.

Like the model's other kernels, this module is imported when the first generator is
made, not with :mod:`engine.seeding`, so that the game's first frame does not wait for
Numba.
"""

from __future__ import annotations

import numpy as np

from engine.jit import kernel
from engine.seed_hash import INIT_B, MASK, MIX_MULT_L, MIX_MULT_R, MULT_A, MULT_B, XSHIFT


@kernel
def mix_key(pool, constant, key, out):
    """Mix the 32-bit words of ``key`` (uint64) into ``pool`` (four uint64 words, the
    hash's constant now being ``constant``), writing the new pool to ``out[:4]`` and
    PCG64's four state words for it to ``out[4:]``. Returns the hash's next constant."""
    mixed = out[:4]
    mask = np.uint64(MASK)
    shift = np.uint64(XSHIFT)
    left, right = np.uint64(MIX_MULT_L), np.uint64(MIX_MULT_R)
    multiplier = np.uint64(MULT_A)
    for target in range(4):
        mixed[target] = pool[target]
    for word in key:
        for target in range(4):
            after = (constant * multiplier) & mask
            value = ((word ^ constant) * after) & mask
            value ^= value >> shift
            constant = after
            result = (left * mixed[target] - right * value) & mask
            mixed[target] = result ^ (result >> shift)
    before = np.uint64(INIT_B)
    for word in range(4):
        halves = [np.uint64(0), np.uint64(0)]
        for half in range(2):
            after = (before * np.uint64(MULT_B)) & mask
            value = ((mixed[(2 * word + half) & 3] ^ before) * after) & mask
            halves[half] = value ^ (value >> shift)
            before = after
        out[4 + word] = halves[0] | (halves[1] << np.uint64(32))
    return constant
