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


CORPUS = ("clusters", "--cases", "all", "--reference-year", "2025", "--resamples", "0")


@pytest.fixture(scope="module")
def corpus():
    """`ptce clusters --cases all --reference-year 2025`, run once: its JSON, and its Markdown
    in English and in French."""
    from typer.testing import CliRunner

    from ptce_typology.cli import app

    def invoke(*args):
        result = CliRunner().invoke(app, [*args])
        assert result.exit_code == 0, result.stderr
        return result.stdout

    # The JSON with the default stability: the bundled poles hold many identical profiles,
    # and a bootstrap sample of them used to stop the Ward chain (see tests/test_ward.py).
    return {"json": json.loads(invoke(*CORPUS[:-2], "--format", "json")),
            "en": invoke(*CORPUS, "--format", "md"),
            "fr": invoke(*CORPUS, "--format", "md", "--lang", "fr")}


def test_thinly_known_poles_are_supplementary_and_named(corpus, run):
    """`clusters --cases all`: a pole with fewer than 4 of the 6 active descriptors known
    shapes no cluster; it is placed afterwards and listed apart, by name."""
    data = corpus["json"]
    assert 0.0 <= data["stability"]["bootstrap"]["ari_mean"] <= 1.0
    known = data["known_counts"]
    supplementary = {r["pole_id"] for r in data["supplementary_poles"]}
    assert supplementary and all(known[p] < 4 for p in supplementary)
    assert all(known[p] >= 4 for p in data["clusters"])
    assert not supplementary & set(data["clusters"])
    assert {r["placement"] for r in data["supplementary_poles"]} <= {
        "determined", "undetermined", "outside"}
    headline = data["sensitivity_headline"]
    assert 0 <= headline["same_k"] <= 1 and headline["n_clusters"] == data["n_clusters"]
    assert headline["determined"] == (headline["ari"]["mean"] >= 0.5)
    table = corpus["en"]
    assert "Supplementary poles (fewer than 4 of 6 active descriptors known)" in table
    name = next(r["name"] for r in data["supplementary_poles"])
    assert name in table[table.index("Supplementary poles"):]
    every = run(*CORPUS, "--min-known", "0", "--format", "json")
    assert json.loads(every.stdout)["supplementary_poles"] == []


def test_a_cluster_name_never_rests_on_a_minority(corpus):
    data = corpus["json"]
    for cluster, items in data["cluster_name_support"].items():
        assert [i["category"] for i in items] == data["cluster_profiles"][cluster]
        for item in items:
            assert 2 * item["holding"] > item["known"], (cluster, item)
            if 2 * item["known"] < item["size"]:  # most members have it unknown: said
                assert f"known for {item['known']} of {item['size']}" in \
                    data["cluster_names"][cluster]


def test_the_partition_says_how_far_the_data_determine_it(corpus, run):
    determined = corpus["json"]["sensitivity_headline"]["determined"]
    for lang, title, warning, poles in (
            ("en", "How far the data determine this partition", "Warning: the mean ARI",
             "Clusters of the poles"),
            ("fr", "Ce que les données déterminent de cette partition", "Attention : ARI",
             "Classes des pôles")):
        result = run("clusters", "--resamples", "0", "--lang", lang, "--format", "md")
        assert result.exit_code == 0, result.stderr
        out = result.stdout
        assert title in out and "k = 5" in out
        assert out.index(title) < out.index(poles)  # beside the partition, before the poles
        assert (warning in corpus[lang]) == (not determined)


def test_tests_of_active_descriptors_are_descriptive(run):
    data = json.loads(run("clusters", "--resamples", "0", "--format", "json").stdout)
    readings = {r["variable"]: r["reading"] for r in data["variable_tests"]}
    assert readings["territory"] == "descriptive" and readings["laureate_2013"] == "evidence"
    assert "no evidence that the clusters differ" in data["variable_tests_note"]


