"""The specific MCA (passive categories, FactoMineR's MCA(excl = ...)) and HCPC on it, against
FactoMineR 2.7 (tests/fixtures/factominer/*_specific_mca_hcpc.json, made by
../shared/reference/factominer/factominer_specific.R)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from test_mca import DIMS, REF, RTOL, assert_up_to_sign, ref_table

from ptce_typology.analysis.hcpc import HCPC
from ptce_typology.analysis.mca import MCA, indicator, passive_categories


def load_specific(name: str):
    data = pd.read_csv(REF / f"{name}.csv", dtype=str).set_index("id")
    ref = json.loads((REF / f"{name}_specific_mca_hcpc.json").read_text(encoding="utf-8"))
    return data, ref


@pytest.fixture(scope="module", params=["tea6", "temoins12"])
def specific(request):
    """tea6 with two junk categories passive; the twelve témoins' active descriptors as
    bundled when the reference was made (tests/fixtures/factominer/temoins12.csv) with every
    ``unknown`` passive, FactoMineR's ``MCA(excl = "unknown")``."""
    data, ref = load_specific(request.param)
    passive = passive_categories(data, tuple(ref["excluded_categories"]))
    assert passive == tuple(ref["excluded_categories"])
    return MCA(5, passive=passive).fit(data), data, ref


def test_eigenvalues(specific):
    mca, _, ref = specific
    theirs = pd.DataFrame(ref["eig"])
    ours = mca.eigenvalues_
    k = min(len(ours), len(theirs))
    np.testing.assert_allclose(ours["eigenvalue"][:k], theirs["eigenvalue"][:k], rtol=RTOL)
    np.testing.assert_allclose(ours["percentage"][:k], theirs["percentage of variance"][:k],
                               rtol=RTOL)
    # The eigenvalues FactoMineR lists beyond ours are zero: the passive categories lower the
    # rank of the table.
    np.testing.assert_allclose(theirs["eigenvalue"][k:], 0, atol=1e-12)


def test_individuals(specific):
    mca, _, ref = specific
    assert_up_to_sign(mca.row_coordinates_, ref_table(ref, "ind_coord"))
    for ours, key in ((mca.row_cos2_, "ind_cos2"), (mca.row_contributions_, "ind_contrib")):
        theirs = ref_table(ref, key)
        np.testing.assert_allclose(ours.loc[theirs.index, DIMS], theirs, rtol=RTOL, atol=1e-14)


def r_name(mca):
    """FactoMineR's name of a category: its level, prefixed with the variable when two
    variables share the level (``employer_group_yes``)."""
    levels = [c.split("=", 1)[1] for c in mca.column_coordinates_.index]

    def name(category: str) -> str:
        var, lev = category.split("=", 1)
        return f"{var}_{lev}" if levels.count(lev) > 1 else lev

    return name


def test_active_categories(specific):
    mca, _, ref = specific
    level = r_name(mca)
    coords = mca.column_coordinates_.drop(list(mca.passive_)).rename(index=level)
    theirs = ref_table(ref, "var_coord")
    assert sorted(coords.index) == sorted(theirs.index)  # the passive ones have no row there
    assert_up_to_sign(coords, theirs)
    for ours, key in ((mca.column_cos2_, "var_cos2"),
                      (mca.column_contributions_, "var_contrib")):
        theirs = ref_table(ref, key)
        shown = ours.drop(list(mca.passive_)).rename(index=level)
        np.testing.assert_allclose(shown.loc[theirs.index, DIMS], theirs, rtol=RTOL, atol=1e-14)


def test_eta2(specific):
    mca, _, ref = specific
    theirs = ref_table(ref, "var_eta2")
    np.testing.assert_allclose(mca.eta2_.loc[theirs.index, DIMS], theirs, rtol=RTOL)


def test_passive_categories_have_no_weight(specific):
    mca, _, _ = specific
    assert (mca.column_contributions_.loc[list(mca.passive_)] == 0).all().all()


