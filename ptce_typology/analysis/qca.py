"""Crisp-set QCA as R's QCA package does it (``truthTable`` and ``minimize``).

- the truth table: one row per observed configuration with its cases, ``n``, inclusion
  (consistency), PRI and the output value ``OUT``: 1 when inclusion >= ``incl_cut``, 0 below
  ``incl_cut0`` (by default equal to ``incl_cut``, as in R), ``C`` in between; rows with fewer
  than ``n_cut`` cases are remainders. Rows whose cases disagree on the outcome are also marked
  ``C`` in the ``contradiction`` column, whatever the cut;
- exact minimisation: every prime implicant, then **all** minimal sums (the smallest number of
  prime implicants covering every positive configuration, every combination of that size), as
  R's exhaustive search reports M1, M2, ...; the complex (conservative) solution uses no
  remainders, the parsimonious one lets remainders be covered;
- fit: inclusion (consistency), PRI, raw and unique coverage of each term and of each model;
  necessity of each single condition and its negation (inclN, RoN, covN).

Terms are written as R writes them: ``A*~B + C``; within a model the essential prime
implicants come first; terms are ordered by their number of literals, then by condition
(negated before plain), and models by the order of their terms.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ptce_typology.errors import PtceError
from ptce_typology.vocabulary import UNKNOWN

MAX_CONDITIONS = 12


@dataclass(frozen=True)
class Condition:
    """A crisp condition: its name in expressions and the rule that makes it 0 or 1."""

    name: str
    column: str
    rule: str            # "== value", ">= threshold", "> threshold" or "0/1"
    value: object = None

    def describe(self) -> str:
        if self.rule == "0/1":
            return f"{self.name} = {self.column} (0/1)"
        return f"{self.name} = 1 if {self.column} {self.rule.split()[0]} {self.value}, else 0"


def parse_condition(spec: str, data: pd.DataFrame) -> Condition:
    """``NAME:column=value``, ``column=value``, ``column>=x``, ``column>x`` or ``column``.

    A plain column must hold 0/1 values, or yes/no (then 1 means yes).
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
        if values <= {0, 1, "0", "1"}:
            return Condition(name, column, "0/1")
        if values <= {"yes", "no"}:
            return Condition(name, column, "== value", "yes")
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
    (returned as the second item)."""
    out = {}
    missing = pd.Series(False, index=data.index)
    for cond in conditions:
        col = data[cond.column]
        obj = col.astype(object)
        unknown = col.isna() | (obj == UNKNOWN)
        if cond.rule == "0/1":
            values = pd.to_numeric(obj.where(~unknown), errors="coerce")
            bad = ~unknown & ~values.isin([0, 1])
            if bad.any():
                raise PtceError("a 0/1 condition holds another value", field=cond.column,
                                value=str(obj[bad].iloc[0]))
        elif cond.rule == "== value":
            if cond.value == UNKNOWN:
                unknown = col.isna()
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
    return frame[~missing].astype(int), left_out


# Implicants are tuples over the conditions: 1 (present), 0 (negated), None (absent).


def _code(term: tuple) -> tuple:
    """R's order: fewer literals first, then by condition with ~X before X before absent."""
    return (sum(v is not None for v in term),
            tuple(3 if v is None else (1 if v == 0 else 2) for v in term))


def expression(term: tuple, names: list[str]) -> str:
    literals = [("~" if v == 0 else "") + n for v, n in zip(term, names, strict=True)
                if v is not None]
    return "*".join(literals) if literals else "1"


def _cover_mask(term: tuple, k: int) -> int:
    mask = 0
    for index, config in enumerate(itertools.product((0, 1), repeat=k)):
        if all(v is None or v == c for v, c in zip(term, config, strict=True)):
            mask |= 1 << index
    return mask


def _config_index(config: tuple) -> int:
    index = 0
    for bit in config:
        index = index * 2 + int(bit)
    return index


@dataclass
class Minimisation:
    primes: list[tuple]
    models: list[list[tuple]]
    essential: list[tuple] = field(default_factory=list)


def minimise(positives: set[tuple], negatives: set[tuple], k: int,
             remainders: bool, max_models: int = 10_000) -> Minimisation:
    """All prime implicants and all minimal sums covering ``positives``.

    With ``remainders`` False an implicant may cover positive configurations only (complex
    solution); with True it may also cover configurations never observed (parsimonious), but
    never a negative (0 or C) one.
    """
    if k > MAX_CONDITIONS:
        raise PtceError(f"at most {MAX_CONDITIONS} conditions", value=k)
    if not positives:
        return Minimisation([], [])
    pos_mask = sum(1 << _config_index(c) for c in positives)
    neg_mask = sum(1 << _config_index(c) for c in negatives)
    allowed = ((1 << 2 ** k) - 1) & ~neg_mask if remainders else pos_mask
    masks: dict[tuple, int] = {}
    for term in itertools.product((None, 0, 1), repeat=k):
        mask = _cover_mask(term, k)
        if mask & ~allowed == 0:
            masks[term] = mask
    primes = []
    for term, mask in masks.items():
        if mask & pos_mask == 0:
            continue
        bigger = (term[:i] + (None,) + term[i + 1:] for i, v in enumerate(term)
                  if v is not None)
        if not any(t in masks for t in bigger):
            primes.append(term)
    primes.sort(key=_code)
    pos_list = sorted(positives, key=_config_index)
    covers = {p: {c for c in pos_list if masks[p] >> _config_index(c) & 1} for p in primes}
    essential = []
    for config in pos_list:
        holders = [p for p in primes if config in covers[p]]
        if len(holders) == 1 and holders[0] not in essential:
            essential.append(holders[0])
    essential.sort(key=_code)
    covered = set().union(*(covers[p] for p in essential)) if essential else set()
    rest = [p for p in primes if p not in essential]
    todo = set(pos_list) - covered
    models: list[list[tuple]] = []
    if not todo:
        models = [list(essential)]
    else:
        for size in range(1, len(rest) + 1):
            for combo in itertools.combinations(rest, size):
                if todo <= set().union(*(covers[p] for p in combo)):
                    models.append(list(essential) + list(combo))
                    if len(models) >= max_models:
                        break
            if models:
                break
    return Minimisation(primes, models, essential)


