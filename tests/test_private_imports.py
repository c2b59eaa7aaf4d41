"""No module imports another module's underscore names.

A leading underscore says "only this module uses it". A helper that another module
needs is made public, with a docstring, in the module that owns it; otherwise a
change to a private helper breaks code its author could not see. This walks every
``from X import _name`` in ``engine/`` and ``game/``.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("engine", "game")


def module_name(path: Path, root: Path) -> str:
    """The dotted name of a module file (a package's ``__init__`` is the package)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_module(node: ast.ImportFrom, importer: str, is_package: bool) -> str:
    """The absolute name of the module a ``from ... import`` reads from."""
    if node.level == 0:
        return node.module or ""
    base = importer.split(".")
    if not is_package:
        base.pop()
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def private_imports(root: Path = ROOT) -> list[str]:
    """``file:line: from X import _name`` for every underscore name imported from
    another module under ``engine/`` and ``game/`` of ``root``."""
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            importer = module_name(path, root)
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.ImportFrom):
                    continue
                source = imported_module(node, importer, path.name == "__init__.py")
                if source == importer or source == "__future__":
                    continue
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        where = path.relative_to(root)
                        found.append(f"{where}:{node.lineno}: from {source} import {alias.name}")
    return found


def test_no_module_imports_another_modules_private_names():
    assert private_imports() == []


def test_the_walk_finds_a_private_import(tmp_path):
    """The check itself works: a planted private import is reported."""
    (tmp_path / "engine").mkdir()
    (tmp_path / "game").mkdir()
    (tmp_path / "engine" / "helpers.py").write_text("def _hidden():\n    return 1\n")
    (tmp_path / "engine" / "user.py").write_text(
        "from engine.helpers import _hidden\nfrom .helpers import _hidden as again\n"
    )
    assert private_imports(tmp_path) == [
        "engine/user.py:1: from engine.helpers import _hidden",
        "engine/user.py:2: from engine.helpers import _hidden",
    ]
