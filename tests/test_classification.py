"""The typology of the twelve témoins, its stability, and the classification of new poles."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ptce_typology import cases_frame, load_cases
from ptce_typology.analysis.stability import stability
from ptce_typology.analysis.typology import Typology
from ptce_typology.resources import cases_dir, examples_dir


@pytest.fixture(scope="module")
def model(frame):
    return Typology(seed=0).fit(frame)


def test_estimator_protocol(model, frame):
    assert isinstance(model.fit(frame), Typology)
    params = model.get_params()
    assert params["ncp"] == 5 and params["rule"] == "within_ratio"
    assert list(model.clusters_.index) == list(frame.index)
    assert set(model.clusters_) == set(range(1, model.hcpc_.n_clusters_ + 1))
    assert model.coordinates_.shape == (12, 5)


def test_temoin_partition(model):
    clusters = model.clusters_
    # Poles that share every active category are clustered together.
    assert clusters["pole_sud_archer"] == clusters["initiatives_et_cite"]
    assert clusters["paris_mix"] == clusters["fontaine_o_livres"]
    rural = ["de_fil_en_reseaux", "eco_domaine_de_bouquetot", "eoliennes_en_pays_de_vilaine",
             "les_articulteurs"]
    assert clusters[rural].nunique() == 1


def test_predict_and_transform_on_the_temoins(model, frame):
    np.testing.assert_allclose(model.transform(frame), model.coordinates_, atol=1e-10)
    assert (model.predict(frame) == model.clusters_).all()


def test_temoin_file_is_its_own_nearest(model):
    own = cases_frame(load_cases(cases_dir() / "paris_mix.yaml"))
    (result,) = model.classify(own)
    assert result["nearest"][0]["pole_id"] == "paris_mix"
    assert result["nearest"][0]["distance"] == pytest.approx(0, abs=1e-9)
    assert result["nearest"][0]["different"] == []
    assert result["cluster"] == model.clusters_["paris_mix"]
    assert result["flags"] == []


def test_periscope_is_flagged_with_reasons(model):
    new = cases_frame(load_cases(examples_dir()))
    (result,) = model.classify(new)
    assert result["pole_id"] == "le_periscope"
    joined = " ".join(result["flags"])
    assert "origin=other" in joined and "territory=unknown" in joined  # never dropped silently
    assert set(result["distances"]) == set(model.centres_.index)
    assert result["cluster"] == min(result["distances"], key=result["distances"].get)
    assert 0 <= result["typicality"] <= 1 and 0 <= result["cos2"] <= 1
    assert len(result["nearest"]) == 3


def test_typicality_counts_modal_categories(model, frame):
    modes = {v: frame[v].astype(object).value_counts().idxmax() for v in model.active}
    row = frame.loc[["domb_innov"]]
    (result,) = model.classify(row)
    expected = sum(row.iloc[0][v] == modes[v] for v in model.active) / len(model.active)
    assert result["typicality"] == expected


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
    singletons = model.clusters_.value_counts()[lambda s: s == 1].index
    for pole in model.clusters_.index[model.clusters_.isin(singletons)]:
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
    assert len(data["eigenvalues"]) == 10 and len(data["clusters"]) == 12
    assert "unknown" in data["missing_values"]


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


def test_clusters_cli_bad_plot_suffix(run, tmp_path):
    result = run("clusters", "--resamples", "0", "--plot", tmp_path / "map.gif")
    assert result.exit_code == 1 and "allowed: .png, .svg, .pdf" in result.stderr


def test_classify_cli_json(run):
    result = run("classify", examples_dir() / "le_periscope.yaml", cases_dir() / "domb_innov.yaml",
                 "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [d["pole_id"] for d in data] == ["le_periscope", "domb_innov"]
    for item in data:
        for key in ("pole_id", "cluster", "distances", "nearest", "typicality", "flags"):
            assert key in item
    assert data[1]["nearest"][0] == {"pole_id": "domb_innov", "distance": pytest.approx(0,
                                     abs=1e-9), "shared": data[1]["nearest"][0]["shared"],
                                     "different": []}


def test_classify_cli_bad_file(run, tmp_path):
    from conftest import FIXTURES

    result = run("classify", FIXTURES / "bad" / "unknown-category.yaml")
    assert result.exit_code == 1 and "[unknown-category]" in result.stderr


def test_classify_cli_csv_and_table(run):
    result = run("classify", examples_dir() / "le_periscope.yaml", "--format", "csv")
    assert result.stdout.startswith("pole_id,name,cluster,typicality,cos2,distance_1")
    result = run("classify", examples_dir() / "le_periscope.yaml", "--lang", "fr")
    assert "Témoins les plus proches" in result.stdout
