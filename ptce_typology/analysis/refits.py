"""The partitions of many small tables at once: the batched refits of sensitivity and stability.

A refit of the typology on a table of a few dozen poles is microseconds of arithmetic behind
a millisecond of Python calls. Here every step runs on a stack of tables: the indicator
tables of the tables that share their categories, one batched SVD (numpy's ``linalg`` on a
stack), Ward's tree by Lance and Williams' update (scipy's formula) on a stack of distance
matrices, FactoMineR's rule for k on a stack of gains, and a check, on a stack of points, that
the Hartigan-Wong consolidation moves no pole.

Only the partition leaves this module, never a number: a partition is a discrete result, and
it is taken from the batch only when every decision that made it is clear by a relative margin
of ``MARGIN`` (no two candidate merges, ratios, nearest centres or transfer costs that close).
Any other table, and any option the batch does not cover, is refitted one by one by
:meth:`Typology._partition_codes`, so the partitions are those of the one-by-one path.
"""

from __future__ import annotations

import numpy as np

from ptce_typology.analysis.hcpc import AGGREGATE_FROM, _r_round

MARGIN = 1e-9
# Above this many poles the batch's O(n³) tree costs more than one compiled tree per table.
BATCH_MAX_POLES = 40
# From this many tables refitted one by one, they run in one process per core (n_jobs).
PARALLEL_FROM = 1_000
# Tables per batch: bounds the stacked distance matrices (batch × n² floats).
CHUNK_CELLS = 1_000_000


