"""The shape STYLE.md asks for, measured: a function fits on a screen, and no code is dead."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import ptce_typology

PACKAGE = Path(ptce_typology.__file__).parent
REPO = Path(__file__).resolve().parent.parent
MAX_LINES = 80  # a screen


def long_functions(source: str, limit: int = MAX_LINES) -> list[tuple[str, int, int]]:
    """(qualified name, first line, length) of every function or method of ``source`` longer
    than ``limit`` lines, counted from ``def`` to its last line, docstring included."""
    found = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    length = child.end_lineno - child.lineno + 1
                    if length > limit:
                        found.append((name, child.lineno, length))
                visit(child, f"{name}.")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return found


def test_no_function_is_longer_than_a_screen():
    offenders = [f"{path.relative_to(PACKAGE.parent)}:{line} {name} ({length} lines)"
                 for path in sorted(PACKAGE.rglob("*.py"))
                 for name, line, length in long_functions(path.read_text(encoding="utf-8"))]
    assert offenders == [], f"over {MAX_LINES} lines: " + "; ".join(offenders)


def test_the_measure_counts_methods_nested_functions_and_docstrings():
    body = [f"x = {i}" for i in range(MAX_LINES - 1)]  # with def and docstring: one too many
    lines = ["class A:", "    def m(self):", '        """Doc."""', *("        " + b for b in body),
             "def outer():", "    def inner():", '        """Doc."""',
             *("        " + b for b in body), "    return inner",
             "def short():", *("    " + b for b in body)]
    first = {line.strip().split("(")[0]: i for i, line in enumerate(lines, 1) if "def " in line}
    assert long_functions("\n".join(lines)) == [
        ("A.m", first["def m"], MAX_LINES + 1),
        ("outer", first["def outer"], MAX_LINES + 3),
        ("outer.inner", first["def inner"], MAX_LINES + 1)]


# Dead code: vulture at 60 % confidence (its lowest, where unused functions, methods,
# attributes and variables are), over the package, scripts/ and tests/ (a name only a test
# uses is public API under test), reporting what lies in the package and scripts/ only.
# typer commands and pydantic validators are found by their decorators; tests/
# vulture_whitelist.py holds, each with its reason, the names used where vulture cannot see.
VULTURE = ["--min-confidence", "60", "--exclude", "fixtures,golden",
           "--ignore-decorators", "@command,@app.callback,@field_validator,@model_validator",
           "--ignore-names", "model_config"]


def dead_code(*paths: Path) -> list[str]:
    done = subprocess.run([sys.executable, "-m", "vulture", *map(str, paths), *VULTURE],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode in (0, 3), done.stderr  # 3: dead code found
    return done.stdout.splitlines()


def test_no_dead_code():
    pytest.importorskip("vulture", reason="vulture is a test extra")
    # The checkout's files (the installed package may be a copy elsewhere): paths relative
    # to the checkout, as vulture prints them.
    found = dead_code(REPO / "ptce_typology", REPO / "scripts", REPO / "tests")
    ours = [line for line in found if line.startswith(("ptce_typology/", "scripts/"))]
    assert ours == []


def test_the_dead_code_check_finds_a_function_nobody_calls(tmp_path):
    pytest.importorskip("vulture", reason="vulture is a test extra")
    module = tmp_path / "module.py"
    module.write_text("def used():\n    return 1\n\n\ndef never_called():\n    return 2\n\n\n"
                      "print(used())\n", encoding="utf-8")
    (found,) = dead_code(module)
    assert "never_called" in found
