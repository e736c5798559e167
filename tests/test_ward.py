"""Large-n paths of the clustering, checked against the exact path on small data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.cluster.hierarchy import cut_tree, linkage
from sklearn.metrics import adjusted_rand_score

from ptce_typology.analysis import hcpc as clustering
from ptce_typology.analysis.hcpc import HCPC
from ptce_typology.analysis.ward import cut, ward_weighted


def test_weighted_ward_equals_scipy_on_unit_weights():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    Z = linkage(X, "ward")
    W = ward_weighted(X, np.ones(len(X)))
    np.testing.assert_allclose(np.sort(W[:, 2]), np.sort(Z[:, 2] ** 2 / 2), rtol=1e-10)
    for k in (2, 4, 7):
        assert adjusted_rand_score(cut_tree(Z, k).ravel(), cut(W, len(X), k)) == 1.0


def test_weights_equal_duplicated_points():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 2))
    weights = rng.integers(1, 5, size=40)
    Zd = linkage(np.repeat(X, weights, axis=0), "ward")
    W = ward_weighted(X, weights.astype(float))
    np.testing.assert_allclose(np.sort(W[:, 2]), np.sort(Zd[:, 2] ** 2 / 2)[-39:], rtol=1e-10)


def test_chain_through_identical_points_equals_scipy():
    """Many identical points (a bootstrap sample of the 68 bundled poles): the chain's ties at
    a rounding error from zero give scipy's tree, not an IndexError."""
    import json
    from pathlib import Path

    data = json.loads((Path(__file__).parent / "fixtures" / "ward_identical_points.json")
                      .read_text(encoding="utf-8"))
    X = np.array(data["X"])
    Z = linkage(X, "ward")
    W = ward_weighted(X, np.array(data["weights"]))
    np.testing.assert_allclose(np.sort(W[:, 2]), np.sort(Z[:, 2] ** 2 / 2), atol=1e-12)
    for k in range(2, 9):
        assert adjusted_rand_score(cut_tree(Z, k).ravel(), cut(W, len(X), k)) == 1.0


@pytest.fixture
def profiles():
    rng = np.random.default_rng(2)
    base = rng.normal(size=(30, 4))
    rows = rng.integers(0, 30, size=600)
    return pd.DataFrame(base[rows], columns=[f"Dim {i}" for i in range(1, 5)],
                        index=[f"p{i}" for i in range(600)])


def test_aggregated_tree_gives_the_exact_partition(profiles, monkeypatch):
    exact = HCPC(n_clusters=4, consolidation="none").fit(profiles)
    monkeypatch.setattr(clustering, "AGGREGATE_FROM", 100)
    aggregated = HCPC(n_clusters=4, consolidation="none").fit(profiles)
    assert "distinct profiles" in aggregated.tree_method_
    assert (aggregated.labels_ == exact.labels_).all()
    np.testing.assert_allclose(aggregated.inertia_gain_, exact.inertia_gain_, atol=1e-12)


def test_preclustering_above_the_limits_says_so(profiles, monkeypatch):
    monkeypatch.setattr(clustering, "EXACT_WARD_MAX", 100)
    monkeypatch.setattr(clustering, "WEIGHTED_WARD_MAX", 10)
    monkeypatch.setattr(clustering, "PRECLUSTERS", 20)
    model = HCPC(n_clusters=3).fit(profiles)
    assert "pre-clustering" in model.tree_method_
    assert model.consolidation_note_ == "no consolidation"
    assert any("pre-clustering" in note for note in model.notes_)
    assert model.labels_.nunique() == 3


def test_large_n_consolidation_is_lloyd_and_said(profiles, monkeypatch):
    monkeypatch.setattr(clustering, "EXACT_WARD_MAX", 100)
    model = HCPC(n_clusters=3).fit(profiles)
    assert model.consolidation_note_.startswith("lloyd")
    assert any("Lloyd" in note for note in model.notes_)


def test_synthetic_poles_are_labelled_and_valid(tmp_path):
    from synthetic import synthetic_table, write_csv, write_yaml_folder

    from ptce_typology import load_cases

    table = synthetic_table(50, seed=3)
    assert (table["source"].str.contains("synthetic")).all()
    cases = load_cases(write_csv(table, tmp_path / "s.csv"))
    assert len(cases) == 50
    assert len(load_cases(write_yaml_folder(table.head(5), tmp_path / "yaml"))) == 5
    again = synthetic_table(50, seed=3)
    pd.testing.assert_frame_equal(table, again)
