"""ptce-typology: a typology of French PTCE, from sourced case files to paper-ready tables.

The public API is importable from this package; heavy modules load on first use so that
``ptce --help`` stays quick.

>>> from ptce_typology import load_cases, cases_frame
>>> frame = cases_frame(load_cases())          # the twelve témoin poles
"""

from __future__ import annotations

__version__ = "0.1.0"

# The public API: name -> the module that defines it, imported on first use.
_LAZY = {
    # intake: read and validate
    "load_cases": "ptce_typology.intake.loading",
    "validate_paths": "ptce_typology.intake.validation",
    "load_claims": "ptce_typology.intake.claims",
    "load_referentiel": "ptce_typology.intake.referentiel",
    "Case": "ptce_typology.intake.schema",
    # the tidy frame
    "cases_frame": "ptce_typology.frame",
    "load_frame": "ptce_typology.frame",
    # analyses
    "reproduce_claims": "ptce_typology.analysis.claims",
    "Typology": "ptce_typology.analysis.typology",
    "compare_groups": "ptce_typology.analysis.comparison",
    "qca": "ptce_typology.analysis.qca",
    "gap_matrix": "ptce_typology.analysis.referentiel",
    # the whole study and its report
    "run_study": "ptce_typology.study",
    "render_html": "ptce_typology.render.html",
    # shared
    "PtceError": "ptce_typology.errors",
    "Issue": "ptce_typology.errors",
    "vocabulary": "ptce_typology.vocabulary",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str):
    """Import a public name from its module on first use (``ptce --help`` stays quick)."""
    if name in _LAZY:
        import importlib

        module = importlib.import_module(_LAZY[name])
        return getattr(module, name)
    raise AttributeError(f"module 'ptce_typology' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
