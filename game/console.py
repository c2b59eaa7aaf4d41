"""Printing for the ``goingdark`` command in an ordinary terminal: its width, sentences
wrapped to it, paths said as short as they can be, and the example saves of a checkout.

Light imports only, so ``goingdark --help`` stays instant.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

# shutil.get_terminal_size reads COLUMNS first, then the terminal; this when neither.
FALLBACK_SIZE = (80, 24)


def terminal_width() -> int:
    """Columns of the terminal printed to, or 80 when output is not a terminal."""
    return shutil.get_terminal_size(FALLBACK_SIZE).columns


def print_wrapped(text: str, width: int | None = None) -> None:
    """Print a sentence wrapped to the terminal (continuation lines indented), never
    breaking a path or a name."""
    lines = textwrap.wrap(
        text,
        width or terminal_width(),
        subsequent_indent="  ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    print("\n".join(lines))


def shown_path(path: Path) -> str:
    """A path as short as it can be said: relative to the current folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def example_saves() -> list[Path]:
    """The example saves of a checkout of Going Dark (its ``saves/`` folder), if any:
    an installed copy without the checkout has none."""
    import engine

    folder = Path(engine.__file__).resolve().parent.parent / "saves"
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []
