"""The shape STYLE.md asks for, measured: a function fits on a screen, and no code is dead."""

from __future__ import annotations

import ast
import re
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


# Modules without a test file of their own, and the test file that exercises each: a new
# module gets tests/test_<module>.py (or test_<package>_<module>.py), or a line here.
EXERCISED_ELSEWHERE = {
    "analysis/parameters.py": "test_typology.py (the defaults Typology and the CLI share)",
    "analysis/qca/conditions.py": "test_qca.py (conditions parsed and binarised by qca())",
    "analysis/qca/truthtable.py": "test_qca.py, test_qca_minimise.py",
    "cli/app.py": "test_cli.py (every command on the bundled data)",
    "cli/export.py": "test_datapackage.py (ptce export-data)",
    "cli/flags.py": "test_typology.py (an analysis error names its flag)",
    "cli/groups.py": "test_comparison.py, test_qca_cli.py (ptce compare and ptce qca)",
    "cli/options.py": "test_hostile_options.py, test_cli.py",
    "cli/report.py": "test_html.py (the command's rerun against the session's study)",
    "errors.py": "test_validation.py, test_hardening.py",
    "frame.py": "test_loading.py, test_mixed_study.py",
    "intake/checks.py": "test_validation.py (one bad fixture per code)",
    "intake/schema.py": "test_validation.py, test_loading.py",
    "intake/tables.py": "test_hostile_input.py, test_loading.py (case tables)",
    "intake/template.py": "test_mixed_study.py, test_cli.py (ptce new)",
    "render/casefile.py": "test_records.py, test_cli.py (ptce show)",
    "render/cells.py": "test_hostile_render.py",
    "render/dates.py": "test_hostile_options.py (SOURCE_DATE_EPOCH)",
    "render/errors.py": "test_comparison.py, test_qca_cli.py (errors in the chosen language)",
    "render/formats/json.py": "test_cli.py (--format json equals the library's result)",
    "render/formats/terminal.py": "test_hostile_render.py, test_french.py",
    "render/links.py": "test_markdown.py, test_hostile_render.py",
    "render/poles.py": "test_records.py, test_html.py",
    "resources.py": "test_install.py",
    "study.py": "test_html.py, test_mixed_study.py",
    "vocabulary.py": "test_data.py, test_codebook.py, test_calls.py",
}


def test_every_module_has_a_test_file_or_says_where_it_is_tested():
    tests = {p.name for p in Path(__file__).parent.glob("test_*.py")}
    without = set()
    for path in (REPO / "ptce_typology").rglob("*.py"):
        if path.stem in ("__init__", "__main__"):
            continue
        own = {f"test_{path.stem}.py", f"test_{path.parent.name}_{path.stem}.py"}
        if not own & tests:
            without.add(path.relative_to(REPO / "ptce_typology").as_posix())
    assert without == set(EXERCISED_ELSEWHERE)
    named = {name for where in EXERCISED_ELSEWHERE.values()
             for name in re.findall(r"test_\w+\.py", where)}
    assert named <= tests
