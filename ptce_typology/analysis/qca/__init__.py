"""Crisp- and fuzzy-set QCA as R's QCA package does it (``truthTable``, ``minimize``, ``pof``).

- the truth table (:mod:`~ptce_typology.analysis.qca.truthtable`): one row per observed
  configuration with its cases, ``n``, inclusion (consistency), PRI and the output value
  ``OUT``: 1 when inclusion >= ``incl_cut``, 0 below ``incl_cut0`` (by default equal to
  ``incl_cut``, as in R), ``C`` in between; rows with fewer than ``n_cut`` cases are
  remainders. Rows whose cases disagree on the outcome are also marked ``C`` in the
  ``contradiction`` column, whatever the cut;
- exact minimisation (:mod:`~ptce_typology.analysis.qca.minimise`): every prime implicant,
  then **all** minimal sums (the smallest number of prime implicants covering every positive
  configuration), as R's exhaustive search reports M1, M2, ...; the complex (conservative)
  solution uses no remainders, the parsimonious one lets remainders be covered, the
  intermediate one (:mod:`~ptce_typology.analysis.qca.intermediate`, given directional
  expectations) only the easy counterfactuals, as R's ``dir.exp``;
- fuzzy sets (``fuzzy=True``): plain columns are membership scores in [0, 1]; a case belongs to
  the row where its membership is above 0.5, inclusion and PRI use the fuzzy formulas;
- fit (:mod:`~ptce_typology.analysis.qca.measures`): inclusion (consistency), PRI, raw and
  unique coverage of each term and of each model; necessity of each single condition and its
  negation (inclN, RoN, covN).

Conditions are specs read against the table (:mod:`~ptce_typology.analysis.qca.conditions`).
Terms are written as R writes them: ``A*~B + C``; within a model the prime implicants common
to every minimal model come first; terms are ordered by their number of literals, then by
condition (negated before plain), and models by the order of their terms.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

# The modules minimise and intermediate, not their functions of the same name: the package's
# attributes stay its modules.
from ptce_typology.analysis.qca import intermediate, minimise
from ptce_typology.analysis.qca.conditions import Condition, binarise, parse_condition
from ptce_typology.analysis.qca.measures import membership, necessity, sufficiency
from ptce_typology.analysis.qca.minimise import MAX_CONDITIONS, Term
from ptce_typology.analysis.qca.truthtable import TruthTable, truth_table
from ptce_typology.errors import PtceError


def expression(term: Term, names: list[str]) -> str:
    """A term as R writes it: ``A*~B`` (``1`` for the term with no literal)."""
    literals = [("~" if v == 0 else "") + n for v, n in zip(term, names, strict=True)
                if v is not None]
    return "*".join(literals) if literals else "1"


@dataclass
class QCAResult:
    """What :func:`qca` returns (its docstring lists the tables)."""

    conditions: list[Condition]
    outcome: Condition
    data: pd.DataFrame            # the 0/1 cases used
    left_out: list
    truth_table: pd.DataFrame
    solutions: dict[str, list[str]]
    terms: dict[str, pd.DataFrame]
    models: dict[str, pd.DataFrame]
    necessity: pd.DataFrame
    incl_cut: float
    incl_cut0: float
    n_cut: int


def qca(data: pd.DataFrame, outcome: str, conditions: list[str], incl_cut: float = 1.0,
        incl_cut0: float | None = None, n_cut: int = 1, *, pri_cut: float = 0.0,
        dir_exp: Sequence | Mapping | None = None, fuzzy: bool = False) -> QCAResult:
    """Crisp- or fuzzy-set QCA of ``outcome`` on ``conditions`` (specs as :func:`parse_condition`).

    Parameters
    ----------
    data : DataFrame
        One row per case.
    outcome, conditions : str, list of str
        Condition specs (:func:`parse_condition`).
    incl_cut, incl_cut0, n_cut, pri_cut : float, float, int, float
        R's ``incl.cut = c(incl_cut, incl_cut0)``, ``n.cut`` and ``pri.cut``.
    dir_exp : sequence, mapping or str, optional
        Directional expectations, one per condition (1, 0 or "-"), or a mapping from condition
        name to expectation: adds the intermediate solution, as R's ``dir.exp``.
    fuzzy : bool
        Read plain numeric columns as fuzzy membership scores in [0, 1].

    Returns
    -------
    QCAResult
        ``truth_table``: DataFrame indexed by R's row number (1 + the configuration read as a
        binary number), columns = the conditions, ``OUT`` (1, 0, C or ? for remainders not
        shown), ``n``, ``incl``, ``PRI``, ``contradiction`` ("C" when the cases disagree),
        ``cases``. ``solutions``: {"complex": [expression, ...], "parsimonious": [...],
        "intermediate": [...] (with ``dir_exp``)}, one expression per minimal model (the
        intermediate models of every complex/parsimonious pair, without repeats). ``terms``:
        per solution type, every term with ``inclS``,
        ``PRI``, ``covS``, ``covU`` (unique coverage within the first model holding it),
        ``models`` (the models it belongs to) and ``cases``. ``models``: per solution type,
        ``inclS``, ``PRI``, ``covS`` of each model. ``necessity``: inclN, RoN, covN of each
        condition and its negation.
    """
    incl_cut0 = incl_cut if incl_cut0 is None else incl_cut0
    if not 0 <= incl_cut0 <= incl_cut <= 1:
        raise PtceError("inclusion cuts must satisfy 0 <= incl_cut0 <= incl_cut <= 1",
                        field="incl_cut", value=f"{incl_cut}, {incl_cut0}")
    conds, out_cond = _parse_conditions(data, outcome, conditions, fuzzy)
    names = [c.name for c in conds]
    expectations = None if dir_exp is None else intermediate.parse_dir_exp(dir_exp, names)
    binary, left_out = binarise(data, [*conds, out_cond])
    if binary.empty:
        raise PtceError("no case has known values for every condition and the outcome")
    X = binary[names].to_numpy()
    y = binary[out_cond.name].to_numpy().astype(float)
    if len(set(y.tolist())) == 1:
        raise PtceError(f"the outcome is the same ({y[0]:g}) for every case left "
                        f"({len(y)}): there is nothing to explain", field="outcome",
                        value=outcome, key="constant_outcome",
                        values={"outcome": outcome, "value": f"{y[0]:g}", "n": len(y)})
    if len(names) > MAX_CONDITIONS:
        raise PtceError(f"at most {MAX_CONDITIONS} conditions", field="conditions",
                        value=len(names))
    tt = truth_table(X, y, incl_cut, incl_cut0, n_cut, pri_cut)
    found = _minimal_models(tt, len(names), expectations)
    solutions, terms, models = {}, {}, {}
    for kind, kind_models in found.items():
        solutions[kind] = [" + ".join(expression(t, names) for t in model)
                           for model in kind_models]
        terms[kind], models[kind] = _solution_fit(kind_models, X, y, names,
                                                  list(binary.index))
    return QCAResult(conds, out_cond, binary, left_out, _truth_frame(tt, names, binary.index),
                     solutions, terms, models, _necessity(X, y, names), incl_cut, incl_cut0,
                     n_cut)


def _parse_conditions(data: pd.DataFrame, outcome: str, conditions: list[str],
                      fuzzy: bool) -> tuple[list[Condition], Condition]:
    """The conditions, named apart, and the outcome (``OUTCOME`` when a condition has its
    name)."""
    conds = [parse_condition(c, data, fuzzy, "conditions") for c in conditions]
    if not conds:
        raise PtceError("give at least one condition", field="conditions")
    names = [c.name for c in conds]
    if len(set(names)) != len(names):
        raise PtceError("two conditions have the same name; name them NAME:spec",
                        field="conditions", value=", ".join(names))
    out_cond = parse_condition(outcome, data, fuzzy, "outcome")
    return conds, Condition("OUTCOME" if out_cond.name in names else out_cond.name,
                            out_cond.column, out_cond.rule, out_cond.value)


def _truth_frame(tt: TruthTable, names: list[str], cases: pd.Index) -> pd.DataFrame:
    """The truth table as R prints it: OUT 1 first, then by inclusion and ``n``; indexed by
    R's row number."""
    rows = []
    for i, config in enumerate(tt.configs):
        rows.append({**dict(zip(names, config, strict=True)), "OUT": tt.out[i],
                     "n": int(tt.n[i]), "incl": float(tt.incl[i]), "PRI": float(tt.pri[i]),
                     "contradiction": "C" if tt.contradiction[i] else "",
                     "cases": ",".join(str(cases[c]) for c in tt.cases[i]),
                     "row": int(tt.rows[i]) + 1})
    table = pd.DataFrame(rows).sort_values(["OUT", "incl", "n", "row"],
                                           ascending=[False, False, False, True],
                                           kind="stable")
    return table.set_index("row")


