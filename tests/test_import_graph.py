"""The shape of the imports: no module of engine/ or game/ takes part in an import
cycle, and the engine never imports Textual.

The import graph is read from the source with ``ast``, so imports inside functions
(lazy imports) count: a lazy import that closes a loop is still a loop, only a
hidden one. Imports under ``if TYPE_CHECKING:`` are left out, since they never run.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("engine", "game")


def module_files() -> dict[str, Path]:
    """Every module of the packages, by dotted name (a package by its own name)."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def is_type_checking_block(node: ast.AST) -> bool:
    """``if TYPE_CHECKING:`` or ``if typing.TYPE_CHECKING:``."""
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def import_nodes(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement below ``node``, at any depth, except TYPE_CHECKING ones."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        elif is_type_checking_block(child):
            # Only the ``else`` branch of ``if TYPE_CHECKING:`` runs.
            for other in child.orelse:
                yield from import_nodes(ast.Module(body=[other], type_ignores=[]))
        else:
            yield from import_nodes(child)


def imported_modules(name: str, source: str, known: set[str], is_package: bool = False) -> set[str]:
    """The modules of ``known`` that module ``name``, whose text is ``source``, imports."""
    found = set()
    for node in import_nodes(ast.parse(source, name)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                # Relative: count up from this module's package.
                package = name.split(".") if is_package else name.split(".")[:-1]
                anchor = package[: len(package) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from package import module`` imports the module; otherwise the name
            # comes from ``base`` itself.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        found.update(target for target in targets if target in known)
    found.discard(name)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the modules of engine/ and game/ it imports."""
    files = module_files()
    known = set(files)
    return {
        name: imported_modules(
            name, path.read_text(encoding="utf-8"), known, is_package=path.name == "__init__.py"
        )
        for name, path in files.items()
    }


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively (no recursion limit)."""
    index: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = lowlink[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = lowlink[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    lowlink[node] = min(lowlink[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    lowlink[parent] = min(lowlink[parent], lowlink[node])
                if lowlink[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
    return components


def a_cycle(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """One concrete loop through the component's first module, for the message."""
    members = set(component)
    start = component[0]
    # Breadth-first from start's successors back to start: the shortest loop.
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for successor in sorted(graph[node] & members):
                if successor == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [*reversed(path), start]
                if successor not in previous:
                    previous[successor] = node
                    following.append(successor)
        frontier = following
    raise AssertionError(f"{component} is not a cycle")


def import_cycles(graph: dict[str, set[str]]) -> list[str]:
    """Each cycle as 'a → b → a', with every module of its component named."""
    cycles = []
    for component in strongly_connected(graph):
        if len(component) > 1:
            loop = " → ".join(a_cycle(graph, component))
            cycles.append(f"{loop}  (component: {', '.join(component)})")
    return sorted(cycles)


def test_the_graph_reader_sees_lazy_imports_and_skips_type_checking_ones():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_cycles(graph) == ["a → b → c → a  (component: a, b, c)"]
    source = (
        "from typing import TYPE_CHECKING\n"
        "import engine.state\n"
        "if TYPE_CHECKING:\n    from engine.step import QuarterFlows\n"
        "def later():\n    from engine import world\n    from . import levers\n"
    )
    known = {"engine", "engine.state", "engine.step", "engine.world", "engine.levers"}
    found = imported_modules("engine.example", source, known)
    assert found == {"engine.state", "engine.world", "engine.levers"}


def test_no_module_of_engine_or_game_is_part_of_an_import_cycle():
    graph = import_graph()
    assert "engine.step" in graph and "game.app" in graph  # the walk found the packages
    cycles = import_cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_engine_never_imports_textual():
    # Every engine module, found by walking the package, not a chosen few.
    code = (
        "import importlib, pkgutil, sys\n"
        "import engine\n"
        "names = [m.name for m in pkgutil.walk_packages(engine.__path__, 'engine.')]\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "assert len(names) > 20, names\n"
        "assert 'engine.step' in names and 'engine.scenario.loader' in names, names\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
