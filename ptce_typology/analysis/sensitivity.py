"""The typology's sensitivity to its own unknowns (``ptce clusters --sensitivity``).

Every ``unknown`` value of an active descriptor of the reference poles takes, in turn, each
category of the vocabulary for that descriptor (yes/no for yes/no descriptors); each
completion is refitted with the same parameters. What stays the same across completions does
not hang on what the sources do not say.

Completions are all combinations up to ``MAX_EXHAUSTIVE`` (2^14), else a seeded sample of
``N_SAMPLED``. Completions that give the same table are refitted once, and the tables in
batches (:mod:`~ptce_typology.analysis.refits`): the twelve's 4,096 completions take a few
tenths of a second, with the partitions of the one-by-one refits.
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
    from ptce_typology.analysis.refits import partitions

    frame = model.frame_
    main = model.labels_.to_numpy()
    codes, levels = model._encode(frame)
    active = list(model.active)
    position = {p: i for i, p in enumerate(frame.index)}
    readings = alternative_readings(model, frame)
    tables = np.repeat(codes[None], len(readings), axis=0)
    for t, (pole, d, value) in enumerate(readings):
        j = active.index(d)
        tables[t, position[pole], j] = levels[j].index(value)
    labels, failed = partitions(model, tables, levels, numbered=True)
    aris = adjusted_rand_indices(main, labels) if len(readings) else []
    result = []
    for t, (pole, d, value) in enumerate(readings):
        if failed[t]:
            result.append({"pole_id": str(pole), "descriptor": d, "value": value,
                           "n_clusters": None, "ari": None, "clusters": None})
            continue
        result.append({"pole_id": str(pole), "descriptor": d, "value": value,
                       "n_clusters": int(labels[t].max()), "ari": float(aris[t]),
                       "clusters": {str(p): int(c) for p, c in zip(frame.index, labels[t],
                                                                   strict=True)}})
    return result


def sensitivity(model, seed: int | None = None, n_jobs: int | None = None,
                max_exhaustive: int = MAX_EXHAUSTIVE, n_sampled: int = N_SAMPLED,
                order: bool = True) -> dict:
    """Refit a fitted :class:`~ptce_typology.analysis.typology.Typology` on every completion
    of its reference poles' unknown active values (a seeded sample of ``n_sampled`` above
    ``max_exhaustive``), and on each other reading of a value (:func:`scenarios`).

    The completions are refitted in batches (:mod:`~ptce_typology.analysis.refits`);
    ``n_jobs`` worker processes (default: one per core) refit those the batch leaves to the
    one-by-one path when there are many (more than 40 poles); the result does not depend on
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
        that put them together), ``co_clustering_order`` (the poles in the order of the
        co-clustering's own clustering, :func:`seriation`; None when ``order`` is False, as
        for a headline that draws no heat map), ``robust_groups`` (lists of
        poles together in at least 90 % of completions, two poles or more) and ``n_failed``
        (refits that failed).
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
                "scenarios": scenarios(model), "co_clustering": {}, "co_clustering_order": [],
                "robust_groups": [], "n_failed": 0}
    sizes = [len(c[2]) for c in cells]
    if any(s == 0 for s in sizes):
        raise PtceError("an unknown value has no category to take", field="sensitivity")
    choices, exhaustive = _completion_choices(sizes, seed, max_exhaustive, n_sampled)
    if n_jobs is None:
        n_jobs = cores
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
        "co_clustering_order": [poles[i] for i in seriation(share)] if order else None,
        "robust_groups": robust_groups(share, poles),
        "n_failed": failed,
    }


