"""The typology's sensitivity to its own unknowns (``ptce clusters --sensitivity``).

Every ``unknown`` value of an active descriptor of the reference poles takes, in turn, each
category of the vocabulary for that descriptor (yes/no for yes/no descriptors); each
completion is refitted with the same parameters. What stays the same across completions does
not hang on what the sources do not say.

Completions are all combinations up to ``MAX_EXHAUSTIVE`` (2^14), else a seeded sample of
``N_SAMPLED``. On the twelve témoins (12 unknown yes/no values: 4,096 completions) the refits
run in a few seconds: each is one small SVD and one Ward tree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ptce_typology.errors import PtceError
from ptce_typology.vocabulary import SEP, UNKNOWN

MAX_EXHAUSTIVE = 2 ** 14
N_SAMPLED = 2_000
ROBUST = 0.90
# Below this mean ARI over the completions, the unknowns could change the typology.
DETERMINED_ARI = 0.5
# The headline that ``ptce clusters`` always prints: a seeded sample of this many completions.
HEADLINE_COMPLETIONS = 256
# From this many completions the refits run in one process per core.
PARALLEL_FROM = 1_000


def adjusted_rand_index(a: np.ndarray, b: np.ndarray) -> float:
    """Hubert and Arabie's adjusted Rand index of two labelings (scikit-learn's
    ``adjusted_rand_score``, without importing scikit-learn)."""
    a = np.asarray(a)
    b = np.asarray(b)
    _, ia = np.unique(a, return_inverse=True)
    _, ib = np.unique(b, return_inverse=True)
    table = np.zeros((ia.max() + 1, ib.max() + 1), dtype=np.int64)
    np.add.at(table, (ia, ib), 1)
    n = len(a)

    def pairs(x: np.ndarray) -> float:
        return float((x * (x - 1) // 2).sum())

    total = n * (n - 1) / 2
    index = pairs(table)
    rows, cols = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = rows * cols / total if total else 0.0
    maximum = (rows + cols) / 2
    if maximum == expected:  # both partitions trivial, or identical with one cluster each
        return 1.0
    return (index - expected) / (maximum - expected)


def unknown_cells(model, frame: pd.DataFrame) -> list[tuple[str, str, list[str]]]:
    """(pole_id, descriptor, categories it may take) for every unknown active value."""
    cells = []
    for d in model.active:
        column = frame[d].astype(object)
        categories = [c for c in frame[d].cat.categories
                      if c != UNKNOWN and not model._is_passive(d, c)]
        for pole in frame.index:
            if column[pole] == UNKNOWN:
                cells.append((pole, d, categories))
    return cells


def alternative_readings(model, frame: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(pole_id, descriptor, value) for every other reading of an active value that a case
    file keeps (``alternatives:``) and the vocabulary holds."""
    readings = []
    if "alternatives" not in frame.columns:
        return readings
    for pole, listed in frame["alternatives"].items():
        for reading in str(listed or "").split(";"):
            d, _, value = reading.partition(SEP)
            if (d in model.active and value in list(frame[d].cat.categories)
                    and value != frame.at[pole, d]):
                readings.append((pole, d, value))
    return readings


def scenarios(model) -> list[dict]:
    """The partition under each other reading of an active value, one at a time, the other
    values as fitted (unknowns passive): its k and its ARI against the main partition. A
    reading is a scenario of its own, not mixed into the completions of the unknowns."""
    frame = model.frame_
    main = model.labels_.to_numpy()
    codes, levels = model._encode(frame)
    active = list(model.active)
    position = {p: i for i, p in enumerate(frame.index)}
    result = []
    for pole, d, value in alternative_readings(model, frame):
        data = codes.copy()
        j = active.index(d)
        data[position[pole], j] = levels[j].index(value)
        try:
            labels = model._partition_codes(data, levels)
        except (PtceError, ValueError, np.linalg.LinAlgError):
            result.append({"pole_id": str(pole), "descriptor": d, "value": value,
                           "n_clusters": None, "ari": None, "clusters": None})
            continue
        result.append({"pole_id": str(pole), "descriptor": d, "value": value,
                       "n_clusters": int(labels.max()),
                       "ari": adjusted_rand_index(main, labels),
                       "clusters": {str(p): int(c) for p, c in zip(frame.index, labels,
                                                                   strict=True)}})
    return result


