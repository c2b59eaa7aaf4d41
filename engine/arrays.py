"""Small array helpers that the quarter calls many times on small arrays.

A single game's quarter works on arrays of one run, where NumPy's fixed cost per call
dominates; these helpers give the same values as their NumPy counterparts with fewer
layers of Python around the ufuncs.
"""

from __future__ import annotations

import numpy as np


def clip(values, low, high, out: np.ndarray | None = None):
    """``np.clip(values, low, high)``, computed as NumPy defines it,
    ``minimum(maximum(values, low), high)``, without ``np.clip``'s Python wrapper
    (several microseconds a call, most of a small array's cost)."""
    if out is None:
        return np.minimum(np.maximum(values, low), high)
    np.maximum(values, low, out=out)
    return np.minimum(out, high, out=out)


def row_means(values: np.ndarray) -> np.ndarray:
    """``values.mean(axis=1, dtype=np.float64)``, computed as NumPy does (a float64 sum
    of each row divided by its length), without ``np.mean``'s Python layers."""
    return np.add.reduce(values, axis=1, dtype=np.float64) / values.shape[1]
