"""The batched refits of sensitivity and stability give, table by table, the partition the
one-by-one refit gives (:meth:`Typology._partition_codes`, itself tested against FactoMineR in
test_sensitivity.py and test_hcpc.py): on every completion of the twelve's unknowns, under each
rule and consolidation, and on synthetic poles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_sensitivity import _frame

from ptce_typology.analysis.refits import partitions
from ptce_typology.analysis.sensitivity import (
    _completion_choices,
    adjusted_rand_index,
    adjusted_rand_indices,
    unknown_cells,
)
from ptce_typology.analysis.typology import Typology
from ptce_typology.errors import PtceError
from ptce_typology.vocabulary import vocabulary


def _one_by_one(model, tables, levels):
    """Each table refitted alone (:meth:`Typology._partition_codes`): labels, 0 if failed."""
    out = []
    for table in tables:
        try:
            out.append(model._partition_codes(table, levels))
        except (PtceError, ValueError, np.linalg.LinAlgError):
            out.append(np.zeros(len(table), dtype=np.int64))
    return np.array(out)


def _completed_tables(model, seed, n_sampled):
    cells = unknown_cells(model, model.frame_)
    choices, _ = _completion_choices([len(c[2]) for c in cells], seed, 2 ** 14, n_sampled)
    codes, levels = model._encode(model.frame_)
    active, position = list(model.active), {p: i for i, p in enumerate(model.frame_.index)}
    tables = np.repeat(codes[None], len(choices), axis=0)
    for t, (pole, d, categories) in enumerate(cells):
        j = active.index(d)
        tables[:, position[pole], j] = np.array([levels[j].index(c)
                                                  for c in categories])[choices[:, t]]
    return tables, levels


@pytest.mark.parametrize("options", [{}, {"rule": "within_ratio"}, {"n_clusters": 4},
                                     {"consolidation": "none"}, {"consolidation": "lloyd"}])
def test_batched_refits_equal_the_one_by_one_path_on_the_twelve(options):
    """The completions of the twelve (every second one; every fourth under the other options):
    the batch gives the partition each refit alone gives, clusters numbered alike
    (numbered=True), under each rule and consolidation."""
    model = Typology(supplementary=(), **options).fit(_frame())
    tables, levels = _completed_tables(model, 0, 0)
    assert len(tables) == 4096
    tables = tables[::2] if not options else tables[::4]  # every second, every fourth
    labels, failed = partitions(model, tables, levels, numbered=True)
    alone = _one_by_one(model, tables, levels)
    np.testing.assert_array_equal(labels, alone)
    assert not failed.any()


def _synthetic_frame(n: int, seed: int) -> pd.DataFrame:
    """n poles drawn from the vocabulary, about one active value in six unknown."""
    rng = np.random.default_rng(seed)
    model = Typology()
    columns = {}
    for d in model.active:
        allowed = [c for c in vocabulary()[d].allowed if c != "not_started"]
        known = [c for c in allowed if c != "unknown"][:4]
        values = rng.choice(np.array(known, dtype=object), size=n)
        values[rng.random(n) < 0.15] = "unknown"
        columns[d] = pd.Categorical(values, categories=list(vocabulary()[d].allowed),
                                    ordered=True)
    return pd.DataFrame(columns, index=pd.Index([f"p{i:03d}" for i in range(n)],
                                                name="pole_id"))


@pytest.mark.parametrize(("n", "seed"), [(20, 1), (30, 2), (60, 3), (63, 5)])
def test_batched_refits_equal_the_one_by_one_path_on_synthetic_poles(n, seed):
    """Synthetic poles (60 and 63 are past the batch's tree: scipy's tree table by table, the
    rest in the stack), 300 sampled completions: the same labels, and sensitivity's figures
    are those of the one-by-one partitions."""
    model = Typology(supplementary=(), min_known=None).fit(_synthetic_frame(n, seed))
    tables, levels = _completed_tables(model, seed, 300)
    labels, failed = partitions(model, tables, levels, numbered=True)
    alone = _one_by_one(model, tables, levels)
    np.testing.assert_array_equal(labels, alone)
    np.testing.assert_array_equal(failed, (alone == 0).all(axis=1))
    main = model.labels_.to_numpy()
    ok = ~failed
    np.testing.assert_array_equal(adjusted_rand_indices(main, alone[ok]),
                                  [adjusted_rand_index(main, row) for row in alone[ok]])