def test_passive_category_is_the_mean_point_of_its_holders(specific):
    # The transition formula: a category's coordinate is the mean of its holders' coordinates
    # divided by sqrt(eigenvalue), for passive and active categories alike.
    mca, data, _ = specific
    lam = mca.eigenvalues_["eigenvalue"].to_numpy()[:5]
    for name in (*mca.passive_, mca.column_coordinates_.index[0]):
        var, cat = name.split("=")
        held = mca.row_coordinates_[data[var] == cat].mean().to_numpy()
        np.testing.assert_allclose(mca.column_coordinates_.loc[name], held / np.sqrt(lam),
                                   rtol=1e-10)


def test_supplementary_individuals():
    """FactoMineR 2.7 projects supplementary individuals of a specific MCA with the raw profile
    times the transition coordinates of *every* category (``X.row.sup %*% V``: passive ones
    included, no centring), so that a projected copy of an active individual misses its own
    point. FactoMineR's later ``CA`` code centres the profile and drops the passive categories
    (``(p / c - 1) %*% (V * marge.col)``, "difference with excl=NULL"); that is what we do, and
    a copy lands on itself. The reference is matched through 2.7's formula on our fit."""
    data, ref = load_specific("tea6")
    passive = passive_categories(data.iloc[5:], tuple(ref["excluded_categories"]))
    mca = MCA(5, passive=passive).fit(data.iloc[5:])
    theirs = pd.DataFrame(ref["sup_fit_active_eig"])
    k = len(mca.eigenvalues_)
    np.testing.assert_allclose(mca.eigenvalues_["eigenvalue"], theirs["eigenvalue"][:k],
                               rtol=RTOL)
    profile = indicator(data.iloc[:5], mca.categories_).to_numpy() / mca._Q
    lam = mca.eigenvalues_["eigenvalue"].to_numpy()[:5]
    factominer_27 = pd.DataFrame(profile @ mca.column_coordinates_.to_numpy() / np.sqrt(lam),
                                 index=data.index[:5], columns=DIMS)
    assert_up_to_sign(factominer_27, ref_table(ref, "sup_ind_coord"))
    # Ours: the centred formula over active categories, consistent with the fit.
    ours = mca.transform(data.iloc[:5]).to_numpy()
    active = np.array([c not in mca.passive_ for c in mca.column_coordinates_.index])
    centred = np.where(active, profile - mca._c, 0.0)
    np.testing.assert_allclose(ours, centred @ mca.column_coordinates_.to_numpy() / np.sqrt(lam),
                               rtol=1e-12)
    np.testing.assert_allclose(mca.transform(data.iloc[5:8]), mca.row_coordinates_.iloc[:3],
                               rtol=1e-10)


@pytest.mark.parametrize("consolidation,key", [
    ("none", "hcpc_clusters_before_consolidation"),
    ("hartigan-wong", "hcpc_clusters"),
])
def test_hcpc_partition_label_for_label(specific, consolidation, key):
    mca, _, ref = specific
    coords = mca.row_coordinates_
    theirs_coords = ref_table(ref, "ind_coord").loc[coords.index]
    signs = np.sign((coords[DIMS] * theirs_coords).sum())
    hcpc = HCPC(rule="within_ratio", consolidation=consolidation).fit(coords * signs)
    assert hcpc.n_clusters_ == ref["hcpc_n_clusters"]
    theirs = pd.Series(ref[key]).loc[coords.index]
    assert (hcpc.labels_.to_numpy() == theirs.to_numpy()).all()


def test_passive_none_is_the_plain_mca():
    data, _ = load_specific("tea6")
    plain = MCA(5).fit(data)
    assert passive_categories(data, ()) == ()
    same = MCA(5, passive=passive_categories(data, None)).fit(data)
    np.testing.assert_allclose(same.row_coordinates_, plain.row_coordinates_, rtol=1e-12)


def test_bare_category_is_passive_in_every_descriptor():
    data = pd.DataFrame({"a": ["x", "unknown", "y", "x"], "b": ["unknown", "p", "q", "p"]})
    assert passive_categories(data, ("unknown",)) == ("a=unknown", "b=unknown")
    assert passive_categories(data, ("b=unknown",)) == ("b=unknown",)
    with pytest.raises(Exception, match="not active"):
        passive_categories(data, ("c=unknown",))