def _refit_chunk(item: tuple) -> tuple[np.ndarray, list[int], list[float], int]:
    """Refit one chunk of completions (run in a worker process when n_jobs > 1)."""
    model, codes, levels, targets, chunk, main = item
    n = len(codes)
    together = np.zeros((n, n))
    ks: list[int] = []
    aris: list[float] = []
    failed = 0
    for row in chunk:
        data = codes.copy()
        for (i, j, options), pick in zip(targets, row, strict=True):
            data[i, j] = options[pick]
        try:
            labels = model._partition_codes(data, levels)
        except (PtceError, ValueError, np.linalg.LinAlgError):
            failed += 1
            continue
        together += labels[:, None] == labels[None, :]
        ks.append(int(labels.max()))
        aris.append(adjusted_rand_index(main, labels))
    return together, ks, aris, failed


def sensitivity(model, seed: int | None = None, n_jobs: int | None = None,
                max_exhaustive: int = MAX_EXHAUSTIVE, n_sampled: int = N_SAMPLED) -> dict:
    """Refit a fitted :class:`~ptce_typology.analysis.typology.Typology` on every completion
    of its reference poles' unknown active values (a seeded sample of ``n_sampled`` above
    ``max_exhaustive``), and on each other reading of a value (:func:`scenarios`).

    ``n_jobs`` worker processes refit the completions (default: one per core from
    ``PARALLEL_FROM`` completions, where the pool's start-up is repaid: the twelve's 4,096
    refits take half the time on two cores; one process below); the result does not depend on
    it.

    Returns
    -------
    dict
        ``n_completions``, ``n_unknown_values``, ``exhaustive``
        (False: a seeded sample), ``seed``, ``unknown_values``
        ([{pole_id, descriptor, categories}]),
        ``n_clusters`` (the main partition's k), ``same_k`` (the share of completions that
        give it), ``k_distribution`` (k -> share), ``ari`` ({mean, min, q05} against the main
        partition), ``determined`` (mean ARI at least 0.5), ``scenarios`` (the partition
        under each other reading), ``co_clustering`` (pole -> pole -> share of completions
        that put them together), ``robust_groups`` (lists of poles together in at least 90 % of
        completions, two poles or more) and ``n_failed`` (refits that failed).
    """
    import os

    model._check_fitted()
    frame = model.frame_
    seed = model.seed if seed is None else seed
    cores = os.cpu_count() or 1
    n_jobs = max(1, min(n_jobs, cores)) if n_jobs is not None else None
    cells = unknown_cells(model, frame)
    main_k = int(model.labels_.max())
    if not cells:
        return {"n_completions": 0, "n_unknown_values": 0, "exhaustive": True, "seed": seed,
                "unknown_values": [], "n_clusters": main_k, "same_k": None,
                "k_distribution": {}, "ari": {}, "determined": True,
                "scenarios": scenarios(model), "co_clustering": {},
                "robust_groups": [], "n_failed": 0}
    sizes = [len(c[2]) for c in cells]
    if any(s == 0 for s in sizes):
        raise PtceError("an unknown value has no category to take", field="sensitivity")
    choices, exhaustive = _completion_choices(sizes, seed, max_exhaustive, n_sampled)
    if n_jobs is None:
        n_jobs = cores if len(choices) >= PARALLEL_FROM else 1
    poles = list(frame.index)
    position = {p: i for i, p in enumerate(poles)}
    together, ks, aris, failed = _refit_completions(model, cells, choices, n_jobs)
    done = len(ks)
    share = together / done if done else together
    co = {p: {q: float(share[position[p], position[q]]) for q in poles} for p in poles}
    k_counts = pd.Series(ks).value_counts().sort_index()
    arr = np.array(aris)
    return {
        "n_completions": int(len(choices)), "n_unknown_values": len(cells),
        "exhaustive": exhaustive, "seed": None if exhaustive else seed,
        "unknown_values": [{"pole_id": str(p), "descriptor": d, "categories": list(c)}
                           for p, d, c in cells],
        "n_clusters": main_k,
        "same_k": float(np.mean(np.array(ks) == main_k)) if done else None,
        "k_distribution": {int(k): float(v / done) for k, v in k_counts.items()},
        "ari": {"mean": float(arr.mean()), "min": float(arr.min()),
                "q05": float(np.quantile(arr, 0.05))} if done else {},
        "determined": bool(done and arr.mean() >= DETERMINED_ARI),
        "scenarios": scenarios(model),
        "co_clustering": co,
        "robust_groups": robust_groups(share, poles),
        "n_failed": failed,
    }


