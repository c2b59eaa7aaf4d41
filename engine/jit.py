"""Compiling the model's fused kernels with Numba, and where the compiled code is kept.

Every kernel of the model is decorated with :func:`kernel`: compiled to machine code
on its first call, with ``fastmath`` off (IEEE float32 arithmetic, so a kernel gives
the same bits as the NumPy expressions it replaced), releasing the GIL (tiles of runs
play on two threads), and cached on disk so that a later process loads the machine
code instead of compiling it again.

The cache lives in the user's cache folder (``platformdirs.user_cache_dir``), unless
``NUMBA_CACHE_DIR`` is already set; Numba reads that variable when it is imported, so
this module sets it before importing Numba, and every kernel module imports Numba
through this one. Deleting the folder (:func:`cache_dir` says where) is always safe:
the kernels compile again on their next first call.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import numpy as np
import platformdirs

CACHE_VARIABLE = "NUMBA_CACHE_DIR"
Function = TypeVar("Function", bound=Callable)
Constants = TypeVar("Constants", bound=NamedTuple)


def cache_dir() -> Path:
    """The folder of compiled kernels: ``$NUMBA_CACHE_DIR`` when set, else ours."""
    override = os.environ.get(CACHE_VARIABLE)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_cache_dir("going-dark", appauthor=False)) / "numba"


os.environ.setdefault(CACHE_VARIABLE, str(cache_dir()))

import numba  # noqa: E402  (after NUMBA_CACHE_DIR is set, which Numba reads on import)
from numba.np.unsafe.ndarray import to_fixed_tuple  # noqa: E402, F401  (for the kernels)


def kernel(function: Function) -> Function:
    """Compile ``function`` as a model kernel: no Python objects, no fastmath, no GIL,
    machine code cached on disk."""
    return numba.njit(cache=True, fastmath=False, nogil=True, error_model="numpy")(function)


def inline(function: Function) -> Function:
    """A per-customer (or per-employee) helper that kernels call: compiled into each
    caller's machine code (and its cache), so the fused loop keeps values in registers."""
    return numba.njit(fastmath=False, error_model="numpy")(function)


def per_dynamics(make: Callable[[Any], Constants]) -> Callable[[Any], Constants]:
    """``make(dyn)``, remembered for the very ``dyn`` object it was made from.

    Every quarter asks for its kernel's constants again; a scenario's ``Dynamics`` is
    one object for the whole game, so looking it up by identity (not by hashing its
    hundred fields) makes the tuple once per game.
    """
    made: dict[int, tuple[Any, Constants]] = {}

    def constants(dyn: Any) -> Constants:
        known = made.get(id(dyn))
        if known is None or known[0] is not dyn:
            if len(made) >= 16:  # a few scenarios at most live at once
                made.clear()
            known = made[id(dyn)] = (dyn, make(dyn))
        return known[1]

    constants.__doc__ = make.__doc__
    return constants


def float32_constants(kind: type[Constants], source: Any, **derived: float) -> Constants:
    """A kernel's constants tuple ``kind``: each field the float32 of the attribute of
    ``source`` (the model's ``Dynamics``) of the same name, or of ``derived``."""
    return kind(
        *(
            np.float32(derived[name] if name in derived else getattr(source, name))
            for name in kind._fields
        )
    )


def float32_constant_array(kind: type[Constants], source: Any, **derived: float) -> np.ndarray:
    """:func:`float32_constants` as a read-only float32 array, in the order of ``kind``'s
    fields: Numba checks an array's type in well under a microsecond at each call, a
    tuple of a dozen or more scalars in several. The kernel names the values again
    with ``kind(*to_fixed_tuple(values, len(kind._fields)))``. One array serves a whole
    game and the threads that share it, so nothing may write to it."""
    values = np.array(float32_constants(kind, source, **derived), dtype=np.float32)
    values.flags.writeable = False
    return values
