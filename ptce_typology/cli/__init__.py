"""The ``ptce`` command line: each command parses its options, calls one library function and
renders the result. Data goes to stdout, diagnostics to stderr; a user error is one line on
stderr with exit code 1 (``--debug`` shows the traceback).

One module per command family; they register their commands on :data:`app` when imported.
"""

from __future__ import annotations

import importlib

from ptce_typology.cli.app import app

# In the order `ptce --help` lists them: the data, the paper, the typology, groups, référentiel.
for _family in ("data", "paper", "typology", "groups", "referentiel", "report", "export"):
    importlib.import_module(f"ptce_typology.cli.{_family}")

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    app()
