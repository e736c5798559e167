"""ptce-typology: a typology of French PTCE, from sourced case files to paper-ready tables.

The public API is importable from this package; heavy modules load on first use so that
``ptce --help`` stays quick.

>>> from ptce_typology import load_cases, cases_frame
>>> frame = cases_frame(load_cases())          # the twelve témoin poles
"""

from __future__ import annotations

__version__ = "0.1.0"

_LAZY = {
    "load_cases": "ptce_typology.intake.loading",
    "cases_frame": "ptce_typology.frame",
    "validate_paths": "ptce_typology.intake.validation",
    "PtceError": "ptce_typology.errors",
    "Issue": "ptce_typology.errors",
    "Case": "ptce_typology.intake.schema",
    "vocabulary": "ptce_typology.vocabulary",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module = importlib.import_module(_LAZY[name])
        return getattr(module, name)
    raise AttributeError(f"module 'ptce_typology' has no attribute {name!r}")
