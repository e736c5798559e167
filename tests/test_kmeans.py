"""k-means consolidations: Hartigan-Wong reaches a transfer optimum, Lloyd equals
scikit-learn's (the FactoMineR partitions they give are in tests/test_hcpc.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from ptce_typology.analysis import kmeans


def _total_within(X, labels):
    return sum(((X[labels == j] - X[labels == j].mean(axis=0)) ** 2).sum()
               for j in np.unique(labels))


def test_hartigan_wong_reaches_a_transfer_optimum():
    rng = np.random.default_rng(1)
    X = np.vstack([rng.normal(c, 1.0, size=(40, 3)) for c in (0, 3, 6)])
    start = X[[0, 1, 2]]
    result = kmeans.hartigan_wong(X, start, iter_max=50)
    labels = result.labels
    best = _total_within(X, labels)
    assert result.converged
    assert best <= _total_within(X, kmeans.lloyd(X, start, iter_max=50).labels) + 1e-9
    for i in range(len(X)):  # no single transfer lowers the within sum of squares
        for j in range(3):
            if j != labels[i] and (labels == labels[i]).sum() > 1:
                moved = labels.copy()
                moved[i] = j
                assert _total_within(X, moved) >= best - 1e-9


_R_KMEANS = json.loads((Path(__file__).parent / "fixtures" / "factominer" /
                        "kmeans_hartigan_wong.json").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", _R_KMEANS, ids=lambda c: f"{c['m']}x{c['d']}_k{c['k']}")
def test_hartigan_wong_equals_r_kmeans(case):
    """R's ``kmeans(algorithm = "Hartigan-Wong")`` from the same centres, on tables of 400 to
    2,000 points with many transfers (the scan's blocks of distances are rebuilt after each):
    the same partition, iterations and within sums of squares."""
    X = np.array(case["points"], dtype=float).reshape(case["m"], case["d"])
    result = kmeans.hartigan_wong(X, X[np.array(case["start"]) - 1])
    np.testing.assert_array_equal(result.labels + 1, case["cluster"])
    assert (result.iterations, result.converged) == (case["iter"], case["ifault"] == 0)
    np.testing.assert_allclose(result.within, case["withinss"], rtol=1e-12)


def test_lloyd_equals_scikit_learn():
    from sklearn.cluster import KMeans

    rng = np.random.default_rng(2)
    X = rng.normal(size=(60, 2))
    start = X[:4]
    ours = kmeans.lloyd(X, start, iter_max=100)
    sk = KMeans(4, init=start, n_init=1, algorithm="lloyd", max_iter=100, tol=0).fit(X)
    assert adjusted_rand_score(ours.labels, sk.labels_) == 1.0


def test_the_stacked_hartigan_wong_equals_one_problem_at_a_time():
    """hartigan_wong_stack (AS 136 on a stack of problems, as the batched refits consolidate)
    gives each problem the labels hartigan_wong gives it alone, ties (rounded points) and
    problems of different k in one stack included, and flags the problems it raises on."""
    from ptce_typology.analysis.kmeans import hartigan_wong, hartigan_wong_stack

    rng = np.random.default_rng(1)
    checked = 0
    for trial in range(12):
        B, m, d = 30, int(rng.integers(8, 70)), int(rng.integers(1, 6))
        sizes = rng.integers(2, 8, size=B)
        X = rng.normal(size=(B, m, d))
        if trial % 3 == 0:
            X = np.round(X)  # ties
        C = np.zeros((B, 7, d))
        for b in range(B):
            C[b, :sizes[b]] = X[b, :sizes[b]] + rng.normal(scale=0.1, size=(sizes[b], d))
        labels, solved = hartigan_wong_stack(X, C, sizes)
        for b in range(B):
            try:
                alone = hartigan_wong(X[b], C[b, :sizes[b]]).labels
            except ValueError:
                assert not solved[b]
                continue
            assert solved[b]
            np.testing.assert_array_equal(labels[b], alone)
            checked += 1
    assert checked > 300
