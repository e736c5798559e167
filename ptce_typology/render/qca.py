"""QCA results as display tables and JSON (``ptce qca``)."""

from __future__ import annotations

from typing import Any

import pandas as pd

QCAResult = Any  # ptce_typology.analysis.qca.QCAResult (render never imports analysis)


def qca_json(result: QCAResult) -> dict:
    """The documented JSON of ``ptce qca``."""
    truth = result.truth_table.reset_index()
    return {
        "outcome": result.outcome.describe(),
        "conditions": [c.describe() for c in result.conditions],
        "incl_cut": result.incl_cut, "incl_cut0": result.incl_cut0, "n_cut": result.n_cut,
        "n_cases": len(result.data), "left_out": [str(p) for p in result.left_out],
        "truth_table": truth.to_dict(orient="records"),
        "solutions": result.solutions,
        "terms": {k: v.reset_index().to_dict(orient="records") for k, v in result.terms.items()},
        "models": {k: v.reset_index().to_dict(orient="records")
                   for k, v in result.models.items()},
        "necessity": result.necessity.reset_index().to_dict(orient="records"),
    }


def qca_sections(result: QCAResult, lang: str = "en") -> list[tuple[str, pd.DataFrame]]:
    """Titled tables for the terminal, Markdown, LaTeX and XLSX."""
    rules = pd.DataFrame({"rule": [c.describe() for c in result.conditions]
                          + [result.outcome.describe()]},
                         index=pd.Index([c.name for c in result.conditions]
                                        + [result.outcome.name], name="set"))
    truth = result.truth_table.copy()
    truth["incl"] = truth["incl"].round(3)
    truth["PRI"] = truth["PRI"].round(3)
    sections = [("Truth table", truth), ("Binarisation", rules)]
    for kind in result.solutions:
        models = result.models[kind].round(3)
        if models.empty:
            models = pd.DataFrame({"expression": ["no solution"]}, index=pd.Index(
                ["-"], name="model"))
        sections.append((f"{kind.capitalize()} solution", models))
        if not result.terms[kind].empty:
            sections.append((f"{kind.capitalize()} solution: terms",
                             result.terms[kind].round(3)))
    sections.append(("Necessity of single conditions", result.necessity.round(3)))
    return sections
