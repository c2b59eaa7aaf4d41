"""``goingdark serve``: its page loads nothing from outside, a non-local host is warned
about, and a served game cannot reach files outside its own folders."""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from engine.confine import CONFINE_VARIABLE, confined
from engine.errors import ScenarioError
from engine.saves import SaveError, read_save, save_session
from engine.scenario.loader import builtin_dir, find_scenario, load_scenario
from engine.session import GameSession
from game.cli import main
from game.cli_serve import is_local, not_encrypted_warning, served_command
from game.serve_page import GamePageServer

OUTSIDE = "outside the folders a served game may use"


@pytest.fixture
def served(monkeypatch):
    monkeypatch.setenv(CONFINE_VARIABLE, "1")


def scenario_problem(name: str) -> str:
    with pytest.raises(ScenarioError) as error:
        find_scenario(name)
    return str(error.value.problems[0])


def test_scenario_paths_outside_are_refused(served, tmp_path):
    assert confined()
    assert scenario_problem("../escape.toml") == f"../escape.toml: {OUTSIDE}"
    assert scenario_problem("/etc/passwd") == f"/etc/passwd: {OUTSIDE}"
    elsewhere = tmp_path / "mine.toml"
    assert scenario_problem(str(elsewhere)) == f"{elsewhere}: {OUTSIDE}"


def test_scenarios_inside_are_found(served, goingdark_home):
    assert find_scenario("first-quarter") == builtin_dir() / "first-quarter.toml"
    builtin = builtin_dir() / "capstone.toml"
    assert find_scenario(str(builtin)) == builtin
    own = goingdark_home / "scenarios" / "mine.toml"
    assert find_scenario(str(own)) == own
    # '..' that stays inside the home is inside.
    inside = goingdark_home / "scenarios" / ".." / "mine.toml"
    assert find_scenario(str(inside)) == inside


def test_a_link_out_of_the_home_is_outside(served, goingdark_home, tmp_path):
    target = tmp_path / "secret.toml"
    target.write_text("x = 1\n", encoding="utf-8")
    link = goingdark_home / "link.toml"
    link.symlink_to(target)
    assert scenario_problem(str(link)) == f"{link}: {OUTSIDE}"


def test_unserved_games_are_not_confined(tmp_path, monkeypatch):
    monkeypatch.delenv(CONFINE_VARIABLE, raising=False)
    assert find_scenario(str(tmp_path / "mine.toml")) == tmp_path / "mine.toml"


def test_saves_outside_are_refused(served, tmp_path):
    for path in (tmp_path / "game.toml", Path("../game.toml"), Path("/etc/passwd")):
        with pytest.raises(SaveError) as error:
            read_save(path)
        assert str(error.value) == f"{path}: {OUTSIDE}"


def test_slot_names_stay_in_the_saves_folder(served, goingdark_home):
    folder = goingdark_home / "saves"
    game = GameSession(load_scenario("first-quarter"))
    for slot in ("../../escape", "/etc/passwd", "..\\..\\x"):
        written = save_session(game, folder=folder, slot=slot)
        assert written.resolve().parent == folder.resolve()
        assert read_save(written).slot == slot


def test_commands_in_a_served_game_say_why(served, capsys):
    assert main(["run", "../escape.toml"]) == 1
    assert capsys.readouterr().err == f"goingdark run: ../escape.toml: {OUTSIDE}\n"


def test_which_hosts_are_local():
    for host in ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"):
        assert is_local(host), host
    for host in ("0.0.0.0", "192.168.1.10", "::", "example.org"):
        assert not is_local(host), host


