"""A selection list whose rows carry their own mark, drawn as text: ``[x]`` chosen,
``[ ]`` not.

Textual's SelectionList marks a choice with a coloured button (``▐X▌``) that reads the
same for chosen and unchosen rows without colour (NO_COLOR, some colour-blind players).
Here the mark is part of the row, so it is a glyph difference, and rows may take more
than one line (long names wrap instead of being cut), which the button gutter, drawn one
line per option, cannot.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text
from textual.strip import Strip
from textual.widgets import OptionList, SelectionList

CHOSEN_MARK = "[x]"
UNCHOSEN_MARK = "[ ]"


class CardRow:
    """One row: the mark, the name (wrapping onto more lines when the list is narrow,
    never cut) and the price on the right; ``str()`` gives the row as plain text."""

    def __init__(self, mark: Text, name: Text, price: Text):
        self.mark, self.name, self.price = mark, name, price

    def __str__(self) -> str:
        return f"{self.mark.plain} {self.name.plain} {self.price.plain}"

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        row = Table.grid(expand=True, padding=(0, 1, 0, 0))
        row.add_column(no_wrap=True)
        row.add_column(ratio=1, overflow="fold")
        row.add_column(justify="right", no_wrap=True)
        row.add_row(self.mark, self.name, self.price)
        yield row


class CardList(SelectionList[str]):
    """A SelectionList drawn without the button gutter; each row's prompt comes from
    ``prompt(value, chosen)`` and is redrawn whenever the selection changes."""

    def __init__(self, *args, prompt: Callable[[str, bool], RenderableType], **kwargs):
        super().__init__(*args, **kwargs)
        self.prompt = prompt

    def on_mount(self) -> None:
        self.redraw_marks()

    def _get_left_gutter_width(self) -> int:
        # The mark is inside each row's prompt: no gutter for a button.
        return 0

    def render_line(self, y: int) -> Strip:
        """A line of the rows as OptionList draws it, without SelectionList's button."""
        return OptionList.render_line(self, y)

    def redraw_marks(self) -> None:
        """Rebuild every row's prompt so its mark says whether it is chosen."""
        selected = set(self.selected)
        for index in range(self.option_count):
            value = self.get_option_at_index(index).value
            self.replace_option_prompt_at_index(index, self.prompt(value, value in selected))

    def on_selection_list_selected_changed(self) -> None:
        # Runs before the screen hears of the change, so the marks never lag behind.
        self.redraw_marks()
