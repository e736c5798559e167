"""The MCA against FactoMineR 2.7 (tests/fixtures/factominer, copied from ../shared/reference)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ptce_typology.analysis.mca import MCA, UnseenCategory

REF = Path(__file__).parent / "fixtures" / "factominer"
DIMS = [f"Dim {k}" for k in range(1, 6)]
RTOL = 1e-8


def load(name: str):
    data = pd.read_csv(REF / f"{name}.csv", dtype=str).set_index("id")
    ref = json.loads((REF / f"{name}_mca_hcpc.json").read_text(encoding="utf-8"))
    return data, ref


def ref_table(ref: dict, key: str) -> pd.DataFrame:
    return pd.DataFrame(ref[key]).set_index("name")[DIMS].astype(float)


def level(name: str) -> str:
    return name.split("=", 1)[1]


def assert_up_to_sign(ours: pd.DataFrame, theirs: pd.DataFrame, same_signs: bool = True
                      ) -> None:
    """Equal to FactoMineR's numbers; with ``same_signs`` (the default) the signs too, as we
    follow FactoMineR's sign convention."""
    ours = ours.loc[theirs.index, DIMS]
    for dim in DIMS:
        sign = 1.0 if same_signs else np.sign((ours[dim] * theirs[dim]).sum())
        np.testing.assert_allclose(ours[dim] * sign, theirs[dim], rtol=RTOL, atol=1e-12)


@pytest.fixture(scope="module", params=["poison", "tea6"])
def fitted(request):
    data, ref = load(request.param)
    return MCA(5).fit(data), data, ref


def test_eigenvalues(fitted):
    mca, _, ref = fitted
    theirs = pd.DataFrame(ref["eig"])
    assert len(mca.eigenvalues_) == len(theirs)
    np.testing.assert_allclose(mca.eigenvalues_["eigenvalue"], theirs["eigenvalue"], rtol=RTOL)
    np.testing.assert_allclose(mca.eigenvalues_["percentage"],
                               theirs["percentage of variance"], rtol=RTOL)
    np.testing.assert_allclose(mca.eigenvalues_["cumulative"],
                               theirs["cumulative percentage of variance"], rtol=RTOL)


def test_individuals(fitted):
    mca, _, ref = fitted
    assert_up_to_sign(mca.row_coordinates_, ref_table(ref, "ind_coord"))
    for ours, key in ((mca.row_cos2_, "ind_cos2"), (mca.row_contributions_, "ind_contrib")):
        theirs = ref_table(ref, key)
        np.testing.assert_allclose(ours.loc[theirs.index, DIMS], theirs, rtol=RTOL, atol=1e-14)


def test_categories(fitted):
    mca, _, ref = fitted
    coords = mca.column_coordinates_.rename(index=level)
    assert_up_to_sign(coords, ref_table(ref, "var_coord"))
    for ours, key in ((mca.column_cos2_, "var_cos2"), (mca.column_contributions_,
                                                        "var_contrib")):
        theirs = ref_table(ref, key)
        np.testing.assert_allclose(ours.rename(index=level).loc[theirs.index, DIMS], theirs,
                                   rtol=RTOL, atol=1e-14)


def test_eta2(fitted):
    mca, _, ref = fitted
    theirs = ref_table(ref, "var_eta2")
    np.testing.assert_allclose(mca.eta2_.loc[theirs.index, DIMS], theirs, rtol=RTOL)


def test_supplementary_individuals(fitted):
    _, data, ref = fitted
    mca = MCA(5).fit(data.iloc[5:])
    theirs = pd.DataFrame(ref["sup_fit_active_eig"])
    np.testing.assert_allclose(mca.eigenvalues_["eigenvalue"], theirs["eigenvalue"], rtol=RTOL)
    assert_up_to_sign(mca.transform(data.iloc[:5]).reindex(columns=DIMS) * 1.0,
                      ref_table(ref, "sup_ind_coord"))
    # The projection uses the same signs as the fit: row 6 projected equals its coordinate.
    np.testing.assert_allclose(mca.transform(data.iloc[5:8]), mca.row_coordinates_.iloc[:3],
                               rtol=1e-10)


def test_sign_convention(fitted):
    """FactoMineR's: each dimension's column singular vector sums to a positive number."""
    mca, _, _ = fitted
    weights = np.sqrt(mca._c)
    lam = mca.eigenvalues_["eigenvalue"].to_numpy()[:5]
    sums = (weights[:, None] * mca.column_coordinates_.to_numpy()).sum(axis=0) / np.sqrt(lam)
    assert (sums > 0).all()


def test_vtest_formula(fitted):
    mca, data, _ = fitted
    n = len(data)
    counts = mca.column_counts_
    expected = mca.column_coordinates_.mul(np.sqrt(counts * (n - 1) / (n - counts)), axis=0)
    np.testing.assert_allclose(mca.column_vtest_, expected)


def test_supplementary_variable_equal_to_an_active_one():
    data, _ = load("tea6")
    mca = MCA(5).fit(data, supplementary=data[["price"]].rename(columns={"price": "copy"}))
    sup = mca.supplementary_coordinates_.rename(index=lambda s: s.split("=", 1)[1])
    act = mca.column_coordinates_.loc[[c for c in mca.column_coordinates_.index
                                       if c.startswith("price=")]].rename(index=level)
    np.testing.assert_allclose(sup.loc[act.index], act, rtol=1e-10)
    np.testing.assert_allclose(mca.supplementary_eta2_.loc["copy"], mca.eta2_.loc["price"],
                               rtol=1e-10)


def test_unseen_category_is_refused_loudly():
    data, _ = load("tea6")
    mca = MCA(5).fit(data)
    new = data.iloc[:2].copy()
    new.iloc[0, 0] = "rooibos"
    with pytest.raises(UnseenCategory) as info:
        mca.transform(new)
    assert "rooibos" in str(info.value) and "Tea" in str(info.value)


def test_shared_level_labels_are_kept_apart():
    data = pd.DataFrame({"a": ["yes", "no", "yes", "no", "yes"],
                         "b": ["yes", "yes", "no", "no", "no"]})
    mca = MCA(3).fit(data)
    assert list(mca.column_coordinates_.index) == ["a=no", "a=yes", "b=no", "b=yes"]
    np.testing.assert_allclose(mca.transform(data), mca.row_coordinates_, atol=1e-12)
