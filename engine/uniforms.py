"""Float32 uniforms from a generator's raw 64-bit words, the numbers NumPy would make.

``Generator.random(dtype=np.float32)`` takes a 32-bit number from its bit generator for
each uniform, and PCG64 hands those out in pairs: each 64-bit step gives its low half
first and keeps its high half for the next call; a uniform is the top 24 bits of its
32-bit number times 2**-24. Drawing the raw words with ``bit_generator.random_raw``
and splitting them here makes the same uniforms, bit for bit, in about half the time
(NumPy's per-number path calls through a function pointer for every half word).
"""

from __future__ import annotations

import numpy as np

from engine.jit import kernel


def draw_uniforms(rng: np.random.Generator, out: np.ndarray) -> None:
    """Fill the C-contiguous float32 array ``out`` (of even size) with the uniforms
    ``rng.random(dtype=np.float32, out=out)`` would give, from ``rng``'s raw words. The
    generator must have no half word pending (a fresh or advanced PCG64 has none)."""
    words = rng.bit_generator.random_raw(out.size // 2)
    split_words(words, out.reshape(-1))


@kernel
def split_words(words, out):
    """Each 64-bit word in ``words`` to two float32 uniforms in ``out``: its low half's
    top 24 bits, then its high half's, each times 2**-24 (NumPy's ``next_float``)."""
    scale = np.float32(1.0 / 16777216.0)
    low_half = np.uint64(0xFFFFFFFF)
    for index in range(words.size):
        word = words[index]
        out[2 * index] = np.float32((word & low_half) >> np.uint64(8)) * scale
        out[2 * index + 1] = np.float32(word >> np.uint64(40)) * scale
