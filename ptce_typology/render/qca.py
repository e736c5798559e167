"""QCA results as display tables and JSON (``ptce qca``)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ptce_typology.render.labels import labels, text

QCAResult = Any  # ptce_typology.analysis.qca.QCAResult (render never imports analysis)


def qca_json(result: QCAResult) -> dict:
    """The documented JSON of ``ptce qca``: the rules, the truth table, the solutions, the
    terms and models with their fit, and the necessity of each condition."""
    truth = result.truth_table.reset_index()
    return {
        "outcome": condition_rule(result.outcome),
        "conditions": [condition_rule(c) for c in result.conditions],
        "incl_cut": result.incl_cut, "incl_cut0": result.incl_cut0, "n_cut": result.n_cut,
        "n_cases": len(result.data), "left_out": [str(p) for p in result.left_out],
        "truth_table": truth.to_dict(orient="records"),
        "solutions": result.solutions,
        "terms": {k: v.reset_index().to_dict(orient="records") for k, v in result.terms.items()},
        "models": {k: v.reset_index().to_dict(orient="records")
                   for k, v in result.models.items()},
        "necessity": result.necessity.reset_index().to_dict(orient="records"),
    }


def condition_rule(condition: Any, lang: str = "en") -> str:
    """How a condition (or the outcome) is binarised, in ``lang``: ``SEG = 1 if origin ==
    social_enterprise_group, else 0``."""
    if condition.rule == "0/1":
        return text("qca.rule_binary", lang, name=condition.name, column=condition.column)
    if condition.rule == "membership":
        return text("qca.rule_fuzzy", lang, name=condition.name, column=condition.column)
    return text("qca.rule_test", lang, name=condition.name, column=condition.column,
                op=condition.rule.split()[0], value=condition.value)


def _headed(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Column and index names in ``lang`` (condition names stay as the user gave them)."""
    def head(name: Any) -> str:
        key = f"qca.head.{name}"
        return text(key, lang) if key in labels() else str(name)

    out = frame.rename(columns=head)
    out.index = out.index.rename(head(out.index.name) if out.index.name else None)
    return out


def solution_lines(result: QCAResult, lang: str = "en") -> list[str]:
    """One line per solution: ``complex: A*B | C`` (every equally minimal model)."""
    return [text(f"qca.solutions_line.{kind}", lang,
                 models=" | ".join(models) or text("qca.no_solution", lang))
            for kind, models in result.solutions.items()]


def qca_sections(result: QCAResult, lang: str = "en") -> list[tuple[str, pd.DataFrame]]:
    """Titled tables for the terminal, Markdown, LaTeX, XLSX and Word, labelled in ``lang``.

    Returns
    -------
    list of (str, pandas.DataFrame)
        The truth table, the binarisation, each solution's models and terms, and the
        necessity of single conditions; fit values rounded to 3 decimals.
    """
    rules = pd.DataFrame({"rule": [condition_rule(c, lang) for c in result.conditions]
                          + [condition_rule(result.outcome, lang)]},
                         index=pd.Index([c.name for c in result.conditions]
                                        + [result.outcome.name], name="set"))
    truth = result.truth_table.copy()
    truth["incl"] = truth["incl"].round(3)
    truth["PRI"] = truth["PRI"].round(3)
    if "cases" in truth.columns:  # a space after each comma lets a long list wrap
        truth["cases"] = truth["cases"].astype(str).str.replace(",", ", ", regex=False)
    sections = [(text("qca.truth_table", lang), truth),
                (text("qca.binarisation", lang), rules)]
    for kind in result.solutions:
        models = result.models[kind].round(3)
        if models.empty:
            models = pd.DataFrame({"expression": [text("qca.no_solution", lang)]},
                                  index=pd.Index(["-"], name="model"))
        sections.append((text(f"qca.solution.{kind}", lang), models))
        if not result.terms[kind].empty:
            sections.append((text(f"qca.terms.{kind}", lang), result.terms[kind].round(3)))
    sections.append((text("qca.necessity", lang), result.necessity.round(3)))
    return [(title, _headed(frame, lang)) for title, frame in sections]
