"""The typology of the twelve témoins, its stability, and the classification of new poles."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ptce_typology import cases_frame, load_cases
from ptce_typology.analysis.stability import stability
from ptce_typology.analysis.typology import Typology, placement_records
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
    assert unseen and "origin=other" in unseen[0]["categories"]  # never dropped silently
    # An unknown is passive, not a category no témoin has: it is not flagged as unseen, but
    # it is listed, and the placement says what it depends on.
    assert "territory=unknown" not in unseen[0]["categories"]
    assert {"territory", "sector"} <= set(result["unknown"])
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


def test_ncp_and_rule_change_the_result_and_are_reported(frame):
    small = Typology(ncp=2).fit(frame)
    assert small.summary()["ncp"] == 2
    assert Typology(rule="gain_ratio").fit(frame).summary()["rule"] == "gain_ratio"
    assert Typology(n_clusters=3).fit(frame).hcpc_.n_clusters_ == 3


def test_bad_descriptor_is_a_user_error(frame):
    from ptce_typology.errors import PtceError

    with pytest.raises(PtceError):
        Typology(active=("origin", "colour")).fit(frame)


def test_stability_is_seeded_and_bounded(model):
    a = stability(model, n_resamples=30, seed=4)
    b = stability(model, n_resamples=30, seed=4)
    pd.testing.assert_frame_equal(a["poles"], b["poles"])
    assert a["bootstrap"] == b["bootstrap"]
    assert -1 <= a["bootstrap"]["ari_min"] <= a["bootstrap"]["ari_mean"] <= 1
    assert 0 <= a["leave_one_out"]["ari_mean"] <= 1
    stay = a["poles"]["loo_stay"].dropna()
    assert ((stay >= 0) & (stay <= 1)).all()
    singletons = model.labels_.value_counts()[lambda s: s == 1].index
    for pole in model.labels_.index[model.labels_.isin(singletons)]:
        assert np.isnan(a["poles"].at[pole, "loo_stay"])


def test_clusters_cli_json(run):
    result = run("clusters", "--format", "json", "--resamples", "20")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    for key in ("active_variables", "ncp", "rule", "eigenvalues", "n_clusters", "clusters",
                "coordinates", "description", "stability"):
        assert key in data
    assert data["active_variables"] == ["age_class", "origin", "territory", "sector",
                                        "shared_premises", "employer_group"]
    assert len(data["clusters"]) == 12
    assert data["passive_categories"] == ["shared_premises=unknown", "employer_group=unknown"]
    assert set(data["cluster_names"]) == {str(c) for c in set(data["clusters"].values())}


def test_clusters_cli_is_deterministic(run):
    a = run("clusters", "--format", "json", "--resamples", "10", "--seed", "2").stdout
    b = run("clusters", "--format", "json", "--resamples", "10", "--seed", "2").stdout
    assert a == b


def test_clusters_cli_writes_three_figures(run, tmp_path):
    result = run("clusters", "--resamples", "0", "--plot", tmp_path / "map.svg",
                 "--format", "md")
    assert result.exit_code == 0, result.stderr
    for name in ("map.svg", "map_dendrogram.svg", "map_gains.svg"):
        assert (tmp_path / name).stat().st_size > 5000
    first = (tmp_path / "map.svg").read_bytes()
    run("clusters", "--resamples", "0", "--plot", tmp_path / "map.svg")
    assert (tmp_path / "map.svg").read_bytes() == first  # byte-identical figure


def test_classify_plot_says_where_in_the_chosen_language(run, tmp_path):
    from ptce_typology.resources import examples_dir

    result = run("classify", examples_dir() / "le_periscope.yaml", "--plot",
                 tmp_path / "placed.svg", "--lang", "fr", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "placed.svg").stat().st_size > 5000
    assert f"écrit : {tmp_path / 'placed.svg'}" in result.stderr
    assert "wrote" not in result.stderr


def test_clusters_cli_bad_plot_suffix(run, tmp_path):
    result = run("clusters", "--resamples", "0", "--plot", tmp_path / "map.gif")
    assert result.exit_code == 1 and "allowed: .png, .svg, .pdf" in result.stderr


def test_classify_cli_json(run):
    result = run("classify", examples_dir() / "le_periscope.yaml", cases_dir() / "domb_innov.yaml",
                 "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)["poles"]
    assert [d["pole_id"] for d in data] == ["le_periscope", "domb_innov"]
    for item in data:
        for key in ("pole_id", "cluster", "distances", "nearest", "typicality", "flags",
                    "determined", "possible_clusters", "decided_by"):
            assert key in item
    own = data[1]["nearest"][0]
    assert own["pole_id"] == "domb_innov" and own["distance"] == pytest.approx(0, abs=1e-9)
    assert own["different"] == []


def test_classify_cli_bad_file(run, tmp_path):
    from conftest import FIXTURES

    result = run("classify", FIXTURES / "bad" / "unknown-category.yaml")
    assert result.exit_code == 1 and "[unknown-category]" in result.stderr


def test_classify_cli_csv_and_table(run):
    result = run("classify", examples_dir() / "le_periscope.yaml", "--format", "csv")
    assert result.stdout.startswith("pole_id,name,cluster,determined,decided_by,typicality,cos2")
    result = run("classify", examples_dir() / "le_periscope.yaml", "--lang", "fr")
    assert "Témoins les plus proches" in result.stdout


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


def test_near_tie_and_nearest_elsewhere_are_flagged(model, frame):
    # Halfway between two témoins of different clusters: a near tie.
    new = _new_poles(frame, paris_mix={"territory": "rural"})
    (result,) = placement_records(model.classify(new))
    codes = {f["code"] for f in result["flags"]}
    ordered = sorted(result["distances"].values())
    if ordered[1] <= 1.05 * ordered[0]:
        assert "near_tie" in codes
    else:
        assert "near_tie" not in codes
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


def test_many_deciding_descriptors_read_as_a_list(run):
    """Every descriptor decides PEPSS 30's cluster (no source gives any; shared premises and
    employer group try `no` too): « A, B, … et F », not « A et B et … et F »."""
    from ptce_typology.resources import poles_dir

    for lang, expected in (("fr", "selon Ancienneté du regroupement, Origine, Territoire, "
                                  "Secteur d'activité, Lieu partagé et Groupement d'employeurs"),
                           ("en", "depending on Age of the grouping, Origin, Territory, "
                                  "Sector, Shared premises and Employer group")):
        result = run("classify", poles_dir() / "pepss_30.yaml", "--lang", lang,
                     "--format", "md")
        assert result.exit_code == 0, result.stderr
        assert expected in result.stdout


def test_a_pole_no_source_describes_gets_no_cluster(run):
    """No source gives any of PEPSS 30's active descriptors: its projection would be the
    centre of the map, so it gets no cluster and no nearest témoins, only the clusters its
    completions fall in, and a flag that says why."""
    import json

    from ptce_typology.resources import poles_dir

    result = run("classify", poles_dir() / "pepss_30.yaml", "--format", "json")
    assert result.exit_code == 0, result.stderr
    pole = json.loads(result.stdout)["poles"][0]
    assert pole["unknown"] == list(pole["categories"])  # every active descriptor unknown
    assert pole["cluster"] is None and pole["determined"] is False
    assert pole["nearest"] == [] and pole["cos2"] is None and pole["distances"] == {}
    assert abs(sum(pole["possible_clusters"].values()) - 1) < 1e-12
    assert [f["code"] for f in pole["flags"]] == ["nothing_known"]
    table = run("classify", poles_dir() / "pepss_30.yaml", "--format", "md").stdout
    assert "undetermined: cluster" in table and "Nearest témoins" not in table


def test_no_position_for_a_pole_no_source_describes(temoins):
    """transform and predict agree with classify: no coordinates and no cluster for PEPSS 30
    (so --plot draws no star at the centre of the map), while Le Périscope keeps both."""
    from ptce_typology.analysis.typology import Typology
    from ptce_typology.frame import cases_frame, load_frame
    from ptce_typology.resources import examples_dir, poles_dir

    model = Typology().fit(cases_frame(temoins))
    new = load_frame([poles_dir() / "pepss_30.yaml", examples_dir() / "le_periscope.yaml"])
    coords = model.transform(new)
    assert coords.loc["pepss_30"].isna().all() and coords.loc["le_periscope"].notna().all()
    predicted = model.predict(new)
    assert predicted.isna()["pepss_30"] and predicted["le_periscope"] == 1  # origin passive
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
    z = np.array([[1.0 if f"{d}={new.iloc[0][d]}" == name else 0.0 for name in mca._columns]
                  for d in [mca.variables_[0]]]).sum(axis=0)
    z = sum(np.array([1.0 if name == f"{d}={new.iloc[0][d]}" else 0.0
                      for name in mca._columns]) for d in mca.variables_)
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


def _every_bundled_placement():
    from ptce_typology.frame import load_frame
    from ptce_typology.resources import examples_dir, poles_dir

    model = Typology().fit(load_frame())
    new = load_frame([poles_dir(), examples_dir()])
    return placement_records(model.classify(new))


def test_no_undetermined_placement_without_deciding_descriptors():
    placements = _every_bundled_placement()
    states = {r["placement"] for r in placements}
    assert states <= {"determined", "undetermined", "outside"} and "undetermined" in states
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
