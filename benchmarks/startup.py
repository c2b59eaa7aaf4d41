"""Start-up benchmark: from process start to the main menu's first frame.

Each measurement spawns a fresh ``python -c`` that imports the game, runs the app and
notes the time as soon as the main menu has been drawn (Textual's Ready event: the DOM
is ready and the first frame is on screen), then exits. By default the app draws into
a pseudo-terminal of 100x30, as in a real terminal; ``--headless`` uses Textual's
headless driver instead. Time stamps are ``time.monotonic()``, a system-wide clock, so
the parent's "before spawning" and the child's "first frame" can be subtracted.

What the game does before that frame is kept small on purpose (docs/model.md, "The
game's start"): the model's warm-up and the scenario catalogue start in workers once
the menu is drawn, so they are not in this figure, and tests/test_startup.py checks
that ``import game.app`` loads neither the model nor pydantic.

References measured in the same run, the same way: a bare ``python -c pass``,
``import textual.app``, and a one-widget Textual app's first frame. Ratios to them
survive a change of machine better than seconds; the target is in seconds, as a
player feels it.

    python benchmarks/startup.py                 # 7 repeats each, in a pseudo-terminal
    python benchmarks/startup.py --repeats 15
    python benchmarks/startup.py --headless
"""

from __future__ import annotations

import argparse
import os
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 1.0
SIZE = (100, 30)

# argv: [stamp file, "headless" | "tty"]
GAME = """
import sys, time
stamp, mode = sys.argv[1], sys.argv[2]
from pathlib import Path
import game.app
from game.app import GoingDarkApp
from game.screens.menu import MainMenu

class FirstFrame(GoingDarkApp):
    # A class defined in "python -c" has no file to resolve a relative CSS path against.
    CSS_PATH = str(Path(game.app.__file__).parent / GoingDarkApp.CSS_PATH)

    def on_ready(self) -> None:
        self.when_menu_drawn()

    def when_menu_drawn(self) -> None:
        if isinstance(self.screen, MainMenu):
            with open(stamp, "w") as out:
                out.write(repr(time.monotonic()))
            self.exit()
        else:
            self.call_after_refresh(self.when_menu_drawn)

FirstFrame().run(headless=mode == "headless", size=(100, 30) if mode == "headless" else None)
"""

HELLO = """
import sys, time
stamp, mode = sys.argv[1], sys.argv[2]
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static("Hello")

    def on_ready(self) -> None:
        with open(stamp, "w") as out:
            out.write(repr(time.monotonic()))
        self.exit()

Hello().run(headless=mode == "headless", size=(100, 30) if mode == "headless" else None)
"""


def stamped(statement: str) -> str:
    """A child that runs ``statement`` and writes the time it finished."""
    return f"import sys, time\n{statement}\nopen(sys.argv[1], 'w').write(repr(time.monotonic()))\n"


def run_in_pty(command: list[str], env: dict[str, str]) -> int:
    """Run ``command`` with a pseudo-terminal of SIZE as its terminal, draining its output."""
    import fcntl
    import pty
    import struct
    import termios

    primary, secondary = pty.openpty()
    columns, rows = SIZE
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    process = subprocess.Popen(
        command,
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    os.close(secondary)
    try:
        while True:
            ready, _, _ = select.select([primary], [], [], 0.05)
            if ready:
                try:
                    if not os.read(primary, 65536):
                        break
                except OSError:  # the child closed the terminal
                    break
            elif process.poll() is not None:
                break
        return process.wait(timeout=30)
    finally:
        os.close(primary)


def measure(code: str, mode: str, home: Path) -> float:
    """Seconds from spawning ``python -c code`` to the time stamp it writes."""
    with tempfile.TemporaryDirectory() as folder:
        stamp = Path(folder) / "stamp"
        command = [sys.executable, "-c", code, str(stamp), mode]
        env = {
            **os.environ,
            "GOINGDARK_HOME": str(home),  # never the player's own progress
            "TERM": os.environ.get("TERM", "xterm-256color"),
            "PYTHONPATH": str(ROOT),
        }
        start = time.monotonic()
        if mode == "tty":
            code_ = run_in_pty(command, env)
        else:
            code_ = subprocess.run(
                command, env=env, cwd=ROOT, capture_output=True, timeout=30
            ).returncode
        if code_ != 0 or not stamp.exists():
            raise SystemExit(f"the child failed (exit code {code_}): {code[:60]!r}...")
        return float(stamp.read_text()) - start


def median_of(code: str, mode: str, repeats: int, home: Path) -> tuple[float, list[float]]:
    measure(code, mode, home)  # warm the file cache and bytecode
    times = [measure(code, mode, home) for _ in range(repeats)]
    return statistics.median(times), times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="runs of each (default 7)")
    parser.add_argument(
        "--headless", action="store_true", help="Textual's headless driver, not a terminal"
    )
    args = parser.parse_args()
    mode = "headless" if args.headless or sys.platform == "win32" else "tty"

    with tempfile.TemporaryDirectory() as home:
        home_path = Path(home)
        cases = [
            ("python -c pass", stamped("pass"), "bare"),
            ("import textual.app", stamped("import textual.app"), "bare"),
            ("hello-world Textual app", HELLO, mode),
            ("Going Dark main menu", GAME, mode),
        ]
        results = {}
        for name, code, how in cases:
            results[name] = median_of(code, how, args.repeats, home_path)

    print(f"Start-up to first frame ({mode}, {SIZE[0]}x{SIZE[1]}), median of {args.repeats}:")
    for name, (median, times) in results.items():
        spread = f"{min(times):.3f}-{max(times):.3f}"
        print(f"  {name:<26} {median:7.3f} s   (range {spread} s)")
    game = results["Going Dark main menu"][0]
    print()
    for reference in ("import textual.app", "hello-world Textual app"):
        print(f"  ratio to {reference:<24} {game / results[reference][0]:6.2f}x")
    verdict = "meets" if game <= TARGET_SECONDS else "MISSES"
    print(f"\n  Going Dark: {game:.3f} s, {verdict} the target of {TARGET_SECONDS:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
