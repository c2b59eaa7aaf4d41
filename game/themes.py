"""The game's colour themes: a dark and a light one, and a colour-blind-safe one.

Every colour in the stylesheets comes from theme variables, so switching theme
recolours everything; the customer and workforce maps also use distinct glyphs,
so no state is told apart by colour alone.
"""

from __future__ import annotations

from textual.theme import Theme

DARK = Theme(
    name="going-dark",
    primary="#4EA1D3",
    secondary="#8B7FD0",
    accent="#F2A541",
    warning="#F2A541",
    error="#E5534B",
    success="#57AB5A",
    foreground="#D8DEE4",
    background="#12161C",
    surface="#1B2129",
    panel="#242C36",
    dark=True,
)

LIGHT = Theme(
    name="going-light",
    primary="#1F6FA8",
    secondary="#5A4FAF",
    accent="#B86E00",
    warning="#B86E00",
    error="#C0362C",
    success="#2F7D32",
    foreground="#1E2328",
    background="#F6F7F9",
    surface="#FFFFFF",
    panel="#E4E8EE",
    dark=False,
)

# Okabe & Ito's palette, distinguishable with the common colour-vision deficiencies.
COLOUR_BLIND = Theme(
    name="going-dark-okabe-ito",
    primary="#56B4E9",
    secondary="#CC79A7",
    accent="#E69F00",
    warning="#E69F00",
    error="#D55E00",
    success="#009E73",
    foreground="#E8E8E8",
    background="#111111",
    surface="#1C1C1C",
    panel="#2A2A2A",
    dark=True,
)

THEMES = (DARK, LIGHT, COLOUR_BLIND)
THEME_LABELS = {
    DARK.name: "Dark",
    LIGHT.name: "Light",
    COLOUR_BLIND.name: "Colour-blind safe (Okabe-Ito)",
}
