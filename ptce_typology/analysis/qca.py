"""Crisp-set QCA as R's QCA package does it (``truthTable`` and ``minimize``).

- the truth table: one row per observed configuration with its cases, ``n``, inclusion
  (consistency), PRI and the output value ``OUT``: 1 when inclusion >= ``incl_cut``, 0 below
  ``incl_cut0`` (by default equal to ``incl_cut``, as in R), ``C`` in between; rows with fewer
  than ``n_cut`` cases are remainders. Rows whose cases disagree on the outcome are also marked
  ``C`` in the ``contradiction`` column, whatever the cut;
- exact minimisation (:mod:`ptce_typology.analysis.qca_engine`): every prime implicant, then **all**
  minimal sums (the smallest number of prime implicants covering every positive configuration),
  as R's exhaustive search reports M1, M2, ...; the complex (conservative) solution uses no
  remainders, the parsimonious one lets remainders be covered, the intermediate one (given
  directional expectations) only the easy counterfactuals, as R's ``dir.exp``;
- fuzzy sets (``fuzzy=True``): plain columns are membership scores in [0, 1]; a case belongs to
  the row where its membership is above 0.5, inclusion and PRI use the fuzzy formulas;
- fit: inclusion (consistency), PRI, raw and unique coverage of each term and of each model;
  necessity of each single condition and its negation (inclN, RoN, covN).

Terms are written as R writes them: ``A*~B + C``; within a model the prime implicants common
to every minimal model come first; terms are ordered by their number of literals, then by
condition (negated before plain), and models by the order of their terms.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ptce_typology.analysis import qca_engine as engine
from ptce_typology.analysis.qca_engine import Minimisation
from ptce_typology.errors import PtceError
from ptce_typology.vocabulary import NOT_APPLICABLE, UNKNOWN

MAX_CONDITIONS = engine.MAX_CONDITIONS
# Values that answer nothing: the case is left out of a condition or outcome that holds one.
NO_VALUE = (UNKNOWN, NOT_APPLICABLE)


@dataclass(frozen=True)
class Condition:
    """A crisp condition: its name in expressions and the rule that makes it 0 or 1."""

    name: str
    column: str
    rule: str            # "== value", ">= threshold", "> threshold", "0/1" or "membership"
    value: object = None

    def describe(self) -> str:
        if self.rule == "0/1":
            return f"{self.name} = {self.column} (0/1)"
        if self.rule == "membership":
            return f"{self.name} = membership in {self.column} (fuzzy, 0 to 1)"
        return f"{self.name} = 1 if {self.column} {self.rule.split()[0]} {self.value}, else 0"


def parse_condition(spec: str, data: pd.DataFrame, fuzzy: bool = False) -> Condition:
    """``NAME:column=value``, ``column=value``, ``column>=x``, ``column>x`` or ``column``.

    A plain column must hold 0/1 values, or yes/no (then 1 means yes); with ``fuzzy`` it may
    also hold membership scores between 0 and 1.
    """
    name = None
    if ":" in spec:
        name, spec = spec.split(":", 1)
    match = re.fullmatch(r"\s*([^=<>!]+?)\s*(>=|>|=)\s*(.+?)\s*", spec)
    if match:
        column, op, value = match.groups()
    else:
        column, op, value = spec.strip(), None, None
    if column not in data.columns:
        raise PtceError("no such column", field="--conditions/--outcome", value=column,
                        allowed=list(data.columns))
    default = re.sub(r"[^A-Za-z0-9]+", "_", spec.strip()).strip("_").upper()
    name = (name or default).strip()
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
        raise PtceError("a condition name is letters, digits and _", value=name)
    if op is None:
        values = set(data[column].dropna().astype(object)) - {UNKNOWN}
        if values <= {0, 1, "0", "1"} and not fuzzy:
            return Condition(name, column, "0/1")
        if values <= {"yes", "no"}:
            return Condition(name, column, "== value", "yes")
        if fuzzy:
            scores = pd.to_numeric(pd.Series(sorted(values, key=str), dtype=object),
                                   errors="coerce")
            if scores.notna().all() and scores.between(0, 1).all():
                return Condition(name, column, "membership")
            raise PtceError("a fuzzy condition holds membership scores between 0 and 1",
                            field=column, value=", ".join(sorted(map(str, values)))[:80])
        raise PtceError("the column is not 0/1 or yes/no; say which value is 1 "
                        "(column=value or column>=number)", field=column,
                        value=", ".join(sorted(map(str, values)))[:80])
    if op == "=":
        _check_level(data[column], column, value)
        return Condition(name, column, "== value", value)
    try:
        threshold = float(value)
    except ValueError:
        raise PtceError("a threshold must be a number", field=column, value=value) from None
    if not np.isfinite(threshold):
        raise PtceError("a threshold must be a finite number", field=column, value=value)
    if not pd.api.types.is_numeric_dtype(data[column]):
        raise PtceError("a threshold needs a numeric column; use column=value",
                        field=column, value=f"{op}{value}")
    return Condition(name, column, f"{op} threshold", threshold)


def _check_level(values: pd.Series, column: str, value: str) -> None:
    """``column=value`` must name a category of the column (its vocabulary), a value it holds,
    or, for a numeric column, a number: anything else would be a condition that is 0 for
    every case."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        levels = [str(c) for c in values.cat.categories]
        if value not in levels:
            raise PtceError("not a category of the column", field=column, value=value,
                            allowed=levels)
        return
    if pd.api.types.is_numeric_dtype(values):
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if not np.isfinite(number):
            raise PtceError("the column is numeric; give a number", field=column, value=value)
        return
    held = sorted({str(v) for v in values.dropna()} | {UNKNOWN})
    if value not in held:
        raise PtceError("no case has this value", field=column, value=value,
                        allowed=held[:12] + (["..."] if len(held) > 12 else []))


def binarise(data: pd.DataFrame, conditions: list[Condition]) -> tuple[pd.DataFrame, list]:
    """0/1 columns, one per condition; cases with an unknown value in any are left out
    (returned as the second item), and so are those for which the value is not applicable
    (a call that ran before the grouping started is neither won nor lost)."""
    out = {}
    missing = pd.Series(False, index=data.index)
    for cond in conditions:
        col = data[cond.column]
        obj = col.astype(object)
        unknown = col.isna() | obj.isin(NO_VALUE)
        if cond.rule in ("0/1", "membership"):
            values = pd.to_numeric(obj.where(~unknown), errors="coerce")
            bad = ~unknown & (~values.isin([0, 1]) if cond.rule == "0/1"
                              else ~values.between(0, 1))
            if bad.any():
                raise PtceError(f"a {cond.rule} condition holds another value",
                                field=cond.column, value=str(obj[bad].iloc[0]))
        elif cond.rule == "== value":
            if cond.value in NO_VALUE:  # asked for by name: a value like the others
                unknown = col.isna() | obj.isin([v for v in NO_VALUE if v != cond.value])
            values = (obj.astype(str) == str(cond.value)).astype(float)
        else:
            numbers = pd.to_numeric(obj.where(~unknown), errors="coerce")
            unknown = unknown | numbers.isna()
            values = (numbers >= cond.value) if cond.rule.startswith(">=") \
                else (numbers > cond.value)
            values = values.astype(float)
        missing |= unknown
        out[cond.name] = values
    frame = pd.DataFrame(out, index=data.index)
    left_out = list(frame.index[missing])
    if any(c.rule == "membership" for c in conditions):
        return frame[~missing].astype(float), left_out
    return frame[~missing].astype(int), left_out


# Implicants are tuples over the conditions: 1 (present), 0 (negated), None (absent).


def expression(term: tuple, names: list[str]) -> str:
    literals = [("~" if v == 0 else "") + n for v, n in zip(term, names, strict=True)
                if v is not None]
    return "*".join(literals) if literals else "1"


def _config_index(config: tuple) -> int:
    return engine.config_index(config)


def minimise(positives: set[tuple], negatives: set[tuple], k: int,
             remainders: bool, max_models: int = engine.MAX_MODELS) -> Minimisation:
    """All prime implicants and all minimal sums covering ``positives``.

    With ``remainders`` False an implicant may cover positive configurations only (complex
    solution); with True it may also cover configurations never observed (parsimonious), but
    never a negative (0 or C) one. Delegates to :func:`ptce_typology.analysis.qca_engine.minimise`.
    """
    if k > MAX_CONDITIONS:
        raise PtceError(f"at most {MAX_CONDITIONS} conditions", value=k)
    return engine.minimise(positives, negatives, k, remainders, max_models)


def _fit(member: np.ndarray, outcome: np.ndarray) -> tuple[float, float, float]:
    """Inclusion (consistency), PRI and coverage of a (crisp or fuzzy) set for the outcome."""
    return engine.sufficiency(member, outcome)


def _members(term: tuple, X: np.ndarray) -> np.ndarray:
    return engine.membership(term, X)


