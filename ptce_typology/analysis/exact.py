"""Fisher's exact test for any R × C table, by full enumeration of the tables with the same
margins.

scipy's ``fisher_exact`` is exact for 2 × 2 only; for larger tables it resamples. At the size
of the témoin data (twelve poles) every table with the observed margins can be listed, which
gives the exact conditional p-value R's ``fisher.test`` computes: the total probability of the
tables no more probable than the observed one (with R's relative tolerance of 1e-7). Above
``max_tables`` tables the caller falls back to a seeded Monte Carlo estimate and says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

REL_TOL = 1e-7  # R: relErr <- 1 + 10^(-7)


#: The codes of :attr:`ExactResult.method` (renderers name them from the labels).
METHODS = ("none", "fisher_2x2", "fisher_exact", "fisher_monte_carlo", "chi2")


@dataclass(frozen=True)
class ExactResult:
    """A p-value and the code of the method that gave it (one of :data:`METHODS`)."""

    p_value: float
    method: str


class TooManyTables(Exception):
    """More tables share the margins than an exact enumeration visits (its argument: how
    many); the caller falls back to a Monte Carlo test."""


def _compositions(total: int, caps: list[int]):
    """Every vector v with 0 <= v_i <= caps_i and sum v = total."""
    if len(caps) == 1:
        if total <= caps[0]:
            yield (total,)
        return
    rest = sum(caps[1:])
    for first in range(max(0, total - rest), min(total, caps[0]) + 1):
        for tail in _compositions(total - first, caps[1:]):
            yield (first, *tail)


def fisher_exact_rxc(table, max_tables: int = 2_000_000) -> float:
    """Exact two-sided p-value of Fisher's test for an R × C table of counts.

    Raises :class:`TooManyTables` when more than ``max_tables`` tables share the margins.
    """
    t = np.asarray(table, dtype=np.int64)
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
    if t.ndim != 2 or min(t.shape) < 2:
        return 1.0
    rows = [int(x) for x in t.sum(axis=1)]
    cols = [int(x) for x in t.sum(axis=0)]
    n = sum(rows)
    lf = [math.lgamma(i + 1) for i in range(n + 1)]
    const = sum(lf[r] for r in rows) + sum(lf[c] for c in cols) - lf[n]
    observed = const - sum(lf[int(x)] for x in t.ravel())
    limit = observed + math.log1p(REL_TOL)
    total = 0.0
    count = 0

    def walk(j: int, remaining: list[int], acc: float) -> None:
        nonlocal total, count
        if j == len(cols) - 1:
            count += 1
            if count > max_tables:
                raise TooManyTables(count)
            lp = const - acc - sum(lf[r] for r in remaining)
            if lp <= limit:
                total += math.exp(lp)
            return
        for column in _compositions(cols[j], remaining):
            walk(j + 1, [r - c for r, c in zip(remaining, column, strict=True)],
                 acc + sum(lf[c] for c in column))

    walk(0, rows, 0.0)
    return min(1.0, total)


def table_count_bound(table) -> int:
    """An upper bound on the number of tables with the margins of ``table`` (row caps
    ignored): the product, over all columns but the last, of the ways to split the column."""
    t = np.asarray(table, dtype=np.int64)
    rows = t.shape[0]
    bound = 1
    for column in t.sum(axis=0)[:-1]:
        bound *= math.comb(int(column) + rows - 1, rows - 1)
    return bound


def fisher_test(table, seed: int = 0, max_tables: int = 200_000,
                monte_carlo: int = 20_000, large_n: int = 1000) -> ExactResult:
    """Fisher's exact test, exact when feasible, else a seeded Monte Carlo estimate of
    ``monte_carlo`` tables; above ``large_n`` observations, Pearson's chi-square (its expected
    counts are then large). The method is a code of :data:`METHODS`."""
    t = np.asarray(table, dtype=np.int64)
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
    if min(t.shape) < 2:
        return ExactResult(1.0, "none")  # a single category
    if t.shape == (2, 2) and int(t.sum()) <= large_n:
        return ExactResult(fisher_exact_rxc(t), "fisher_2x2")
    if int(t.sum()) > large_n:
        from scipy.special import chdtrc

        expected = np.outer(t.sum(axis=1), t.sum(axis=0)) / t.sum()
        statistic = float(((t - expected) ** 2 / expected).sum())
        dof = (t.shape[0] - 1) * (t.shape[1] - 1)
        return ExactResult(float(chdtrc(dof, statistic)), "chi2")
    try:
        if table_count_bound(t) > 50 * max_tables:
            raise TooManyTables(table_count_bound(t))
        return ExactResult(fisher_exact_rxc(t, max_tables), "fisher_exact")
    except TooManyTables:
        from scipy.stats import MonteCarloMethod, fisher_exact

        rng = np.random.default_rng(seed)
        res = fisher_exact(t, method=MonteCarloMethod(n_resamples=monte_carlo, rng=rng))
        return ExactResult(float(np.ravel(res.pvalue)[0]), "fisher_monte_carlo")
