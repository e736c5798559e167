"""Hierarchical clustering on principal components, as FactoMineR's ``HCPC`` does it.

Steps (FactoMineR 2.7 and 2.14, ``R/HCPC.R``; only the automatic k differs): the individuals'
MCA coordinates on the first ``ncp`` dimensions, sorted by their coordinate on dimension 1 (a
stable sort); Ward's method (scipy's
``ward`` linkage on those coordinates gives FactoMineR's tree; the inertia gain of a merge is
``height² / (2n)``); the number of clusters by a named rule; the tree cut at k; k-means
consolidation from the cluster means (Hartigan-Wong, R's default, or Lloyd); clusters numbered
by the coordinate of their centre on dimension 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ptce_typology.analysis.parameters import CONSOLIDATIONS, DEFAULT_RULE, K_RULES
from ptce_typology.errors import PtceError

RULES = (*K_RULES, "fixed")
NN_CHAIN_MAX = 500  # up to this many individuals, Ward's tree without importing scipy
# Ward on every individual needs n²/2 distances: 12,000 individuals take about 0.6 GB.
EXACT_WARD_MAX = 12_000
# Above this many individuals, identical ones are aggregated first when that leaves at most
# WEIGHTED_WARD_MAX distinct profiles: the same tree above the zero-gain merges, much faster.
AGGREGATE_FROM = 2_000
WEIGHTED_WARD_MAX = 3_000
PRECLUSTERS = 1_000


@dataclass
class ClusterRule:
    """How k was chosen, to print beside every result."""

    name: str
    description: str


RULE_TEXT = {
    "within_ratio": "FactoMineR 2.7 (up to 2.12): k in [min, max] minimising "
                    "within(k) / within(k-1), max = min(10, round(n/2))",
    "gain_ratio": "FactoMineR 2.14: k in [min+1, max+1] maximising gain(k-1) / gain(k), "
                  "max = min(max(min(10, round(n/2)) + 1, min), n - 1)",
    "fixed": "k fixed by the user",
}


def _r_round(x: float) -> int:
    """R's round(): halves go to the even integer (IEC 60559), as Python's round."""
    return int(round(x))


class HCPC:
    """Ward clustering of MCA coordinates with FactoMineR's choices.

    Parameters
    ----------
    n_clusters : int or None
        A fixed k; None chooses k with ``rule``.
    rule : {"gain_ratio", "within_ratio"}
        ``gain_ratio`` is FactoMineR 2.14's automatic rule (the default): k in [min+1, max+1]
        maximising gain(k-1) / gain(k); ``within_ratio`` is 2.7's (1.34 to 2.12): k in
        [min, max] minimising within(k) / within(k-1).
    min_clusters, max_clusters : int
        FactoMineR's ``min`` (3) and ``max`` (None: min(10, round(n/2))).
    consolidation : {"hartigan-wong", "lloyd", "none"}
        k-means consolidation from the cluster means; FactoMineR uses R's default,
        Hartigan-Wong.
    iter_max : int
        Iterations of the consolidation (FactoMineR's ``iter.max``, 10).

    Attributes (after ``fit``)
    --------------------------
    order_ : Index
        Individuals sorted by their coordinate on dimension 1.
    linkage_ : ndarray
        Linkage matrix (merged ids, Ward dissimilarity, weight) on the tree's leaves: the
        individuals in ``order_``, or, above ``EXACT_WARD_MAX`` individuals, their distinct
        profiles (or k-means pre-clusters); ``leaf_members_`` maps each individual in
        ``order_`` to its leaf.
    tree_method_ : str
        How the tree was built; ``notes_`` says what changed at large n.
    inertia_gain_ : Series
        Index k = 1..n-1: the between-inertia gained going from k to k+1 clusters.
    within_ : Series
        Index k = 1..n-1: within-cluster inertia of the k-cluster cut.
    ratios_ : Series
        The ratios the rule compared, by k.
    n_clusters_ : int
    labels_before_ : Series
        Cluster (1..k) of each individual from the tree cut, before consolidation.
    labels_ : Series
        Cluster (1..k) after consolidation, in the order of the input index.
    centres_ : DataFrame
        Cluster means of the coordinates (index 1..k).
    rule_ : ClusterRule
    """

    def __init__(self, n_clusters: int | None = None, rule: str = DEFAULT_RULE,
                 min_clusters: int = 3, max_clusters: int | None = None,
                 consolidation: str = "hartigan-wong", iter_max: int = 10) -> None:
        self.n_clusters = n_clusters
        self.rule = rule
        self.min_clusters = min_clusters
        self.max_clusters = max_clusters
        self.consolidation = consolidation
        self.iter_max = iter_max

    def fit(self, coordinates: pd.DataFrame) -> HCPC:
        """Build the Ward tree, choose k, cut and consolidate.

        Parameters
        ----------
        coordinates : DataFrame
            Individuals × dimensions (an MCA's ``row_coordinates_``), at least three rows.

        Returns
        -------
        HCPC
            ``self``, with the attributes above; ``labels_`` is indexed as ``coordinates``.
        """
        from ptce_typology.analysis.ward import cut

        if self.rule not in RULES[:2]:
            raise PtceError("unknown rule for the number of clusters", field="rule",
                            value=self.rule, allowed=RULES[:2])
        if self.consolidation not in CONSOLIDATIONS:
            raise PtceError("unknown consolidation", field="consolidation",
                            value=self.consolidation, allowed=CONSOLIDATIONS)
        n = len(coordinates)
        if n < 3:
            raise PtceError("clustering needs at least three individuals", value=n)
        X = coordinates.to_numpy(dtype=float)
        order = np.argsort(X[:, 0], kind="stable")
        self.order_ = coordinates.index[order]
        Xs = X[order]
        self.notes_: list[str] = []
        Z, members, m, consolidation = self._tree(Xs)
        self.linkage_ = Z
        self.leaf_members_ = members
        gains = np.zeros(n - 1)
        gains[: m - 1] = np.sort(Z[:, 2])[::-1] / n
        self.inertia_gain_ = pd.Series(gains, index=pd.RangeIndex(1, n, name="k"),
                                       name="inertia_gain")
        within = np.cumsum(gains[::-1])[::-1]
        self.within_ = pd.Series(within, index=pd.RangeIndex(1, n, name="k"), name="within")
        if not np.any(gains > 1e-12 * max(1.0, float(np.abs(Xs).max(initial=0.0)))):
            raise PtceError("the poles do not differ on the active descriptors (identical, or "
                            "all unknown), so there is nothing to cluster; choose other "
                            "active descriptors or add poles", value=f"{n} poles")
        self.n_clusters_, self.ratios_, self.rule_ = self._choose_k(n)
        k = self.n_clusters_
        if k > m:
            raise PtceError("more clusters than distinct individuals", field="n_clusters", value=k,
                            allowed=[f"2..{m}"])
        before = self._number(Xs, cut(Z, m, k)[members])
        self.labels_before_ = pd.Series(before, index=self.order_, name="cluster").loc[
            coordinates.index]
        self.tree_points_ = int(m)
        self.consolidation_used_ = consolidation
        self.consolidation_iterations_ = 0
        self.consolidation_converged_ = True
        after, result = consolidate(Xs, before, k, consolidation, self.iter_max)
        if result is None:
            self.consolidation_note_ = "no consolidation"
        else:
            self.consolidation_iterations_ = int(result.iterations)
            self.consolidation_converged_ = bool(result.converged)
            self.consolidation_note_ = (
                f"{consolidation}, {result.iterations} iteration(s)"
                + ("" if result.converged else ", did not converge") + (
                    f"; {result.note}" if result.note else ""))
        self.labels_ = pd.Series(after, index=self.order_, name="cluster").loc[
            coordinates.index]
        self.centres_ = coordinates.groupby(self.labels_).mean()
        self.centres_.index.name = "cluster"
        self.moved_ = list(self.labels_.index[self.labels_ != self.labels_before_])
        return self

    def _tree(self, Xs: np.ndarray) -> tuple[np.ndarray, np.ndarray, int, str]:
        """Ward's tree of the sorted individuals: on every individual, on the distinct
        profiles weighted by their counts, or on k-means pre-clusters (large data). Returns the
        linkage, each individual's leaf, the number of leaves and the consolidation to use."""
        from ptce_typology.analysis.ward import ward_weighted

        n = len(Xs)
        consolidation = self.consolidation
        # The distinct profiles, sorted once: counted here, and the tree's leaves below.
        profiles = np.unique(Xs, axis=0, return_inverse=True, return_counts=True) \
            if n > AGGREGATE_FROM else None
        distinct = n if profiles is None else profiles[0].shape[0]
        if n <= EXACT_WARD_MAX and (n <= AGGREGATE_FROM or distinct > WEIGHTED_WARD_MAX):
            Z = ward_tree(Xs)
            members = np.arange(n)
            m = n
            self.tree_method_ = "Ward on every individual (FactoMineR's tree)"
            self.tree_code_ = "exact"
        else:
            points, members, counts = profiles if profiles is not None else np.unique(
                Xs, axis=0, return_inverse=True, return_counts=True)
            members = members.ravel()
            if len(points) <= WEIGHTED_WARD_MAX:
                self.tree_code_ = "weighted_profiles"
                self.tree_method_ = (f"Ward on the {len(points):,} distinct profiles, weighted "
                                     "by their counts (exact: identical individuals merge "
                                     "first at no cost)")
            else:
                from sklearn.cluster import KMeans

                km = KMeans(n_clusters=PRECLUSTERS, n_init=1, random_state=0).fit(Xs)
                members = km.labels_
                counts = np.bincount(members, minlength=PRECLUSTERS)
                points = km.cluster_centers_
                self.tree_code_ = "preclusters"
                self.tree_method_ = (f"k-means pre-clustering into {PRECLUSTERS} groups, then "
                                     "weighted Ward on their centres (FactoMineR's kk option; "
                                     "the tree is approximate)")
                consolidation = "none"
            Z = ward_weighted(points, counts)
            m = len(points)
            if consolidation == "hartigan-wong" and n > EXACT_WARD_MAX:
                consolidation = "lloyd"
                self.notes_.append(f"above {EXACT_WARD_MAX:,} individuals the consolidation is "
                                   "Lloyd's k-means (Hartigan-Wong moves single individuals "
                                   "and would take too long)")
            self.notes_.append(self.tree_method_)
        return Z, members, m, consolidation

    @staticmethod
    def _number(Xs: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """Clusters 1..k by the coordinate of their centre on dimension 1, as FactoMineR."""
        labels = np.asarray(labels, dtype=np.int64)
        keys, first = np.unique(labels, return_index=True)
        inverse = np.searchsorted(keys, labels)
        centre = (np.bincount(inverse, weights=Xs[:, 0], minlength=len(keys))
                  / np.bincount(inverse, minlength=len(keys)))
        # by the centre on dimension 1, then by first appearance
        ranked = np.lexsort((first, centre))
        rank = np.empty(len(keys), dtype=np.int64)
        rank[ranked] = np.arange(1, len(keys) + 1)
        return rank[inverse]

    def _choose_k(self, n: int) -> tuple[int, pd.Series, ClusterRule]:
        k, ks, ratios = choose_k(self.within_.to_numpy(), self.inertia_gain_.to_numpy(), n,
                                 self.n_clusters, self.rule, self.min_clusters,
                                 self.max_clusters)
        if self.n_clusters is not None:
            return k, pd.Series(dtype=float, name="ratio"), ClusterRule("fixed",
                                                                        RULE_TEXT["fixed"])
        series = pd.Series(ratios, index=pd.Index(ks, name="k"), name="ratio")
        return k, series, ClusterRule(self.rule, RULE_TEXT[self.rule])


def ward_tree(Xs: np.ndarray) -> np.ndarray:
    """Ward's tree of individuals of equal weight, heights as Ward dissimilarities (half the
    squared distance of two individuals): scipy's ``linkage(method="ward")``, whose import
    costs half a second, only above ``NN_CHAIN_MAX`` individuals."""
    from ptce_typology.analysis.ward import ward_weighted

    if len(Xs) > NN_CHAIN_MAX:
        from scipy.cluster.hierarchy import linkage

        Z = linkage(Xs, method="ward")
        Z[:, 2] = Z[:, 2] ** 2 / 2
        return Z
    return ward_weighted(Xs, np.ones(len(Xs)))


def choose_k(within: np.ndarray, gains: np.ndarray, n: int, n_clusters: int | None,
             rule: str, min_clusters: int = 3, max_clusters: int | None = None
             ) -> tuple[int, list[int], np.ndarray]:
    """The number of clusters: fixed, or by FactoMineR's rule on the tree's figures.

    ``within[k - 1]`` and ``gains[k - 1]`` are within(k) and gain(k) for k = 1..n-1. Returns
    k, the ks compared and their ratios.
    """
    if n_clusters is not None:
        k = int(n_clusters)
        if not 2 <= k <= n - 1:
            raise PtceError("the number of clusters must be between 2 and n - 1",
                            field="n_clusters", value=k, allowed=[f"2..{n - 1}"])
        return k, [], np.array([])
    low = min_clusters
    high = max_clusters if max_clusters is not None else min(10, _r_round(n / 2))
    high = min(high, n - 1)
    if rule == "within_ratio":
        ks = list(range(max(low, 2), high + 1))
        if not ks:
            raise PtceError("too few individuals for the automatic number of clusters; "
                            "give the number of clusters", field="n_clusters", value=n)
        ratios = np.array([within[k - 1] / within[k - 2] for k in ks])
        return ks[int(np.argmin(ratios))], ks, ratios
    # FactoMineR 2.14: max <- min(max(max + 1, min), n - 1), then gain[min:max] /
    # gain[(min+1):(max+1)] and k = which.max + min, so k runs over min+1 .. max+1; gain(n - 1)
    # is the last gain, so k = n - 1 has a ratio and k = n (R's NA) has none.
    high = min(max(high + 1, low), n - 1)
    ks = [k for k in range(low + 1, high + 2) if k <= n - 1]
    if not ks:
        raise PtceError("too few individuals for the automatic number of clusters; "
                        "give the number of clusters", field="n_clusters", value=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.array([gains[k - 2] / gains[k - 1] for k in ks])
    return ks[int(np.nanargmax(ratios))], ks, ratios


def consolidate(Xs: np.ndarray, before: np.ndarray, k: int, consolidation: str,
                iter_max: int = 10):
    """k-means from the means of the tree's clusters (FactoMineR's consolidation), then
    numbered by dimension 1. Returns the labels and the k-means result (None without)."""
    if consolidation == "none":
        return before, None
    from ptce_typology.analysis import kmeans

    centres = kmeans.cluster_means(Xs, before - 1, k)
    algo = kmeans.hartigan_wong if consolidation == "hartigan-wong" else kmeans.lloyd
    result = algo(Xs, centres, iter_max=iter_max)
    return HCPC._number(Xs, result.labels), result


def partition(X: np.ndarray, n_clusters: int | None = None, rule: str = DEFAULT_RULE,
              min_clusters: int = 3, max_clusters: int | None = None,
              consolidation: str = "hartigan-wong", iter_max: int = 10) -> np.ndarray:
    """The HCPC partition (labels 1..k, in the rows' order) of coordinates in plain arrays,
    with Ward on every individual: what :class:`HCPC` gives for up to ``AGGREGATE_FROM``
    individuals, without its tables (the fast path of stability and sensitivity refits, which
    run it hundreds of times: scipy's compiled Ward, whose import is paid once, builds the
    same tree as :func:`ward_tree`)."""
    from scipy.cluster.hierarchy import linkage

    from ptce_typology.analysis.ward import cut

    n = len(X)
    if n < 3:
        raise PtceError("clustering needs at least three individuals", value=n)
    order = np.argsort(X[:, 0], kind="stable")
    Xs = X[order]
    Z = linkage(Xs, method="ward")
    Z[:, 2] = Z[:, 2] ** 2 / 2
    gains = np.sort(Z[:, 2])[::-1] / n
    within = np.cumsum(gains[::-1])[::-1]
    k, _, _ = choose_k(within, gains, n, n_clusters, rule, min_clusters, max_clusters)
    before = HCPC._number(Xs, cut(Z, n, k))
    after, _ = consolidate(Xs, before, k, consolidation, iter_max)
    labels = np.empty(n, dtype=int)
    labels[order] = after
    return labels


# Description of the clusters -------------------------------------------------------------------


def _log_factorials(n: int) -> np.ndarray:
    """log(0!) .. log(n!)."""
    return np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, n + 1)))])