def _fit(member: np.ndarray, outcome: np.ndarray) -> tuple[float, float, float]:
    """Crisp inclusion (consistency), PRI and coverage of a set for the outcome."""
    both = float(np.minimum(member, outcome).sum())
    incl = both / member.sum() if member.sum() else float("nan")
    cov = both / outcome.sum() if outcome.sum() else float("nan")
    return incl, incl, cov  # for crisp sets PRI equals inclusion


def _members(term: tuple, X: np.ndarray) -> np.ndarray:
    keep = np.ones(len(X), dtype=bool)
    for j, v in enumerate(term):
        if v is not None:
            keep &= X[:, j] == v
    return keep.astype(float)


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
        incl_cut0: float | None = None, n_cut: int = 1) -> QCAResult:
    """Crisp-set QCA of ``outcome`` on ``conditions`` (specs as :func:`parse_condition`).

    Returns
    -------
    QCAResult
        ``truth_table``: DataFrame indexed by R's row number (1 + the configuration read as a
        binary number), columns = the conditions, ``OUT`` (1, 0, C or ? for remainders not
        shown), ``n``, ``incl``, ``PRI``, ``contradiction`` ("C" when the cases disagree),
        ``cases``. ``solutions``: {"complex": [expression, ...], "parsimonious": [...]}, one
        expression per minimal model. ``terms``: per solution type, every term with ``inclS``,
        ``PRI``, ``covS``, ``covU`` (unique coverage within the first model holding it),
        ``models`` (the models it belongs to) and ``cases``. ``models``: per solution type,
        ``inclS``, ``PRI``, ``covS`` of each model. ``necessity``: inclN, RoN, covN of each
        condition and its negation.
    """
    incl_cut0 = incl_cut if incl_cut0 is None else incl_cut0
    if not 0 <= incl_cut0 <= incl_cut <= 1:
        raise PtceError("inclusion cuts must satisfy 0 <= incl-cut0 <= incl-cut <= 1",
                        value=f"{incl_cut}, {incl_cut0}")
    conds = [parse_condition(c, data) for c in conditions]
    if not conds:
        raise PtceError("give at least one condition", field="--conditions")
    names = [c.name for c in conds]
    if len(set(names)) != len(names):
        raise PtceError("two conditions have the same name; name them NAME:spec",
                        value=", ".join(names))
    out_cond = parse_condition(outcome, data)
    out_cond = Condition("OUTCOME" if out_cond.name in names else out_cond.name,
                         out_cond.column, out_cond.rule, out_cond.value)
    binary, left_out = binarise(data, [*conds, out_cond])
    if binary.empty:
        raise PtceError("no case has known values for every condition and the outcome")
    X = binary[names].to_numpy()
    y = binary[out_cond.name].to_numpy().astype(float)
    k = len(names)
    rows = []
    for config, group in binary.groupby(names, sort=False):
        config = tuple(int(v) for v in (config if isinstance(config, tuple) else (config,)))
        outs = group[out_cond.name].to_numpy()
        n = len(group)
        incl = float(outs.mean())
        if n < n_cut:
            code = "?"
        elif incl >= incl_cut:
            code = "1"
        elif incl >= incl_cut0:
            code = "C"
        else:
            code = "0"
        rows.append({**dict(zip(names, config, strict=True)), "OUT": code, "n": n,
                     "incl": incl, "PRI": incl,
                     "contradiction": "C" if 0 < incl < 1 else "",
                     "cases": ",".join(str(c) for c in group.index),
                     "_config": config, "_row": _config_index(config) + 1})
    table = pd.DataFrame(rows).sort_values(["OUT", "incl", "n", "_row"],
                                           ascending=[False, False, False, True],
                                           kind="stable")
    positives = {r for r, o in zip(table["_config"], table["OUT"], strict=True) if o == "1"}
    negatives = {r for r, o in zip(table["_config"], table["OUT"], strict=True)
                 if o in ("0", "C")}
    solutions, terms, models = {}, {}, {}
    for kind, remainders in (("complex", False), ("parsimonious", True)):
        result = minimise(positives, negatives, k, remainders)
        solutions[kind] = [" + ".join(expression(t, names) for t in model)
                           for model in result.models]
        terms[kind], models[kind] = _solution_fit(result.models, X, y, names,
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
                                    "cases": ",".join(str(c) for c, v in
                                                      zip(cases, memberships[i], strict=True)
                                                      if v and y[cases.index(c)])}
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


