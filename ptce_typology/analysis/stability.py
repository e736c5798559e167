"""How stable is the partition? Bootstrap and leave-one-out refits of the whole typology.

With twelve poles, a partition can hinge on one pole. Each refit repeats the MCA and the
clustering with the same parameters and the same number of clusters, and compares the new
partition with the original on the poles it contains (adjusted Rand index). For each pole,
the *stay rate* is how often it is still clustered with its original cluster-mates: the mean,
over refits that contain it, of the share of its original mates present in the refit that are
in its new cluster. A pole alone in its cluster has no mates; its stay rate is left empty.

Cost: each refit is one MCA (an SVD of an n × J table) and one Ward tree (O(n²) memory), so
the cost grows as n_resamples × that of one fit; at large n the command's default lowers the
number of resamples (see ``default_resamples``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LOO_MAX = 200


def default_resamples(n: int) -> int:
    """200 bootstrap refits up to 500 poles, fewer above (each refit costs one full fit)."""
    if n <= 500:
        return 200
    if n <= 5000:
        return 50
    return 10


def _refits(model, tables: np.ndarray, levels: list[list[str]]) -> list[np.ndarray | None]:
    """The partition of each table of rows, k fixed to the model's, refitted in a batch
    (:func:`~ptce_typology.analysis.refits.partitions`); None where a refit failed."""
    from ptce_typology.analysis.refits import partitions

    if not len(tables):
        return []
    labels, failed = partitions(model, tables, levels, n_clusters=model.hcpc_.n_clusters_)
    return [None if bad else row for row, bad in zip(labels, failed, strict=True)]


def _stay(old: np.ndarray, new: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each individual, the share of its original mates (among those given) that are in
    its new cluster; returns the positions of individuals with mates, and their shares."""
    _, old_codes = np.unique(old, return_inverse=True)
    _, new_codes = np.unique(new, return_inverse=True)
    pair = old_codes * (new_codes.max() + 1) + new_codes
    _, pair_inverse, pair_counts = np.unique(pair, return_inverse=True, return_counts=True)
    together = pair_counts[pair_inverse] - 1
    mates = np.bincount(old_codes)[old_codes] - 1
    keep = np.flatnonzero(mates > 0)
    return keep, together[keep] / mates[keep]


def stability(model, n_resamples: int | None = None, seed: int = 0) -> dict:
    """Bootstrap and leave-one-out stability of a fitted :class:`Typology`.

    Returns
    -------
    dict
        ``bootstrap``: {``n_resamples``, ``n_failed``, ``ari_mean``, ``ari_min``, ``ari_q05``},
        ``leave_one_out``: {``ari_mean``, ``ari_min``, ``n_failed``}, and ``poles``: a
        DataFrame, index ``pole_id``, columns ``cluster``, ``bootstrap_stay`` and
        ``loo_stay`` (fractions in [0, 1]; NaN for a pole alone in its cluster).
    """
    from ptce_typology.analysis.sensitivity import adjusted_rand_index as adjusted_rand_score

    frame = model.frame_
    codes, levels = model._encode(frame)
    original = model.labels_.to_numpy()
    n = len(frame)
    n_resamples = default_resamples(n) if n_resamples is None else n_resamples
    rng = np.random.default_rng(seed)
    boot_ari, boot_failed = [], 0
    stay_sum = np.zeros(n)
    stay_count = np.zeros(n, dtype=int)
    k = model.hcpc_.n_clusters_
    draws = [rng.integers(0, n, size=n) for _ in range(n_resamples)]
    drawn = [rows for rows in draws if len(np.unique(rows)) > k]
    refits = iter(_refits(model, np.array([codes[rows] for rows in drawn]).reshape(
        len(drawn), n, codes.shape[1]), levels))
    for rows in draws:
        unique_rows, first = np.unique(rows, return_index=True)
        if len(unique_rows) <= k:
            boot_failed += 1
            continue
        labels = next(refits)
        if labels is None:
            boot_failed += 1
            continue
        labels = labels[first]  # one label per pole drawn (its first copy)
        boot_ari.append(adjusted_rand_score(original[unique_rows], labels))
        keep, rates = _stay(original[unique_rows], labels)
        np.add.at(stay_sum, unique_rows[keep], rates)
        np.add.at(stay_count, unique_rows[keep], 1)
    loo_ari, loo_failed = [], 0
    loo_sum = np.zeros(n)
    loo_count = np.zeros(n, dtype=int)
    run_loo = n <= LOO_MAX
    rests = [np.delete(np.arange(n), i) for i in range(n)] if run_loo else []
    loo_refits = _refits(model, np.array([codes[rest] for rest in rests]).reshape(
        len(rests), n - 1, codes.shape[1]), levels)
    for rest, labels in zip(rests, loo_refits, strict=True):
        if labels is None:
            loo_failed += 1
            continue
        loo_ari.append(adjusted_rand_score(original[rest], labels))
        keep, rates = _stay(original[rest], labels)
        loo_sum[rest[keep]] += rates
        loo_count[rest[keep]] += 1
    with np.errstate(invalid="ignore", divide="ignore"):
        poles = pd.DataFrame({
            "cluster": model.labels_.to_numpy(),
            "bootstrap_stay": stay_sum / np.where(stay_count, stay_count, np.nan),
            "loo_stay": loo_sum / np.where(loo_count, loo_count, np.nan),
        }, index=frame.index)
    poles.index.name = "pole_id"
    arr = np.array(boot_ari)
    return {
        "bootstrap": {"n_resamples": n_resamples, "n_failed": boot_failed, "seed": seed,
                      "ari_mean": float(arr.mean()) if len(arr) else None,
                      "ari_min": float(arr.min()) if len(arr) else None,
                      "ari_q05": float(np.quantile(arr, 0.05)) if len(arr) else None},
        "leave_one_out": {"ari_mean": float(np.mean(loo_ari)) if loo_ari else None,
                          "ari_min": float(np.min(loo_ari)) if loo_ari else None,
                          "n_failed": loo_failed, "max_poles": LOO_MAX,
                          "skipped": None if run_loo else
                          f"leave-one-out refits are run up to {LOO_MAX} poles (one refit per "
                          "pole)"},
        "poles": poles,
    }