def _minimal_models(tt: TruthTable, k: int, expectations: list[int | None] | None
                    ) -> dict[str, list[list[Term]]]:
    """Every minimal model of each solution: complex, parsimonious and, with directional
    expectations, intermediate (the models of every pair, without repeats)."""
    positives = set(tt.select("1"))
    negatives = set(tt.select("0", "C"))
    found = {kind: minimise.minimise(positives, negatives, k, remainders).models
             for kind, remainders in (("complex", False), ("parsimonious", True))}
    if expectations is not None:
        found["intermediate"] = []
        for pair in intermediate.intermediate(positives, negatives, k, expectations):
            found["intermediate"] += [m for m in pair.models
                                      if m not in found["intermediate"]]
    return found


def _solution_fit(models: list[list[tuple]], X: np.ndarray, y: np.ndarray, names: list[str],
                  cases: list) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The fit of each term (``covU`` within the first model holding it) and of each model."""
    term_rows: dict[str, dict] = {}
    model_rows = []
    for m, model in enumerate(models, start=1):
        memberships = [membership(t, X) for t in model]
        union = np.max(memberships, axis=0) if memberships else np.zeros(len(y))
        incl, pri, cov = sufficiency(union, y)
        model_rows.append({"model": f"M{m}", "expression": " + ".join(
            expression(t, names) for t in model), "inclS": incl, "PRI": pri, "covS": cov})
        for i, term in enumerate(model):
            label = expression(term, names)
            others = [mem for j, mem in enumerate(memberships) if j != i]
            rest = np.max(others, axis=0) if others else np.zeros(len(y))
            # R prints no unique coverage for a model of a single term.
            unique = cov - sufficiency(rest, y)[2] if y.sum() and len(model) > 1 \
                else float("nan")
            if label not in term_rows:
                t_incl, t_pri, t_cov = sufficiency(memberships[i], y)
                term_rows[label] = {"term": label, "inclS": t_incl, "PRI": t_pri,
                                    "covS": t_cov, "covU": unique, "models": [f"M{m}"],
                                    "cases": ",".join(str(c) for c, v, o in
                                                      zip(cases, memberships[i], y,
                                                          strict=True)
                                                      if v > 0.5 and o > 0.5)}
            else:
                term_rows[label]["models"].append(f"M{m}")
    terms = pd.DataFrame(list(term_rows.values()),
                         columns=["term", "inclS", "PRI", "covS", "covU", "models", "cases"])
    terms["models"] = terms["models"].map(lambda ms: " ".join(ms))
    return terms.set_index("term"), pd.DataFrame(model_rows,
                                                 columns=["model", "expression", "inclS",
                                                          "PRI", "covS"]).set_index("model")


def _necessity(X: np.ndarray, y: np.ndarray, names: list[str]) -> pd.DataFrame:
    """inclN, RoN and covN of each condition and of its negation."""
    rows = []
    for j, name in enumerate(names):
        for negated in (False, True):
            x = (1 - X[:, j]) if negated else X[:, j]
            incl_n, ron, cov_n = necessity(x, y)
            rows.append({"condition": ("~" if negated else "") + name, "inclN": incl_n,
                         "RoN": ron, "covN": cov_n})
    return pd.DataFrame(rows).set_index("condition")
