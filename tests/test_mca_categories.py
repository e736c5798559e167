"""The MCA's category results as a paper shows them (FactoMineR's ``res$var``,
``res$quali.sup`` and the modified rates of ``res$eig``), against FactoMineR 2.7: the
``*_categories.json`` fixtures, made by tests/fixtures/factominer/factominer_categories.R on
FactoMineR's public ``poison`` and ``tea`` data and the twelve témoins (plain and specific MCA,
with supplementary variables)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from test_mca import DIMS, REF

from ptce_typology.analysis.mca import MCA, modified_rates, passive_categories

TOL = {"rtol": 1e-10, "atol": 1e-12}
CASES = {"poison": "poison", "tea6": "tea6", "tea6_specific": "tea6",
         "temoins12_specific": "temoins12"}


SPECIFIC = [case for case in CASES if case.endswith("_specific")]


def fit_case(case: str):
    data = pd.read_csv(REF / f"{CASES[case]}.csv", dtype=str).set_index("id")
    sup = pd.read_csv(REF / f"{CASES[case]}_supplementary.csv", dtype=str).set_index("id")
    ref = json.loads((REF / f"{case}_categories.json").read_text(encoding="utf-8"))
    passive = passive_categories(data, tuple(ref["excluded_categories"]))
    assert passive == tuple(ref["excluded_categories"])
    mca = MCA(5, passive=passive).fit(data, supplementary=sup)
    return mca, pd.concat([data, sup], axis=1), ref


@pytest.fixture(scope="module", params=list(CASES))
def fitted(request):
    return fit_case(request.param)


@pytest.fixture(scope="module", params=SPECIFIC)
def specific(request):
    """The specific MCAs only: FactoMineR gives passive categories and modified rates there."""
    return fit_case(request.param)


def table(ref: dict, key: str) -> pd.DataFrame:
    return pd.DataFrame(ref[key]).set_index("name")[DIMS].astype(float)


def r_names(data: pd.DataFrame):
    """FactoMineR's name of a category: its level, every level of a variable prefixed with
    ``variable_`` when one of them is a level of another variable (active or supplementary)."""
    counts = pd.Series([lev for var in data for lev in data[var].unique()]).value_counts()
    shared = {var for var in data if (counts[data[var].unique()] > 1).any()}

    def name(category: str) -> str:
        var, lev = category.split("=", 1)
        return f"{var}_{lev}" if var in shared else lev

    return name


def test_active_categories(fitted):
    mca, data, ref = fitted
    name = r_names(data)
    for ours, key in ((mca.column_coordinates_, "var_coord"),
                      (mca.column_contributions_, "var_contrib"),
                      (mca.column_cos2_, "var_cos2"), (mca.column_vtest_, "var_vtest")):
        theirs = table(ref, key)
        shown = ours.drop(list(mca.passive_)).rename(index=name)
        assert sorted(shown.index) == sorted(theirs.index)
        np.testing.assert_allclose(shown.loc[theirs.index, DIMS], theirs, **TOL)


def test_eta2(fitted):
    mca, _, ref = fitted
    theirs = table(ref, "var_eta2")
    np.testing.assert_allclose(mca.eta2_.loc[theirs.index, DIMS], theirs, **TOL)
    theirs = table(ref, "quali_sup_eta2").drop(
        [v for v in ref["supplementary_variables"] if v.endswith("_copy")], errors="ignore")
    assert list(mca.supplementary_eta2_.index) == list(theirs.index)
    np.testing.assert_allclose(mca.supplementary_eta2_[DIMS], theirs, **TOL)


def test_supplementary_categories(fitted):
    mca, data, ref = fitted
    name = r_names(data)
    for ours, key in ((mca.supplementary_coordinates_, "quali_sup_coord"),
                      (mca.supplementary_cos2_, "quali_sup_cos2"),
                      (mca.supplementary_vtest_, "quali_sup_vtest")):
        theirs = table(ref, key)
        shown = ours.rename(index=name)
        np.testing.assert_allclose(shown[DIMS], theirs.loc[shown.index], **TOL)


def test_passive_categories_equal_their_supplementary_copies(specific):
    """FactoMineR gives no row for a passive category; the reference gives the variable
    holding it again as a supplementary copy, whose point is the mean point of the same
    individuals: ours are equal to it (coordinate, cos2, v.test)."""
    mca, _, ref = specific
    assert mca.passive_
    copies = [c.replace("=", ".", 1) for c in mca.passive_]
    for ours, key in ((mca.column_coordinates_, "quali_sup_coord"),
                      (mca.column_cos2_, "quali_sup_cos2"),
                      (mca.column_vtest_, "quali_sup_vtest")):
        np.testing.assert_allclose(ours.loc[list(mca.passive_), DIMS],
                                   table(ref, key).loc[copies], **TOL)
    assert (mca.column_contributions_.loc[list(mca.passive_)] == 0).all().all()


def test_category_table_holds_the_attributes(fitted):
    mca, _, _ = fitted
    shown = mca.category_table(2)
    n_sup = len(mca.supplementary_coordinates_)
    assert len(shown) == len(mca.column_coordinates_) + n_sup
    assert list(shown["status"]) == sorted(shown["status"], key=[
        "active", "passive", "supplementary"].index)
    assert set(shown.loc[shown["status"] == "passive"].index) == set(mca.passive_)
    for column, frame in (("coordinate", mca.column_coordinates_),
                          ("contribution", mca.column_contributions_),
                          ("cos2", mca.column_cos2_), ("vtest", mca.column_vtest_)):
        np.testing.assert_array_equal(shown.loc[frame.index, [f"{column}_1", f"{column}_2"]],
                                      frame[DIMS[:2]])
    supplementary = shown[shown["status"] == "supplementary"]
    assert supplementary["contribution_1"].isna().all()
    np.testing.assert_array_equal(supplementary["vtest_2"],
                                  mca.supplementary_vtest_.loc[supplementary.index, "Dim 2"])
    eta2 = mca.eta2_table(3)
    assert list(eta2.columns) == ["status", "eta2_1", "eta2_2", "eta2_3"]
    assert list(eta2.index) == [*mca.eta2_.index, *mca.supplementary_eta2_.index]


def test_benzecri_rates_equal_factominer_specific(specific):
    """FactoMineR's ``MCA(excl = ...)`` adds Benzécri's modified rates to ``res$eig``,
    rounded to 2 decimals, with Q the number of variables (GDAtools' ``modif.rate`` too)."""
    mca, _, ref = specific
    eig = pd.DataFrame(ref["eig"])
    k = len(mca.eigenvalues_)
    np.testing.assert_allclose(mca.eigenvalues_["benzecri_rate"], eig["modified rates"][:k],
                               atol=0.005 + 1e-12)
    np.testing.assert_allclose(mca.eigenvalues_["benzecri_cumulative"],
                               eig["cumulative modified rates"][:k], atol=0.03)


def test_greenacre_total_is_the_mean_inertia_of_the_burt_off_diagonal_blocks():
    """By hand, on tea6: Greenacre's adjusted total inertia is the mean phi² (chi² / n) of the
    Q(Q-1) crosstabs of two different variables; a rate is a pseudo eigenvalue over it."""
    data = pd.read_csv(REF / "tea6.csv", dtype=str).set_index("id")
    mca = MCA(5).fit(data)
    phi2 = []
    for a in data:
        for b in data:
            if a != b:
                observed = pd.crosstab(data[a], data[b]).to_numpy() / len(data)
                expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
                phi2.append(((observed - expected) ** 2 / expected).sum())
    Q = data.shape[1]
    eig = mca.eigenvalues_["eigenvalue"].to_numpy()
    pseudo = np.where(eig > 1 / Q, (Q / (Q - 1) * (eig - 1 / Q)) ** 2, 0)
    np.testing.assert_allclose(mca.eigenvalues_["greenacre_rate"],
                               100 * pseudo / np.mean(phi2), rtol=1e-10)
    np.testing.assert_allclose(mca.eigenvalues_["benzecri_rate"],
                               100 * pseudo / pseudo.sum(), rtol=1e-12)
    assert mca.eigenvalues_["greenacre_cumulative"].iloc[-1] < 100


def test_modified_rates_by_hand():
    """Q = 3, J = 7, eigenvalues 0.6, 0.5, 0.4, 0.3 (and 0.2 below 1/Q)."""
    rates = modified_rates(np.array([0.6, 0.5, 0.4, 0.3, 0.2]), 3, 7)
    # pseudo = (1.5 (λ - 1/3))²: 0.16, 0.0625, 0.01, 0, 0; sum 0.2325
    pseudo = np.array([0.16, 0.0625, 0.01, 0, 0])
    np.testing.assert_allclose(rates["benzecri_rate"], 100 * pseudo / 0.2325)
    # adjusted total: 1.5 (0.36 + 0.25 + 0.16 + 0.09 + 0.04 - 4/9) = 0.68333…
    np.testing.assert_allclose(rates["greenacre_rate"], 100 * pseudo / (1.5 * (0.9 - 4 / 9)))
    np.testing.assert_allclose(rates["benzecri_cumulative"].iloc[-1], 100)
    assert modified_rates(np.array([1.0]), 1, 3)["benzecri_rate"].isna().all()
