"""HCPC (Ward, the k rules, consolidation, catdes, paragons) against FactoMineR 2.7."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score
from test_mca import DIMS, load, ref_table

from ptce_typology.analysis.hcpc import HCPC, describe_categories, paragons
from ptce_typology.analysis.mca import MCA

FIXTURES = Path(__file__).parent / "fixtures" / "factominer"


def align(name: str):
    """Our coordinates, each dimension's sign set to FactoMineR's (the sort on dimension 1,
    and so the tie-breaking and the numbering, depend on it)."""
    data, ref = load(name)
    coords = MCA(5).fit(data).row_coordinates_
    theirs = ref_table(ref, "ind_coord").loc[coords.index]
    signs = np.sign((coords[DIMS] * theirs).sum())
    return coords * signs, data, ref


@pytest.fixture(scope="module", params=["poison", "tea6"])
def aligned(request):
    return align(request.param)


def test_inertia_gains_within_and_ratios(aligned):
    coords, _, ref = aligned
    hcpc = HCPC(rule="within_ratio", consolidation="none").fit(coords)
    np.testing.assert_allclose(hcpc.inertia_gain_, ref["hcpc_inertia_gain"], rtol=1e-8,
                               atol=1e-14)
    np.testing.assert_allclose(hcpc.within_, ref["hcpc_within"], rtol=1e-8, atol=1e-14)
    np.testing.assert_allclose(hcpc.ratios_, ref["hcpc_quot"], rtol=1e-8)
    assert hcpc.n_clusters_ == ref["hcpc_n_clusters"]


@pytest.mark.parametrize("consolidation,key", [
    ("none", "hcpc_clusters_before_consolidation"),
    ("lloyd", "hcpc_clusters_lloyd_consolidation"),
    ("hartigan-wong", "hcpc_clusters"),
])
def test_partitions_equal_factominer(aligned, consolidation, key):
    coords, _, ref = aligned
    hcpc = HCPC(rule="within_ratio", consolidation=consolidation).fit(coords)
    theirs = pd.Series(ref[key]).loc[coords.index]
    assert adjusted_rand_score(theirs, hcpc.labels_) == 1.0
    assert (hcpc.labels_.to_numpy() == theirs.to_numpy()).all()  # numbered as FactoMineR


def test_hartigan_wong_differs_from_lloyd_on_tea():
    """On tea our two consolidations give different partitions, each FactoMineR's: so the
    equality above really tests Hartigan-Wong, not a Lloyd that happens to agree."""
    coords, _, ref = align("tea6")
    ours = {method: HCPC(rule="within_ratio", consolidation=method).fit(coords).labels_
            for method in ("lloyd", "hartigan-wong")}
    assert (ours["lloyd"] != ours["hartigan-wong"]).any()
    for method, key in (("lloyd", "hcpc_clusters_lloyd_consolidation"),
                        ("hartigan-wong", "hcpc_clusters")):
        theirs = pd.Series(ref[key]).loc[coords.index]
        assert (ours[method].to_numpy() == theirs.to_numpy()).all(), method


def test_catdes_equals_factominer(aligned):
    coords, data, ref = aligned
    hcpc = HCPC(rule="within_ratio").fit(coords)
    ours = describe_categories(data, hcpc.labels_, proba=0.05)
    for cluster, rows in ref["hcpc_category_description"].items():
        mine = ours.loc[int(cluster)]
        assert sorted(mine.index) == sorted(r["name"] for r in rows)
        for r in rows:
            row = mine.loc[r["name"]]
            assert row["v_test"] == pytest.approx(r["v.test"], rel=1e-6)
            assert row["p_value"] == pytest.approx(r["p.value"], rel=1e-6)
            assert 100 * row["cla_mod"] == pytest.approx(r["Cla/Mod"], rel=1e-9)
            assert 100 * row["mod_cla"] == pytest.approx(r["Mod/Cla"], rel=1e-9)
            assert 100 * row["global"] == pytest.approx(r["Global"], rel=1e-9)


def test_paragons_equal_factominer(aligned):
    coords, _, ref = aligned
    hcpc = HCPC(rule="within_ratio").fit(coords)
    table = paragons(coords, hcpc.labels_, hcpc.centres_)
    for cluster, theirs in ref["hcpc_paragons"].items():
        mine = table[(table["cluster"] == int(cluster)) & (table["kind"] == "paragon")]
        np.testing.assert_allclose(sorted(mine["distance"]), sorted(theirs.values()),
                                   rtol=1e-8, atol=1e-12)
        # Names agree except among individuals at the same distance (ties).
        cut = max(theirs.values())
        assert {i for i, d in theirs.items() if d < cut - 1e-9} <= set(mine["individual"])


def test_gain_ratio_rule_and_fixed_k(aligned):
    coords, _, _ = aligned
    hcpc = HCPC(rule="gain_ratio").fit(coords)
    gains = hcpc.inertia_gain_
    k = hcpc.n_clusters_
    assert hcpc.ratios_.idxmax() == k and hcpc.ratios_[k] == gains[k - 1] / gains[k]
    assert k >= 4
    assert HCPC(n_clusters=4).fit(coords).labels_.nunique() == 4


def test_gain_ratio_equals_factominer_2_14_where_2_7_differs():
    """A random 60-row table where FactoMineR 2.7 picks k = 3 and 2.14 picks k = 12 = max + 1,
    the last k of 2.14's search (made by fixtures/factominer/gain_ratio_reference.R, 2.14's
    HCPC sourced on top of 2.7)."""
    import json

    from ptce_typology.analysis.mca import MCA

    ref = json.loads((FIXTURES / "random60_gain_ratio.json").read_text())
    table = pd.DataFrame(ref["table"]).set_index("id").astype("category")
    coords = MCA(5).fit(table).row_coordinates_
    gain = HCPC(rule="gain_ratio").fit(coords)
    assert ref["v2_14"]["n_clusters"] == 12 and ref["v2_7"]["n_clusters"] == 3
    assert gain.n_clusters_ == 12
    assert gain.labels_.astype(int).to_dict() == ref["v2_14"]["clusters"]
    assert gain.labels_before_.astype(int).to_dict() == ref["v2_14"][
        "clusters_before_consolidation"]
    np.testing.assert_allclose(gain.ratios_.to_numpy(), np.array(ref["v2_14"]["quot"], float),
                               rtol=1e-10)
    assert list(gain.ratios_.index) == list(range(4, 13))
    within = HCPC(rule="within_ratio").fit(coords)
    assert within.n_clusters_ == 3
    assert within.labels_.astype(int).to_dict() == ref["v2_7"]["clusters"]
