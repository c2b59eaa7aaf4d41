"""Playing the game by key presses, shared by the app's Pilot and snapshot tests.

Each helper presses keys as a player would and waits until the screen it leads to
is up; engine work (a quarter) runs in a worker, which is waited for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import OptionList, SelectionList, Static

from game.screens.dashboard import Dashboard
from game.screens.debrief import DebriefScreen
from game.screens.dilemma import DilemmaScreen
from game.screens.interventions import InterventionPicker
from game.screens.report import QuarterReportScreen

SIZE = (100, 30)
ScreenT = TypeVar("ScreenT", bound=Screen)


def text(widget: Static) -> str:
    """The plain text a Static shows."""
    return str(widget.content)


async def wait_for_screen(pilot: Pilot, screen_type: type[ScreenT], rounds: int = 20) -> ScreenT:
    """Let queued messages run until a ``screen_type`` is on top (or fail, naming what is).

    ``screen_type`` may be a union (``Dashboard | DebriefScreen``)."""
    for _ in range(rounds):
        if isinstance(pilot.app.screen, screen_type):
            return pilot.app.screen
        await pilot.pause()
    raise AssertionError(f"expected {screen_type} on top, found {pilot.app.screen!r}")


async def highlight(pilot: Pilot, options: OptionList, index: int) -> None:
    """Move a list's highlight to ``index`` with the arrow keys."""
    for _ in range(options.option_count + 1):
        if options.highlighted == index:
            return
        current = -1 if options.highlighted is None else options.highlighted
        await pilot.press("down" if current < index else "up")
    raise AssertionError(f"the arrow keys never reached option {index}")


async def open_picker(pilot: Pilot) -> InterventionPicker:
    await wait_for_screen(pilot, Dashboard)
    await pilot.press("i")
    return await wait_for_screen(pilot, InterventionPicker)


async def toggle(pilot: Pilot, picker: InterventionPicker, ids: Iterable[str]) -> None:
    """Choose (or drop) these interventions with the arrows and the space bar."""
    cards = picker.query_one("#cards", SelectionList)
    order = [intervention.id for intervention in picker.session.scenario.interventions]
    for intervention_id in ids:
        await highlight(pilot, cards, order.index(intervention_id))
        await pilot.press("space")


async def plan(pilot: Pilot, ids: Iterable[str]) -> Dashboard:
    """Choose these interventions in the picker and confirm."""
    picker = await open_picker(pilot)
    await toggle(pilot, picker, ids)
    await pilot.press("enter")
    return await wait_for_screen(pilot, Dashboard)


async def play(pilot: Pilot, answers: Mapping[str, str] | None = None) -> QuarterReportScreen:
    """Play the quarter from the dashboard: answer each dilemma with its number key
    (``answers``: event id -> choice id; the first choice otherwise) and wait for the
    quarter's report."""
    await wait_for_screen(pilot, Dashboard)
    await pilot.press("enter")
    await pilot.pause()
    while isinstance(pilot.app.screen, DilemmaScreen):
        event = pilot.app.screen.event
        wanted = (answers or {}).get(event.id, event.choices[0].id)
        number = [choice.id for choice in event.choices].index(wanted) + 1
        await pilot.press(str(number))
        await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    return await wait_for_screen(pilot, QuarterReportScreen)


async def close_report(pilot: Pilot) -> Screen:
    """Enter on a quarter report: the dashboard, or the debrief after the last quarter."""
    await wait_for_screen(pilot, QuarterReportScreen)
    await pilot.press("enter")
    return await wait_for_screen(pilot, Dashboard | DebriefScreen)


# The tutorial as the Pilot and snapshot tests play it: quarter -> (interventions, answers).
TUTORIAL_PLAN: dict[int, tuple[tuple[str, ...], dict[str, str]]] = {
    1: (("call-round", "tech-training"), {}),
    2: (("seasonal-blends", "feedback-cards"), {"fairbank-order": "promise-a-week"}),
    3: (("thank-the-techs",), {}),
    4: ((), {}),
}


async def play_tutorial_quarters(pilot: Pilot, quarters: int) -> None:
    """From the tutorial's dashboard, play ``quarters`` quarters of TUTORIAL_PLAN."""
    for quarter in range(1, quarters + 1):
        interventions, answers = TUTORIAL_PLAN[quarter]
        if interventions:
            await plan(pilot, interventions)
        await play(pilot, answers)
        await close_report(pilot)


async def wait_for_forecast(pilot: Pilot, picker: InterventionPicker, rounds: int = 200) -> None:
    """Wait until the picker shows the forecast of the plan now selected (its debounce
    timer fires, its worker finishes and the result is on screen)."""
    for _ in range(rounds):
        if picker.forecast_shown == tuple(picker.chosen()):
            await pilot.pause()
            return
        await pilot.pause(0.05)
        await pilot.app.workers.wait_for_complete()
    raise AssertionError(f"no forecast of {picker.chosen()} appeared")


def record_notifications(app: App) -> list[tuple[str, str]]:
    """Collect (message, severity) of every toast the app raises from now on."""
    shown: list[tuple[str, str]] = []
    notify = app.notify

    def recording(message: str, **options) -> None:
        shown.append((message, options.get("severity", "information")))
        notify(message, **options)

    app.notify = recording  # type: ignore[method-assign]
    return shown
