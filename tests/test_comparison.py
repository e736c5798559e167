"""Laureates against the others: the statistics checked against scipy."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest
from scipy.stats import fisher_exact, mannwhitneyu
from scipy.stats.contingency import association, odds_ratio

from ptce_typology.analysis.comparison import adjust, compare_groups, mann_whitney_exact


@pytest.fixture(scope="module")
def result(frame):
    return compare_groups(frame)


def test_groups_and_minimum_p(result):
    assert result["groups"] == [{"group": "yes", "n": 5}, {"group": "no", "n": 7}]
    assert result["min_p_value"] == pytest.approx(1 / 792)  # 1 / C(12, 5)


def test_two_by_two_against_scipy(result, frame):
    table = result["tables"]["age_class"].to_numpy()
    row = result["tests"].loc["age_class"]
    assert row["p_value"] == pytest.approx(fisher_exact(table).pvalue)
    est = odds_ratio(table, kind="conditional")
    ci = est.confidence_interval(0.95)
    assert row["statistic"] == pytest.approx(est.statistic)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((ci.low, ci.high))
    assert row["effect_size"] == pytest.approx(association(table, method="cramer",
                                                           correction=False))


def test_unknown_is_left_out_and_n_shown(result):
    tests = result["tests"]
    assert tests.loc["shared_premises", "n"] == 7   # 5 unknown left out
    assert tests.loc["members", "n"] == 9  # dated counts of structures only (not Archer's tenants)


def test_rxc_is_exact(result):
    from ptce_typology.analysis.exact import fisher_exact_rxc

    table = result["tables"]["territory"].to_numpy()
    assert result["tests"].loc["territory", "p_value"] == pytest.approx(
        fisher_exact_rxc(table))
    assert result["tests"].loc["territory", "test"] == "fisher_exact"


def test_mann_whitney_exact_without_ties_equals_scipy():
    x = np.array([1.0, 4.0, 6.0, 9.0])
    y = np.array([2.0, 3.0, 5.0, 7.0, 8.0, 10.0])
    u, p, _ = mann_whitney_exact(x, y)
    ref = mannwhitneyu(x, y, alternative="two-sided", method="exact")
    assert u == ref.statistic and p == pytest.approx(ref.pvalue)


def test_mann_whitney_exact_with_ties_is_the_permutation_p():
    from scipy.stats import rankdata

    x = np.array([1.0, 2.0, 2.0, 5.0])
    y = np.array([2.0, 3.0, 5.0, 5.0, 8.0])
    u, p, _ = mann_whitney_exact(x, y)
    ranks = rankdata(np.concatenate([x, y]))
    centre = 4 * 5 / 2
    us = [ranks[list(s)].sum() - 10 for s in itertools.combinations(range(9), 4)]
    expected = np.mean([abs(v - centre) >= abs(u - centre) - 1e-9 for v in us])
    assert p == pytest.approx(expected)


@pytest.mark.parametrize("seed", range(4))
def test_mann_whitney_counted_splits_equal_the_listed_splits(seed):
    # The counts of splits by rank sum against the listing of every split, on tied samples.
    from scipy.stats import rankdata

    rng = np.random.default_rng(seed)
    x = rng.integers(0, 4, 5 + seed).astype(float)
    y = rng.integers(0, 4, 9 - seed).astype(float)
    u, p, method = mann_whitney_exact(x, y)
    ranks = rankdata(np.concatenate([x, y]))
    n1, n = len(x), len(x) + len(y)
    centre = n1 * (n - n1) / 2
    us = [ranks[list(s)].sum() - n1 * (n1 + 1) / 2
          for s in itertools.combinations(range(n), n1)]
    assert method == "mann_whitney_exact"
    assert u == ranks[:n1].sum() - n1 * (n1 + 1) / 2
    assert p == np.mean([abs(v - centre) >= abs(u - centre) - 1e-9 for v in us])


def test_holm_and_bh():
    from scipy.stats import false_discovery_control

    p = pd.Series([0.01, 0.04, 0.03, np.nan, 0.2])
    holm = adjust(p, "holm")
    assert holm.tolist()[:3] == pytest.approx([0.04, 0.09, 0.09])
    assert np.isnan(holm[3])
    assert adjust(p, "bh").dropna().tolist() == pytest.approx(
        false_discovery_control([0.01, 0.04, 0.03, 0.2]).tolist())


def test_compare_cli_json(run):
    result = run("compare", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["by"] == "laureate_2013"
    names = {t["variable"] for t in data["tests"]}
    assert {"territory", "origin", "age", "members"} <= names
    for test in data["tests"]:
        for key in ("variable", "test", "statistic", "p_value", "p_adjusted", "effect_size",
                    "n"):
            assert key in test
    assert "smallest p-value" in data["note"]


def test_compare_cli_data_table_and_formats(run, tmp_path, golden):
    path = tmp_path / "study.csv"
    path.write_text("id,group,colour,size\na,x,red,1\nb,x,red,2\nc,y,blue,3\nd,y,blue,4\n"
                    "e,y,,5\n", encoding="utf-8")
    result = run("compare", "--data", path, "--by", "group", "--format", "json")
    data = json.loads(result.stdout)
    colour = next(t for t in data["tests"] if t["variable"] == "colour")
    assert colour["n"] == 4 and colour["p_value"] == pytest.approx(
        fisher_exact([[2, 0], [0, 2]]).pvalue)
    for fmt in ("md", "latex", "csv"):
        out = run("compare", "--data", path, "--by", "group", "--format", fmt).stdout
        golden(f"compare.data.{fmt}", out)
    shown = run("compare", "--data", path, "--by", "group", "--format", "md").stdout
    assert "|  | red | 2\u00a0(100.0\u00a0%) | 0\u00a0(0.0\u00a0%) |" in shown
    assert "| unknown (left out of the tests) | 0 | 1 |" in shown  # e's colour
    # a column of few distinct numbers is compared as categories (numeric: >10 values)
    assert "| size | 1 | 1\u00a0(50.0\u00a0%) |" in shown


@pytest.mark.parametrize("fmt", ["md", "latex", "csv"])
def test_compare_golden_in_french(run, golden, fmt):
    golden(f"compare.fr.{fmt}", run("compare", "--format", fmt, "--lang", "fr").stdout)


def test_compare_by_a_descriptor_with_many_groups(run):
    result = run("compare", "--by", "territory", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["groups"]) == 4 and data["min_p_value"] is None
    assert run("compare", "--by", "name", "--format", "csv").exit_code == 0


def test_bias_corrected_cramers_v_by_hand():
    from ptce_typology.analysis.comparison import cramers_v_corrected

    table = np.array([[4, 1], [1, 6]])
    n, r, k = 12, 2, 2
    from scipy.stats import chi2_contingency

    phi2 = chi2_contingency(table, correction=False).statistic / n
    phi2c = max(0, phi2 - (k - 1) * (r - 1) / (n - 1))
    kc = k - (k - 1) ** 2 / (n - 1)
    assert cramers_v_corrected(table) == pytest.approx(np.sqrt(phi2c / (kc - 1)))
    assert cramers_v_corrected(table) < association(table, method="cramer", correction=False)
    assert cramers_v_corrected(np.array([[3, 3], [3, 3]])) == 0


def test_a_name_with_a_comma_keeps_the_left_out_list_readable(run):
    """« PEPSS 30, Plateforme … » holds a comma: the names are then separated by « ; »."""
    result = run("compare", "--cases", "all", "--format", "md")
    assert result.exit_code == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if "PEPSS 30" in x)
    listed = line.split("): ", 1)[1].split("; ")
    assert "PEPSS 30, Plateforme d’émergence de projets sociaux et solidaires dans le Gard" \
        in listed
    from ptce_typology.frame import load_frame

    names = set(load_frame(["all"])["name"])
    assert len(listed) > 5 and all(item.rstrip(".") in names for item in listed), listed


def test_tests_hold_codes_not_sentences(result, frame):
    tests = result["tests"]
    assert tests.loc["age_class", "test"] == "fisher_2x2"
    assert tests.loc["age_class", "statistic_name"] == "odds_ratio"
    assert tests.loc["territory", "statistic_name"] == ""  # R x C: no odds ratio
    assert set(tests["effect_size_name"]) <= {"cramers_v", "rank_biserial", ""}
    assert tests.loc["age", "test"] == "mann_whitney_exact"
    assert tests.loc["age", "effect_size_name"] == "rank_biserial"
    assert tests.loc["age", "statistic_name"] == "mann_whitney_u"
    assert tests.loc["shared_premises", "test"] == "none"  # a single known category
    assert set(tests["test"]) <= {"fisher_2x2", "fisher_exact", "fisher_monte_carlo", "chi2",
                                  "mann_whitney_exact", "mann_whitney_normal", "none"}


def test_one_known_group_is_one_error_in_the_chosen_language(run, tmp_path):
    table = tmp_path / "groups.csv"
    table.write_text("id,G,X\na,yes,1\nb,yes,0\nc,unknown,1\n", encoding="utf-8")
    result = run("compare", "--data", str(table), "--by", "G", "--lang", "fr")
    assert result.exit_code == 1
    assert result.stderr.startswith("erreur : --by : le descripteur de regroupement a moins "
                                    "de deux groupes connus (connus : yes)")


def test_a_call_grouping_says_how_its_groups_were_built(result):
    from ptce_typology.render.comparison import comparison_table

    assert [item["call"] for item in result["lists"]] == ["call_2013"]
    assert result["lists"][0]["complete"] is False
    notes = comparison_table(result, "en").attrs["notes"]
    assert any("its list is incomplete" in n for n in notes)
    assert any("not a random sample" in n for n in notes)


@pytest.mark.parametrize(("p", "lang", "shown"), [
    (1 / 792, "en", "0.0013"), (1 / 792, "fr", "0,0013"),
    (1.1e-12, "en", "1.1e-12"), (1.1e-12, "fr", "1,1e-12")])
def test_the_smallest_reachable_p_is_never_shown_as_zero(p, lang, shown):
    from ptce_typology.render.comparison import min_p_sentence

    result = {"min_p_value": p, "groups": [{"n": 15}, {"n": 42}]}
    assert f" {shown}" in min_p_sentence(result, lang)
    assert " 0.0000" not in min_p_sentence(result, lang)
