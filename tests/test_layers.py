"""The folders are the layers: intake -> frame -> analysis -> render -> cli. An import against
that flow, or a cycle between modules, fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import ptce_typology

PACKAGE = Path(ptce_typology.__file__).parent

# What each layer must never import (by top folder or top module of the package).
FORBIDDEN = {
    "intake": {"frame", "analysis", "render", "cli", "study"},
    "frame": {"analysis", "render", "cli", "study"},
    "analysis": {"intake", "frame", "render", "cli", "study"},
    "render": {"analysis", "cli"},  # render_html(study) reads a Study, computed before
    "study": {"render", "cli"},
    "errors": {"intake", "frame", "analysis", "render", "cli", "study"},
    "vocabulary": {"intake", "frame", "analysis", "render", "cli", "study"},
    "resources": {"intake", "frame", "analysis", "render", "cli", "study"},
    "columns": {"intake", "frame", "analysis", "render", "cli", "study", "vocabulary"},
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(("ptce_typology", *parts)).removesuffix(".__init__")
        found[name] = path
    return found


def _imports(path: Path) -> set[str]:
    """Every ptce_typology module a file imports, at any depth (TYPE_CHECKING included)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("ptce_typology"):
                names.add(node.module)
                names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("ptce_typology"))
    return names


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "top"


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: {m for m in _imports(path) if m in modules and m != name}
            for name, path in modules.items()}


def test_no_import_against_the_flow():
    wrong = [f"{src} -> {dst}" for src, targets in _graph().items() for dst in targets
             if _layer(dst) in FORBIDDEN.get(_layer(src), set())]
    assert wrong == []


def test_the_check_sees_a_wrong_arrow(tmp_path):
    # The walker itself must find an import inside a function.
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from ptce_typology.render.formats import to_json\n")
    assert "ptce_typology.render.formats" in _imports(bad)


def test_no_cycle_between_modules():
    graph = _graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    # The package's own __init__ imports lazily (by name), so cycles through it are not real.
    assert [c for c in cycles if "ptce_typology -> " not in c + " "] == []
