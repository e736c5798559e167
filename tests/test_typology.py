"""The Typology estimator as a notebook user reads it: errors naming its parameters, labels_,
fit_predict, fit_transform, a nullable predict and placements as a DataFrame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES

from ptce_typology.analysis.typology import PLACEMENT_COLUMNS, Typology, placement_records
from ptce_typology.errors import PtceError
from ptce_typology.frame import load_frame
from ptce_typology.resources import examples_dir


@pytest.fixture(scope="module")
def model(frame):
    return Typology(seed=0).fit(frame)


@pytest.fixture(scope="module")
def new():
    return load_frame([FIXTURES / "good" / "nothing_known.yaml",
                       examples_dir() / "le_periscope.yaml"])


@pytest.mark.parametrize(("params", "field"), [
    ({"ncp": 0}, "ncp"),
    ({"active": ("origin", "colour")}, "active"),
    ({"supplementary": ("colour",)}, "supplementary"),
    ({"active": ("origin", "sector", "origin")}, "active"),
    ({"n_clusters": 12}, "n_clusters"),
    ({"rule": "elbow"}, "rule"),
    ({"passive": ("colour=unknown",)}, "passive"),
])
def test_an_error_names_the_parameter_not_a_flag(frame, params, field):
    with pytest.raises(PtceError) as info:
        Typology(**params).fit(frame)
    assert info.value.field == field
    assert "--" not in str(info.value)


def test_the_cli_names_the_flag_of_the_parameter(run):
    from ptce_typology.cli.flags import FLAGS as PARAMETER_FLAGS

    assert PtceError("ncp must be at least 1", field="ncp").naming(PARAMETER_FLAGS) == \
        "--ncp: ncp must be at least 1"
    for args, line in ((("--active", "origin,colour"),
                        "error: --active: not a categorical descriptor of the data"),
                       (("--k", "12"), "error: --k: the number of clusters must be between")):
        result = run("clusters", "--resamples", "0", *args)
        assert result.exit_code == 1 and result.stderr.startswith(line), result.stderr


def test_plain_mca_is_passive_none(frame):
    plain = Typology(passive=None).fit(frame)
    assert plain.passive_ == () and plain.get_params()["passive"] is None
    pd.testing.assert_frame_equal(plain.coordinates_, Typology(passive=()).fit(frame).coordinates_)


def test_fit_predict_and_fit_transform_are_fit_then_the_fitted_attributes(frame, model):
    pd.testing.assert_series_equal(Typology(seed=0).fit_predict(frame), model.labels_)
    pd.testing.assert_frame_equal(Typology(seed=0).fit_transform(frame), model.coordinates_)
    assert not hasattr(model, "clusters_")


def test_predict_is_nullable_int64(model, new, frame):
    predicted = model.predict(new)
    assert predicted.dtype == "Int64" and predicted.name == "cluster"
    # Le Périscope's origin (other) is held passive, its share kept: cluster 1 (left out and
    # its profile spread over the other descriptors, it was cluster 2).
    assert predicted.isna().tolist() == [True, False] and predicted["le_periscope"] == 1
    assert model.predict(frame).dtype == "Int64"  # also when every pole is placed


def test_placements_are_one_row_per_pole(model, new):
    placed = model.classify(new)
    assert placed.index.name == "pole_id"
    assert list(placed.index) == ["nothing_known", "le_periscope"]
    assert list(placed.columns) == list(PLACEMENT_COLUMNS)
    assert placed["cluster"].dtype == "Int64" and placed["determined"].dtype == bool
    assert placed["cos2"].dtype == float and placed["typicality"].dtype == float
    assert pd.isna(placed.at["nothing_known", "cluster"])
    assert np.isnan(placed.at["nothing_known", "cos2"])
    assert placed.at["le_periscope", "cluster"] == 1
    assert placed.at["le_periscope", "placement"] == "outside"
    assert placed.at["le_periscope", "unseen"] == ["origin=local_authority", "territory=other"]
    assert len(placed.at["le_periscope", "nearest"]) == 3
    records = placement_records(placed)
    assert [r["pole_id"] for r in records] == ["nothing_known", "le_periscope"]
    assert list(records[1]) == ["pole_id", *PLACEMENT_COLUMNS]
    assert records[0]["cluster"] is None and records[0]["cos2"] is None
    assert records[1]["cluster"] == 1 and isinstance(records[1]["cluster"], int)
    assert records[1]["placement"] == "outside"


def test_classify_takes_the_seed(run, monkeypatch):
    """`ptce classify --seed` reaches the typology (it was 0 whatever the options)."""
    import ptce_typology.analysis.typology as typology

    seeds = []
    fit = typology.Typology.fit

    def spy(self, frame, y=None):
        seeds.append(self.seed)
        return fit(self, frame, y)

    monkeypatch.setattr(typology.Typology, "fit", spy)
    result = run("classify", examples_dir() / "le_periscope.yaml", "--seed", "7", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert seeds == [7]
