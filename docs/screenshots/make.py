"""Regenerate the README's screenshots: python docs/screenshots/make.py

Plays the tutorial with a fixed seed in a headless 100x30 terminal and saves SVGs
of the main screens, exported by Textual itself.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))


async def main() -> None:
    os.environ["GOINGDARK_HOME"] = tempfile.mkdtemp(prefix="goingdark-shots-")
    from game.app import GoingDarkApp

    app = GoingDarkApp(start="first-quarter", seed=10)
    async with app.run_test(size=(100, 30)) as pilot:

        async def shot(name: str) -> None:
            await pilot.pause()
            app.save_screenshot(str(HERE / f"{name}.svg"))
            print(f"wrote docs/screenshots/{name}.svg")

        await shot("briefing")
        await pilot.press("enter")
        await pilot.press("i")
        await pilot.press("space", "down", "space")
        await shot("interventions")
        await pilot.press("enter")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await shot("report")
        await pilot.press("enter")
        await shot("dashboard")
        for _ in range(3):
            await pilot.press("enter")
            await pilot.pause()
            if app.screen.__class__.__name__ == "DilemmaScreen":
                await shot("dilemma")
                await pilot.press("2")
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("enter")
        await pilot.pause()
        await shot("debrief")


if __name__ == "__main__":
    asyncio.run(main())
