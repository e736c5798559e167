"""Crisp or fuzzy truth tables, as R's QCA ``truthTable``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ptce_typology.analysis.qca.measures import TOLERANCE, membership, sufficiency
from ptce_typology.analysis.qca.minimise import Config, _check_size, index_config
from ptce_typology.errors import PtceError


@dataclass
class TruthTable:
    """A truth table of observed configurations, in ascending row order.

    ``rows``: configuration indices (R's row number is ``rows + 1``); ``configs``: the 0/1
    tuples; ``n``: number of cases in each row (membership above 0.5); ``incl`` and ``pri``:
    sufficiency inclusion and PRI of the row for the outcome, over all cases; ``out``: "1",
    "0", "C" or "?" (fewer than ``n_cut`` cases); ``cases``: positions of the row's cases;
    ``contradiction``: the row's cases fall on both sides of 0.5 in the outcome.
    ``unassigned``: positions of the cases with a membership of exactly 0.5 in some condition
    (R leaves them out of every row).
    """

    rows: np.ndarray
    configs: list[Config]
    n: np.ndarray
    incl: np.ndarray
    pri: np.ndarray
    out: list[str]
    cases: list[np.ndarray]
    contradiction: np.ndarray
    unassigned: np.ndarray

    def select(self, *codes: str) -> list[Config]:
        """Configurations whose output is one of ``codes`` (e.g. ``"0", "C"``)."""
        return [c for c, o in zip(self.configs, self.out, strict=True) if o in codes]


def truth_table(X: np.ndarray, y: np.ndarray, incl_cut: float = 1.0,
                incl_cut0: float | None = None, n_cut: int = 1,
                pri_cut: float = 0.0) -> TruthTable:
    """Crisp or fuzzy truth table as R's ``truthTable``.

    A case belongs to the row of its configuration of memberships above 0.5; its membership in
    any row is the minimum over conditions of its membership in the row's literals. A row's
    output is "1" when its inclusion reaches ``incl_cut`` and its PRI reaches ``pri_cut``,
    "C" when its inclusion is in ``[incl_cut0, incl_cut)``, "0" otherwise, and "?" when it has
    fewer than ``n_cut`` cases.

    Parameters
    ----------
    X : array (cases x conditions)
        Memberships in [0, 1].
    y : array (cases)
        Outcome memberships in [0, 1].
    incl_cut, incl_cut0, n_cut, pri_cut
        R's ``incl.cut = c(incl_cut, incl_cut0)``, ``n.cut`` and ``pri.cut``.

    Returns
    -------
    TruthTable
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2 or X.shape[0] != y.shape[0]:
        raise ValueError("X must be cases x conditions and y one value per case")
    if np.isnan(X).any() or np.isnan(y).any():
        raise ValueError("memberships must not be missing")
    if ((X < 0) | (X > 1)).any() or ((y < 0) | (y > 1)).any():
        raise PtceError("memberships must lie between 0 and 1")
    k = X.shape[1]
    _check_size(k)
    incl_cut0 = incl_cut if incl_cut0 is None else incl_cut0
    half = np.isclose(X, 0.5, rtol=0, atol=TOLERANCE).any(axis=1)
    weights = 1 << np.arange(k - 1, -1, -1, dtype=np.int64)
    index = (X > 0.5).astype(np.int64) @ weights
    rows = np.unique(index[~half])
    n, incl, pri, out, cases, contra = [], [], [], [], [], []
    for row in rows.tolist():
        config = index_config(row, k)
        member = membership(config, X)
        inside = np.flatnonzero((index == row) & ~half)
        i, p, _ = sufficiency(member, y)
        n.append(inside.size)
        incl.append(i)
        pri.append(p)
        cases.append(inside)
        outcome = y[inside]
        contra.append(bool((outcome > 0.5).any() and (outcome < 0.5).any()))
        if inside.size < n_cut:
            out.append("?")
        elif i >= incl_cut - TOLERANCE:
            out.append("1" if p >= pri_cut - TOLERANCE else "0")
        elif i >= incl_cut0 - TOLERANCE:
            out.append("C")
        else:
            out.append("0")
    return TruthTable(rows, [index_config(r, k) for r in rows.tolist()],
                      np.array(n, dtype=int), np.array(incl), np.array(pri), out, cases,
                      np.array(contra, dtype=bool), np.flatnonzero(half))
