"""Colour roles as theme variables: the one place the game turns meaning into colour.

The engine gives metrics and defection drivers a colour role (``engine.presentation``);
screens and widgets ask for a role here and get a Textual style such as ``"bold $error"``.
Styles name theme variables, never colours, so each theme (the colour-blind one
included) recolours everything, and NO_COLOR leaves the glyphs and words to speak.
"""

from __future__ import annotations

# role (engine.presentation.COLOUR_ROLES) -> theme variable, without the "$"
ROLE_VARIABLES: dict[str, str] = {
    "good": "success",
    "bad": "error",
    "warning": "warning",
    "accent": "accent",
    "primary": "primary",
    "neutral": "foreground",
    "muted": "foreground-muted",
}


def role_style(role: str, *text_styles: str) -> str:
    """A Textual style for ``role``, with any text styles first: ``"bold $error"``."""
    return " ".join([*text_styles, f"${ROLE_VARIABLES[role]}"])


def role_colour(variables: dict[str, str], role: str) -> str:
    """The colour ``role`` has in a theme, from its variables (``App.theme_variables``),
    for drawing that takes a plain colour rather than a style."""
    return variables[ROLE_VARIABLES[role]]
