"""The web server of ``goingdark serve``: textual-serve's, with a page of our own.

textual-serve's own page fetches a font from the internet and writes its websocket
address from the host it was started on (``0.0.0.0`` when serving a room). This page
loads everything from this server (the script, styles and fonts textual-serve ships)
and takes its addresses from the request, so a browser reaches the game by whatever
address it used, with no internet in the room.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server

__all__ = ["PAGE_FOLDER", "GamePageServer"]

PAGE_FOLDER = Path(__file__).parent / "serve"
STATIC_FOLDER = Path(str(resources.files("textual_serve"))) / "static"


class GamePageServer(Server):
    """textual-serve's server with Going Dark's page (see the module's docstring)."""

    def __init__(self, command: str, *, host: str, port: int, title: str):
        super().__init__(
            command,
            host=host,
            port=port,
            title=title,
            statics_path=STATIC_FOLDER,
            templates_path=PAGE_FOLDER,
        )

    async def handle_index(self, request: web.Request) -> web.Response:
        """The page that opens the game: addresses from the request itself."""
        secure = request.secure
        try:
            font_size = int(request.query.get("fontsize", "16"))
        except ValueError:
            font_size = 16
        context = {
            "title": self.title,
            "static_url": "/static/",
            "websocket_url": f"{'wss' if secure else 'ws'}://{request.host}/ws",
            "font_size": max(8, min(font_size, 40)),
        }
        return aiohttp_jinja2.render_template("index.html", request, context)
