"""A real headless Chromium opens ``goingdark serve``'s page on localhost, sees the main
menu and plays one key press.

Chromium is driven through the DevTools protocol over a websocket (aiohttp, which
textual-serve already brings). The terminal draws on a canvas, so the page's text is
read from what the terminal was sent: a script added before the page loads keeps every
frame the page's websocket receives, and the test strips the escape sequences.
Debian's ``chromium`` package is needed (``.ci/run`` installs it when missing).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import aiohttp
import pytest

# .ci/run installs Chromium in the background while the project installs; it names a
# file it writes when that install has ended, and the test waits for it.
INSTALL_DONE = os.environ.get("GOINGDARK_CHROMIUM_INSTALL_DONE")
INSTALL_WAIT = 600  # seconds: far more than an apt-get install takes


def find_chromium() -> str | None:
    """Debian's chromium, if installed."""
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )


def wait_for_install(done: Path, limit: float = INSTALL_WAIT) -> str:
    """Chromium once the background install that writes ``done`` has ended; the test
    fails (never skips) when it ended without one."""
    deadline = time.monotonic() + limit
    while not done.exists():
        if time.monotonic() > deadline:
            pytest.fail(f"Chromium's install did not end within {limit:.0f} s ({done})")
        time.sleep(1)
    found = find_chromium()
    if found is None:
        pytest.fail(f"Chromium's install ended without a chromium: {done.read_text().strip()}")
    return found


CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and INSTALL_DONE is None,
    reason="Debian's chromium is not installed (apt-get install chromium; .ci/run does it)",
)

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1000,700",
    "--remote-debugging-port=0",
)

