"""The bundled data is found from an installed (non-editable) package, from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import BUNDLED

import ptce_typology
from ptce_typology.resources import data_dir


def test_data_ships_with_the_package():
    package = Path(ptce_typology.__file__).resolve().parent
    if "site-packages" in str(package):
        assert data_dir().resolve().is_relative_to(package), data_dir()
    assert (data_dir() / "vocabulary.yaml").is_file()
    assert len(list((data_dir() / "cases" / "temoins").glob("*.yaml"))) == 12
    assert len(list((data_dir() / "cases" / "poles").glob("*.yaml"))) >= 45


def test_cli_runs_from_any_folder(tmp_path):
    env = {**os.environ, "PYTHONPATH": ""}
    result = subprocess.run([sys.executable, "-m", "ptce_typology.cli", "validate"],
                            cwd=tmp_path, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert f"{BUNDLED + 1} case(s): valid" in result.stderr


def test_every_subpackage_is_installed():
    """A non-editable install carries only the packages pyproject.toml lists: every folder of
    the package with an ``__init__.py`` must be among them."""
    import pytest

    tomllib = pytest.importorskip("tomllib")  # Python 3.11 and later
    root = Path(__file__).resolve().parent.parent
    listed = set(tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
                 ["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(root).parts)
             for p in (root / "ptce_typology").rglob("__init__.py")}
    assert found <= listed, found - listed