def hypergeometric_tails(x: int, n: int, nj: int, nk: int,
                         lf: np.ndarray | None = None) -> tuple[float, float, float]:
    """P(X < x), P(X = x) and P(X > x) for X the count of a category held by ``nj`` of ``n``
    individuals among ``nk`` drawn without replacement (scipy's ``hypergeom(n, nj, nk)``),
    summed exactly over the support in log space; no scipy import at start-up. ``lf``:
    :func:`_log_factorials` of at least ``n``, to share between calls."""
    lf = _log_factorials(n) if lf is None else lf
    low, high = max(0, nk - (n - nj)), min(nj, nk)
    ks = np.arange(low, high + 1)

    def log_comb(a: int, b: np.ndarray) -> np.ndarray:
        return lf[a] - lf[b] - lf[a - b]

    logp = log_comb(nj, ks) + log_comb(n - nj, nk - ks) - lf[n] + lf[nk] + lf[n - nk]
    p = np.exp(logp)
    return (float(p[ks < x].sum()), float(p[ks == x].sum()), float(p[ks > x].sum()))


def describe_categories(data: pd.DataFrame, labels: pd.Series,
                        proba: float | None = None) -> pd.DataFrame:
    """FactoMineR's ``catdes`` for categorical variables, every category of every cluster.

    Parameters
    ----------
    data
        Categorical variables (columns) of the clustered individuals.
    labels
        Cluster of each individual.
    proba
        Keep rows with p-value <= proba (FactoMineR's default 0.05); None keeps every row,
        which a paper table should show at n = 12.

    Returns
    -------
    pandas.DataFrame
        Index (``cluster``, ``category``) with categories named ``variable=category``.
        Columns: ``cla_mod``, ``mod_cla``, ``global`` (fractions in [0, 1]; FactoMineR
        prints them as percentages), ``p_value`` (hypergeometric, twice the one-sided mid-p:
        ``min(2 P(X<x) + P(X=x), 2 P(X>x) + P(X=x))``), ``v_test`` (``±qnorm(p/2)``, signed
        by Mod/Cla against Global). Sorted by cluster, then v.test decreasing.
    """
    from statistics import NormalDist

    qnorm = NormalDist().inv_cdf
    n = len(labels)
    lf = _log_factorials(n)
    held = []  # (variable, level, who holds it, how many), once for every cluster
    for var in data.columns:
        col = data[var].astype(object).to_numpy()
        levels = list(dict.fromkeys(data[var].cat.categories)) \
            if isinstance(data[var].dtype, pd.CategoricalDtype) \
            else sorted(set(col), key=str)
        for level in levels:
            has = col == level
            if has.any():
                held.append((var, level, has, int(has.sum())))
    rows = []
    for cluster in sorted(labels.unique()):
        in_k = (labels == cluster).to_numpy()
        nk = int(in_k.sum())
        for var, level, has, nj in held:
            x = int((has & in_k).sum())
            p_lt, p_eq, p_gt = hypergeometric_tails(x, n, nj, nk, lf)
            p = min(2 * p_lt + p_eq, 2 * p_gt + p_eq)
            mod_cla, glob = x / nk, nj / n
            v = qnorm(p / 2) if 0 < p < 1 else (0.0 if p >= 1 else -40.0)
            v = -v if mod_cla > glob else v
            rows.append({"cluster": int(cluster), "category": f"{var}={level}",
                         "variable": var, "cla_mod": x / nj, "mod_cla": mod_cla,
                         "global": glob, "p_value": min(p, 1.0), "v_test": v})
    table = pd.DataFrame(rows)
    if proba is not None:
        table = table[table["p_value"] <= proba]
    table = table.sort_values(["cluster", "v_test"], ascending=[True, False], kind="stable")
    return table.set_index(["cluster", "category"])


