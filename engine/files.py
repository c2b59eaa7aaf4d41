"""Writing files so that nothing is ever half-written."""

from __future__ import annotations

import os
import stat
import tempfile
from functools import cache
from pathlib import Path


@cache
def _default_mode() -> int:
    # The umask can only be read by setting it; do it once and put it straight back.
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a crash at any instant leaves either the old
    file or the new one, whole: write a temporary file in the same folder, flush and
    fsync it, rename it over ``path``, then fsync the folder so the rename is durable.

    The new file keeps the old one's permissions (or gets the usual ones for a new
    file), not the owner-only mode temporary files are created with.
    """
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else _default_mode()
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)  # os.fchmod does not exist on Windows before 3.13
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