def _completion_choices(sizes: list[int], seed: int, max_exhaustive: int = MAX_EXHAUSTIVE,
                        n_sampled: int = N_SAMPLED) -> tuple[np.ndarray, bool]:
    """One row per completion, one column per unknown value (the index of the category it
    takes): every completion, or a seeded sample of ``n_sampled`` above ``max_exhaustive``."""
    total = float(np.prod([float(s) for s in sizes]))
    if total <= max_exhaustive:
        grids = np.meshgrid(*[np.arange(s) for s in sizes], indexing="ij")
        return np.stack([g.ravel() for g in grids], axis=1), True
    rng = np.random.default_rng(seed)
    return np.stack([rng.integers(0, s, size=n_sampled) for s in sizes], axis=1), False


def _refit_completions(model, cells: list, choices: np.ndarray, n_jobs: int
                       ) -> tuple[np.ndarray, list[int], list[float], int]:
    """Refit every completion, in chunks (in ``n_jobs`` processes): co-clustering counts,
    the k and the ARI of each refit, and the number that failed."""
    frame = model.frame_
    main = model.labels_.to_numpy()
    poles = list(frame.index)
    position = {p: i for i, p in enumerate(poles)}
    n = len(poles)
    codes, levels = model._encode(frame)
    active = list(model.active)
    targets = [(position[p], active.index(d), [levels[active.index(d)].index(c) for c in cats])
               for p, d, cats in cells]
    chunks = np.array_split(choices, max(1, min(len(choices), 8 * max(1, n_jobs))))
    work = [(model, codes, levels, targets, chunk, main) for chunk in chunks if len(chunk)]
    if n_jobs > 1 and len(choices) > 64:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=n_jobs, mp_context=context) as pool:
            parts = list(pool.map(_refit_chunk, work))
    else:
        parts = [_refit_chunk(item) for item in work]
    together = np.zeros((n, n))
    ks: list[int] = []
    aris: list[float] = []
    failed = 0
    for part_together, part_ks, part_aris, part_failed in parts:
        together += part_together
        ks += part_ks
        aris += part_aris
        failed += part_failed
    return together, ks, aris, failed


def robust_groups(share: np.ndarray, poles: list[str], threshold: float = ROBUST
                  ) -> list[list[str]]:
    """Groups of poles linked by co-clustering shares of at least ``threshold`` (connected
    components of that graph), two poles or more, in the poles' order."""
    n = len(poles)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(n):
        for j in range(i + 1, n):
            if share[i, j] >= threshold - 1e-12:
                parent[find(i)] = find(j)
    groups: dict[int, list[str]] = {}
    for i, pole in enumerate(poles):
        groups.setdefault(find(i), []).append(str(pole))
    return [g for g in groups.values() if len(g) > 1]
