"""Where the bundled data lives, in a wheel or in a source checkout."""

from __future__ import annotations

import os
from collections.abc import Iterable
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
    """The bundled twelve témoin case files: the default reference set."""
    return data_dir() / "cases" / "temoins"


def poles_dir() -> Path:
    """The bundled case files of the other PTCE the public record names (role ``case``)."""
    return data_dir() / "cases" / "poles"


ALL = "all"  # the value of --cases that means every bundled pole


def resolve_paths(paths: Iterable[Path | str] | Path | str | None) -> list[Path | str]:
    """``None``: the twelve témoins; the word ``all`` stands for every bundled pole
    (témoins and others); anything else is a path."""
    if paths is None:
        return [cases_dir()]
    if isinstance(paths, (str, Path)):
        paths = [paths]
    out: list[Path | str] = []
    for path in paths:
        out.extend([cases_dir(), poles_dir()] if str(path) == ALL else [path])
    return out


def shadowed_by_all(paths: Iterable[Path | str] | Path | str | None) -> Path | None:
    """The file or folder ``all`` of the working directory when ``paths`` holds the word
    ``all``: it is not read (the word means every bundled pole, :func:`resolve_paths`), so a
    command can say so; None otherwise. Its full path reads it."""
    if paths is None:
        return None
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if any(str(path) == ALL for path in paths) and os.path.lexists(ALL):
        return Path(ALL).absolute()
    return None


def examples_dir() -> Path:
    """Bundled example cases (Le Périscope)."""
    return data_dir() / "examples"


def data_file(name: str) -> Path:
    return data_dir() / name


@cache
def data_bytes(name: str) -> bytes:
    """The bytes of a bundled data file, read once: what its loader parses and what the
    report's checksums hash."""
    return data_file(name).read_bytes()
