"""Help: every screen's keys, a glossary, how the model works and how to play.

The keys are read from the command registry (``game.commands``) and the glossary from
the engine's vocabulary, so neither can drift from the game. The prose pages are
Markdown files in ``game/help/``.
"""

from __future__ import annotations

import re
from importlib import resources

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.lazy import Lazy
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Footer, Markdown, Static, TabbedContent, TabPane

from engine.levers import LEVERS
from engine.presentation import METRIC_PRESENTATION, NEVER
from engine.vocabulary import METRICS, MetricInfo
from game.commands import CONTEXTS, bindings, help_bindings

TABS = (
    ("keys", "Keys"),
    ("glossary", "Glossary"),
    ("model", "How the model works"),
    ("play", "How to play"),
)

KEY_NAMES = {
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "tab": "Tab",
    "left": "←",
    "right": "→",
    "up": "↑",
    "down": "↓",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "delete": "Del",
    "backspace": "Backspace",
}
# Keys that belong to widgets rather than screens: the same everywhere.
MOVING_AROUND = (
    ("↑ ↓", "Move through a list, or scroll"),
    ("Enter", "Choose the highlighted item or press the focused button"),
    ("← →", "Move between a dialog's buttons"),
    ("Space", "Choose or drop an intervention in the picker"),
    ("Tab / Shift+Tab", "Move to the next / previous part of the screen"),
    ("PgUp / PgDn", "Scroll a page"),
)
AREA_TITLES = {
    "people": "People",
    "standards": "Standards and organisation",
    "customers": "Customers and sales",
}
UNIT_WORDS = {
    "share": "share (%)",
    "count": "count",
    "money": "money",
    "level": "index 0–1",
}


# --- keys -----------------------------------------------------------------------------------
def key_name(key: str) -> str:
    """``ctrl+q`` -> ``Ctrl+Q``, ``escape`` -> ``Esc``, ``f1`` -> ``F1``, ``n`` -> ``n``."""
    *modifiers, last = key.split("+")
    # A letter alone stays lower case, as in the footer: "N" would suggest Shift+N.
    upper = bool(modifiers) or re.fullmatch(r"f\d+", last) is not None
    last = KEY_NAMES.get(last, last.upper() if upper else last)
    return "+".join([*(m.capitalize() for m in modifiers), last])


def binding_rows(bindings: list) -> list[tuple[str, str]]:
    """(keys, what they do) per command, keys for the same command joined."""
    rows: dict[str, list[str]] = {}
    for binding in Binding.make_bindings(bindings):
        what = binding.description or binding.action.replace("_", " ")
        keys = rows.setdefault(what, [])
        shown = binding.key_display or key_name(binding.key)
        if shown not in keys:
            keys.append(shown)
    return [(" / ".join(keys), what) for what, keys in rows.items()]


def key_groups(app: App) -> list[tuple[str, list[tuple[str, str]]]]:
    """(title, rows) for everywhere, moving around, and every screen with keys, in the
    order of the command registry."""
    everywhere = binding_rows(help_bindings("everywhere"))
    if app.ENABLE_COMMAND_PALETTE:
        everywhere.append(
            (key_name(app.COMMAND_PALETTE_BINDING), "Command palette: search every command")
        )
    groups = [(CONTEXTS["everywhere"].title, everywhere), ("Moving around", list(MOVING_AROUND))]
    for name, context in CONTEXTS.items():
        rows = binding_rows(help_bindings(name))
        if name != "everywhere" and rows:
            groups.append((context.title, rows))
    return groups


def keys_content(app: App) -> Content:
    groups = key_groups(app)
    width = max(len(keys) for _, rows in groups for keys, _ in rows) + 2
    parts: list[str | tuple[str, str]] = []
    for title, rows in groups:
        parts.append((f"{title}\n", "bold $primary"))
        for keys, what in rows:
            parts += [(f"  {keys:<{width}}", "bold $accent"), f"{what}\n"]
        parts.append("\n")
    return Content.assemble(*parts).rstrip()


# --- the glossary's small widgets -------------------------------------------------------------
# Terms, definitions and paragraphs are separate Statics so definitions wrap under
# their own indent; the glossary is generated, so it is built of these, not Markdown.
def heading(text: str) -> Static:
    return Static(text, classes="help-heading")


def paragraph(text: str) -> Static:
    return Static(text, classes="help-text")


def entry(term: str, definition: str) -> list[Static]:
    return [Static(term, classes="help-term"), Static(definition, classes="help-definition")]


# --- glossary -------------------------------------------------------------------------------
def metric_label(metric: MetricInfo) -> str:
    return METRIC_PRESENTATION[metric.name].label


