"""Where the bundled data lives, in a wheel or in a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def data_dir() -> Path:
    """The folder holding ``vocabulary.yaml``, ``cases/`` and ``examples/``.

    In an installed wheel the data ships as the ``ptce_typology.data`` package; in an editable
    install or a source checkout it is the repository's top-level ``data/`` folder.
    """
    from importlib.resources import files

    root = Path(str(files("ptce_typology").joinpath("data")))
    if (root / "vocabulary.yaml").is_file():
        return root
    root = Path(__file__).resolve().parent.parent / "data"
    if not (root / "vocabulary.yaml").is_file():  # pragma: no cover - broken install
        raise RuntimeError(f"bundled data not found (looked in {root})")
    return root


def cases_dir() -> Path:
    """The bundled twelve témoin case files."""
    return data_dir() / "cases"


def examples_dir() -> Path:
    """Bundled example cases (Le Périscope)."""
    return data_dir() / "examples"


def data_file(name: str) -> Path:
    return data_dir() / name
