"""k-means consolidation from given centres, as R's ``kmeans`` does it.

``hartigan_wong`` follows Applied Statistics algorithm AS 136 (Hartigan & Wong, 1979) as R's
``kmns.f`` implements it: the optimal-transfer and quick-transfer stages, live sets, and the
same stopping rules. scikit-learn has only Lloyd and Elkan, and R's default (the one
FactoMineR's HCPC uses for ``consol = TRUE``) is Hartigan-Wong, whose partitions can differ.
``lloyd`` is R's ``algorithm = "Lloyd"``. Both start from the centres given and take
``iter_max`` (R's default 10).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BIG = 1.0e30


@dataclass
class KMeansResult:
    """What a k-means run found: the 0-based label of each point, the k × p centres, the
    within-cluster sum of squares of each cluster, the iterations run, whether it converged,
    and a note saying what it did otherwise (an empty cluster...)."""

    labels: np.ndarray        # 0-based cluster of each point
    centres: np.ndarray       # k × p
    within: np.ndarray        # within-cluster sum of squares per cluster
    iterations: int
    converged: bool
    note: str = ""


def cluster_means(X: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """The mean of each cluster's points (k × p; labels 0..k-1), in one pass over the
    points."""
    sums = np.zeros((k, X.shape[1]))
    np.add.at(sums, labels, X)
    return sums / np.bincount(labels, minlength=k)[:, None]


def _finish(X: np.ndarray, labels: np.ndarray, k: int, iterations: int, converged: bool,
            note: str = "") -> KMeansResult:
    centres = cluster_means(X, labels, k)
    within = np.bincount(labels, weights=((X - centres[labels]) ** 2).sum(axis=1),
                         minlength=k)
    return KMeansResult(labels, centres, within, iterations, converged, note)


def lloyd(X: np.ndarray, centres: np.ndarray, iter_max: int = 10) -> KMeansResult:
    """R's ``kmeans(algorithm = "Lloyd")``: nearest centre (the first on a tie), then means."""
    X = np.asarray(X, dtype=float)
    C = np.array(centres, dtype=float, copy=True)
    k = C.shape[0]
    labels = np.full(X.shape[0], -1)
    converged = False
    iterations = 0
    for iterations in range(1, iter_max + 1):  # noqa: B007 - read after the loop
        d = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2)
        new = d.argmin(axis=1)
        if np.array_equal(new, labels):
            converged = True
            break
        labels = new
        for j in range(k):
            members = X[labels == j]
            if len(members) == 0:
                raise ValueError("empty cluster: try a better set of initial centres")
            C[j] = members.mean(axis=0)
    return _finish(X, labels, k, iterations, converged)


def hartigan_wong(X: np.ndarray, centres: np.ndarray, iter_max: int = 10) -> KMeansResult:
    """R's default ``kmeans`` (AS 136) from the given centres."""
    A = np.asarray(X, dtype=float)
    C = np.array(centres, dtype=float, copy=True)
    m, _ = A.shape
    k = C.shape[0]
    if k < 2 or k >= m:
        raise ValueError("Hartigan-Wong needs 1 < k < number of points")
    # For each point, its closest and second closest centres (ties go to the lower index, as
    # AS 136's scan does: a stable sort of the distances).
    d = ((A[:, None, :] - C[None, :, :]) ** 2).sum(axis=2)
    nearest = np.argsort(d, axis=1, kind="stable")
    counts = np.bincount(nearest[:, 0], minlength=k)
    if (counts == 0).any():
        raise ValueError("empty cluster: try a better set of initial centres")
    C[:] = cluster_means(A, nearest[:, 0], k)
    # The scan's state as Python lists (the same numbers): read point by point, numpy's
    # scalars would cost more than the arithmetic.
    nc = counts.astype(float)
    an2 = (nc / (nc + 1.0)).tolist()
    an1 = np.where(nc > 1, nc / np.maximum(nc - 1.0, 1.0), BIG).tolist()
    nc = nc.tolist()
    ic1, ic2 = nearest[:, 0].tolist(), nearest[:, 1].tolist()
    itran = [True] * k
    ncp = [-1] * k
    live = [0] * k
    dd = [0.0] * m
    state = {"indx": 0}
    imaxqtr = 50 * m
    converged = False
    note = ""
    iterations = 0
    for iterations in range(1, iter_max + 1):  # noqa: B007 - read after the loop
        _optra(A, C, k, ic1, ic2, nc, an1, an2, ncp, dd, itran, live, state)
        if state["indx"] == m:
            converged = True
            break
        if not _qtran(A, C, k, ic1, ic2, nc, an1, an2, ncp, dd, itran, state, imaxqtr):
            note = f"the quick-transfer stage exceeded {imaxqtr} steps"
            break
        if k == 2:
            converged = True
            break
        ncp[:] = [0] * k
    return _finish(A, np.array(ic1, dtype=np.int64), k, iterations, converged, note)


