"""The stability of the typology: bootstrap and leave-one-out, seeded and bounded."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ptce_typology.analysis.stability import stability
from ptce_typology.analysis.typology import Typology


@pytest.fixture(scope="module")
def model(frame):
    return Typology(seed=0).fit(frame)


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
