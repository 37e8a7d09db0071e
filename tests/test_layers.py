"""The library's layers: a module imports only from its own layer or a lower one; graph/ never imports click.

foundations (graph/*.py) < storage < explore < page < remote.  Subpackages not
in this list (new concerns such as lint, events, time) are held only to the
click rule until they are given a rank here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GRAPH = Path(__file__).resolve().parent.parent / "graph"
RANK = {"": 0, "storage": 1, "explore": 2, "page": 3, "remote": 4}


def _layer(module: str) -> str | None:
    """The layer of `bilateral.graph.X...`: '' for a foundation module, else its subpackage."""
    parts = module.split(".")
    if parts[:2] != ["bilateral", "graph"] or len(parts) < 3:
        return None
    return parts[2] if (GRAPH / parts[2]).is_dir() else ""


def _type_only(tree: ast.AST) -> set[int]:
    """Ids of the import nodes under `if TYPE_CHECKING:`: they never run (annotations only)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            found |= {id(inner) for stmt in node.body for inner in ast.walk(stmt)}
    return found


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module `path` imports when it runs (at top level or inside functions), with its line.

    Imports under `if TYPE_CHECKING:` do not run; a foundation module may name
    the store protocol (graph.storage.protocol) in its annotations that way.
    """
    found = []
    tree = ast.parse(path.read_text("utf-8"))
    skipped = _type_only(tree)
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


MODULES = sorted(p for p in GRAPH.rglob("*.py") if "vendor" not in p.parts)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(GRAPH)))
def test_no_import_runs_upward_and_none_is_click(path):
    relative = path.relative_to(GRAPH)
    own = relative.parts[0] if len(relative.parts) > 1 else ""
    problems = []
    for line, module in _imports(path):
        if module.split(".")[0] == "click":
            problems.append(f"{relative}:{line} imports click")
        target = _layer(module)
        if own in RANK and target in RANK and RANK[target] > RANK[own]:
            problems.append(f"{relative}:{line} ({own or 'foundations'}) imports {module} ({target})")
    assert problems == []


def test_the_rule_sees_a_violation(tmp_path):
    """The checker itself: an upward import and a click import are found; a type-only import is not."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import click\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from bilateral.graph.storage.protocol import Store\n\n"
        "def f():\n    from bilateral.graph.page.rendering import render\n"
    )
    assert [m for _, m in _imports(bad)] == ["click", "typing", "bilateral.graph.page.rendering"]
    assert _layer("bilateral.graph.page.rendering") == "page" and _layer("bilateral.graph.errors") == ""


def test_every_package_folder_is_installed():
    """A subpackage missing from pyproject's list works in the checkout and breaks after `pip install .`."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    folders = {
        "bilateral." + ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("graph", "cli")
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert folders <= listed, sorted(folders - listed)