def seriation(similarity: np.ndarray) -> list[int]:
    """An order of the rows of a similarity matrix (values in [0, 1]) that puts similar rows
    side by side: the leaves of its average-linkage tree on 1 - similarity, in the optimal
    leaf order (the order of the co-clustering heat map, as a dendrogram's)."""
    from scipy.cluster.hierarchy import leaves_list, linkage, optimal_leaf_ordering
    from scipy.spatial.distance import squareform

    if len(similarity) < 3:
        return list(range(len(similarity)))
    distance = np.clip(1.0 - (similarity + similarity.T) / 2, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    condensed = squareform(distance, checks=False)
    tree = linkage(condensed, method="average")
    return [int(i) for i in leaves_list(optimal_leaf_ordering(tree, condensed))]


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


def completion_partitions(model, cells: list, choices: np.ndarray, n_jobs: int = 1
                          ) -> tuple[np.ndarray, np.ndarray]:
    """The partition of each completion (one row of ``choices`` per completion, one column per
    cell of :func:`unknown_cells`): labels (completions × poles, 0 where the refit failed)
    and a mask of the failed refits. Completions that give the same table are refitted
    once, and the tables in batches (:func:`~ptce_typology.analysis.refits.partitions`)."""
    from ptce_typology.analysis.refits import partitions

    frame = model.frame_
    position = {p: i for i, p in enumerate(frame.index)}
    codes, levels = model._encode(frame)
    active = list(model.active)
    distinct, inverse = np.unique(choices, axis=0, return_inverse=True)
    tables = np.repeat(codes[None], len(distinct), axis=0)
    for t, (pole, d, categories) in enumerate(cells):
        j = active.index(d)
        options = np.array([levels[j].index(c) for c in categories])
        tables[:, position[pole], j] = options[distinct[:, t]]
    labels, failed = partitions(model, tables, levels, n_jobs=n_jobs)
    inverse = inverse.ravel()
    return labels[inverse], failed[inverse]


def adjusted_rand_indices(main: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """:func:`adjusted_rand_index` of ``main`` against each row of ``labels`` (the same
    arithmetic on a stack, so the same numbers)."""
    _, a = np.unique(np.asarray(main), return_inverse=True)
    a = a.ravel()
    B, n = labels.shape
    _, b = np.unique(labels, return_inverse=True)
    b = b.reshape(B, n)
    left = (a[:, None] == np.arange(a.max() + 1)[None, :]).astype(np.int64)
    right = (b[:, :, None] == np.arange(b.max() + 1)[None, None, :]).astype(np.int64)
    table = np.einsum("ni,bnj->bij", left, right)

    def pairs(x: np.ndarray, axes: tuple) -> np.ndarray:
        return (x * (x - 1) // 2).sum(axis=axes).astype(float)

    total = n * (n - 1) / 2
    index = pairs(table, (1, 2))
    rows, cols = pairs(table.sum(axis=2), (1,)), pairs(table.sum(axis=1), (1,))
    expected = rows * cols / total if total else np.zeros(B)
    maximum = (rows + cols) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        ari = (index - expected) / (maximum - expected)
    return np.where(maximum == expected, 1.0, ari)


def _refit_completions(model, cells: list, choices: np.ndarray, n_jobs: int
                       ) -> tuple[np.ndarray, list[int], list[float], int]:
    """Refit every completion: co-clustering counts, the k and the ARI of each refit (in the
    completions' order), and the number that failed."""
    labels, failed = completion_partitions(model, cells, choices, n_jobs)
    fitted = labels[~failed]
    n = labels.shape[1]
    if not len(fitted):
        return np.zeros((n, n)), [], [], int(failed.sum())
    # Counts as float products of 0/1 (exact below 2^53): one matrix product.
    onehot = (fitted[:, :, None] == np.arange(1, fitted.max() + 1)[None, None, :])
    flat = np.swapaxes(onehot, 0, 1).reshape(n, -1).astype(float)
    together = flat @ flat.T
    main = model.labels_.to_numpy()
    aris = adjusted_rand_indices(main, fitted)
    return (together, [int(k) for k in fitted.max(axis=1)],
            [float(x) for x in aris], int(failed.sum()))


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