def test_variables(data: pd.DataFrame, labels: pd.Series, seed: int = 0,
                   passive: set[str] | frozenset[str] = frozenset()) -> pd.DataFrame:
    """One exact test per variable of its link with the clusters.

    Fisher's exact test on the cluster × category table
    (:func:`ptce_typology.analysis.exact.fisher_test`: full enumeration of the tables with
    the same margins, as R's ``fisher.test``; a seeded
    Monte Carlo estimate when there are too many tables, and the method says so). FactoMineR's
    chi-square rests on expected counts far below 5 at the size of the témoin data.

    Individuals holding a ``passive`` category (``variable=category``: what no source says)
    are left out of that variable's test: a test of "unknown" against the clusters would test
    what the sources happen to say.

    Returns
    -------
    pandas.DataFrame
        Index ``variable``. Columns ``test`` (the method's code,
        :data:`~ptce_typology.analysis.exact.METHODS`), ``p_value`` (NaN when fewer than
        two categories or clusters are left), ``n`` (individuals tested), ``left_out``
        (individuals with a passive category).
    """
    from ptce_typology.analysis.exact import fisher_test

    rows = []
    for var in data.columns:
        values = data[var].astype(object)
        keep = ~values.map(lambda v, var=var: f"{var}={v}" in passive).to_numpy(dtype=bool)
        table = pd.crosstab(labels[keep], values[keep]).to_numpy()
        if table.shape[0] < 2 or table.shape[1] < 2:
            method, p_value = "none", float("nan")  # one category or one cluster left
        else:
            result = fisher_test(table, seed=seed)
            method, p_value = result.method, result.p_value
        rows.append({"variable": var, "test": method, "p_value": p_value,
                     "n": int(keep.sum()), "left_out": int((~keep).sum())})
    return pd.DataFrame(rows).set_index("variable")


