"""Mean points, concentration ellipses and typicality tests of a descriptor's categories
(analysis/clouds.py), and their table (render/clouds.py)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2, norm

from ptce_typology.analysis.clouds import (
    category_clouds,
    check_axes,
    concentration_ellipses,
    typicality_tests,
)
from ptce_typology.analysis.typology import Typology
from ptce_typology.errors import PtceError
from ptce_typology.frame import load_frame


@pytest.fixture(scope="module")
def twelve():
    return Typology(seed=1).fit(load_frame())


@pytest.fixture(scope="module")
def every_pole():
    return Typology(seed=1).fit(load_frame(["all"]))


def test_ellipse_axes_are_the_covariance_eigenvalues_scaled_by_the_chi2_quantile():
    rng = np.random.default_rng(3)
    xy = rng.normal(size=(40, 2)) @ np.array([[2.0, 0.0], [1.2, 0.5]])
    coords = pd.DataFrame(xy, columns=["x", "y"])
    groups = pd.Series(["a"] * 25 + ["b"] * 15)
    table = concentration_ellipses(coords, groups, level=0.90)
    q = -2 * math.log(0.10)  # the chi-square quantile with 2 df at 0.90, by hand
    for name, rows in (("a", xy[:25]), ("b", xy[25:])):
        centred = rows - rows.mean(axis=0)
        cov = centred.T @ centred / len(rows)  # the subcloud's own variance (divisor n_k)
        small, large = np.linalg.eigvalsh(cov)
        row = table.loc[name]
        assert row["n"] == len(rows)
        assert (row["x"], row["y"]) == pytest.approx(tuple(rows.mean(axis=0)), abs=1e-12)
        assert row["half_major"] == pytest.approx(math.sqrt(q * large), rel=1e-12)
        assert row["half_minor"] == pytest.approx(math.sqrt(q * small), rel=1e-12)
        # The major axis is the eigenvector of the largest eigenvalue.
        direction = np.array([math.cos(row["angle"]), math.sin(row["angle"])])
        assert direction @ cov @ direction == pytest.approx(large, rel=1e-9)


def test_the_ellipse_holds_ninety_percent_of_a_normal_cloud():
    rng = np.random.default_rng(7)
    xy = rng.multivariate_normal([1.0, -2.0], [[3.0, 1.4], [1.4, 1.0]], size=40_000)
    row = concentration_ellipses(pd.DataFrame(xy), pd.Series(["g"] * len(xy))).loc["g"]
    u = xy - [row["x"], row["y"]]
    c, s = math.cos(row["angle"]), math.sin(row["angle"])
    along, across = u @ [c, s], u @ [-s, c]
    inside = (along / row["half_major"]) ** 2 + (across / row["half_minor"]) ** 2 <= 1
    assert inside.mean() == pytest.approx(0.90, abs=0.005)
    assert chi2.ppf(0.90, 2) == pytest.approx(-2 * math.log(0.10))


def test_a_category_of_one_pole_has_a_point_for_ellipse():
    coords = pd.DataFrame({"x": [0.0, 1.0, 2.0], "y": [0.0, 1.0, 0.5]})
    table = concentration_ellipses(coords, pd.Series(["a", "a", "b"]))
    assert table.loc["b", ["half_major", "half_minor"]].tolist() == [0.0, 0.0]
    assert table.loc["b", "x"] == 2.0


def test_typicality_is_the_mean_point_against_zero_with_the_finite_population_correction():
    # Hand computation on five individuals, one axis of eigenvalue 0.5.
    coords = pd.DataFrame({"Dim 1": [0.9, 0.5, -0.2, -0.4, -0.8]})
    groups = pd.Series(pd.Categorical(["y", "y", "n", "n", "n"], categories=["y", "n", "u"]))
    table = typicality_tests(coords, groups, pd.Series({"Dim 1": 0.5}))
    assert list(table.index.get_level_values("category")) == ["y", "n"]  # empty u left out
    mean_y = (0.9 + 0.5) / 2
    # sd of a mean of 2 drawn without replacement from 5: sqrt(0.5 / 2 * (5 - 2) / (5 - 1))
    z = mean_y / math.sqrt(0.5 / 2 * 3 / 4)
    row = table.loc[("y", "Dim 1")]
    assert row["mean"] == pytest.approx(mean_y)
    assert row["v_test"] == pytest.approx(z, rel=1e-12)
    assert row["p_value"] == pytest.approx(2 * (1 - norm.cdf(abs(z))), rel=1e-9)
    assert table.loc[("n", "Dim 1"), "v_test"] < 0


def test_a_category_of_every_individual_has_test_value_zero():
    coords = pd.DataFrame({"Dim 1": [1.0, -1.0]})
    table = typicality_tests(coords, pd.Series(["a", "a"]), pd.Series({"Dim 1": 1.0}))
    assert table["v_test"].tolist() == [0.0]
    assert table["p_value"].tolist() == [1.0]


def test_typicality_equals_factominer_vtest_of_the_supplementary_categories(twelve):
    # laureate_2013 is the default supplementary descriptor: its categories' v.test is
    # FactoMineR's res$quali.sup$v.test (tested against the fixtures in test_mca.py); the
    # typicality test of GDAtools is the same statistic.
    clouds = category_clouds(twelve, "laureate_2013")
    reference = twelve.mca_.supplementary_vtest_
    for (category, dim), row in clouds.typicality.iterrows():
        assert row["v_test"] == pytest.approx(reference.at[f"laureate_2013={category}", dim],
                                              abs=1e-10)


def test_laureates_of_every_pole_have_mean_points_ellipses_and_tests(every_pole):
    clouds = category_clouds(every_pole, "laureate_any", axes=(1, 3))
    fitted = every_pole.coordinates_
    held = every_pole.frame_.loc[fitted.index, "laureate_any"].astype(str)
    assert clouds.ellipses.index.tolist() == ["yes", "unknown"]
    for category, row in clouds.ellipses.iterrows():
        members = fitted[held == category]
        assert row["n"] == len(members)
        assert row["x"] == pytest.approx(members["Dim 1"].mean())
        assert row["y"] == pytest.approx(members["Dim 3"].mean())
    assert len(clouds.typicality) == 2 * fitted.shape[1]
    # The mean points of a two-category split balance at the centre of the cloud.
    n = clouds.ellipses["n"]
    assert (n * clouds.ellipses["x"]).sum() == pytest.approx(0, abs=1e-10)
    data = clouds.to_dict()
    assert data["axes"] == [1, 3] and data["typicality"][0]["category"] == "yes"


def test_axes_and_descriptor_are_checked(twelve):
    with pytest.raises(PtceError, match="1 to 5"):
        check_axes(twelve, (1, 6))
    with pytest.raises(PtceError):
        check_axes(twelve, (2, 2))
    check_axes(twelve, (3, 5))
    with pytest.raises(PtceError, match="not a categorical descriptor") as err:
        category_clouds(twelve, "members")
    assert err.value.field == "cloud_descriptor"


# The command line and the figures ------------------------------------------------------------

def test_clusters_axes_ellipses_and_typicality_in_every_output(run, tmp_path, twelve):
    import json

    result = run("clusters", "--resamples", "0", "--plot", tmp_path / "map.png",
                 "--axes", "1,3", "--ellipses", "laureate_2013", "--format", "json")
    assert result.exit_code == 0, result.stderr
    for name in ("map.png", "map_dendrogram.png", "map_gains.png", "map_ellipses.png"):
        assert (tmp_path / name).stat().st_size > 5000
    data = json.loads(result.stdout)["category_clouds"]
    assert data["descriptor"] == "laureate_2013" and data["axes"] == [1, 3]
    expected = category_clouds(twelve, "laureate_2013", (1, 3)).typicality
    got = {(r["category"], r["dimension"]): r["v_test"] for r in data["typicality"]}
    assert got == pytest.approx(expected["v_test"].to_dict(), abs=1e-12)
    csv = run("clusters", "--resamples", "0", "-f", "csv", "--table", "typicality")
    assert csv.stdout.splitlines()[0] == "descriptor,category,dimension,n,mean,v_test,p_value"
    assert csv.stdout.splitlines()[1].startswith("laureate_any,yes,Dim 1,6,")
    md = run("clusters", "--resamples", "0", "-f", "md", "--lang", "fr")
    assert "Points moyens des modalités de « Lauréat d'au moins un appel national »" in md.stdout


@pytest.mark.parametrize("axes,message", [
    ("1,7", "--axes: two different dimensions among the 5 the MCA keeps"),
    ("1,1", "Invalid value for '--axes'"), ("0,2", "Invalid value for '--axes'"),
    ("1", "Invalid value for '--axes'")])
def test_bad_axes_are_one_line_and_write_nothing(run, tmp_path, axes, message):
    result = run("clusters", "--resamples", "0", "--plot", tmp_path / "map.png", "--axes", axes)
    assert result.exit_code == 1 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_classify_and_label_poles_errors(run, tmp_path):
    from ptce_typology.resources import examples_dir

    new = examples_dir() / "le_periscope.yaml"
    result = run("classify", new, "--plot", tmp_path / "p.png", "--axes", "2,6", "-f", "csv")
    assert result.exit_code == 1 and "allowed: 1 to 5" in result.stderr
    result = run("classify", new, "--plot", tmp_path / "p.png", "--axes", "2,4", "-f", "csv")
    assert result.exit_code == 0 and (tmp_path / "p.png").exists()
    result = run("clusters", "--resamples", "0", "--plot", tmp_path / "m.png",
                 "--label-poles", "no_such_pole", "--lang", "fr")
    assert result.exit_code == 1
    assert "--label-poles : ce n'est pas un pôle de la typologie (reçu 'no_such_pole')" \
        in result.stderr
    result = run("clusters", "--resamples", "0", "--ellipses", "members")
    assert result.exit_code == 1 and "--ellipses: not a categorical descriptor" in result.stderr


def test_the_ellipses_figure_draws_each_category(twelve):
    from matplotlib.patches import Ellipse

    from ptce_typology.render.plots import ellipses_figure

    clouds = category_clouds(twelve, "laureate_2013")
    figure = ellipses_figure(twelve, clouds, "fr")
    drawn = [p for p in figure.axes[0].patches if isinstance(p, Ellipse)]
    assert len(drawn) == len(clouds.ellipses) == 2
    for patch, (_, row) in zip(drawn, clouds.ellipses.iterrows(), strict=True):
        assert patch.width == pytest.approx(2 * row["half_major"])
        assert patch.center == pytest.approx((row["x"], row["y"]))
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert legend == ["Oui (n = 5)", "Non (n = 7)"]
