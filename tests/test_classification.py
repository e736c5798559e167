"""The typology of the twelve témoins and the classification of new poles (the commands are
tests/test_clusters.py, the stability tests/test_stability.py)."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES

from ptce_typology import cases_frame, load_cases
from ptce_typology.analysis.typology import PLACEMENTS, Typology, placement_records
from ptce_typology.resources import cases_dir, examples_dir


@pytest.fixture(scope="module")
def model(frame):
    return Typology(seed=0).fit(frame)


def test_estimator_protocol(model, frame):
    assert isinstance(model.fit(frame), Typology)
    params = model.get_params()
    assert params["ncp"] == 5 and params["rule"] == "gain_ratio"
    assert list(model.labels_.index) == list(frame.index)
    assert set(model.labels_) == set(range(1, model.hcpc_.n_clusters_ + 1))
    assert model.coordinates_.shape == (12, 5)


def test_temoin_partition(model):
    clusters = model.labels_
    # Poles that share every active category are clustered together.
    assert clusters["pole_sud_archer"] == clusters["initiatives_et_cite"]
    assert clusters["paris_mix"] == clusters["fontaine_o_livres"]
    rural = ["de_fil_en_reseaux", "eco_domaine_de_bouquetot", "eoliennes_en_pays_de_vilaine",
             "les_articulteurs"]
    assert clusters[rural].nunique() == 1


def test_predict_and_transform_on_the_temoins(model, frame):
    np.testing.assert_allclose(model.transform(frame), model.coordinates_, atol=1e-10)
    assert (model.predict(frame) == model.labels_).all()


def test_temoin_file_is_its_own_nearest(model):
    own = cases_frame(load_cases(cases_dir() / "paris_mix.yaml"))
    (result,) = placement_records(model.classify(own))
    assert result["nearest"][0]["pole_id"] == "paris_mix"
    assert result["nearest"][0]["distance"] == pytest.approx(0, abs=1e-9)
    assert result["nearest"][0]["different"] == []
    assert result["cluster"] == model.labels_["paris_mix"]
    assert result["flags"] == []


def test_periscope_is_flagged_with_reasons(model):
    new = cases_frame(load_cases(examples_dir()))
    (result,) = placement_records(model.classify(new))
    assert result["pole_id"] == "le_periscope"
    unseen = [f for f in result["flags"] if f["code"] == "unseen_categories"]
    assert unseen and "origin=local_authority" in unseen[0]["categories"]  # never dropped
    # An unknown is passive, not a category no témoin has: it is not flagged as unseen, but
    # it is listed, and the placement says what it depends on.
    assert "territory=unknown" not in unseen[0]["categories"]
    assert result["unknown"] == ["employer_group"]
    assert set(result["distances"]) == set(model.centres_.index)
    assert result["cluster"] == min(result["distances"], key=result["distances"].get)
    assert 0 <= result["typicality"] <= 1 and 0 <= result["cos2"] <= 1
    assert len(result["nearest"]) == 3
    assert abs(sum(result["possible_clusters"].values()) - 1) < 1e-12


def test_typicality_counts_modal_categories_over_known_descriptors(model, frame):
    modes = {v: frame[v].astype(object)[lambda c: c != "unknown"].value_counts()
             .sort_index(kind="stable").idxmax() for v in model.active}
    row = frame.loc[["domb_innov"]]
    known = [v for v in model.active if row.iloc[0][v] != "unknown"]
    (result,) = placement_records(model.classify(row))
    expected = sum(row.iloc[0][v] == modes[v] for v in known) / len(known)
    assert result["typicality"] == expected and result["typicality_known"] == len(known)
    assert len(known) < len(model.active)  # Domb'Innov has unknowns: they do not count


def test_ncp_and_rule_change_the_result_and_are_reported(model, frame):
    small = Typology(ncp=2, rule="within_ratio").fit(frame)
    # ncp keeps the first dimensions of the same MCA, and the tree is built on them only.
    assert small.coordinates_.shape == (12, 2) and model.coordinates_.shape == (12, 5)
    np.testing.assert_allclose(small.coordinates_, model.coordinates_.iloc[:, :2], atol=1e-10)
    assert not np.allclose(small.hcpc_.within_, model.hcpc_.within_)
    # On these two dimensions the rules choose different k, each by its own criterion
    # (within_ratio, FactoMineR 2.7: k from min_clusters = 3 to round(n / 2) = 6;
    # gain_ratio, 2.14: k from 4 to 8).
    within, gains = small.hcpc_.within_, small.hcpc_.inertia_gain_
    by_within = min(range(3, 7), key=lambda k: within[k] / within[k - 1])
    by_gain = max(range(4, 9), key=lambda k: gains[k - 1] / gains[k])
    gain = Typology(ncp=2, rule="gain_ratio").fit(frame)
    assert small.hcpc_.n_clusters_ == by_within == 3
    assert gain.hcpc_.n_clusters_ == by_gain == 5
    assert small.summary()["ncp"] == 2 and gain.summary()["rule"] == "gain_ratio"
    fixed = Typology(n_clusters=3).fit(frame)
    assert fixed.hcpc_.n_clusters_ == 3 != model.hcpc_.n_clusters_
    assert set(fixed.labels_) == {1, 2, 3} and fixed.summary()["rule"] == "fixed"


def test_bad_descriptor_is_a_user_error(frame):
    from ptce_typology.errors import PtceError

    with pytest.raises(PtceError):
        Typology(active=("origin", "colour")).fit(frame)


# What no source says is not a category (specific MCA; placements that say what they depend
# on) ----------------------------------------------------------------------------------------

def _new_poles(frame, **changes):
    """Copies of témoins as new poles (ids prefixed), with some values changed."""
    rows = []
    for pole, values in changes.items():
        row = frame.loc[[pole]].copy()
        for column, value in values.items():
            row[column] = pd.Categorical([value], categories=frame[column].cat.categories,
                                         ordered=True)
        row.index = [f"new_{pole}"]
        rows.append(row)
    out = pd.concat(rows)
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            out[column] = pd.Categorical(out[column].astype(object),
                                         categories=frame[column].cat.categories, ordered=True)
    return out


def test_unknown_territory_leaves_the_placement_undetermined(model, frame):
    new = _new_poles(frame, paris_mix={"territory": "unknown"},
                     fontaine_o_livres={"territory": "unknown"},
                     la_coursive_boutaric={"territory": "unknown"})
    results = placement_records(model.classify(new))
    assert len(results) == 3
    for result in results:
        assert result["determined"] is False
        # Territory decides; so may an unknown yes/no descriptor now that `no` is tried.
        assert "territory" in result["decided_by"]
        assert set(result["decided_by"]) <= set(result["unknown"])
        assert len(result["possible_clusters"]) >= 2
        # The cluster of the témoin it copies (its true territory) is one of them.
        source = result["pole_id"].removeprefix("new_")
        assert model.labels_[source] in result["possible_clusters"]
        # Every territory of the vocabulary (five; the témoins hold four), times yes and no
        # for each other unknown (yes/no descriptors).
        others = len(result["unknown"]) - 1
        assert result["completions"] == {"n": 5 * 2 ** others, "exhaustive": True,
                                         "seed": None}
        assert sum(result["possible_clusters"].values()) == pytest.approx(1)


def test_a_fully_known_pole_is_determined(model, frame):
    new = _new_poles(frame, paris_mix={})
    (result,) = placement_records(model.classify(new))
    assert result["unknown"] == [] and result["determined"] is True
    assert result["possible_clusters"] == {model.labels_["paris_mix"]: 1.0}
    assert result["decided_by"] == []


def test_shared_never_holds_a_descriptor_unknown_on_either_side(model, frame):
    new = pd.concat([cases_frame(load_cases(examples_dir())),
                     _new_poles(frame, domb_innov={"territory": "unknown"},
                                de_fil_en_reseaux={"sector": "unknown"})])
    results = placement_records(model.classify(new, n_nearest=12))
    checked = 0
    for result in results:
        mine = result["categories"]
        for other in result["nearest"]:
            theirs = frame.loc[other["pole_id"], list(model.active)].astype(object)
            for descriptor in other["shared"]:
                assert mine[descriptor] != "unknown" and theirs[descriptor] != "unknown"
                assert mine[descriptor] == theirs[descriptor]
                checked += 1
            assert set(other["unknown_here"]) == {d for d in model.active
                                                  if mine[d] == "unknown"}
            assert set(other["unknown_there"]) == {d for d in model.active
                                                   if theirs[d] == "unknown"}
            assert not set(other["shared"]) & (set(other["unknown_here"])
                                               | set(other["unknown_there"]))
    assert checked > 0


def test_unknown_values_are_passive_in_the_typology(model):
    assert set(model.passive_) == {"shared_premises=unknown", "employer_group=unknown"}
    contributions = model.mca_.column_contributions_.loc[list(model.passive_)]
    assert (contributions == 0).all().all()
    plain = Typology(passive=()).fit(model.frame_)
    assert plain.passive_ == ()
    assert (plain.mca_.column_contributions_.loc[list(model.passive_)] > 0).any().any()


def _two_mirrored_groups(rows: dict[str, tuple[str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=["x", "y"])
    frame.index.name = "pole_id"
    for column in ("x", "y"):
        frame[column] = pd.Categorical(frame[column], categories=["a", "b", "c"], ordered=True)
    frame["name"] = frame.index
    return frame


def test_near_tie_is_flagged_exactly_when_two_centres_are_as_near():
    # Swapping x and y, then a and b, maps the p poles onto the q poles and leaves (a, b)
    # and (b, a) where they are: those two are as far from both centres, a tie by symmetry.
    # (a, a) is a copy of p1 and p2, with nothing in common with any q pole: no tie.
    model = Typology(active=("x", "y"), supplementary=(), n_clusters=2, min_clusters=2,
                     ncp=4).fit(_two_mirrored_groups(
        {"p1": ("a", "a"), "p2": ("a", "a"), "p3": ("a", "c"), "p4": ("c", "a"),
         "q1": ("b", "b"), "q2": ("b", "b"), "q3": ("c", "b"), "q4": ("b", "c")}))
    assert model.labels_["p1"] != model.labels_["q1"]
    assert model.labels_[["p1", "p2", "p3", "p4"]].nunique() == 1
    new = _two_mirrored_groups({"tie_ab": ("a", "b"), "tie_ba": ("b", "a"),
                                "like_p": ("a", "a")})
    placed = {r["pole_id"]: r for r in placement_records(model.classify(new))}
    for pole in ("tie_ab", "tie_ba"):
        codes = {f["code"] for f in placed[pole]["flags"]}
        assert "near_tie" in codes, pole
        first, second = sorted(placed[pole]["distances"].values())
        assert second == pytest.approx(first, rel=1e-9)
    like_p = placed["like_p"]
    assert like_p["cluster"] == model.labels_["p1"]
    assert "near_tie" not in {f["code"] for f in like_p["flags"]}


def test_nearest_temoin_elsewhere_is_flagged(model, frame):
    new = _new_poles(frame, paris_mix={"territory": "rural"})
    (result,) = placement_records(model.classify(new))
    codes = {f["code"] for f in result["flags"]}
    nearest = result["nearest"][0]
    assert ("nearest_temoin_elsewhere" in codes) == (nearest["cluster"] != result["cluster"])


def test_clusters_have_names_from_their_categories(model):
    from ptce_typology.render.typology import cluster_names

    names_en, names_fr = cluster_names(model, "en"), cluster_names(model, "fr")
    rural = model.labels_["les_articulteurs"]
    assert "Rural" in names_en[rural] and "Rural" in names_fr[rural]
    creative = model.labels_["paris_mix"]
    assert "Creative and cultural industries" in names_en[creative]
    assert "Industries créatrices et culturelles" in names_fr[creative]
    for profile in model.profiles_.values():
        assert all(not c.endswith("=unknown") for c in profile)


def test_estimator_contract_with_scikit_learn(model, frame):
    from sklearn.base import clone
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    from ptce_typology.errors import NotFittedError as OurNotFitted

    fresh = clone(model)
    assert fresh.get_params() == model.get_params() and not hasattr(fresh, "clusters_")
    with pytest.raises(NotFittedError):
        check_is_fitted(fresh)
    with pytest.raises(OurNotFitted):
        fresh.predict(frame)
    check_is_fitted(model)
    assert repr(Typology(ncp=3)) == "Typology(ncp=3)"
    fitted = Typology().fit(frame)
    frame_copy = frame.copy()
    frame_copy.loc["paris_mix", "name"] = "changed"
    assert fitted.frame_.loc["paris_mix", "name"] == "Paris Mix"  # the estimator keeps a copy


def test_no_position_for_a_pole_no_source_describes(temoins):
    """transform and predict agree with classify: no coordinates and no cluster for PEPSS 30
    (so --plot draws no star at the centre of the map), while Le Périscope keeps both."""
    from ptce_typology.analysis.typology import Typology
    from ptce_typology.frame import cases_frame, load_frame
    from ptce_typology.resources import examples_dir

    model = Typology().fit(cases_frame(temoins))
    new = load_frame([FIXTURES / "good" / "nothing_known.yaml",
                       examples_dir() / "le_periscope.yaml"])
    coords = model.transform(new)
    assert coords.loc["nothing_known"].isna().all() and coords.loc["le_periscope"].notna().all()
    predicted = model.predict(new)
    assert predicted.isna()["nothing_known"] and predicted["le_periscope"] == 1  # origin passive
    assert model.predict(cases_frame(temoins)).tolist() == model.labels_.tolist()


# What the témoins cannot represent (issue 23) -----------------------------------------------


def test_unknown_shared_premises_and_employer_group_try_no(model, frame):
    """The témoins only ever say `yes` (or unknown) for both: the completions still try `no`,
    held passive as a category no témoin has."""
    new = _new_poles(frame, paris_mix={"shared_premises": "unknown",
                                       "employer_group": "unknown"})
    row = new.iloc[0]
    table, unknown, exhaustive = model._completions(row)
    assert unknown == ["shared_premises", "employer_group"] and exhaustive
    assert sorted(map(tuple, table[unknown].to_numpy().tolist())) == sorted(
        [("yes", "yes"), ("yes", "no"), ("no", "yes"), ("no", "no")])
    result = placement_records(model.classify(new))[0]
    assert result["completions"]["n"] == 4


def test_an_unseen_category_keeps_its_share_and_is_named(model, frame):
    """A copy of a témoin whose origin is one no témoin has: the origin keeps its 1/6 of the
    profile with no weight, exactly as an unknown origin, instead of being dropped and the
    other five descriptors re-weighted; the placement names it and is `outside`."""
    new = _new_poles(frame, paris_mix={"origin": "other"})
    as_unknown = _new_poles(frame, paris_mix={"origin": "unknown"})
    coords = model.transform(new)
    np.testing.assert_allclose(coords.to_numpy(), model.transform(as_unknown).to_numpy(),
                               rtol=0, atol=1e-12)
    # Not the old re-weighted profile over the five other descriptors.
    mca = model.mca_
    held = {f"{d}={new.iloc[0][d]}" for d in mca.variables_}
    z = np.array([1.0 if name in held else 0.0 for name in mca.column_counts_.index])
    dropped = mca._coordinates((z / 5)[None, :])[0]
    kept = mca._coordinates((z / 6)[None, :])[0]
    np.testing.assert_allclose(coords.iloc[0].to_numpy(), kept, atol=1e-12)
    assert np.abs(coords.iloc[0].to_numpy() - dropped).max() > 1e-3
    result = placement_records(model.classify(new))[0]
    assert result["unseen"] == ["origin=other"] and result["placement"] == "outside"
    assert "origin" not in result["placed_on"] and len(result["placed_on"]) == 5
    assert any(f["code"] == "unseen_categories" and f["categories"] == ["origin=other"]
               for f in result["flags"])


def test_two_unseen_active_categories_are_outside(model, frame, run, tmp_path):
    new = _new_poles(frame, paris_mix={"origin": "local_authority", "territory": "other"})
    result = placement_records(model.classify(new))[0]
    assert result["placement"] == "outside" and result["determined"] is False
    assert result["unseen"] == ["origin=local_authority", "territory=other"]
    assert "unseen_categories" in result["placement_reasons"]
    from ptce_typology.render.typology import placement_text

    shown = placement_text(result, {}, "en")
    assert shown.startswith("outside: placed on 4 of 6 descriptors; Origin and Territory are "
                            "outside the typology")
    assert "hors de la typologie" in placement_text(result, {}, "fr")


@functools.cache
def _every_bundled_placement():
    from ptce_typology.frame import load_frame
    from ptce_typology.resources import examples_dir, poles_dir

    model = Typology().fit(load_frame())
    new = load_frame([poles_dir(), examples_dir()])
    return placement_records(model.classify(new))


def test_no_undetermined_placement_without_deciding_descriptors():
    placements = _every_bundled_placement()
    states = {r["placement"] for r in placements}
    assert states <= set(PLACEMENTS) and "undetermined" in states
    for r in placements:
        if r["placement"] == "undetermined":
            assert r["decided_by"], r["pole_id"]
        assert r["determined"] == (r["placement"] == "determined")


def test_a_cluster_outside_its_possible_clusters_says_why():
    """`cluster` (the passive projection) may be a cluster no completion gives (Les Ateliers
    read « cluster 4, undetermined: cluster 2 (100 %), depending on »): then the state is
    not `determined` and its reasons say so."""
    for r in _every_bundled_placement():
        if r["cluster"] is not None and r["cluster"] not in r["possible_clusters"]:
            assert r["placement"] != "determined"
            assert "passive_differs" in r["placement_reasons"], r["pole_id"]
        if r["placement"] == "determined":
            assert r["cluster"] is not None and set(r["possible_clusters"]) == {r["cluster"]}


def test_classify_reference(run):
    import json

    from ptce_typology.resources import examples_dir

    pole = examples_dir() / "le_periscope.yaml"
    default = run("classify", pole, "--format", "json")
    temoins = run("classify", pole, "--reference", "temoins", "--format", "json")
    assert default.exit_code == 0 and temoins.stdout == default.stdout
    wider = run("classify", pole, "--reference", "all", "--format", "json")
    assert wider.exit_code == 0, wider.stderr
    assert "reference poles" in wider.stderr and "12 reference poles" not in wider.stderr
    assert json.loads(wider.stdout)["poles"][0]["placement"] in ("determined", "undetermined",
                                                                 "outside")
