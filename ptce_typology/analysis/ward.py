"""Ward's hierarchical clustering with weights, for data too large for a full distance
matrix.

The nearest-neighbour-chain algorithm on cluster centroids and weights: memory O(m) and time
O(m²) for m points, each step one vectorised pass. The Ward dissimilarity of clusters a and b
is ``w_a w_b / (w_a + w_b) * |c_a - c_b|²``, which is the between-inertia their merge loses
(times the total weight). Merges are returned sorted by that dissimilarity, as the
hierarchy's heights (Ward's method is reducible, so the sorted chain merges form the same
tree as the classical algorithm, ties aside).
"""

from __future__ import annotations

import numpy as np


def ward_weighted(X: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Merges of weighted Ward clustering.

    Returns
    -------
    ndarray, shape (m - 1, 4)
        A scipy-style linkage matrix: the two merged cluster ids (points are 0..m-1, the
        i-th merge creates cluster m + i), the Ward dissimilarity, and the total weight.
    """
    X = np.asarray(X, dtype=float)
    m = len(X)
    centres = np.zeros((2 * m - 1, X.shape[1]))
    centres[:m] = X
    mass = np.zeros(2 * m - 1)
    mass[:m] = np.asarray(weights, dtype=float)
    active = np.zeros(2 * m - 1, dtype=bool)
    active[:m] = True
    merges = []
    chain: list[int] = []
    next_id = m
    while len(merges) < m - 1:
        if not chain:
            chain.append(int(np.flatnonzero(active)[0]))
        a = chain[-1]
        ids = np.flatnonzero(active)
        ids = ids[ids != a]
        diff = centres[ids] - centres[a]
        d = mass[ids] * mass[a] / (mass[ids] + mass[a]) * np.einsum("ij,ij->i", diff, diff)
        best = int(ids[np.argmin(d)])
        best_d = float(d.min())
        if len(chain) > 1:
            prev = chain[-2]
            prev_d = float(d[ids == prev][0])
            if prev_d <= best_d:
                best, best_d = prev, prev_d
        if len(chain) > 1 and best == chain[-2]:
            chain.pop()
            chain.pop()
            total = mass[a] + mass[best]
            centres[next_id] = (centres[a] * mass[a] + centres[best] * mass[best]) / total
            mass[next_id] = total
            active[a] = active[best] = False
            active[next_id] = True
            merges.append((min(a, best), max(a, best), best_d, total))
            next_id += 1
        elif best in chain:
            # Identical points: a merged centroid may lie a rounding error (1e-33) away from
            # its parts, so the chain can come back to a point it holds. In exact arithmetic
            # every such distance is 0 (a tie): go on from that point.
            del chain[chain.index(best) + 1:]
        else:
            chain.append(best)
    return _relabel_sorted(np.array(merges), m)


def _relabel_sorted(merges: np.ndarray, m: int) -> np.ndarray:
    """Sort merges by height and renumber the clusters they create accordingly."""
    order = np.argsort(merges[:, 2], kind="stable")
    new_id = {m + int(old): m + new for new, old in enumerate(order)}
    out = merges[order].copy()
    for row in out:
        for j in (0, 1):
            row[j] = new_id.get(int(row[j]), row[j])
        if row[0] > row[1]:
            row[0], row[1] = row[1], row[0]
    return out


def cut(merges: np.ndarray, m: int, k: int) -> np.ndarray:
    """Labels 0..k-1 of the m points after the first m - k merges (union-find)."""
    parent = list(range(2 * m - 1))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, (a, b, _, _) in enumerate(merges[: m - k]):
        node = m + i
        parent[find(int(a))] = node
        parent[find(int(b))] = node
    roots = [find(x) for x in range(m)]
    mapping: dict[int, int] = {}
    return np.array([mapping.setdefault(r, len(mapping)) for r in roots])