@pytest.fixture(scope="module")
def typology_model():
    from ptce_typology.analysis.typology import Typology
    from ptce_typology.frame import load_frame

    return Typology().fit(load_frame())


def test_clusters_json_holds_the_mca_tables(run, typology_model):
    """The category table, eta2 and the modified rates in ``--format json`` equal the
    library's (``MCA.category_table``, ``MCA.eta2_table``, ``MCA.eigenvalues_``)."""
    import pandas as pd

    data = json.loads(run("clusters", "--format", "json", "--resamples", "0").stdout)
    mca = typology_model.mca_
    shown = pd.DataFrame(data["categories"]).set_index("category")
    ours = mca.category_table()
    assert list(shown.index) == list(ours.index) and list(shown.columns) == list(ours.columns)
    pd.testing.assert_frame_equal(shown.astype(ours.dtypes.to_dict()), ours, check_names=False,
                                  rtol=1e-12)
    assert set(shown["status"]) == {"active", "passive", "supplementary"}
    eta2 = pd.DataFrame(data["eta2"]).set_index("variable")
    pd.testing.assert_frame_equal(eta2, mca.eta2_table(), check_names=False, rtol=1e-12)
    first = data["eigenvalues"][0]
    for key in ("benzecri_rate", "benzecri_cumulative", "greenacre_rate",
                "greenacre_cumulative"):
        assert first[key] == pytest.approx(mca.eigenvalues_[key].iloc[0], rel=1e-12)


@pytest.mark.parametrize("table", ["categories", "eta2", "eigenvalues", "clusters"])
def test_clusters_csv_tables(run, typology_model, table):
    import io

    import pandas as pd

    from ptce_typology.render.typology import CSV_TABLES, clusters_csv_table

    result = run("clusters", "--format", "csv", "--resamples", "0", "--table", table)
    assert result.exit_code == 0, result.stderr
    shown = pd.read_csv(io.StringIO(result.stdout), index_col=0)
    ours = clusters_csv_table(typology_model, None, table)
    assert list(shown.index.astype(str)) == list(ours.index.astype(str))
    assert list(shown.columns) == list(ours.columns)
    numbers = ours.select_dtypes("number").columns
    pd.testing.assert_frame_equal(shown[numbers].astype(float), ours[numbers].astype(float),
                                  check_names=False, check_index_type=False, rtol=1e-12)
    assert table in CSV_TABLES


def test_clusters_csv_table_choices_are_the_renderer_s():
    from typing import get_args

    from ptce_typology.cli.clusters import CsvTable
    from ptce_typology.render.clouds import CLOUD_TABLES
    from ptce_typology.render.typology import CSV_TABLES

    assert get_args(CsvTable) == CSV_TABLES + CLOUD_TABLES


@pytest.mark.parametrize("lang,words", [
    ("en", ["Categories on dimensions 1 and 2", "Benzécri (modified rate) %",
            "Greenacre (adjusted rate) %", "Squared correlation ratios η²", "| passive |",
            "| supplementary |", "Territory: Rural", "v.test 2"]),
    ("fr", ["Modalités sur les axes 1 et 2", "Benzécri (taux modifié) %",
            "Greenacre (taux ajusté) %", "Rapports de corrélation η²", "| passive |",
            "| supplémentaire |", "| actif |", "Territoire : Rural", "v.test 2", "63,0"]),
])
def test_clusters_md_shows_the_category_tables(run, lang, words):
    result = run("clusters", "--format", "md", "--resamples", "0", "--lang", lang)
    assert result.exit_code == 0, result.stderr
    for word in words:
        assert word in result.stdout, word


def test_clusters_latex_shows_the_category_tables(run):
    result = run("clusters", "--format", "latex", "--resamples", "0")
    assert result.exit_code == 0, result.stderr
    assert "Categories on dimensions 1 and 2" in result.stdout
    assert "Greenacre (adjusted rate)" in result.stdout and "eta2" not in result.stdout