def paragons(coordinates: pd.DataFrame, labels: pd.Series, centres: pd.DataFrame,
             n_paragons: int = 5) -> pd.DataFrame:
    """FactoMineR's ``desc.ind``: for each cluster, the individuals closest to its centre
    (paragons) and those farthest from every other centre (specific individuals).

    Returns
    -------
    pandas.DataFrame
        Columns ``cluster``, ``kind`` (``paragon`` or ``specific``), ``rank`` (1..),
        ``individual``, ``distance`` (to the own centre for paragons; to the nearest other
        centre for specific individuals).
    """
    rows = []
    X = coordinates.to_numpy(dtype=float)
    C = centres.to_numpy(dtype=float)
    dist = np.sqrt(((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2))
    clusters = list(centres.index)
    for j, cluster in enumerate(clusters):
        members = np.flatnonzero(labels.to_numpy() == cluster)
        own = pd.Series(dist[members, j], index=coordinates.index[members])
        for rank, (ind, d) in enumerate(own.sort_values(kind="stable").head(n_paragons).items(),
                                        start=1):
            rows.append({"cluster": cluster, "kind": "paragon", "rank": rank,
                         "individual": ind, "distance": float(d)})
        if len(clusters) > 1:
            others = np.delete(dist[members], j, axis=1).min(axis=1)
            far = pd.Series(others, index=coordinates.index[members])
            for rank, (ind, d) in enumerate(
                    far.sort_values(ascending=False, kind="stable").head(n_paragons).items(),
                    start=1):
                rows.append({"cluster": cluster, "kind": "specific", "rank": rank,
                             "individual": ind, "distance": float(d)})
    return pd.DataFrame(rows, columns=["cluster", "kind", "rank", "individual", "distance"])