# Keeps, in window.received, the text of every binary frame the page's websockets get.
WATCH_SOCKETS = """
window.received = [];
(() => {
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  const keep = (buffer) => window.received.push(decoder.decode(buffer));
  function Watched(url, protocols) {
    const socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
    socket.addEventListener("message", (event) => {
      if (typeof event.data === "string") return;
      if (event.data instanceof ArrayBuffer) keep(event.data);
      else event.data.arrayBuffer().then(keep);
    });
    return socket;
  }
  Watched.prototype = Native.prototype;
  Object.assign(Watched, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  window.WebSocket = Watched;
})();
"""
# Terminal escape sequences: CSI (colours, cursor moves), OSC (titles), charset, others.
ESCAPES = re.compile(
    r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[()][0-9A-Za-z]"
    r"|\x1b[=>78MDEc]"
)
WAIT = 60.0  # seconds: a slow CI machine starting Chromium and the game


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_page(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        assert server.poll() is None, "goingdark serve stopped"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {WAIT:.0f} s")


class DevTools:
    """The few DevTools protocol calls the test needs, on one page."""

    def __init__(self, socket):
        self.socket = socket
        self.next_id = 0
        self.session: str | None = None

    async def call(self, method: str, **params) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if self.session is not None:
            message["sessionId"] = self.session
        await self.socket.send_json(message)
        async for frame in self.socket:
            reply = json.loads(frame.data)
            if reply.get("id") == self.next_id:
                assert "error" not in reply, reply["error"]
                return reply["result"]
        raise AssertionError("Chromium closed the DevTools connection")

    async def open(self, url: str) -> None:
        target = (await self.call("Target.createTarget", url="about:blank"))["targetId"]
        attached = await self.call("Target.attachToTarget", targetId=target, flatten=True)
        self.session = attached["sessionId"]
        await self.call("Page.enable")
        await self.call("Page.addScriptToEvaluateOnNewDocument", source=WATCH_SOCKETS)
        await self.call("Page.navigate", url=url)

    async def evaluate(self, expression: str):
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    async def terminal_text(self) -> str:
        """Everything the page's terminal was sent so far, without escape sequences."""
        return ESCAPES.sub("", await self.evaluate("(window.received || []).join('')") or "")

    async def wait_for_text(self, wanted: str, after: int = 0) -> str:
        deadline = time.monotonic() + WAIT
        text = ""
        while time.monotonic() < deadline:
            text = await self.terminal_text()
            if wanted in text[after:]:
                return text
            await asyncio.sleep(0.3)
        raise AssertionError(f"the page never showed {wanted!r}; it showed: {text[-600:]!r}")

    async def press(self, key: str) -> None:
        await self.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
        code = f"Key{key.upper()}"
        number = ord(key.upper())
        await self.call(
            "Input.dispatchKeyEvent",
            type="keyDown",
            key=key,
            text=key,
            code=code,
            windowsVirtualKeyCode=number,
        )
        await self.call(
            "Input.dispatchKeyEvent", type="keyUp", key=key, code=code, windowsVirtualKeyCode=number
        )


def devtools_address(browser: subprocess.Popen) -> str:
    for line in browser.stderr:
        found = re.search(r"DevTools listening on (ws://\S+)", line)
        if found:
            return found[1]
    raise AssertionError("Chromium did not open its DevTools port")


async def play_in_browser(url: str, devtools: str) -> tuple[str, str, list[str]]:
    async with aiohttp.ClientSession() as http, http.ws_connect(devtools, max_msg_size=0) as ws:
        page = DevTools(ws)
        await page.open(url)
        menu = await page.wait_for_text("New game")
        await page.press("n")  # the main menu's "New game": the scenario browser
        after = await page.wait_for_text("First Quarter", after=len(menu))
        requested = await page.evaluate(
            "performance.getEntriesByType('resource').map(entry => entry.name)"
        )
        return menu, after[len(menu) :], [url, *requested]


def stop(process: subprocess.Popen) -> None:
    """End a process started in its own session, and every process it started."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        process.wait()


def test_chromium_plays_the_served_game(tmp_path, goingdark_home):
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    environment = {**os.environ, "GOINGDARK_HOME": str(goingdark_home)}
    server = subprocess.Popen(
        [sys.executable, "-m", "game", "serve", "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its games end with it
    )
    browser = None
    chromium = CHROMIUM or wait_for_install(Path(INSTALL_DONE or ""))
    try:
        wait_for_page(url, server)
        browser = subprocess.Popen(
            [chromium, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        menu, after, requested = asyncio.run(play_in_browser(url, devtools_address(browser)))
    finally:
        if browser is not None:
            stop(browser)
        stop(server)
    assert "Going Dark" in menu or "New game" in menu
    assert "First Quarter" in after  # the key press reached the game: a new screen
    # Everything the page loaded came from this server: no font or script from outside.
    assert requested and all(name.startswith(f"http://127.0.0.1:{port}/") for name in requested)


def test_the_browser_test_waits_for_a_background_install(tmp_path, monkeypatch):
    done = tmp_path / "done"
    monkeypatch.setattr(time, "sleep", lambda _: done.write_text("apt-get ended with status 0"))
    assert wait_for_install(done) == CHROMIUM


def test_an_install_that_brought_no_chromium_fails_the_test(tmp_path, monkeypatch):
    done = tmp_path / "done"
    done.write_text("apt-get ended with status 100 (its output: /tmp/chromium-install.log)")
    monkeypatch.setattr(sys.modules[__name__], "find_chromium", lambda: None)
    with pytest.raises(pytest.fail.Exception) as failed:
        wait_for_install(done)
    assert str(failed.value) == (
        "Chromium's install ended without a chromium: apt-get ended with status 100 "
        "(its output: /tmp/chromium-install.log)"
    )


def test_an_install_that_never_ends_fails_the_test(tmp_path, monkeypatch):
    clock = iter(range(0, 10_000, 100))
    monkeypatch.setattr(time, "monotonic", lambda: next(clock))
    monkeypatch.setattr(time, "sleep", lambda _: None)
    with pytest.raises(pytest.fail.Exception) as failed:
        wait_for_install(tmp_path / "never", limit=300)
    assert str(failed.value) == (
        f"Chromium's install did not end within 300 s ({tmp_path / 'never'})"
    )