def metric_seen(metric: MetricInfo) -> str:
    """When the player gets to see a metric, in words."""
    needed = METRIC_PRESENTATION[metric.name].visible_from
    if needed is None:
        return "On the dashboard every quarter."
    if needed == NEVER:
        return "Only in the debrief."
    return f"On the dashboard once data credibility reaches {needed:.2f}; always in the debrief."


def metric_entry(metric: MetricInfo) -> list[Static]:
    unit = UNIT_WORDS.get(metric.unit, metric.unit)
    # Reported figures are always seen: their section says so once.
    seen = "" if metric.reported else f" [i]{metric_seen(metric)}[/i]"
    return entry(
        f"[b]{escape(metric_label(metric))}[/b] [$foreground-muted]· {unit} · {metric.name}[/]",
        escape(metric.description) + seen,
    )


def glossary_widgets() -> list[Static]:
    """Reported metrics, true metrics (in the order they become visible), then levers."""
    true = sorted(
        (m for m in METRICS if not m.reported),
        key=lambda m: METRIC_PRESENTATION[m.name].visible_from,
    )
    widgets = [
        paragraph(
            "Metrics are what you read; levers are what interventions, events and your "
            "dilemma choices move. Names like [$foreground-muted]logo_retention[/] are the ones "
            "scenario files use."
        ),
        heading("What the company sees"),
        paragraph(
            "[i]Reported[/i] figures, on the dashboard every quarter. Survey satisfaction is "
            "noisy and flattering (dark customers do not answer) until the company invests "
            "in credible data."
        ),
    ]
    for metric in METRICS:
        if metric.reported:
            widgets += metric_entry(metric)
    widgets += [
        heading("What is really going on"),
        paragraph(
            "[i]True[/i] figures. Each shows on the dashboard once data credibility is high "
            "enough; the debrief shows them all."
        ),
    ]
    for metric in true:
        widgets += metric_entry(metric)
    widgets += [
        heading("Levers"),
        paragraph(
            "A lever's level is the company's standing practice plus whatever interventions, "
            "events and choices do to it this quarter."
        ),
    ]
    for area, title in AREA_TITLES.items():
        widgets.append(Static(title, classes="help-subheading"))
        for lever in LEVERS:
            if lever.area == area:
                widgets += entry(
                    f"[b]{lever.name.replace('_', ' ').capitalize()}[/b] "
                    f"[$foreground-muted]· {lever.name}[/]",
                    escape(lever.description),
                )
    return widgets


# --- prose pages ----------------------------------------------------------------------------
def prose_page(name: str) -> list[Markdown]:
    """A page of help written in Markdown: ``game/help/<name>.md``, shipped with the game."""
    text = resources.files("game").joinpath("help", f"{name}.md").read_text(encoding="utf-8")
    return [Markdown(text, classes="help-markdown")]


class HelpScreen(Screen):
    """Keys, glossary, the model and how to play; Escape closes."""

    CSS_PATH = "../styles/help.tcss"
    COMMAND_CONTEXT = "help"
    BINDINGS = bindings(COMMAND_CONTEXT)

    def __init__(self, tab: str = "keys"):
        super().__init__()
        self.initial_tab = tab

    def compose(self) -> ComposeResult:
        pages = {
            "glossary": glossary_widgets,
            "model": lambda: prose_page("model"),
            "play": lambda: prose_page("play"),
        }
        with TabbedContent(initial=self.initial_tab, id="help-tabs"):
            for tab_id, label in TABS:
                with TabPane(label, id=tab_id), VerticalScroll(classes="help-page"):
                    if tab_id == "keys":
                        yield Static(keys_content(self.app), id="help-keys-text")
                    else:
                        # Hidden pages mount after the first paint: the screen opens at once.
                        page = Vertical(*pages[tab_id](), classes="help-body")
                        yield page if tab_id == self.initial_tab else Lazy(page)
        yield Static("1-4 or ← → switch tabs · ↑ ↓ PgUp PgDn scroll · Esc closes", id="help-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.focus_page()

    def focus_page(self) -> None:
        """Focus the visible page so the arrow keys scroll it at once."""
        tabs = self.query_one(TabbedContent)
        tabs.get_pane(tabs.active).query_one(VerticalScroll).focus()

    def on_tabbed_content_tab_activated(self) -> None:
        self.focus_page()

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_step_tab(self, step: int) -> None:
        ids = [tab_id for tab_id, _ in TABS]
        current = ids.index(self.query_one(TabbedContent).active)
        self.action_show_tab(ids[(current + step) % len(ids)])

    def action_close(self) -> None:
        self.dismiss()
