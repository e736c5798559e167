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


def test_failed_resamples_are_explained_where_shown():
    # « 1 failed » said what a failed resample is, and « 1 échecs » was no French.
    from ptce_typology.render.labels import text

    for lang, words in (("en", ("failed resamples: 1", "no more distinct poles than k")),
                        ("fr", ("rééchantillonnages en échec : 1", "au plus k pôles distincts"))):
        shown = text("clusters.value.bootstrap", lang, mean="0.9", min="0.5", n=20, seed=0,
                     failed=1)
        assert all(w in shown for w in words), shown
        assert "1 échecs" not in shown and "1 failed" not in shown
