"""The ``ptce`` command line: each command parses its options, calls one library function and
renders the result. Data goes to stdout, diagnostics to stderr; a user error is one line on
stderr with exit code 1 (``--debug`` shows the traceback).

One module per command family; they register their commands on :data:`app` when imported.
"""

from __future__ import annotations

import gc
import importlib
import os

from ptce_typology.cli.app import app

# In the order `ptce --help` lists them: the data and its codebook, the paper, the clusters,
# groups and calls, the référentiel.
for _family in ("data", "codebook", "agreement", "paper", "clusters", "groups", "calls",
                "referentiel", "report", "export"):
    importlib.import_module(f"ptce_typology.cli.{_family}")

__all__ = ["app", "main", "run"]

# The cyclic garbage collector's first threshold while the ``ptce`` script runs (Python's
# default is 700 new container objects).
SCRIPT_GC_THRESHOLD = (50_000, 20, 20)


def main() -> None:
    """Run the command line in this process; it ends with :class:`SystemExit`, as a click
    application does."""
    app()


def run() -> None:
    """The ``ptce`` console script (and ``python -m ptce_typology.cli``): :func:`main` in a
    process that lives for one command.

    Importing pandas, numpy and pydantic leaves about 70,000 objects that the cyclic garbage
    collector would walk again and again: some 0.05 s of passes during a command, and 0.1 s
    more at exit, after the output is written, while the interpreter frees its modules. So
    the script collects less often (:data:`SCRIPT_GC_THRESHOLD`) and, once the command is
    done, freezes what is left (:func:`gc.freeze`) so the exit does not walk it. Memory that
    cycles hold is still reclaimed, every 50,000 new objects instead of every 700. Calling
    :func:`main` from Python (a notebook, a test) leaves the collector alone.
    """
    # OpenBLAS's own threads make the MCA's SVD of a 10,000 x 36 table take 0.5 s instead
    # of 0.01 s on two busy cores (they wait for cores the process shares), and a table of
    # poles is too small to gain from them. Read when numpy is first imported, below.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # pydantic looks for plugins (observability hooks) in the entry points of every installed
    # distribution when the first model class is built: 0.03 s of each command's start, to
    # find none. The script reads case files, it is not a service to observe; a user who
    # wants plugins sets PYDANTIC_DISABLE_PLUGINS to a name no plugin has.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    gc.set_threshold(*SCRIPT_GC_THRESHOLD)
    try:
        main()
    finally:
        gc.freeze()
