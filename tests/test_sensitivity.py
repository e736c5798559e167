"""The typology's sensitivity to its unknowns, against FactoMineR: every completion of the
twelve témoins' unknown active values (12 yes/no cells, 4,096 completions), refitted with MCA +
HCPC (tests/fixtures/factominer/temoins12_sensitivity.json, made by
../shared/reference/factominer/sensitivity_reference.R on temoins12.csv)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from test_mca import REF

from ptce_typology.analysis.sensitivity import (
    _completion_choices,
    adjusted_rand_index,
    completion_partitions,
    robust_groups,
    scenarios,
    sensitivity,
    unknown_cells,
)
from ptce_typology.analysis.typology import Typology
from ptce_typology.vocabulary import vocabulary


def _frame() -> pd.DataFrame:
    data = pd.read_csv(REF / "temoins12.csv", dtype=str).set_index("id")
    return pd.DataFrame({c: pd.Categorical(data[c], categories=list(vocabulary()[c].allowed),
                                           ordered=True) for c in data.columns},
                        index=data.index)


@pytest.fixture(scope="module")
def reference():
    return json.loads((REF / "temoins12_sensitivity.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def ours():
    """The model, its sensitivity, and the partition of every completion of its unknowns
    (keyed by the completed codes), from the batched refits sensitivity runs."""
    model = Typology(supplementary=(), rule="within_ratio").fit(_frame())
    result = sensitivity(model, n_jobs=1)
    cells = unknown_cells(model, model.frame_)
    choices, _ = _completion_choices([len(c[2]) for c in cells], model.seed)
    labels, failed = completion_partitions(model, cells, choices)
    assert not failed.any()
    codes, levels = model._encode(model.frame_)
    active, position = list(model.active), {p: i for i, p in enumerate(model.frame_.index)}
    refits: dict[bytes, np.ndarray] = {}
    for row, partition in zip(choices, labels, strict=True):
        completed = codes.copy()
        for (pole, d, categories), pick in zip(cells, row, strict=True):
            j = active.index(d)
            completed[position[pole], j] = levels[j].index(categories[pick])
        refits[np.ascontiguousarray(completed).tobytes()] = partition
    return model, result, refits


def test_every_completion_partition_equals_factominer(ours, reference):
    """R's completion m sets unknown cell b (column-major order) to yes when bit b of m is 0;
    sensitivity refitted each of them, into FactoMineR's partition."""
    model, _, refits = ours
    data = pd.read_csv(REF / "temoins12.csv", dtype=str).set_index("id")
    cells = [(i, j) for j in range(data.shape[1]) for i in range(len(data))
             if data.iat[i, j] == "unknown"]
    codes, levels = model._encode(model.frame_)
    assert len(cells) == reference["unknown_cells"] == 12
    assert len(refits) == len(reference["partitions"]) == 4096
    for m, theirs in enumerate(reference["partitions"]):
        completed = codes.copy()
        for b, (i, j) in enumerate(cells):
            completed[i, j] = levels[j].index(("yes", "no")[(m >> b) & 1])
        labels = refits[np.ascontiguousarray(completed).tobytes()]
        assert adjusted_rand_index(labels, np.array(theirs)) == pytest.approx(1.0), m


def test_co_clustering_and_k_distribution_equal_factominer(ours, reference):
    _, result, _ = ours
    assert result["n_completions"] == reference["n_completions"] == 4096
    assert result["exhaustive"] is True and result["n_failed"] == 0
    assert result["k_distribution"] == {int(k): v for k, v
                                         in reference["k_distribution"].items()}
    ids = reference["ids"]
    ours_co = np.array([[result["co_clustering"][p][q] for q in ids] for p in ids])
    np.testing.assert_array_equal(ours_co, np.array(reference["co_clustering"]))


def test_ari_and_robust_groups_follow_from_the_partitions(ours, reference):
    model, result, _ = ours
    main = model.labels_.to_numpy()
    aris = [adjusted_rand_index(main, np.array(p)) for p in reference["partitions"]]
    assert result["ari"]["mean"] == pytest.approx(np.mean(aris), abs=1e-12)
    assert result["ari"]["min"] == pytest.approx(min(aris), abs=1e-12)
    assert result["ari"]["q05"] == pytest.approx(np.quantile(aris, 0.05), abs=1e-12)
    share = np.array(reference["co_clustering"])
    assert result["robust_groups"] == robust_groups(share, reference["ids"])
    # On these data every robust group is a clique: each pair is together >= 90 % of the time.
    for group in result["robust_groups"]:
        assert all(result["co_clustering"][p][q] >= 0.9 for p in group for q in group)
    assert robust_groups(np.array([[1, .95, .1], [.95, 1, .1], [.1, .1, 1]]),
                         ["a", "b", "c"]) == [["a", "b"]]


def test_adjusted_rand_index_equals_scikit_learn():
    from sklearn.metrics import adjusted_rand_score

    rng = np.random.default_rng(3)
    for _ in range(50):
        a, b = rng.integers(0, 4, 30), rng.integers(0, 5, 30)
        assert adjusted_rand_index(a, b) == pytest.approx(adjusted_rand_score(a, b))
    assert adjusted_rand_index([1, 1, 2], [5, 5, 7]) == 1.0


def test_an_alternative_reading_is_a_scenario_not_a_completion():
    """Domb'Innov's other origin is not mixed into the completions of the unknowns: it is its
    own scenario, the partition refitted with that one value changed."""
    frame = _frame()
    frame["alternatives"] = ""
    frame.loc["domb_innov", "alternatives"] = "origin=social_enterprise_group"
    model = Typology(supplementary=()).fit(frame)
    cells = unknown_cells(model, frame)
    assert len(cells) == 12 and all(frame.at[p, d] == "unknown" for p, d, _ in cells)
    (scenario,) = scenarios(model)
    assert scenario["pole_id"] == "domb_innov" and scenario["value"] == "social_enterprise_group"
    changed = frame.copy()
    changed.loc["domb_innov", "origin"] = "social_enterprise_group"
    refit = Typology(supplementary=()).fit(changed)
    assert scenario["n_clusters"] == int(refit.labels_.max())
    assert scenario["ari"] == pytest.approx(adjusted_rand_index(model.labels_.to_numpy(),
                                                                refit.labels_.to_numpy()))
    result = sensitivity(model, max_exhaustive=0, n_sampled=16)  # a few completions suffice
    assert result["n_unknown_values"] == 12 and result["scenarios"] == [scenario]


def test_sampled_when_too_many_and_says_so():
    import ptce_typology.analysis.sensitivity as module

    model = Typology(supplementary=()).fit(_frame())
    result = module.sensitivity(model, seed=7, max_exhaustive=100, n_sampled=50)
    assert result["exhaustive"] is False and result["seed"] == 7
    assert result["n_completions"] == 50
    again = module.sensitivity(model, seed=7, max_exhaustive=100, n_sampled=50)
    assert again["co_clustering"] == result["co_clustering"]


def test_the_result_does_not_depend_on_the_processes():
    model = Typology(supplementary=()).fit(_frame())
    one = sensitivity(model, n_jobs=1, max_exhaustive=0, n_sampled=200)
    two = sensitivity(model, n_jobs=2, max_exhaustive=0, n_sampled=200)
    assert one == two and one["n_completions"] == 200