def partitions(model, tables: np.ndarray, levels: list[list[str]],
               n_clusters: int | None = None, n_jobs: int = 1, numbered: bool = False
               ) -> tuple[np.ndarray, np.ndarray]:
    """The partition of each table of category codes, as the typology's refits give it.

    Parameters
    ----------
    model : Typology
        Its parameters are used (``n_clusters`` replaced by the argument when given).
    tables : ndarray, shape (B, n, Q)
        Category codes of the active descriptors (:meth:`Typology._encode`).
    levels : list of list of str
        The categories of each descriptor.
    n_clusters : int or None
        A fixed k for every refit (None: the model's).
    n_jobs : int
        Processes for the tables refitted one by one.
    numbered : bool
        Number the clusters as the typology does (by their centre on dimension 1); else only
        the partition is meant (labels 1..k in an order of their own).

    Returns
    -------
    labels : ndarray, shape (B, n)
        Cluster labels (1..k) of each table's rows; 0 where the refit failed.
    failed : ndarray of bool, shape (B,)
    """
    tables = np.asarray(tables)
    B, n, _ = tables.shape
    params = {**model.get_params(), "n_clusters": (n_clusters if n_clusters is not None
                                                   else model.n_clusters)}
    labels = np.zeros((B, n), dtype=np.int64)
    done = np.zeros(B, dtype=bool)
    if _batchable(params, n):
        # The batch's own tree stacks n² distances per table; past it, n rows per table.
        step = (max(1, CHUNK_CELLS // (n * n)) if n <= BATCH_MAX_POLES else
                max(1, min(CHUNK_CELLS // (8 * n), -(-B // max(1, n_jobs)))))
        parts = [slice(start, start + step) for start in range(0, B, step)]
        work = [(model, params, tables[part], levels, numbered) for part in parts]
        # Past BATCH_MAX_POLES the consolidations run one by one: there the pool helps.
        pooled = n > BATCH_MAX_POLES and n_jobs > 1 and len(parts) > 1
        for part, (got, ok) in zip(parts, _map(_batch_item, work, n_jobs if pooled else 1),
                                   strict=True):
            labels[part], done[part] = got, ok
    failed = np.zeros(B, dtype=bool)
    rest = np.flatnonzero(~done)
    if len(rest):
        labels[rest], failed[rest] = _one_by_one(type(model)(**params), tables[rest], levels,
                                                 n_jobs)
    return labels, failed


def _map(function, work: list, n_jobs: int) -> list:
    """``function`` over ``work``, in ``n_jobs`` processes when more than one."""
    if n_jobs <= 1:
        return [function(item) for item in work]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=n_jobs, mp_context=context) as pool:
        return list(pool.map(function, work))


def _batch_item(item: tuple) -> tuple[np.ndarray, np.ndarray]:
    return _batch(*item)


def _one_by_one(model, tables: np.ndarray, levels: list[list[str]], n_jobs: int
                ) -> tuple[np.ndarray, np.ndarray]:
    """The one-by-one refits, in ``n_jobs`` processes from ``PARALLEL_FROM`` tables (there
    the pool's start-up is repaid)."""
    pooled = n_jobs > 1 and len(tables) >= PARALLEL_FROM
    chunks = np.array_split(np.arange(len(tables)), 4 * n_jobs if pooled else 1)
    parts = _map(_one_chunk, [(model, tables[c], levels) for c in chunks],
                 n_jobs if pooled else 1)
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _one_chunk(item: tuple) -> tuple[np.ndarray, np.ndarray]:
    model, tables, levels = item
    labels = np.zeros(tables.shape[:2], dtype=np.int64)
    failed = np.zeros(len(tables), dtype=bool)
    for b, codes in enumerate(tables):
        labels[b], failed[b] = _one(model, codes, levels)
    return labels, failed


def _batchable(params: dict, n: int) -> bool:
    return params["consolidation"] in ("hartigan-wong", "none") and 3 <= n <= AGGREGATE_FROM


def _one(model, codes: np.ndarray, levels: list[list[str]]) -> tuple[np.ndarray, bool]:
    """One refit by the one-by-one path; a failed refit gives zeros."""
    from ptce_typology.errors import PtceError

    try:
        return model._partition_codes(codes, levels), False
    except (PtceError, ValueError, np.linalg.LinAlgError):
        return np.zeros(len(codes), dtype=np.int64), True


def _batch(model, params: dict, tables: np.ndarray, levels: list[list[str]],
           numbered: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Labels and a mask of the tables whose partition the batch settled."""
    B, n, _ = tables.shape
    labels = np.zeros((B, n), dtype=np.int64)
    done = np.zeros(B, dtype=bool)
    for members, z, active in _indicator_groups(model, tables, levels):
        if not active.any():
            continue  # every category passive: the one-by-one path says so
        try:
            F, ncp, clear = _coordinates(z, tables.shape[2], active, params["ncp"])
        except np.linalg.LinAlgError:
            continue
        for width in np.unique(ncp):
            rows = members[ncp == width]
            X = F[ncp == width][:, :, :width]
            cluster = _cluster if X.shape[1] <= BATCH_MAX_POLES else _cluster_trees
            got, ok = cluster(X, params)
            if numbered:
                for b in np.flatnonzero(ok):
                    got[b] = _numbered(X[b], got[b])
            labels[rows] = got
            done[rows] = ok & clear[ncp == width]
    return labels, done


def _indicator_groups(model, tables: np.ndarray, levels: list[list[str]]):
    """The tables grouped by the categories they hold (so by their indicator columns): for
    each group, the positions of its tables, their indicator tables (G, n, J) and which
    columns are active, in the column order of :meth:`Typology._partition_codes`."""
    B, _, Q = tables.shape
    held = [np.stack([(tables[:, :, q] == c).any(axis=1) for c in range(len(levels[q]))],
                     axis=1) for q in range(Q)]
    pattern = np.concatenate(held, axis=1)
    keys, inverse = np.unique(pattern, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    for g, key in enumerate(keys):
        members = np.flatnonzero(inverse == g)
        columns, active, offset = [], [], 0
        for q, var in enumerate(model.active):
            for c in np.flatnonzero(key[offset:offset + len(levels[q])]):
                columns.append(tables[members, :, q] == c)
                active.append(not model._is_passive(var, levels[q][c]))
            offset += len(levels[q])
        yield members, np.stack(columns, axis=2).astype(float), np.array(active)


def _coordinates(z: np.ndarray, Q: int, active: np.ndarray, n_components: int
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The individuals' coordinates of the specific MCA of a stack of indicator tables, the
    same numbers as :func:`~ptce_typology.analysis.mca.mca_core`'s ``F`` (the same operations,
    and numpy's batched SVD is LAPACK's on each table), the dimensions kept by each, and
    whether the sign of every kept axis was clear."""
    _, n, J = z.shape
    P = z / (n * Q)
    r = P.sum(axis=2)
    c = P.sum(axis=1)
    Tc = P / (r[:, :, None] * c[:, None, :]) - 1.0
    w = np.where(active[None, :], c, 0.0)
    S = np.sqrt(r)[:, :, None] * Tc * np.sqrt(w)[:, None, :]
    U, s, _ = np.linalg.svd(S, full_matrices=False)
    top = np.maximum(s[:, 0], 1e-300)
    rank = (s > 1e-12 * top[:, None]).sum(axis=1)
    n_eig = np.maximum(1, np.minimum(min(n - 1, J - Q), rank))
    ncp = np.minimum(n_components, n_eig)
    width = int(ncp.max())
    sv = s[:, :width]
    F = U[:, :, :width] * sv[:, None, :] / np.sqrt(r)[:, :, None]
    # FactoMineR's signs (mca_core): each column singular vector sums to a positive number.
    with np.errstate(divide="ignore", invalid="ignore"):
        G = np.matmul(np.swapaxes(Tc, 1, 2), r[:, :, None] * F) / sv[:, None, :]
        terms = np.sqrt(np.where(active[None, :], c, 1e-15))[:, :, None] * G
        total = terms.sum(axis=1) / sv
        clear = ((np.abs(total) * sv > MARGIN * np.abs(terms).sum(axis=1))
                 | (np.arange(width)[None, :] >= ncp[:, None])).all(axis=1)
    signs = np.sign(total)
    signs[signs == 0] = 1.0
    return F * signs[:, None, :], ncp, clear


def _cluster(F: np.ndarray, params: dict) -> tuple[np.ndarray, np.ndarray]:
    """HCPC's partition of each stack of coordinates, and whether it is settled."""
    heights, snapshots, clear = _ward(F)
    B, n, _ = F.shape
    gains = np.sort(heights ** 2 / 2, axis=1)[:, ::-1] / n
    k, clear_k = _choose_k(gains, n, params)
    clear &= clear_k
    merges = np.clip(n - k, 1, n - 1)
    tree = snapshots[np.arange(B), merges - 1]
    # The cut must fall between merges of clearly different heights (the tree's order).
    ordered = np.sort(heights, axis=1)
    below, above = ordered[np.arange(B), merges - 1], ordered[np.arange(B), np.minimum(
        merges, n - 2)]
    scale = ordered[:, -1:].ravel()
    clear &= (merges == n - 1) | (above - below > MARGIN * scale)
    codes = _canonical(tree)
    if params["consolidation"] == "none":
        return codes + 1, clear
    settled, stays = _stays(F, codes, k)
    labels = settled + 1
    moved = np.flatnonzero(clear & ~stays)
    labels[moved], clear[moved] = _consolidated(F[moved], codes[moved], k[moved], params)
    return labels, clear


def _cluster_trees(F: np.ndarray, params: dict) -> tuple[np.ndarray, np.ndarray]:
    """HCPC's partition of each stack of coordinates past ``BATCH_MAX_POLES`` poles: scipy's
    compiled tree and the rule for k table by table, on the same numbers as
    :func:`~ptce_typology.analysis.hcpc.partition`; the consolidation checked on the stack,
    run one by one where it moves poles."""
    from scipy.cluster.hierarchy import linkage

    from ptce_typology.analysis.hcpc import HCPC, choose_k
    from ptce_typology.errors import PtceError

    B, n, _ = F.shape
    order = np.argsort(F[:, :, 0], axis=1, kind="stable")
    Xs = np.take_along_axis(F, order[:, :, None], axis=1)
    before = np.zeros((B, n), dtype=np.int64)
    k = np.full(B, 2)
    ok = np.ones(B, dtype=bool)
    options = {key: params[key] for key in ("n_clusters", "rule", "min_clusters",
                                            "max_clusters")}
    for b in range(B):
        Z = linkage(Xs[b], method="ward")
        Z[:, 2] = Z[:, 2] ** 2 / 2
        gains = np.sort(Z[:, 2])[::-1] / n
        within = np.cumsum(gains[::-1])[::-1]
        try:
            k[b], _, _ = choose_k(within, gains, n, **options)
        except (PtceError, ValueError):
            ok[b] = False  # the one-by-one path says why
            continue
        before[b] = HCPC._number(Xs[b], _cut(Z, n, int(k[b])))
    labels = before.copy()
    if params["consolidation"] != "none":
        settled, stays = _stays(Xs, np.maximum(before - 1, 0), k)
        for b in np.flatnonzero(ok & stays):
            labels[b] = HCPC._number(Xs[b], settled[b])
        moved = np.flatnonzero(ok & ~stays)
        labels[moved], ok[moved] = _consolidated(Xs[moved], before[moved] - 1, k[moved],
                                                 params)
    out = np.empty_like(labels)
    np.put_along_axis(out, order, labels, axis=1)
    return out, ok


def _cut(merges: np.ndarray, m: int, k: int) -> np.ndarray:
    """The partition of :func:`~ptce_typology.analysis.ward.cut` (the m points after the
    first m - k merges) by pointer jumping on arrays instead of a union-find in Python."""
    parent = np.arange(2 * m - 1)
    done = merges[: m - k, :2].astype(np.int64)
    parent[done[:, 0]] = m + np.arange(m - k)
    parent[done[:, 1]] = m + np.arange(m - k)
    while True:
        up = parent[parent]
        if np.array_equal(up, parent):
            break
        parent = up
    return np.unique(parent[:m], return_inverse=True)[1].ravel()


def _numbered(X: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Clusters numbered 1..k by their centre on dimension 1 (HCPC's numbering)."""
    from ptce_typology.analysis.hcpc import HCPC

    order = np.argsort(X[:, 0], kind="stable")
    out = np.empty(len(X), dtype=np.int64)
    out[order] = HCPC._number(X[order], labels[order])
    return out


def _consolidated(X: np.ndarray, tree: np.ndarray, k: np.ndarray, params: dict
                  ) -> tuple[np.ndarray, np.ndarray]:
    """The consolidation of a stack of partitions (``tree``: 0-based labels of the rows of
    ``X``) where it moves poles: the steps of :func:`~ptce_typology.analysis.hcpc.partition`
    after its tree, on the same numbers, with AS 136 run on the stack
    (:func:`~ptce_typology.analysis.kmeans.hartigan_wong_stack`). Labels numbered 1..k, and
    whether each is settled."""
    from ptce_typology.analysis.hcpc import HCPC
    from ptce_typology.analysis.kmeans import hartigan_wong_stack

    B, n, _ = X.shape
    labels = np.zeros((B, n), dtype=np.int64)
    ok = np.zeros(B, dtype=bool)
    if not B:
        return labels, ok
    order = np.argsort(X[:, :, 0], axis=1, kind="stable")
    Xs = np.take_along_axis(X, order[:, :, None], axis=1)
    before = np.array([HCPC._number(Xs[b], tree[b][order[b]]) for b in range(B)]).reshape(
        B, n) - 1
    kmax = int(k.max(initial=2))
    sums = np.zeros((B, kmax, X.shape[2]))
    np.add.at(sums, (np.repeat(np.arange(B), n), before.ravel()), Xs.reshape(B * n, -1))
    counts = (before[:, :, None] == np.arange(kmax)).sum(axis=1)
    after, solved = hartigan_wong_stack(Xs, sums / np.maximum(counts, 1)[:, :, None], k)
    solved &= ((counts > 0) | (np.arange(kmax)[None, :] >= k[:, None])).all(axis=1)
    for b in np.flatnonzero(solved):  # else the one-by-one path says why
        labels[b, order[b]] = HCPC._number(Xs[b], after[b])
        ok[b] = True
    return labels, ok


def _ward(F: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ward's tree of each stack of points by the global-minimum merge and Lance-Williams'
    update (scipy's ``_ward`` formula, on Euclidean distances): the merge heights, the slot of
    each point after each merge, and whether no merge was ever near-tied with another that
    shares a point (:func:`_untied`)."""
    B, n, _ = F.shape
    diff = F[:, :, None, :] - F[:, None, :, :]
    D = np.sqrt((diff * diff).sum(axis=3))
    scale = D.reshape(B, -1).max(axis=1)
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    D = np.where(upper[None], D, np.inf)
    size = np.ones((B, n))
    slot = np.tile(np.arange(n), (B, 1))
    heights = np.zeros((B, n - 1))
    snapshots = np.zeros((B, n - 1, n), dtype=np.int64)
    clear = np.ones(B, dtype=bool)
    rows = np.arange(B)
    for step in range(n - 1):
        flat = D.reshape(B, -1)
        best = flat.argmin(axis=1)
        i, j = np.divmod(best, n)
        h = flat[rows, best]
        if step < n - 2:
            clear &= _untied(D, h, MARGIN * scale)
        heights[:, step] = h
        _merge(D, size, i, j, h, rows)
        slot = np.where(slot == j[:, None], i[:, None], slot)
        snapshots[:, step] = slot
    return heights, snapshots, clear


def _untied(D: np.ndarray, h: np.ndarray, margin: np.ndarray) -> np.ndarray:
    """Whether the nearest pair is the only candidate, or its near-equals are pairs of other
    points (merged in either order, they give the same tree), or all are pairs of identical
    points."""
    near = D <= (h + margin)[:, None, None]
    degree = near.sum(axis=1) + near.sum(axis=2)
    return (degree.max(axis=1) <= 1) | (h <= margin)


def _merge(D: np.ndarray, size: np.ndarray, i: np.ndarray, j: np.ndarray, h: np.ndarray,
           rows: np.ndarray) -> None:
    """Merge slot j into slot i of each stack: Lance-Williams' Ward update of i's distances,
    j's retired."""
    full = np.minimum(D, np.swapaxes(D, 1, 2))  # the symmetric distances (inf off the pairs)
    d_i, d_j = full[rows, i], full[rows, j]
    s_i, s_j = size[rows, i][:, None], size[rows, j][:, None]
    t = 1.0 / (s_i + s_j + size)
    new = np.sqrt((size + s_i) * t * d_i * d_i + (size + s_j) * t * d_j * d_j
                  - size * t * h[:, None] * h[:, None])
    n = D.shape[1]
    index = np.arange(n)[None, :]
    alive = np.isfinite(d_i) & np.isfinite(d_j)
    new = np.where(alive, new, np.inf)
    low = index < i[:, None]
    # Row i holds the pairs (i, r) for r > i; column i the pairs (r, i) for r < i.
    D[rows, :, i] = np.where(low, new, np.inf)
    D[rows, i, :] = np.where(index > i[:, None], new, np.inf)
    D[rows, j, :] = np.inf
    D[rows, :, j] = np.inf
    size[rows, i] += size[rows, j]


def _choose_k(gains: np.ndarray, n: int, params: dict) -> tuple[np.ndarray, np.ndarray]:
    """k by :func:`~ptce_typology.analysis.hcpc.choose_k`'s rules on a stack of gains, and
    whether the best ratio is clearly the best."""
    B = len(gains)
    if params["n_clusters"] is not None:
        k = int(params["n_clusters"])
        return np.full(B, k), np.full(B, 2 <= k <= n - 1)
    low = params["min_clusters"]
    high = params["max_clusters"] if params["max_clusters"] is not None else min(
        10, _r_round(n / 2))
    high = min(high, n - 1)
    if params["rule"] == "within_ratio":
        within = np.cumsum(gains[:, ::-1], axis=1)[:, ::-1]
        ks = np.arange(max(low, 2), high + 1)
        if len(ks) == 0:
            return np.zeros(B, dtype=int), np.zeros(B, dtype=bool)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratios = -(within[:, ks - 1] / within[:, ks - 2])
    else:
        high = min(max(high + 1, low), n - 1)
        ks = np.array([k for k in range(low + 1, high + 2) if k <= n - 1])
        if len(ks) == 0:
            return np.zeros(B, dtype=int), np.zeros(B, dtype=bool)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratios = gains[:, ks - 2] / gains[:, ks - 1]
    finite = np.isfinite(ratios).all(axis=1)
    ratios = np.where(np.isfinite(ratios), ratios, -np.inf)
    best = ratios.argmax(axis=1)
    top = np.sort(ratios, axis=1)
    gap = top[:, -1] - top[:, -2] if len(ks) > 1 else np.full(B, np.inf)
    clear = finite & (gap > MARGIN * np.abs(top[:, -1]))
    return ks[best], clear


def _canonical(slots: np.ndarray) -> np.ndarray:
    """Slots renumbered 0..k-1 by first appearance in each row."""
    B, n = slots.shape
    first = np.full((B, n), n)
    rows = np.repeat(np.arange(B), n)
    np.minimum.at(first, (rows, slots.ravel()), np.tile(np.arange(n), B))
    rank = np.argsort(np.argsort(first, axis=1, kind="stable"), axis=1, kind="stable")
    return np.take_along_axis(rank, slots, axis=1)


def _stays(F: np.ndarray, codes: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Hartigan-Wong consolidation from the tree's cluster means, where it moves nothing:
    each point's nearest mean (clearly nearest), then no transfer that AS 136's first
    optimal-transfer pass would make (clearly not). Returns the partition it starts from and
    whether that is the consolidated partition."""
    B, n, _ = F.shape
    kmax = int(k.max())
    onehot = (codes[:, :, None] == np.arange(kmax)[None, None, :]).astype(float)
    counts = onehot.sum(axis=1)
    means = np.matmul(np.swapaxes(onehot, 1, 2), F) / np.maximum(counts, 1)[:, :, None]
    exists = np.arange(kmax)[None, :] < k[:, None]
    d = ((F[:, :, None, :] - means[:, None, :, :]) ** 2).sum(axis=3)
    d = np.where(exists[:, None, :], d, np.inf)
    order = np.sort(d, axis=2)
    start = d.argmin(axis=2)
    clear = ((order[:, :, 1] - order[:, :, 0]) > MARGIN * np.maximum(order[:, :, 1], 1e-300)
             ).all(axis=1)
    onehot = (start[:, :, None] == np.arange(kmax)[None, None, :]).astype(float)
    nc = onehot.sum(axis=1)
    clear &= ((nc > 0) | ~exists).all(axis=1)
    centres = np.matmul(np.swapaxes(onehot, 1, 2), F) / np.maximum(nc, 1)[:, :, None]
    d = ((F[:, :, None, :] - centres[:, None, :, :]) ** 2).sum(axis=3)
    an2 = nc / (nc + 1.0)
    an1 = np.where(nc > 1, nc / np.maximum(nc - 1.0, 1.0), 1e300)
    own = np.take_along_axis(d, start[:, :, None], axis=2)[:, :, 0]
    stay = own * np.take_along_axis(an1, start, axis=1)
    cost = np.where(exists[:, None, :], d * an2[:, None, :], np.inf)
    np.put_along_axis(cost, start[:, :, None], np.inf, axis=2)
    move = cost.min(axis=2)
    single = np.take_along_axis(nc, start, axis=1) == 1
    clear &= (single | (move - stay > MARGIN * np.maximum(move, 1e-300))).all(axis=1)
    return _canonical(start), clear