def _transfer(A, C, i, l1, l2, nc, an1, an2) -> None:
    al1 = nc[l1]
    alw = al1 - 1.0
    al2 = nc[l2]
    alt = al2 + 1.0
    C[l1] = (C[l1] * al1 - A[i]) / alw
    C[l2] = (C[l2] * al2 + A[i]) / alt
    nc[l1] -= 1.0
    nc[l2] += 1.0
    an2[l1] = alw / al1
    an1[l1] = alw / (alw - 1.0) if alw > 1.0 else BIG
    an1[l2] = alt / al2
    an2[l2] = alt / (alt + 1.0)


# Points whose distances to the centres are computed at once by the transfer stages, until a
# transfer moves two centres.
_BLOCK = 128


def _distances(A, C, first: int) -> list[list[float]]:
    """The squared distances of points ``first``.. (up to ``_BLOCK`` of them) to every centre,
    in one array operation: the same sums as one point at a time."""
    return ((A[first:first + _BLOCK, None, :] - C[None, :, :]) ** 2).sum(axis=2).tolist()


def _optra(A, C, k, ic1, ic2, nc, an1, an2, ncp, dd, itran, live, state) -> None:
    """The optimal-transfer stage. Steps are counted 1..m as in the Fortran."""
    m = A.shape[0]
    for cluster in range(k):
        if itran[cluster]:
            live[cluster] = m + 1
    block: list[list[float]] = []
    first = end = 0
    for step in range(1, m + 1):
        i = step - 1
        state["indx"] += 1
        l1 = ic1[i]
        if nc[l1] != 1:
            if i >= end:
                first, block = i, _distances(A, C, i)
                end = first + len(block)
            dist = block[i - first]
            if ncp[l1] != 0:
                dd[i] = dist[l1] * an1[l1]
            ll = ic2[i]
            r2 = dist[ll] * an2[ll]
            l2 = ll
            for cl in range(k):
                if (step >= live[l1] and step >= live[cl]) or cl == l1 or cl == ll:
                    continue
                rr = r2 / an2[cl]
                dc = dist[cl]
                if dc >= rr:
                    continue
                r2 = dc * an2[cl]
                l2 = cl
            if r2 >= dd[i]:
                ic2[i] = l2
            else:
                state["indx"] = 0
                live[l1] = live[l2] = m + step
                ncp[l1] = ncp[l2] = step
                _transfer(A, C, i, l1, l2, nc, an1, an2)
                ic1[i] = l2
                ic2[i] = l1
                end = i + 1  # the centres moved
        if state["indx"] == m:
            return
    for cluster in range(k):
        itran[cluster] = False
        live[cluster] -= m


def _qtran(A, C, k, ic1, ic2, nc, an1, an2, ncp, dd, itran, state, imaxqtr) -> bool:
    """The quick-transfer stage; False when it runs past ``imaxqtr`` steps (R's ifault 4)."""
    m = A.shape[0]
    icoun = 0
    istep = 0
    block: list[list[float]] = []
    first = end = 0
    while True:
        for i in range(m):
            icoun += 1
            istep += 1
            if istep >= imaxqtr:
                return False
            l1 = ic1[i]
            l2 = ic2[i]
            if nc[l1] != 1:
                fresh = istep <= ncp[l1]
                tested = not (istep >= ncp[l1] and istep >= ncp[l2])
                if fresh or tested:
                    if not first <= i < end:
                        first, block = i, _distances(A, C, i)
                        end = first + len(block)
                    dist = block[i - first]
                if fresh:
                    dd[i] = dist[l1] * an1[l1]
                if tested:
                    r2 = dd[i] / an2[l2]
                    if dist[l2] < r2:
                        icoun = 0
                        state["indx"] = 0
                        itran[l1] = itran[l2] = True
                        ncp[l1] = ncp[l2] = istep + m
                        _transfer(A, C, i, l1, l2, nc, an1, an2)
                        ic1[i] = l2
                        ic2[i] = l1
                        end = i + 1  # the centres moved
            if icoun == m:
                return True


