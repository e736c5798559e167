"""Fisher's exact test for R × C tables, against independent computations."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.stats import fisher_exact

from ptce_typology.analysis.exact import TooManyTables, fisher_exact_rxc, fisher_test


def brute_force(table) -> float:
    """The exact conditional p-value by listing every relabelling of the observations."""
    t = np.asarray(table)
    x = np.repeat(np.arange(t.shape[0]), t.sum(axis=1))
    y = np.concatenate([np.repeat(np.arange(t.shape[1]), row) for row in t])

    def prob(tab):
        rows, cols, n = tab.sum(1), tab.sum(0), tab.sum()
        lf = math.lgamma
        return math.exp(sum(lf(r + 1) for r in rows) + sum(lf(c + 1) for c in cols)
                        - lf(n + 1) - sum(lf(v + 1) for v in tab.ravel()))

    observed = prob(t)
    seen = {}
    for perm in itertools.permutations(range(len(y))):
        tab = np.zeros_like(t)
        np.add.at(tab, (x, y[list(perm)]), 1)
        key = tab.tobytes()
        if key not in seen:
            seen[key] = prob(tab)
    return sum(p for p in seen.values() if p <= observed * (1 + 1e-7))


@pytest.mark.parametrize("table", [
    [[2, 1, 0], [0, 1, 3]],
    [[1, 1], [2, 0], [0, 3]],
    [[2, 0, 1], [0, 2, 0], [1, 0, 1]],
])
def test_enumeration_equals_brute_force(table):
    assert fisher_exact_rxc(table) == pytest.approx(brute_force(table), rel=1e-9)


@pytest.mark.parametrize("table", [[[3, 1], [1, 3]], [[5, 2], [1, 4]], [[6, 0], [2, 4]]])
def test_two_by_two_equals_scipy(table):
    assert fisher_exact_rxc(table) == pytest.approx(fisher_exact(table).pvalue, rel=1e-9)
    assert fisher_test(table).p_value == pytest.approx(fisher_exact(table).pvalue)


def test_r_tea_tasting():
    # R: fisher.test(matrix(c(3, 1, 1, 3), 2)) gives p-value = 0.4857
    assert fisher_exact_rxc([[3, 1], [1, 3]]) == pytest.approx(0.4857, abs=5e-5)


def test_too_many_tables_falls_back_to_seeded_monte_carlo():
    job = np.array([1, 2, 1, 0, 3, 3, 6, 1, 10, 10, 14, 9, 6, 7, 12, 11]).reshape(4, 4).T
    with pytest.raises(TooManyTables):
        fisher_exact_rxc(job, max_tables=1000)
    a = fisher_test(job, seed=3, max_tables=1000, monte_carlo=4000)
    b = fisher_test(job, seed=3, max_tables=1000, monte_carlo=4000)
    assert a == b and a.method == "fisher_monte_carlo"
    assert a.p_value == pytest.approx(0.7827, abs=0.03)  # R: fisher.test(Job) = 0.7827


def test_methods_are_codes():
    from ptce_typology.analysis.exact import METHODS

    cases = {"none": [[3, 2]], "fisher_2x2": [[3, 1], [1, 3]],
             "fisher_exact": [[3, 1, 0], [1, 3, 2]], "chi2": [[400, 300], [200, 350]]}
    for code, table in cases.items():
        assert fisher_test(np.array(table)).method == code
    assert {*cases, "fisher_monte_carlo"} == set(METHODS)
