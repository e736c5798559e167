"""Fuzzy-set definitions: membership, sufficiency and necessity, and the truth table built
on them."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ptce_typology.analysis.qca.measures import membership, necessity, sufficiency
from ptce_typology.analysis.qca.minimise import config_index
from ptce_typology.analysis.qca.truthtable import truth_table


def test_sufficiency_and_necessity_formulas():
    x = np.array([0.8, 0.6, 0.2, 0.9])
    y = np.array([0.9, 0.4, 0.3, 0.7])
    both = np.minimum(x, y).sum()                          # 0.8 + 0.4 + 0.2 + 0.7 = 2.1
    overlap = np.minimum(np.minimum(x, y), 1 - y).sum()    # 0.1 + 0.4 + 0.2 + 0.3 = 1.0
    incl, pri, cov = sufficiency(x, y)
    assert incl == pytest.approx(both / x.sum())
    assert pri == pytest.approx((both - overlap) / (x.sum() - overlap))
    assert cov == pytest.approx(both / y.sum())
    incl_n, ron, cov_n = necessity(x, y)
    assert incl_n == pytest.approx(both / y.sum()) and cov_n == pytest.approx(both / x.sum())
    assert ron == pytest.approx((1 - x).sum() / (1 - np.minimum(x, y)).sum())
    assert math.isnan(sufficiency(np.zeros(3), np.ones(3))[0])


def test_membership_is_the_minimum_over_literals():
    X = np.array([[0.8, 0.3, 0.6], [0.2, 0.9, 0.5]])
    assert membership((1, 0, None), X).tolist() == pytest.approx([0.7, 0.1])
    assert membership((None, None, None), X).tolist() == [1, 1]


def test_fuzzy_truth_table_rows_and_cuts():
    X = np.array([[0.8, 0.3], [0.9, 0.2], [0.6, 0.7], [0.5, 0.9], [0.1, 0.1]])
    y = np.array([0.9, 0.4, 0.8, 0.7, 0.2])
    table = truth_table(X, y, incl_cut=0.8, incl_cut0=0.6)
    # case 4 has a membership of exactly 0.5: it belongs to no row
    assert table.unassigned.tolist() == [3]
    assert [config_index(c) + 1 for c in table.configs] == [1, 3, 4]
    assert [c.tolist() for c in table.cases] == [[4], [0, 1], [2]]
    row = membership((1, 0), X)
    incl, pri, _ = sufficiency(row, y)
    assert table.incl[1] == pytest.approx(incl) and table.pri[1] == pytest.approx(pri)
    assert table.n.tolist() == [1, 2, 1]
    assert table.contradiction.tolist() == [False, True, False]
    expected = ["1" if i >= 0.8 else "C" if i >= 0.6 else "0" for i in table.incl]
    assert table.out == expected
    strict = truth_table(X, y, incl_cut=0.5, pri_cut=0.99)
    assert all(o == "0" for o, p in zip(strict.out, strict.pri, strict=True) if p < 0.99)
    assert truth_table(X, y, n_cut=2).out.count("?") == 2