def hartigan_wong_stack(X: np.ndarray, centres: np.ndarray, sizes: np.ndarray | None = None,
                        iter_max: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """:func:`hartigan_wong` on a stack of problems (B × m points, B × k centres; problem b
    uses its first ``sizes[b]`` centres, default all), every step of AS 136 run on the whole
    stack: the same arithmetic on each problem, so the same labels. Returns the 0-based labels
    (B × m) and a mask of the problems solved; False where :func:`hartigan_wong` raises."""
    A = np.asarray(X, dtype=float)
    B, m, _ = A.shape
    k = centres.shape[1]
    sizes = np.full(B, k) if sizes is None else np.asarray(sizes)
    exists = np.arange(k)[None, :] < sizes[:, None]
    C = np.where(exists[:, :, None], centres, 0.0).astype(float)
    d = np.where(exists[:, None, :], ((A[:, :, None, :] - C[:, None, :, :]) ** 2).sum(axis=3),
                 np.inf)
    nearest = np.argsort(d, axis=2, kind="stable")
    s = {"ic1": nearest[:, :, 0].copy(), "ic2": nearest[:, :, 1].copy(), "exists": exists}
    nc = (s["ic1"][:, :, None] == np.arange(k)).sum(axis=1).astype(float)
    solved = ((nc > 0) | ~exists).all(axis=1) & (sizes >= 2) & (sizes < m)
    sums = np.zeros_like(C)
    np.add.at(sums, (np.repeat(np.arange(B), m), s["ic1"].ravel()), A.reshape(B * m, -1))
    C[:] = sums / np.maximum(nc, 1.0)[:, :, None]
    s.update(A=A, C=C, nc=nc, an2=nc / (nc + 1.0),
             an1=np.where(nc > 1, nc / np.maximum(nc - 1.0, 1.0), BIG),
             itran=np.ones((B, k), dtype=bool), ncp=np.full((B, k), -1, dtype=np.int64),
             live=np.zeros((B, k), dtype=np.int64), dd=np.zeros((B, m)),
             indx=np.zeros(B, dtype=np.int64))
    running = solved.copy()
    # Padded clusters (nc = 0) divide by zero; their results are never read.
    with np.errstate(divide="ignore", invalid="ignore"):
        for _ in range(iter_max):
            _optra_stack(s, running)
            running &= s["indx"] != m
            if not running.any():
                break
            running &= _qtran_stack(s, running, 50 * m) & (sizes != 2)
            s["ncp"][running] = 0
    return s["ic1"], solved


def _transfer_stack(s: dict, b: np.ndarray, i: int, l1: np.ndarray, l2: np.ndarray) -> None:
    """:func:`_transfer` of point ``i`` of the problems ``b`` from ``l1`` to ``l2``."""
    nc, C, A = s["nc"], s["C"], s["A"]
    al1 = nc[b, l1]
    alw = al1 - 1.0
    al2 = nc[b, l2]
    alt = al2 + 1.0
    C[b, l1] = (C[b, l1] * al1[:, None] - A[b, i]) / alw[:, None]
    C[b, l2] = (C[b, l2] * al2[:, None] + A[b, i]) / alt[:, None]
    nc[b, l1] -= 1.0
    nc[b, l2] += 1.0
    s["an2"][b, l1] = alw / al1
    s["an1"][b, l1] = np.where(alw > 1.0, alw / (alw - 1.0), BIG)
    s["an1"][b, l2] = alt / al2
    s["an2"][b, l2] = alt / (alt + 1.0)
    s["ic1"][b, i] = l2
    s["ic2"][b, i] = l1


def _optra_stack(s: dict, running: np.ndarray) -> None:
    """:func:`_optra` on the running problems of the stack."""
    A, C, nc, an1, an2, ic1, ic2 = (s[key] for key in ("A", "C", "nc", "an1", "an2", "ic1",
                                                       "ic2"))
    B, m, _ = A.shape
    k = C.shape[1]
    rows = np.arange(B)
    s["live"] = np.where(s["itran"] & running[:, None], m + 1, s["live"])
    live, ncp = s["live"], s["ncp"]
    going = running.copy()
    clusters = np.arange(k)
    for step in range(1, m + 1):
        i = step - 1
        s["indx"][going] += 1
        l1 = ic1[:, i]
        # Only the problems that scan point i, each with the numbers it has in the stack.
        g = np.flatnonzero(going & (nc[rows, l1] != 1))
        if len(g):
            own, here = l1[g], np.arange(len(g))
            dist = ((A[g, i][:, None, :] - C[g]) ** 2).sum(axis=2)
            fresh = ncp[g, own] != 0
            s["dd"][g[fresh], i] = dist[here, own][fresh] * an1[g, own][fresh]
            ll = ic2[g, i]
            an2_g = an2[g]
            r2 = dist[here, ll] * an2_g[here, ll]
            l2 = ll.copy()
            # What the scan over the clusters reads does not change during it: taken once,
            # one row per cluster (the same numbers, so the same comparisons, as cluster by
            # cluster).
            tried = ~(((step >= live[g, own])[:, None] & (step >= live[g]))
                      | (clusters == own[:, None]) | (clusters == ll[:, None])
                      | ~s["exists"][g]).T
            dist_t, an2_t = dist.T, an2_g.T
            weighted = dist_t * an2_t
            for cl in range(k):
                rr = r2 / an2_t[cl]  # inf or nan on padded clusters, not tried
                better = tried[cl] & ~(dist_t[cl] >= rr)
                r2 = np.where(better, weighted[cl], r2)
                l2 = np.where(better, cl, l2)
            stay = r2 >= s["dd"][g, i]
            ic2[g[stay], i] = l2[stay]
            move, to = g[~stay], l2[~stay]
            if len(move):
                s["indx"][move] = 0
                for cluster in (l1[move], to):
                    live[move, cluster] = m + step
                    ncp[move, cluster] = step
                _transfer_stack(s, move, i, l1[move], to)
        going &= s["indx"] != m
        if not going.any():
            break
    s["itran"][going] = False
    live[going] -= m


def _qtran_stack(s: dict, running: np.ndarray, imaxqtr: int) -> np.ndarray:
    """:func:`_qtran` on the running problems; False where it ran past ``imaxqtr`` steps."""
    A, C, nc, an1, an2, ic1, ic2, ncp = (s[key] for key in ("A", "C", "nc", "an1", "an2",
                                                            "ic1", "ic2", "ncp"))
    B, m, _ = A.shape
    rows = np.arange(B)
    going = running.copy()
    icoun = np.zeros(B, dtype=np.int64)
    istep = 0
    while True:
        for i in range(m):
            icoun[going] += 1
            istep += 1
            if istep >= imaxqtr:
                return ~going & running
            l1, l2 = ic1[:, i], ic2[:, i]
            scan = going & (nc[rows, l1] != 1)
            fresh = scan & (istep <= ncp[rows, l1])
            if fresh.any():
                own = ((A[fresh, i] - C[fresh, l1[fresh]]) ** 2).sum(axis=1)
                s["dd"][fresh, i] = own * an1[fresh, l1[fresh]]
            # Only the problems that test point i: each one's numbers as over the whole stack.
            tested = np.flatnonzero(scan & ~((istep >= ncp[rows, l1])
                                             & (istep >= ncp[rows, l2])))
            to = l2[tested]
            r2 = s["dd"][tested, i] / an2[tested, to]
            d2 = ((A[tested, i] - C[tested, to]) ** 2).sum(axis=1)
            move = tested[d2 < r2]
            if len(move):
                icoun[move] = 0
                s["indx"][move] = 0
                for cluster in (l1[move], l2[move]):
                    s["itran"][move, cluster] = True
                    ncp[move, cluster] = istep + m
                _transfer_stack(s, move, i, l1[move], l2[move])
            going &= icoun != m
            if not going.any():
                return running.copy()
