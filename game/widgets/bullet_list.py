"""Items with a hanging indent: a bullet (or a short label) and text that wraps beside it."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static


class BulletList(Vertical):
    """One row per item; each item is (bullet, text), the bullet styled by the caller."""

    DEFAULT_CSS = """
    BulletList {
        height: auto;
    }
    BulletList > Horizontal {
        height: auto;
    }
    BulletList .bullet {
        width: auto;
        min-width: 1;
        padding-right: 1;
    }
    BulletList .bullet-text {
        width: 1fr;
    }
    """

    def __init__(
        self,
        items: Sequence[tuple[str | Content, str | Content]],
        *,
        id: str | None = None,
        classes: str | None = None,
    ):
        super().__init__(id=id, classes=classes)
        self.items = list(items)

    def compose(self) -> ComposeResult:
        for bullet, text in self.items:
            with Horizontal():
                yield Static(bullet, classes="bullet")
                yield Static(text, classes="bullet-text")
