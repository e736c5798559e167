"""Crisp-set QCA against R's QCA package and against minimal models known by construction."""

from __future__ import annotations

import itertools
import json

import pandas as pd
import pytest

from ptce_typology.analysis.qca import expression, qca
from ptce_typology.analysis.qca.minimise import minimise

CONDITIONS = ["DEV", "URB", "LIT", "IND", "STB"]
# Lipset's crisp data (R QCA's `LC`), from the configurations and cases R QCA prints for it.
LC_ROWS = {"11111": "BE CZ NL UK", "10101": "FI IE", "10111": "FR SE", "00000": "GR PT ES",
           "00001": "IT RO", "00100": "HU PL", "00101": "EE", "10110": "AU", "11110": "DE"}


@pytest.fixture(scope="module")
def lc():
    records = []
    for config, cases in LC_ROWS.items():
        for case in cases.split():
            records.append({"case": case, **{n: int(v) for n, v in zip(CONDITIONS, config,
                                                                     strict=True)},
                            "SURV": int(config in ("11111", "10101", "10111"))})
    data = pd.DataFrame(records).set_index("case")
    data["NSURV"] = 1 - data["SURV"]
    return data


def test_lc_truth_table_as_r(lc):
    result = qca(lc, "SURV", CONDITIONS)
    table = result.truth_table
    # R: ttLC prints rows 32, 22, 24 (OUT 1) then 1, 2, 5, 6, 23, 31 (OUT 0).
    assert list(table.index) == [32, 22, 24, 1, 2, 5, 6, 23, 31]
    assert list(table["n"]) == [4, 2, 2, 3, 2, 2, 1, 1, 1]
    assert list(table["OUT"]) == ["1"] * 3 + ["0"] * 6
    assert table.loc[24, "cases"] == "FR,SE"


def test_lc_complex_solution_as_r(lc):
    # R: minimize(ttLC) -> M1: DEV*~URB*LIT*STB + DEV*LIT*IND*STB
    result = qca(lc, "SURV", CONDITIONS)
    assert result.solutions["complex"] == ["DEV*~URB*LIT*STB + DEV*LIT*IND*STB"]
    terms = result.terms["complex"]
    assert terms.loc["DEV*~URB*LIT*STB", ["inclS", "covS", "covU"]].tolist() == [1, 0.5, 0.25]
    assert terms.loc["DEV*LIT*IND*STB", ["inclS", "covS", "covU"]].tolist() == [1, 0.75, 0.5]
    assert result.models["complex"].loc["M1", ["inclS", "covS"]].tolist() == [1, 1]


def test_lc_parsimonious_solution_as_r(lc):
    # R: minimize(ttLC, include = "?") -> M1: DEV*STB, covS 1.000
    result = qca(lc, "SURV", CONDITIONS)
    assert result.solutions["parsimonious"] == ["DEV*STB"]
    assert result.terms["parsimonious"].loc["DEV*STB", "covS"] == 1


def test_lc_negated_outcome_as_r(lc):
    # R: minimize(ttLCn) -> ~DEV*~URB*~IND + DEV*LIT*IND*~STB;
    #    include = "?" -> ~DEV + ~STB with covS 0.8 / 0.7 and covU 0.3 / 0.2.
    result = qca(lc, "NSURV", CONDITIONS)
    assert result.solutions["complex"] == ["~DEV*~URB*~IND + DEV*LIT*IND*~STB"]
    assert result.solutions["parsimonious"] == ["~DEV + ~STB"]
    terms = result.terms["parsimonious"]
    assert terms.loc["~DEV", "covS"] == pytest.approx(0.8)
    assert terms.loc["~STB", "covS"] == pytest.approx(0.7)
    assert terms.loc["~DEV", "covU"] == pytest.approx(0.3)
    assert terms.loc["~STB", "covU"] == pytest.approx(0.2)


def test_necessity(lc):
    nec = qca(lc, "SURV", CONDITIONS).necessity
    # DEV and STB are necessary: every surviving democracy has both.
    assert nec.loc["DEV", "inclN"] == 1 and nec.loc["STB", "inclN"] == 1
    assert nec.loc["DEV", "covN"] == pytest.approx(8 / 10)
    assert nec.loc["~DEV", "inclN"] == 0


def _table_from_function(function, k):
    rows = []
    for i, config in enumerate(itertools.product((0, 1), repeat=k)):
        rows.append({"case": f"c{i}", **{f"C{j}": v for j, v in enumerate(config)},
                     "Y": int(function(config))})
    return pd.DataFrame(rows).set_index("case")


