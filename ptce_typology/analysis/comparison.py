"""Two groups of poles compared descriptor by descriptor (``ptce compare``).

By default the 2013-14 laureates against the others. For a categorical descriptor: the
cross-table, Fisher's exact test (2 × 2 through scipy; larger tables by full enumeration, see
:mod:`ptce_typology.analysis.exact`), for 2 × 2 tables the conditional maximum-likelihood odds ratio
with its exact confidence interval (as R's ``fisher.test``), and Cramér's V. For a numeric
descriptor: the exact Mann-Whitney U test (every split of the ranks listed, ties included)
and the group medians. ``unknown`` is left out test by test and the n used is shown; p-values
are adjusted across descriptors (Holm, Benjamini-Hochberg or none).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ptce_typology.errors import PtceError
from ptce_typology.vocabulary import NOT_APPLICABLE, UNKNOWN

CORRECTIONS = ("holm", "bh", "none")
NUMERIC_DEFAULT = ("age", "members")
SKIP = {"role", "name", "commune", "departement", "region", "website", "theme", "legal_form",
        "start_year", "members_year", "alternatives", "inferred"}
# A group's members have no value of ``by``: unknown, or the call did not apply to them.
NO_GROUP = (UNKNOWN, NOT_APPLICABLE)


def adjust(p_values: pd.Series, method: str) -> pd.Series:
    """Holm or Benjamini-Hochberg adjusted p-values (NaN stays NaN)."""
    from scipy.stats import false_discovery_control

    if method not in CORRECTIONS:
        raise PtceError("unknown correction", field="correction", value=method,
                        allowed=CORRECTIONS)
    mask = p_values.notna()
    p = p_values[mask].to_numpy(dtype=float)
    out = pd.Series(np.nan, index=p_values.index)
    if method == "none" or len(p) == 0:
        out[mask] = p
        return out
    if method == "bh":
        out[mask] = false_discovery_control(p, method="bh")
        return out
    order = np.argsort(p, kind="stable")
    m = len(p)
    adjusted = np.empty(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        adjusted[i] = running
    out[mask] = adjusted
    return out


def cramers_v(table: np.ndarray) -> float:
    """Cramér's V without continuity correction (scipy's ``association``)."""
    from scipy.stats.contingency import association

    table = np.asarray(table)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    if min(table.shape) < 2:
        return float("nan")
    return float(association(table, method="cramer", correction=False))


def cramers_v_corrected(table: np.ndarray) -> float:
    """Bergsma's (2013) bias-corrected Cramér's V, which matters for a dozen cases:
    phi² less its expected value under independence, with corrected table dimensions."""
    from scipy.stats import chi2_contingency

    table = np.asarray(table, dtype=float)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    if min(table.shape) < 2:
        return float("nan")
    n = table.sum()
    r, k = table.shape
    phi2 = chi2_contingency(table, correction=False).statistic / n
    phi2_corr = max(0.0, phi2 - (k - 1) * (r - 1) / (n - 1))
    r_corr = r - (r - 1) ** 2 / (n - 1)
    k_corr = k - (k - 1) ** 2 / (n - 1)
    denominator = min(k_corr - 1, r_corr - 1)
    return float(np.sqrt(phi2_corr / denominator)) if denominator > 0 else float("nan")


def mann_whitney_exact(x: np.ndarray, y: np.ndarray, max_splits: int = 2_000_000):
    """Exact two-sided Mann-Whitney U test, ties included: the conditional permutation test,
    the share of the splits of the pooled ranks into groups of the observed sizes whose U is
    at least as far from its centre as the observed one.

    The splits are counted, not listed: the number of subsets of each size and each rank sum
    is built one pole at a time (ranks doubled, so that mid-ranks of ties are integers).
    Returns U, the p-value and the method's code: ``mann_whitney_exact``, or
    ``mann_whitney_normal`` (the normal approximation) above ``max_splits`` splits."""
    from scipy.stats import mannwhitneyu, rankdata

    pooled = np.concatenate([x, y])
    n1, n = len(x), len(pooled)
    ranks = rankdata(pooled)
    u_obs = float(ranks[:n1].sum() - n1 * (n1 + 1) / 2)
    total = math.comb(n, n1)
    if total > max_splits:
        res = mannwhitneyu(x, y, alternative="two-sided", method="asymptotic")
        return u_obs, float(res.pvalue), "mann_whitney_normal"
    doubled = np.rint(2 * ranks).astype(np.int64)
    # counts[j, s]: subsets of j poles whose doubled ranks sum to s (exact below 2**53).
    counts = np.zeros((n1 + 1, int(doubled.sum()) + 1))
    counts[0, 0] = 1.0
    for rank in doubled:
        counts[1:, rank:] = counts[1:, rank:] + counts[:-1, :-rank]
    u2 = np.arange(counts.shape[1]) - n1 * (n1 + 1)  # 2U for each doubled sum
    centre2 = n1 * (n - n1)
    far = np.abs(u2 - centre2) >= abs(2 * u_obs - centre2)
    return u_obs, float(counts[n1, far].sum()) / total, "mann_whitney_exact"


def compare_groups(frame: pd.DataFrame, by: str = "laureate_2013",
                   variables: list[str] | None = None,
                   numeric: tuple[str, ...] = NUMERIC_DEFAULT,
                   correction: str = "holm", seed: int = 0) -> dict:
    """Compare the groups of ``by`` on every other descriptor.

    Returns
    -------
    dict
        ``by``; ``groups`` (the two or more categories compared, with their sizes);
        ``left_out`` (poles whose ``by`` is unknown or not applicable), ``left_out_reasons``
        (pole -> that value), ``names`` (pole -> name, for the poles left out); ``tests``
        (DataFrame, index ``variable``, columns ``test`` (a code: ``fisher_2x2``,
        ``fisher_exact``, ``fisher_monte_carlo``, ``chi2``, ``mann_whitney_exact``,
        ``mann_whitney_normal`` or ``none``), ``statistic``, ``statistic_name``
        (``odds_ratio``: the conditional MLE odds ratio of a 2 × 2 table, with its exact 95 %
        CI; ``mann_whitney_u``; or ``""``), ``p_value``, ``p_adjusted``, ``effect_size``,
        ``effect_size_name`` (``cramers_v``, ``rank_biserial`` or ``""``), ``v_corrected``
        (Bergsma's bias-corrected Cramér's V), ``ci_low``, ``ci_high``, ``n``);
        ``tables`` ({variable: DataFrame of counts, categories × groups}); ``medians``
        ({variable: {group: median}}); ``quartiles`` ({variable: {group: [q1, q3]}}, R's
        type 7); ``unknown`` ({variable: {group: count of unknown values}});
        ``min_p_value`` (the smallest p-value a 2 × 2 exact test can reach with these group
        sizes) and ``correction``.
    """
    group_col, known, order = _groups(frame, by)
    left_out = list(frame.index[~known])
    data = frame[known]
    groups_values = data[by].astype(object)
    if variables is None:
        # The calls are outcomes, not descriptors: compared only when asked for.
        variables = [c for c in frame.columns if c != by and c not in SKIP
                     and not c.startswith("laureate_")]
    rows, tables, medians, quartiles, unknown = [], {}, {}, {}, {}
    for var in variables:
        if var not in frame.columns:
            raise PtceError("no such column", field="variable", value=var,
                            allowed=list(frame.columns))
        col = data[var]
        if var in numeric or (pd.api.types.is_numeric_dtype(col)
                              and not isinstance(col.dtype, pd.CategoricalDtype)
                              and col.nunique() > 10):
            row, medians[var], quartiles[var], unknown[var] = _compare_numeric(
                var, col, groups_values, order)
        else:
            row, tables[var], unknown[var] = _compare_categorical(var, col, groups_values,
                                                                  order, by, seed)
        rows.append(row)
    tests = pd.DataFrame(rows).set_index("variable")
    tests["p_adjusted"] = adjust(tests["p_value"], correction)
    tests = tests.reindex(columns=TEST_COLUMNS)
    sizes = [int((groups_values == g).sum()) for g in order]
    return {"by": by, "groups": [{"group": str(g), "n": s} for g, s in zip(order, sizes,
                                                                           strict=True)],
            "left_out": [str(p) for p in left_out],
            "left_out_reasons": {str(p): str(group_col[p]) for p in left_out},
            "names": ({str(p): str(frame.at[p, "name"]) for p in left_out}
                      if "name" in frame.columns else {}),
            "tests": tests, "tables": tables,
            "medians": medians, "quartiles": quartiles, "unknown": unknown,
            "min_p_value": min_p_value(sizes) if len(sizes) == 2 else None,
            "correction": correction, "lists": call_lists(frame, by)}


def call_lists(frame: pd.DataFrame, by: str) -> list[dict]:
    """How the groups of a call grouping were built: for each call behind ``by``
    (``laureate_2013``: one; ``laureate_any``: every call), its laureates announced and named
    and whether its list is complete (:func:`~ptce_typology.analysis.calls.calls_ledger`);
    empty for any other grouping."""
    from ptce_typology.analysis.calls import calls_ledger

    ledger = calls_ledger(frame)
    if by == "laureate_any":
        chosen = ledger
    else:
        chosen = ledger[ledger["column"] == by]
    return [{"call": str(call), "announced": None if pd.isna(row["announced"])
             else int(row["announced"]), "named": int(row["named"]),
             "complete": bool(row["complete"])} for call, row in chosen.iterrows()]


#: The columns of ``compare_groups(...)["tests"]``.
TEST_COLUMNS = ["test", "statistic", "statistic_name", "p_value", "p_adjusted", "effect_size",
                "effect_size_name", "v_corrected", "ci_low", "ci_high", "n"]


def _groups(frame: pd.DataFrame, by: str) -> tuple[pd.Series, pd.Series, list]:
    """The grouping column, which poles have a group, and the groups in order (vocabulary
    order for a categorical column)."""
    if by not in frame.columns:
        raise PtceError("no such column to group by", field="by", value=by,
                        allowed=list(frame.columns))
    group_col = frame[by].astype(object)
    known = group_col.notna() & ~group_col.isin(NO_GROUP)
    groups_values = group_col[known]
    if isinstance(frame[by].dtype, pd.CategoricalDtype):
        order = [c for c in frame[by].cat.categories if (groups_values == c).any()]
    else:
        order = sorted(groups_values.unique(), key=str)
    if len(order) < 2:
        held = ", ".join(map(str, order)) or "-"
        raise PtceError(f"the grouping descriptor has fewer than two known groups (known: "
                        f"{held}); nothing to compare", field="by", value=by,
                        key="one_group", values={"by": by, "groups": held})
    return group_col, known, order


def _no_test(var: str, n: int) -> dict:
    return {"variable": var, "test": "none", "statistic": np.nan, "statistic_name": "",
            "p_value": np.nan, "effect_size": np.nan, "effect_size_name": "",
            "ci_low": np.nan, "ci_high": np.nan, "n": n, "v_corrected": np.nan}


def _compare_numeric(var: str, col: pd.Series, groups_values: pd.Series, order: list
                     ) -> tuple[dict, dict, dict, dict]:
    """The exact Mann-Whitney test of a numeric descriptor, the groups' medians, quartiles
    and unknown values."""
    values = pd.to_numeric(col.astype(object).where(col.astype(object) != UNKNOWN),
                           errors="coerce")
    ok = values.notna()
    samples = [values[ok & (groups_values == g)].to_numpy(dtype=float) for g in order]
    medians = {str(g): (float(np.median(s)) if len(s) else None)
               for g, s in zip(order, samples, strict=True)}
    # Quartiles as R's quantile() type 7 (numpy's default linear interpolation).
    quartiles = {str(g): ([float(q) for q in np.percentile(s, [25, 75])] if len(s) else None)
                 for g, s in zip(order, samples, strict=True)}
    unknown = {str(g): int((~ok & (groups_values == g)).sum()) for g in order}
    n = int(ok.sum())
    if not (len(order) == 2 and all(len(s) for s in samples)):
        return _no_test(var, n), medians, quartiles, unknown  # a group has no known value
    u, p, method = mann_whitney_exact(samples[0], samples[1])
    row = {**_no_test(var, n), "test": method, "statistic": u,
           "statistic_name": "mann_whitney_u", "p_value": p,
           "effect_size": 1 - 2 * u / (len(samples[0]) * len(samples[1])),
           "effect_size_name": "rank_biserial"}
    return row, medians, quartiles, unknown


def _compare_categorical(var: str, col: pd.Series, groups_values: pd.Series, order: list,
                         by: str, seed: int) -> tuple[dict, pd.DataFrame, dict]:
    """Fisher's exact test of a categorical descriptor with Cramér's V (and, for a 2 × 2
    table, the conditional odds ratio), its table of counts and unknown values."""
    from scipy.stats.contingency import odds_ratio

    from ptce_typology.analysis.exact import fisher_test

    values = col.astype(object)
    ok = values.notna() & (values != UNKNOWN)
    unknown = {str(g): int((~ok & (groups_values == g)).sum()) for g in order}
    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = [c for c in col.cat.categories if c != UNKNOWN and (values[ok] == c).any()]
    else:
        cats = sorted(values[ok].unique(), key=str)
    table = pd.DataFrame(
        [[int(((values == c) & ok & (groups_values == g)).sum()) for g in order]
         for c in cats], index=pd.Index(cats, name=var),
        columns=pd.Index([str(g) for g in order], name=by))
    counts = table.to_numpy()
    n = int(counts.sum())
    if len(cats) < 2:
        return _no_test(var, n), table, unknown  # a single known category
    result = fisher_test(counts, seed=seed)
    row = {**_no_test(var, n), "test": result.method, "p_value": result.p_value,
           "effect_size": cramers_v(counts), "effect_size_name": "cramers_v",
           "v_corrected": cramers_v_corrected(counts)}
    if counts.shape == (2, 2):
        est = odds_ratio(counts, kind="conditional")
        ci = est.confidence_interval(confidence_level=0.95)
        row.update(statistic=float(est.statistic), statistic_name="odds_ratio",
                   ci_low=float(ci.low), ci_high=float(ci.high))
    return row, table, unknown


def min_p_value(sizes: list[int]) -> float:
    """The smallest two-sided p-value Fisher's exact test can reach on a 2 × 2 table with
    these group sizes (perfect separation with balanced margins)."""
    from scipy.stats import fisher_exact

    a, b = sizes
    return float(fisher_exact([[a, 0], [0, b]]).pvalue)