def test_a_non_local_host_is_warned_about(monkeypatch, capsys):
    started = []
    monkeypatch.setattr(GamePageServer, "serve", lambda self: started.append(self))
    monkeypatch.setenv(CONFINE_VARIABLE, "0")  # restored after the test
    assert main(["serve", "--host", "0.0.0.0", "--port", "8765"]) == 0
    assert capsys.readouterr().err == (
        "goingdark serve: warning: http://0.0.0.0:8765 can be reached from other machines "
        "and the connection is not encrypted: anyone on the network can watch it, and the "
        "join code and the teams' PINs are the only protection. Serve only on a network you "
        "trust.\n"
    )
    assert not_encrypted_warning("0.0.0.0", 8765) + "\n" == (
        "goingdark serve: warning: http://0.0.0.0:8765 can be reached from other machines "
        "and the connection is not encrypted: anyone on the network can watch it, and the "
        "join code and the teams' PINs are the only protection. Serve only on a network you "
        "trust.\n"
    )
    # The games it starts are confined.
    assert confined()
    assert started[0].command == served_command(None, None)


def test_localhost_is_served_without_a_warning(monkeypatch, capsys):
    monkeypatch.setattr(GamePageServer, "serve", lambda self: None)
    monkeypatch.setenv(CONFINE_VARIABLE, "0")
    assert main(["serve"]) == 0
    assert capsys.readouterr().err == ""


def test_bad_ports_are_usage_errors(capsys):
    with pytest.raises(SystemExit) as exit_code:
        main(["serve", "--port", "70000"])
    assert exit_code.value.code == 2
    assert capsys.readouterr().err.endswith(
        "goingdark serve: error: argument --port: must be between 1 and 65535, got 70000\n"
    )


def test_the_served_command_runs_this_python(tmp_path):
    assert served_command(None, None) == f"{sys.executable} -m game play"
    command = served_command("ABC234", tmp_path)
    assert command == f"{sys.executable} -m game join ABC234 --sessions {tmp_path}"


def test_the_page_loads_nothing_from_outside():
    async def fetch() -> tuple[str, int, int]:
        server = GamePageServer("true", host="127.0.0.1", port=8000, title="Going Dark")
        async with TestClient(TestServer(await server._make_app())) as client:
            page = await (await client.get("/")).text()
            script = (await client.get("/static/js/textual.js")).status
            font = (await client.get("/static/fonts/RobotoMono-VariableFont_wght.ttf")).status
            return page, script, font

    page, script, font = asyncio.run(fetch())
    assert script == 200 and font == 200
    addresses = re.findall(r"""(?:\b(?:src|href)\s*=\s*|\burl\()["']?([^"')\s>]+)""", page)
    assert addresses and all(address.startswith("/static/") for address in addresses)
    assert "googleapis" not in page and "https://" not in page
    assert re.search(r'data-session-websocket-url="ws://127\.0\.0\.1:\d+/ws"', page)


def test_serving_a_session_checks_its_code(monkeypatch, capsys, tmp_path):
    from engine.rooms import Room, RoomError

    started = []
    monkeypatch.setattr(GamePageServer, "serve", lambda self: started.append(self))
    monkeypatch.setenv(CONFINE_VARIABLE, "0")
    folder = tmp_path / "sessions"
    with pytest.raises(RoomError) as error:
        Room.open("ZZZZZZ", folder=folder)
    assert main(["serve", "--session", "ZZZZZZ", "--sessions", str(folder)]) == 1
    assert capsys.readouterr().err == f"goingdark serve: {error.value}\n"
    assert not started
    room = Room.create("first-quarter", folder=folder)
    room.close()
    typed = room.code.lower()  # codes are typed in any case
    assert main(["serve", "--session", typed, "--sessions", str(folder)]) == 0
    assert started[0].command == served_command(room.code, folder)
    assert started[0].title == f"Going Dark: session {room.code}"


def test_a_port_in_use_is_a_clear_error():
    import socket
    import subprocess

    # In its own process: the server sets up logging and signal handlers for good.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "game", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        f"goingdark serve: cannot listen on 127.0.0.1:{port}: Address already in use "
        "(another server on that port? choose one with --port)"
    )
