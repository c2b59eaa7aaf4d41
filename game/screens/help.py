"""Help: every screen's keys, a glossary, how the model works and how to play.

The keys are read from the screen classes' own BINDINGS and the glossary from the
engine's vocabulary, so neither can drift from the game.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.lazy import Lazy
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane

from engine.levers import LEVERS
from engine.presentation import METRIC_PRESENTATION, NEVER
from engine.vocabulary import METRICS, MetricInfo

TABS = (
    ("keys", "Keys"),
    ("glossary", "Glossary"),
    ("model", "How the model works"),
    ("play", "How to play"),
)

# The order a player meets the screens in; screens not named here follow, by name.
SCREEN_ORDER = (
    "MainMenu",
    "ScenarioBrowser",
    "BriefingScreen",
    "Dashboard",
    "InterventionPicker",
    "DilemmaScreen",
    "QuarterReportScreen",
    "ChartsScreen",
    "DebriefScreen",
    "ProfileScreen",
    "SettingsScreen",
    "HelpScreen",
)
SCREEN_TITLES = {
    "MainMenu": "Main menu",
    "ConfirmScreen": "Yes / no questions",
    "MessageScreen": "Messages",
    "QuarterReportScreen": "Quarter report",
    "HelpScreen": "Help (this screen)",
}
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


def screen_title(screen_class: type) -> str:
    name = screen_class.__name__
    if name in SCREEN_TITLES:
        return SCREEN_TITLES[name]
    words = re.findall(r"[A-Z][a-z0-9]*", name.removesuffix("Screen")) or [name]
    return " ".join([words[0], *(w.lower() for w in words[1:])])


def screen_classes() -> tuple[list[type[Screen]], list[str]]:
    """Every screen class defined in ``game.screens``, in the order a player meets them,
    and a note for each module that could not be read."""
    import game.screens

    found: list[type[Screen]] = []
    problems: list[str] = []
    for module_info in pkgutil.iter_modules(game.screens.__path__):
        name = f"game.screens.{module_info.name}"
        try:
            module = importlib.import_module(name)
        except Exception as exc:  # shown in the Keys tab: one broken screen must not hide help
            problems.append(f"{name}: {type(exc).__name__}: {exc}")
            continue
        found.extend(
            cls
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, Screen) and cls.__module__ == name
        )
    order = {name: index for index, name in enumerate(SCREEN_ORDER)}
    found.sort(key=lambda cls: (order.get(cls.__name__, len(order)), screen_title(cls)))
    return found, problems


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


def game_bindings(screen_class: type[Screen]) -> list:
    """The bindings the game itself declares for a screen (its own and its game base
    classes'), not the ones every Textual screen inherits."""
    bindings: list = []
    for klass in reversed(screen_class.__mro__):
        if klass.__module__.startswith("game.") and "BINDINGS" in vars(klass):
            bindings += vars(klass)["BINDINGS"]
    return bindings


def key_groups(app: App) -> tuple[list[tuple[str, list[tuple[str, str]]]], list[str]]:
    """(title, rows) for everywhere, moving around, and every screen with keys."""
    everywhere = binding_rows(type(app).BINDINGS)
    if app.ENABLE_COMMAND_PALETTE:
        everywhere.append(
            (key_name(app.COMMAND_PALETTE_BINDING), "Command palette: search every command")
        )
    groups = [("Everywhere", everywhere), ("Moving around", list(MOVING_AROUND))]
    classes, problems = screen_classes()
    for screen_class in classes:
        rows = binding_rows(game_bindings(screen_class))
        if rows:
            groups.append((screen_title(screen_class), rows))
    return groups, problems


def keys_content(app: App) -> Content:
    groups, problems = key_groups(app)
    width = max(len(keys) for _, rows in groups for keys, _ in rows) + 2
    parts: list[str | tuple[str, str]] = []
    for title, rows in groups:
        parts.append((f"{title}\n", "bold $primary"))
        for keys, what in rows:
            parts += [(f"  {keys:<{width}}", "bold $accent"), f"{what}\n"]
        parts.append("\n")
    for problem in problems:
        parts.append((f"Keys not listed for {problem}\n", "$error"))
    return Content.assemble(*parts).rstrip()


# --- pages made of small widgets -------------------------------------------------------------
# Terms, definitions and paragraphs are separate Statics so definitions wrap under
# their own indent; Textual's Markdown widget does that too but takes far longer to mount.
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


# --- how the model works --------------------------------------------------------------------
MODEL_INTRO = (
    "Going Dark plays a company forward one quarter at a time. Everything you see follows "
    "one chain of causes; knowing it is half the game."
)
MODEL_STEPS = (
    (
        "People",
        "Every employee has engagement, skill, role clarity and [i]self-focus[/i]: how much "
        "their own targets, review or quota crowd out the customer. Recognition, growth and a "
        "healthy team lift engagement; stalled careers, unaddressed slackers and toxic "
        "colleagues, sustained pressure and big changes sink it. Disengaged people leave "
        "more often, and their replacements start with less skill and clarity unless you "
        "invest in onboarding.",
    ),
    (
        "Attention and quality",
        "What a department delivers comes from skill × engagement × clarity, less what "
        "self-focus takes under pressure. Disengaged people deliver the norm, never their "
        "best.",
    ),
    (
        "Mediocrity drift",
        'The [i]quality norm[/i], what counts as "good enough", slides toward what is '
        "actually delivered. It falls easily and rises only with deliberate leadership "
        "attention, credible data and a learning culture. Cost containment trims any effort "
        "above the norm.",
    ),
    (
        "Customer experience",
        "Customers feel the quality of the departments that serve them, digital "
        "convenience, how closely you stay in touch, and the gap between what was promised "
        "and what was delivered. Over-promising buys satisfaction now and disappointment "
        "later.",
    ),
    (
        "Satisfaction is not loyalty",
        "Satisfaction is what a survey measures. [i]Thrill[/i] is interest, the sense that "
        "you help them win. Thrill fades every quarter unless you bring new value: a bored "
        'customer still answers "satisfied".',
    ),
    (
        "Going dark",
        "Quarter-end quota pushes, boredom and neglect make customers stop responding. Dark "
        "customers skip the survey, so it looks better than the truth, and they leave far "
        "more often.",
    ),
    (
        "Wake-up calls",
        "A customer's own market can demand better suppliers. An awakened customer compares "
        "you with competitors and leaves if you are boring.",
    ),
    (
        "Defection",
        "Every quarter each customer may leave: a baseline chance of their own (customers "
        "differ), raised by boredom, broken promises, going dark, a wake-up call and poor "
        "experience. The quarter report says which reasons weighed most.",
    ),
    (
        "Acquisition",
        "Sales and marketing bring new customers. Quota pressure brings more of them, but "
        "worse-fitting ones who will not renew.",
    ),
    (
        "Money",
        "Revenue from active customers, minus the cost of people and interventions, feeds "
        "next quarter's budget.",
    ),
)
MODEL_TRUTH = (
    "The dashboard shows [i]reported[/i] figures: survey satisfaction and the company's own "
    "estimates. Their noise and flattering bias shrink as you invest in credible data "
    "([i]data credibility[/i]). The [i]true[/i] figures (thrill, trust, the share gone dark, "
    "defection risk) appear on the dashboard only once data credibility is high enough; the "
    "Glossary says how high. The debrief always shows them."
)
MODEL_TIMING = (
    ("Lag", "Nothing happens for a while, often a quarter."),
    ("Ramp", "It builds up to full strength."),
    ("Duration", "It works at full strength for some quarters."),
    ("Decay", "Then it fades by a share every quarter, unless you adopt it again."),
    (
        "Resistance",
        "A big cultural change first meets resistance: engagement dips while people get "
        "used to it.",
    ),
)


def model_widgets() -> list[Static]:
    widgets = [paragraph(MODEL_INTRO)]
    for number, (title, text) in enumerate(MODEL_STEPS, start=1):
        widgets += entry(f"[b]{number}. {title}[/b]", text)
    widgets += [
        heading("What you see is not the whole truth"),
        paragraph(MODEL_TRUTH),
        heading("Change takes time"),
        paragraph(
            "An intervention costs its price when adopted (some also cost upkeep every "
            "quarter while they work). Then it unfolds:"
        ),
    ]
    for title, text in MODEL_TIMING:
        widgets += entry(f"[b]{title}[/b]", text)
    widgets.append(
        paragraph(
            "Some interventions need another one first, such as a boardroom mandate before "
            "a company-wide programme. The dashboard's [i]In effect[/i] panel shows what is "
            "at work and how strong it is."
        )
    )
    return widgets


# --- how to play ----------------------------------------------------------------------------
PLAY_QUARTER = (
    (
        "Read the dashboard",
        "The tiles show customers, retention, satisfaction, engagement, quality against the "
        "norm, profit and budget, with the change since last quarter. The customer map shows "
        "who is loyal, bored, dark or gone, as far as your data can tell; the people panel "
        "shows engaged, lukewarm and disengaged staff per department.",
    ),
    (
        "Press i to choose interventions",
        "Space picks or drops a card, the budget line shows what is left, Enter confirms and "
        "Esc cancels. Each card says what it costs, when it starts acting, how long it lasts "
        "and which levers it moves. You cannot spend more than the budget.",
    ),
    ("Press Enter to play the quarter", "The quarter plays out with what you chose."),
    (
        "Answer dilemmas",
        "Sometimes a decision comes first: pick an answer with 1, 2 or 3, or with the arrows "
        "and Enter. Esc steps back and nothing is played yet.",
    ),
    (
        "Read the quarter report",
        "It explains what changed and why: what your interventions did, what happened, and "
        "which reasons drove customers away. Enter goes back to the dashboard, where r shows "
        "the report again and c the charts.",
    ),
)


def play_widgets() -> list[Static]:
    widgets = [
        heading("Before you start"),
        paragraph(
            "[b]New game[/b] (n on the main menu) opens the scenario browser. The built-in "
            "campaign opens one scenario at a time: finish one to unlock the next. Your own "
            "scenarios are always open. Read the briefing (the situation, your goals, the "
            "stars and your budget), then press Enter to begin."
        ),
        heading("Every quarter"),
    ]
    for number, (title, text) in enumerate(PLAY_QUARTER, start=1):
        widgets += entry(f"[b]{number}. {title}[/b]", text)
    widgets += [
        heading("The end"),
        paragraph(
            "After the last quarter comes the [b]debrief[/b]: your score and stars, what was "
            "really going on (the true figures), the turning points and the decisions taken "
            "then, and the scenario's lessons. Rewind (w) lets you play on differently from "
            "any earlier quarter."
        ),
        heading("Score, stars and the campaign"),
        paragraph(
            "Each scenario scores a few figures, such as retention or profit, from 0 to 100; "
            "the briefing shows the score needed for one, two and three stars. Your best "
            "stars, high scores and achievements are kept in your [b]profile[/b] (p on the "
            "main menu). Achievements are feats each scenario rewards; the profile lists the "
            "ones still open, so you know what to aim for."
        ),
        heading("Hints"),
        paragraph(
            "• Watch the quality norm, not just quality.\n"
            "• A fine survey score while more and more customers go quiet is a warning.\n"
            "• Change is slow and fades: plan ahead and reinforce what works."
        ),
    ]
    return widgets


class HelpScreen(Screen):
    """Keys, glossary, the model and how to play; Escape closes."""

    CSS_PATH = "../styles/help.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close help", id="help-close"),
        Binding("1", "show_tab('keys')", "Keys", id="help-keys", show=False),
        Binding("2", "show_tab('glossary')", "Glossary", id="help-glossary", show=False),
        Binding("3", "show_tab('model')", "How the model works", id="help-model", show=False),
        Binding("4", "show_tab('play')", "How to play", id="help-play", show=False),
        Binding("left", "step_tab(-1)", "Previous tab", id="help-previous", show=False),
        Binding("right", "step_tab(1)", "Next tab", id="help-next", show=False),
    ]

    def __init__(self, tab: str = "keys"):
        super().__init__()
        self.initial_tab = tab

    def compose(self) -> ComposeResult:
        pages = {
            "glossary": glossary_widgets,
            "model": model_widgets,
            "play": play_widgets,
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