def test_known_minimal_model_full_table():
    # Y = A*B + ~C on a complete truth table: complex = parsimonious = A*B + ~C.
    data = _table_from_function(lambda c: (c[0] and c[1]) or not c[2], 3)
    result = qca(data, "Y", ["A:C0", "B:C1", "C:C2"])
    assert result.solutions["complex"] == ["~C + A*B"]
    assert result.solutions["parsimonious"] == ["~C + A*B"]


def test_remainders_give_a_simpler_parsimonious_solution():
    # Observed: 110 -> 1, 111 -> 1, 000 -> 0, 001 -> 0; the rest are remainders.
    data = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 1, 0, 0], "C": [0, 1, 0, 1],
                         "Y": [1, 1, 0, 0]}, index=["w", "x", "y", "z"])
    result = qca(data, "Y", ["A", "B", "C"])
    assert result.solutions["complex"] == ["A*B"]
    assert result.solutions["parsimonious"] == ["A", "B"]  # two equally minimal models


def test_ties_all_minimal_models_are_reported():
    # Every configuration positive except 000 and 111: two minimal covers of three terms.
    data = _table_from_function(lambda c: 0 < sum(c) < 3, 3)
    result = qca(data, "Y", ["A:C0", "B:C1", "C:C2"])
    models = result.solutions["complex"]
    assert len(models) == 2
    as_sets = [set(m.split(" + ")) for m in models]
    assert {"~A*B", "A*~C", "~B*C"} in as_sets and {"~A*C", "B*~C", "A*~B"} in as_sets


def test_minimise_matches_brute_force_on_random_functions():
    import random

    rng = random.Random(7)
    for _ in range(30):
        k = 3
        truth = {c: rng.random() < 0.5 for c in itertools.product((0, 1), repeat=k)}
        positives = {c for c, v in truth.items() if v}
        negatives = set(truth) - positives
        result = minimise(positives, negatives, k, remainders=False)
        for model in result.models:
            covered = {c for c in truth for t in model
                       if all(v is None or v == x for v, x in zip(t, c, strict=True))}
            assert covered == positives  # exact cover of the positives, no negative
        if positives:
            size = len(result.models[0])
            terms = list(itertools.product((None, 0, 1), repeat=k))
            valid = [t for t in terms if all(
                truth[c] for c in truth if all(v is None or v == x
                                               for v, x in zip(t, c, strict=True)))]
            smaller = any(
                positives <= {c for c in truth for t in combo
                              if all(v is None or v == x for v, x in zip(t, c, strict=True))}
                for combo in itertools.combinations(valid, size - 1)) if size > 1 else False
            assert not smaller  # no cover with fewer implicants exists


def test_contradictions_are_marked(frame):
    result = qca(frame, "laureate_2013", ["SEG:origin=social_enterprise_group",
                                          "DEIND:territory=deindustrialised"])
    table = result.truth_table
    assert (table["contradiction"] == "C").sum() == 1
    c_row = table[table["contradiction"] == "C"].iloc[0]
    assert c_row["OUT"] == "0" and 0 < c_row["incl"] < 1   # R's default cut: no OUT = C
    result = qca(frame, "laureate_2013", ["SEG:origin=social_enterprise_group",
                                          "DEIND:territory=deindustrialised"], incl_cut0=0.1)
    assert "C" in set(result.truth_table["OUT"])


def test_unknowns_are_left_out_and_listed(frame):
    result = qca(frame, "laureate_2013", ["shared_premises", "DEIND:territory=deindustrialised"])
    assert len(result.data) == 7 and len(result.left_out) == 5


def test_expression_writing():
    assert expression((1, 0, None), ["A", "B", "C"]) == "A*~B"


def test_qca_cli(run):
    result = run("qca", "--outcome", "laureate_2013", "--conditions",
                 "SEG:origin=social_enterprise_group,DEIND:territory=deindustrialised",
                 "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["solutions"]["parsimonious"] == ["DEIND"]
    assert "truth_table" in data and data["n_cases"] == 12


def test_qca_cli_data_table(run, tmp_path, lc):
    path = tmp_path / "lc.csv"
    lc.to_csv(path)
    result = run("qca", "--data", path, "--outcome", "SURV", "--conditions",
                 ",".join(CONDITIONS), "--format", "json")
    assert json.loads(result.stdout)["solutions"]["complex"] == [
        "DEV*~URB*LIT*STB + DEV*LIT*IND*STB"]


def test_qca_cli_bad_condition(run):
    result = run("qca", "--outcome", "laureate_2013", "--conditions", "colour")
    assert result.exit_code == 1 and result.stderr.startswith("error: ")
    result = run("qca", "--outcome", "laureate_2013", "--conditions", "territory")
    assert result.exit_code == 1 and "column=value" in result.stderr
