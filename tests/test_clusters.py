"""``ptce clusters`` and ``ptce classify`` (cli/clusters.py): JSON, tables, figures and
errors, as a user runs them."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

from ptce_typology.resources import cases_dir, examples_dir


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
    assert result.stdout.startswith("pole_id,name,cluster,determined,decided_by,placement,unseen,"
                                    "typicality,cos2")
    result = run("classify", examples_dir() / "le_periscope.yaml", "--lang", "fr")
    assert "Témoins les plus proches" in result.stdout


def test_many_deciding_descriptors_read_as_a_list(run):
    """Every descriptor decides the cluster of a pole no source describes (shared premises and
    employer group try `no` too): « A, B, … et F », not « A et B et … et F »."""

    for lang, expected in (("fr", "selon Ancienneté du regroupement, Origine, Territoire, "
                                  "Secteur d'activité, Lieu partagé et Groupement d'employeurs"),
                           ("en", "depending on Age of the grouping, Origin, Territory, "
                                  "Sector, Shared premises and Employer group")):
        result = run("classify", FIXTURES / "good" / "nothing_known.yaml", "--lang", lang,
                     "--format", "md")
        assert result.exit_code == 0, result.stderr
        assert expected in result.stdout


def test_a_pole_no_source_describes_gets_no_cluster(run):
    """No source gives any of PEPSS 30's active descriptors: its projection would be the
    centre of the map, so it gets no cluster and no nearest témoins, only the clusters its
    completions fall in, and a flag that says why."""
    result = run("classify", FIXTURES / "good" / "nothing_known.yaml", "--format", "json")
    assert result.exit_code == 0, result.stderr
    pole = json.loads(result.stdout)["poles"][0]
    assert pole["unknown"] == list(pole["categories"])  # every active descriptor unknown
    assert pole["cluster"] is None and pole["determined"] is False
    assert pole["nearest"] == [] and pole["cos2"] is None and pole["distances"] == {}
    assert abs(sum(pole["possible_clusters"].values()) - 1) < 1e-12
    assert [f["code"] for f in pole["flags"]] == ["nothing_known"]
    table = run("classify", FIXTURES / "good" / "nothing_known.yaml", "--format", "md").stdout
    assert "undetermined: cluster" in table and "Nearest témoins" not in table
