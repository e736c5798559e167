"""The QCA package against R QCA's own test snapshots (tests/fixtures/qca/r_*.md).

The snapshots print numbers to 3 decimals (fit tables); the tolerances below are half a unit
of the last printed digit.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ptce_typology.analysis.qca import qca
from ptce_typology.analysis.qca.intermediate import intermediate
from ptce_typology.analysis.qca.measures import SolutionFit, membership, solution_fit
from ptce_typology.analysis.qca.minimise import (
    config_index,
    index_config,
    minimise,
    simplifying_assumptions,
)
from ptce_typology.analysis.qca.truthtable import truth_table

FIXTURES = Path(__file__).parent / "fixtures" / "qca"
ROUND3 = 5e-4 + 1e-9


# --- reading the fixtures ----------------------------------------------------------------------


def _blocks(name: str) -> dict[str, list[str]]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    blocks: dict[str, list[str]] = {}
    for chunk in text.split("\n## ")[1:]:
        key, _call, *lines = chunk.split("\n")
        blocks[key.strip()] = [line[6:] if line.startswith("      ") else line.strip()
                               for line in lines if line.strip()]
    return blocks


SNAPS = _blocks("r_snapshots.md")


def _data(name: str) -> pd.DataFrame:
    return pd.read_csv(FIXTURES / name, comment="#", index_col="case", keep_default_na=False)


def _models(lines: list[str]) -> list[str]:
    """``M1: A + (B) -> Y`` lines (continued on the next lines) as ``A + B``."""
    joined: list[str] = []
    for line in lines:
        if re.match(r"M\d+:", line):
            joined.append(line.split(":", 1)[1])
        elif joined and "->" not in joined[-1]:
            joined[-1] += " " + line
    out = []
    for model in joined:
        model = re.split(r"<?->", model)[0].replace("(", "").replace(")", "")
        out.append(" ".join(model.split()))
    return out


def _truth_table(lines: list[str], k: int) -> list[dict]:
    rows = []
    for line in lines[1:]:
        parts = line.split()
        rows.append({"row": int(parts[0]), "config": tuple(int(v) for v in parts[1:k + 1]),
                     "OUT": parts[k + 1], "n": int(parts[k + 2]), "incl": float(parts[k + 3]),
                     "PRI": float(parts[k + 4]),
                     "cases": parts[k + 5] if len(parts) > k + 5 else None})
    return rows


def _fit_table(lines: list[str]) -> dict[str, list[float]]:
    """Rows of a pof table: label -> numbers (NaN where R prints nothing or ``-``)."""
    header = next(line for line in lines if "inclS" in line)
    width = sum(1 for token in header.split() if token != "cases")
    out = {}
    for line in lines:
        if "inclS" in line or line.strip().startswith("-"):
            continue
        match = re.match(r"\s*(?:\d+\s+)?(\S+)  (\S.*)$", line)
        if not match or not re.match(r"[\d.]", match.group(2)):
            continue
        rest = match.group(2).ljust(7 * width)
        values = []
        for i in range(width):
            field = rest[7 * i:7 * i + 5].strip()
            values.append(float(field) if field not in ("", "-") else math.nan)
        out[match.group(1)] = values
    return out


def _chart(lines: list[str]) -> tuple[list[int], dict[str, set[int]]]:
    columns = [int(v) for v in lines[0].split()]
    chart = {}
    for line in lines[1:]:
        label, *marks = line.split()
        chart[label] = {c for c, m in zip(columns, marks, strict=True) if m == "x"}
    return columns, chart


def _row_lists(lines: list[str]) -> dict[str, list[int]]:
    return {line.split(":")[0]: [int(v) for v in line.split(":")[1].split()] for line in lines}


# --- helpers -----------------------------------------------------------------------------------


def _write(model, names) -> str:
    return " + ".join("*".join(("~" if v == 0 else "") + n for v, n in zip(t, names,
                                                                          strict=True)
                               if v is not None) for t in model)


def _setup(data: str, outcome: str, incl_cut=1.0, incl_cut0=None, negate=False, n_cut=1):
    frame = _data(data)
    names = [c for c in frame.columns if c != outcome]
    X = frame[names].to_numpy(float)
    y = frame[outcome].to_numpy(float)
    if negate:
        y = 1 - y
    tt = truth_table(X, y, incl_cut, incl_cut0, n_cut)
    return frame, names, X, y, tt


def _check_fit(fit: SolutionFit, table: dict[str, list[float]], names, n_models: int):
    labels = [_write([t], names) for t in fit.terms]
    assert labels == [label for label in table if not re.fullmatch(r"M\d+", label)]
    for i, label in enumerate(labels):
        expected = table[label]
        got = list(fit.term_fit[i])
        if n_models > 1:
            got += list(fit.model_unique[i])
        np.testing.assert_allclose(got, expected[:len(got)], atol=ROUND3)
    for m in range(n_models):
        if f"M{m + 1}" in table:
            np.testing.assert_allclose(fit.model_fit[m], table[f"M{m + 1}"][:3], atol=ROUND3)


# --- truth tables ------------------------------------------------------------------------------

TRUTH_TABLES = [
    ("tt_represent", "d_represent.csv", "WNP", 1.0, None, False, 1),
    ("tt_represent_ncut2", "d_represent.csv", "WNP", 1.0, None, False, 2),
    ("tt_jobsecurity", "d_jobsecurity.csv", "JSR", 0.9, 0.5, False, 1),
    ("tt_jobsecurity_neg", "d_jobsecurity.csv", "JSR", 0.9, 0.5, True, 1),
    ("tt_lc", "LC.csv", "SURV", 1.0, None, False, 1),
    ("tt_cvf", "CVF.csv", "PROTEST", 0.8, None, False, 1),
    ("tt_cvf_neg", "CVF.csv", "PROTEST", 0.8, None, True, 1),
    ("tt_cvf_c", "CVF.csv", "PROTEST", 0.8, 0.75, False, 1),
]


@pytest.mark.parametrize(("key", "data", "outcome", "cut1", "cut0", "negate", "n_cut"),
                         TRUTH_TABLES, ids=[t[0] for t in TRUTH_TABLES])
def test_truth_table_as_r(key, data, outcome, cut1, cut0, negate, n_cut):
    frame, names, X, y, tt = _setup(data, outcome, cut1, cut0, negate, n_cut)
    expected = _truth_table(SNAPS[key], len(names))
    shown = [i for i, o in enumerate(tt.out) if o != "?"]
    by_row = {int(tt.rows[i]) + 1: i for i in shown}
    assert sorted(by_row) == sorted(r["row"] for r in expected)
    for r in expected:
        i = by_row[r["row"]]
        assert tt.configs[i] == r["config"]
        assert (tt.out[i], int(tt.n[i])) == (r["OUT"], r["n"])
        assert tt.incl[i] == pytest.approx(r["incl"], abs=ROUND3)
        assert tt.pri[i] == pytest.approx(r["PRI"], abs=ROUND3)
        if r["cases"]:
            assert ",".join(frame.index[tt.cases[i]]) == r["cases"]


# --- crisp minimisation ------------------------------------------------------------------------

CRISP = [
    ("min_represent", "d_represent.csv", "WNP", False, False),
    ("min_represent_neg", "d_represent.csv", "WNP", True, False),
    ("min_represent_pars", "d_represent.csv", "WNP", False, True),
    ("min_lc", "LC.csv", "SURV", False, False),
    ("min_lc_neg", "LC.csv", "SURV", True, False),
    ("min_lc_neg_pars", "LC.csv", "SURV", True, True),
    ("min_lc_pars", "LC.csv", "SURV", False, True),
]


@pytest.mark.parametrize(("key", "data", "outcome", "negate", "remainders"), CRISP,
                         ids=[c[0] for c in CRISP])
def test_crisp_solutions_as_r(key, data, outcome, negate, remainders):
    _frame, names, X, y, tt = _setup(data, outcome, negate=negate)
    result = minimise(tt.select("1"), tt.select("0", "C"), len(names), remainders)
    assert [_write(m, names) for m in result.models] == _models(SNAPS[key])
    if any("inclS" in line for line in SNAPS[key]):
        _check_fit(solution_fit(result.models, X, y), _fit_table(SNAPS[key]), names,
                   len(result.models))


def test_prime_implicant_chart_and_assumptions_as_r():
    _frame, names, X, y, tt = _setup("d_represent.csv", "WNP")
    pos, neg = tt.select("1"), tt.select("0", "C")
    result = minimise(pos, neg, len(names), True)
    columns, chart = _chart(SNAPS["pichart_represent_pars"])
    assert [_write([t], names) for t in result.primes] == list(chart)
    assert sorted(config_index(c) + 1 for c in pos) == columns
    for term in result.primes:
        covered = {config_index(c) + 1 for c in pos
                   if all(v is None or v == x for v, x in zip(term, c, strict=True))}
        assert covered == chart[_write([term], names)]
    assert [_write([t], names) for t in result.essential] == ["WS", "ES*WM", "QU*LP"]
    expected = _row_lists(SNAPS["sa_represent_pars"])
    for m, model in enumerate(result.models, start=1):
        rows = [config_index(c) + 1
                for c in simplifying_assumptions(model, pos, neg, len(names))]
        assert rows == expected[f"M{m}"]
    # R then minimises each set of assumptions as a table of positive rows only.
    for m, key in ((1, "min_sa1"), (2, "min_sa2")):
        configs = [index_config(r - 1, 5) for r in expected[f"M{m}"]]
        sa = minimise(configs, [], 5, remainders=False)
        assert [_write(model, names) for model in sa.models] == _models(SNAPS[key])


def test_lc_parsimonious_assumptions_as_r():
    _frame, names, _X, _y, tt = _setup("LC.csv", "SURV")
    pos, neg = tt.select("1"), tt.select("0", "C")
    model = minimise(pos, neg, 5, True).models[0]
    rows = [config_index(c) + 1 for c in simplifying_assumptions(model, pos, neg, 5)]
    assert rows == _row_lists(SNAPS["sa_lc_pars"])["M1"]


# --- fuzzy sets --------------------------------------------------------------------------------


def test_jobsecurity_parsimonious_as_r():
    _frame, names, X, y, tt = _setup("d_jobsecurity.csv", "JSR", 0.9)
    result = minimise(tt.select("1"), tt.select("0", "C"), len(names), True)
    key = "min_jobsecurity_pars"
    assert [_write(m, names) for m in result.models] == _models(SNAPS[key])
    _check_fit(solution_fit(result.models, X, y), _fit_table(SNAPS[key]), names, 2)


def test_jobsecurity_intermediate_as_r():
    frame, names, X, y, tt = _setup("d_jobsecurity.csv", "JSR", 0.9)
    pos, neg = tt.select("1"), tt.select("0", "C")
    pairs = intermediate(pos, neg, len(names), [1, 1, 1, 1, 1, 0])
    assert [p.label for p in pairs] == ["C1P1", "C1P2"]     # R: "From C1P1, C1P2"
    expected = _models(SNAPS["emm_si"])
    for pair in pairs:
        assert [_write(m, names) for m in pair.models] == expected
        ec_rows = [int(line.split()[0]) for line in SNAPS["emm_si_ec"][1:]]
        assert [config_index(c) + 1 for c in pair.easy] == ec_rows
    fit = solution_fit(pairs[0].models, X, y)
    _check_fit(fit, _fit_table(SNAPS["emm_si"]), names, 1)
    # the intermediate prime implicant chart
    columns, chart = _chart(SNAPS["emm_si_pichart"])
    assert [_write([t], names) for t in pairs[0].primes] == list(chart)
    for term in pairs[0].primes:
        covered = {config_index(c) + 1 for c in pos
                   if all(v is None or v == x for v, x in zip(term, c, strict=True))}
        assert covered == chart[_write([term], names)]
    # the easy counterfactuals minimised on their own
    ec = minimise(pairs[0].easy, [], len(names), remainders=False)
    assert [_write(m, names) for m in ec.models] == _models(SNAPS["min_emm_ec"])
    # memberships of the cases in each term (R's pims, 2 decimals)
    pims = SNAPS["emm_si_pims"]
    header = pims[0].split()
    for line in pims[1:]:
        case, *values = line.split()
        row = frame.index.get_loc(case)
        for label, value in zip(header, values, strict=True):
            term = fit.terms[[_write([t], names) for t in fit.terms].index(label)]
            assert membership(term, X)[row] == pytest.approx(float(value), abs=0.005)
    # the same terms as sufficient for the negated outcome (R's pof with 1 - JSR)
    table = _fit_table(SNAPS["emm_si_neg_pof"])
    negated = solution_fit([fit.terms], X, 1 - y)
    for i, term in enumerate(negated.terms):
        np.testing.assert_allclose(negated.term_fit[i], table[_write([term], names)],
                                   atol=ROUND3)


@pytest.mark.parametrize(("key", "kind"), [("min_lf", "complex"), ("min_lf_pars", "pars"),
                                            ("min_lf_int", "intermediate")])
def test_lf_solutions_as_r(key, kind):
    _frame, names, X, y, tt = _setup("LF.csv", "SURV", 0.7)
    pos, neg = tt.select("1"), tt.select("0", "C")
    if kind == "intermediate":
        pairs = intermediate(pos, neg, 5, [1, 1, 1, 1, 1])
        assert [p.label for p in pairs] == ["C1P1"]
        models = pairs[0].models
    else:
        models = minimise(pos, neg, 5, kind == "pars").models
    assert [_write(m, names) for m in models] == _models(SNAPS[key])
    _check_fit(solution_fit(models, X, y), _fit_table(SNAPS[key]), names, len(models))


def test_cvf_four_parsimonious_models_as_r():
    _frame, names, X, y, tt = _setup("CVF.csv", "PROTEST", 0.8)
    pos, neg = tt.select("1"), tt.select("0", "C")
    result = minimise(pos, neg, 5, True)
    assert [_write(m, names) for m in result.models] == _models(SNAPS["min_cvf_pars"])
    fit = solution_fit(result.models, X, y)
    _check_fit(fit, _fit_table(SNAPS["min_cvf_pars"]), names, 4)
    columns, chart = _chart(SNAPS["pichart_cvf_pars"])
    assert [_write([t], names) for t in result.primes] == list(chart)
    # R's row.dom run keeps a single model, our M3: same fit
    table = _fit_table(SNAPS["min_cvf_rowdom"])
    np.testing.assert_allclose(fit.model_fit[2], table["M1"][:3], atol=ROUND3)


# --- through qca() -----------------------------------------------------------------------------


def test_qca_fuzzy_with_directional_expectations_as_r():
    data = _data("LF.csv")
    result = qca(data, "SURV", ["DEV", "URB", "LIT", "IND", "STB"], incl_cut=0.7, fuzzy=True,
                 dir_exp=[1, 1, 1, 1, 1])
    assert result.solutions == {"complex": _models(SNAPS["min_lf"]),
                                "parsimonious": _models(SNAPS["min_lf_pars"]),
                                "intermediate": _models(SNAPS["min_lf_int"])}
    row = result.models["intermediate"].loc["M1"]
    assert [row["inclS"], row["PRI"], row["covS"]] == pytest.approx([0.869, 0.848, 0.824],
                                                                    abs=ROUND3)
    table = result.truth_table
    assert table.loc[32, "cases"] == "BE,CZ,NL,UK" and table.loc[32, "OUT"] == "1"


def test_qca_jobsecurity_intermediate_as_r():
    data = _data("d_jobsecurity.csv")
    result = qca(data, "JSR", list("SCLRPV"), incl_cut=0.9, fuzzy=True,
                 dir_exp={"S": 1, "C": 1, "L": 1, "R": 1, "P": 1, "V": 0})
    assert result.solutions["intermediate"] == _models(SNAPS["emm_si"])
    assert result.solutions["parsimonious"] == _models(SNAPS["min_jobsecurity_pars"])
    terms = result.terms["intermediate"]
    assert terms.loc["S*R*~V", ["inclS", "PRI", "covS", "covU"]].tolist() == pytest.approx(
        [0.990, 0.983, 0.402, 0.152], abs=ROUND3)