@dataclass
class QCAResult:
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
        raise PtceError("inclusion cuts must satisfy 0 <= incl-cut0 <= incl-cut <= 1",
                        value=f"{incl_cut}, {incl_cut0}")
    conds = [parse_condition(c, data, fuzzy) for c in conditions]
    if not conds:
        raise PtceError("give at least one condition", field="--conditions")
    names = [c.name for c in conds]
    if len(set(names)) != len(names):
        raise PtceError("two conditions have the same name; name them NAME:spec",
                        value=", ".join(names))
    out_cond = parse_condition(outcome, data, fuzzy)
    out_cond = Condition("OUTCOME" if out_cond.name in names else out_cond.name,
                         out_cond.column, out_cond.rule, out_cond.value)
    expectations = None if dir_exp is None else engine.parse_dir_exp(dir_exp, names)
    binary, left_out = binarise(data, [*conds, out_cond])
    if binary.empty:
        raise PtceError("no case has known values for every condition and the outcome")
    X = binary[names].to_numpy()
    y = binary[out_cond.name].to_numpy().astype(float)
    k = len(names)
    if k > MAX_CONDITIONS:
        raise PtceError(f"at most {MAX_CONDITIONS} conditions", value=k)
    tt = engine.truth_table(X, y, incl_cut, incl_cut0, n_cut, pri_cut)
    rows = []
    for i, config in enumerate(tt.configs):
        rows.append({**dict(zip(names, config, strict=True)), "OUT": tt.out[i],
                     "n": int(tt.n[i]), "incl": float(tt.incl[i]), "PRI": float(tt.pri[i]),
                     "contradiction": "C" if tt.contradiction[i] else "",
                     "cases": ",".join(str(binary.index[c]) for c in tt.cases[i]),
                     "_config": config, "_row": int(tt.rows[i]) + 1})
    table = pd.DataFrame(rows).sort_values(["OUT", "incl", "n", "_row"],
                                           ascending=[False, False, False, True],
                                           kind="stable")
    positives = set(tt.select("1"))
    negatives = set(tt.select("0", "C"))
    found = {kind: minimise(positives, negatives, k, remainders).models
             for kind, remainders in (("complex", False), ("parsimonious", True))}
    if expectations is not None:
        found["intermediate"] = []
        for pair in engine.intermediate(positives, negatives, k, expectations):
            found["intermediate"] += [m for m in pair.models
                                      if m not in found["intermediate"]]
    solutions, terms, models = {}, {}, {}
    for kind, kind_models in found.items():
        solutions[kind] = [" + ".join(expression(t, names) for t in model)
                           for model in kind_models]
        terms[kind], models[kind] = _solution_fit(kind_models, X, y, names,
                                                  list(binary.index))
    necessity = _necessity(X, y, names)
    truth = table.set_index("_row").drop(columns=["_config"])
    truth.index.name = "row"
    return QCAResult(conds, out_cond, binary, left_out, truth, solutions, terms, models,
                     necessity, incl_cut, incl_cut0, n_cut)


def _solution_fit(models: list[list[tuple]], X: np.ndarray, y: np.ndarray, names: list[str],
                  cases: list) -> tuple[pd.DataFrame, pd.DataFrame]:
    term_rows: dict[str, dict] = {}
    model_rows = []
    for m, model in enumerate(models, start=1):
        memberships = [_members(t, X) for t in model]
        union = np.max(memberships, axis=0) if memberships else np.zeros(len(y))
        incl, pri, cov = _fit(union, y)
        model_rows.append({"model": f"M{m}", "expression": " + ".join(
            expression(t, names) for t in model), "inclS": incl, "PRI": pri, "covS": cov})
        for i, term in enumerate(model):
            label = expression(term, names)
            others = [mem for j, mem in enumerate(memberships) if j != i]
            rest = np.max(others, axis=0) if others else np.zeros(len(y))
            # R prints no unique coverage for a model of a single term.
            unique = cov - _fit(rest, y)[2] if y.sum() and len(model) > 1 else float("nan")
            if label not in term_rows:
                t_incl, t_pri, t_cov = _fit(memberships[i], y)
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
    rows = []
    for j, name in enumerate(names):
        for negated in (False, True):
            x = (1 - X[:, j]) if negated else X[:, j].astype(float)
            both = float(np.minimum(x, y).sum())
            incl_n = both / y.sum() if y.sum() else float("nan")
            cov_n = both / x.sum() if x.sum() else float("nan")
            denominator = float((1 - np.minimum(x, y)).sum())
            ron = float((1 - x).sum()) / denominator if denominator else float("nan")
            rows.append({"condition": ("~" if negated else "") + name, "inclN": incl_n,
                         "RoN": ron, "covN": cov_n})
    return pd.DataFrame(rows).set_index("condition")
