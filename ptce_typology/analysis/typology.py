"""The statistical typology of the poles (MCA + HCPC) as one estimator, and the placing of new
poles against it (``ptce clusters``, ``ptce classify``).

>>> from ptce_typology import load_cases, cases_frame
>>> from ptce_typology.analysis.typology import Typology
>>> model = Typology(seed=1).fit(cases_frame(load_cases()))
>>> model.clusters_                 # pole_id -> cluster
>>> model.classify(new_frame)       # one row per new pole, with the reasons
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ptce_typology.analysis.hcpc import HCPC, describe_categories, paragons, test_variables
from ptce_typology.analysis.mca import MCA
from ptce_typology.errors import PtceError

DEFAULT_ACTIVE = ("age_class", "origin", "territory", "sector", "shared_premises",
                  "employer_group")
DEFAULT_SUPPLEMENTARY = ("laureate_2013",)

UNKNOWN_NOTE = ("`unknown` is a category of its own in the MCA, as FactoMineR does by default "
                "(na.method = \"NA\"): poles are also grouped by what the sources do not say.")


class Typology:
    """MCA of the active descriptors, then HCPC on the first ``ncp`` dimensions.

    Parameters
    ----------
    active, supplementary : tuple of str
        Columns of the tidy frame (``ptce list --format csv``); supplementary descriptors are
        placed on the axes without shaping them.
    ncp : int
        Dimensions kept for the clustering (FactoMineR's default 5). With twelve poles this is
        a substantive choice: it is always printed.
    n_clusters : int or None
        A fixed k, or None for ``rule``.
    rule, consolidation, min_clusters, max_clusters
        See :class:`~ptce_typology.analysis.hcpc.HCPC`.
    seed : int
        Seed of every random step (stability resampling, permutation tests).

    Attributes (after ``fit``)
    --------------------------
    mca_ : MCA
    hcpc_ : HCPC
    coordinates_ : DataFrame
        Poles × ``Dim 1..ncp``.
    clusters_ : Series
        pole_id -> cluster (1..k).
    centres_ : DataFrame
        Cluster centres in the ``ncp`` space.
    description_ : DataFrame
        catdes rows for every category of every cluster (active and supplementary).
    variable_tests_ : DataFrame
        Fisher's exact test of each descriptor against the clusters.
    paragons_ : DataFrame
        Paragons and specific poles of each cluster.
    """

    def __init__(self, active: tuple[str, ...] = DEFAULT_ACTIVE,
                 supplementary: tuple[str, ...] = DEFAULT_SUPPLEMENTARY, ncp: int = 5,
                 n_clusters: int | None = None, rule: str = "within_ratio",
                 consolidation: str = "hartigan-wong", min_clusters: int = 3,
                 max_clusters: int | None = None, seed: int = 0) -> None:
        self.active = tuple(active)
        self.supplementary = tuple(supplementary)
        self.ncp = ncp
        self.n_clusters = n_clusters
        self.rule = rule
        self.consolidation = consolidation
        self.min_clusters = min_clusters
        self.max_clusters = max_clusters
        self.seed = seed

    # scikit-learn's estimator protocol -------------------------------------------------------

    def get_params(self, deep: bool = True) -> dict:
        return {k: getattr(self, k) for k in ("active", "supplementary", "ncp", "n_clusters",
                                                "rule", "consolidation", "min_clusters",
                                                "max_clusters", "seed")}

    def set_params(self, **params) -> Typology:
        for key, value in params.items():
            setattr(self, key, value)
        return self

    def _check_columns(self, frame: pd.DataFrame) -> None:
        categorical = [c for c in frame.columns if isinstance(frame[c].dtype,
                                                              pd.CategoricalDtype)]
        for name in (*self.active, *self.supplementary):
            if name not in categorical:
                raise PtceError("not a categorical descriptor of the data",
                                field="--active/--supplementary", value=name,
                                allowed=categorical)
        overlap = set(self.active) & set(self.supplementary)
        if overlap:
            raise PtceError("a descriptor cannot be both active and supplementary",
                            value=", ".join(sorted(overlap)))
        if len(self.active) < 2:
            raise PtceError("the MCA needs at least two active descriptors",
                            field="--active", value=", ".join(self.active))

    def fit(self, frame: pd.DataFrame, y: object = None) -> Typology:
        self.fit_partition(frame)
        described = frame[list(self.active) + list(self.supplementary)]
        self.description_ = describe_categories(described, self.clusters_)
        self.variable_tests_ = test_variables(described, self.clusters_, seed=self.seed)
        self.paragons_ = paragons(self.coordinates_, self.clusters_, self.centres_)
        own = self._distances(self.coordinates_)
        self.own_distance_ = pd.Series(
            [own.at[p, c] for p, c in self.clusters_.items()], index=self.clusters_.index)
        return self

    def fit_partition(self, frame: pd.DataFrame) -> Typology:
        """The MCA and the clustering only (what stability refits need)."""
        self._check_columns(frame)
        if self.ncp < 1:
            raise PtceError("ncp must be at least 1", field="--ncp", value=self.ncp)
        active = frame[list(self.active)]
        sup = frame[list(self.supplementary)] if self.supplementary else None
        self.mca_ = MCA(self.ncp).fit(active, supplementary=sup)
        self.coordinates_ = self.mca_.row_coordinates_
        self.ncp_ = self.coordinates_.shape[1]
        self.hcpc_ = HCPC(n_clusters=self.n_clusters, rule=self.rule,
                          min_clusters=self.min_clusters, max_clusters=self.max_clusters,
                          consolidation=self.consolidation).fit(self.coordinates_)
        self.clusters_ = self.hcpc_.labels_
        self.centres_ = self.hcpc_.centres_
        self.frame_ = frame
        return self

    def _distances(self, coords: pd.DataFrame) -> pd.DataFrame:
        X = coords.to_numpy(dtype=float)
        C = self.centres_.to_numpy(dtype=float)
        d = np.sqrt(((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2))
        return pd.DataFrame(d, index=coords.index, columns=self.centres_.index)

    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Coordinates of (new) poles; categories never seen at fit are left out and flagged
        by :meth:`classify`."""
        coords, _, _ = self.mca_.project(frame[list(self.active)])
        return coords

    def predict(self, frame: pd.DataFrame) -> pd.Series:
        """The nearest cluster centre of each pole."""
        distances = self._distances(self.transform(frame))
        return distances.idxmin(axis=1).rename("cluster")

    # Classification of new poles -------------------------------------------------------------

    def classify(self, frame: pd.DataFrame, n_nearest: int = 3) -> list[dict]:
        """Place new poles against the typology, with the reasons.

        Returns
        -------
        list of dict
            One per pole, with ``pole_id``, ``name``, ``categories`` (active descriptor ->
            category), ``coordinates``, ``cluster``, ``distances`` (cluster -> distance),
            ``nearest`` ([{pole_id, distance, shared, different}] over the témoins),
            ``typicality`` (share of descriptors on the témoins' most common category),
            ``cos2`` (projection quality over the kept dimensions) and ``flags`` (reasons to
            read the placement with care).
        """
        active = list(self.active)
        coords, quality, skipped = self.mca_.project(frame[active])
        X = coords.to_numpy(dtype=float)
        C = self.centres_.to_numpy(dtype=float)
        clusters = [int(c) for c in self.centres_.index]
        to_centres = np.sqrt(((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2))
        fitted = self.coordinates_.to_numpy(dtype=float)
        to_temoins = np.sqrt(((X[:, None, :] - fitted[None, :, :]) ** 2).sum(axis=2))
        nearest_idx = np.argsort(to_temoins, axis=1, kind="stable")[:, :n_nearest]
        temoin_values = self.frame_[active].astype(object).to_numpy()
        temoin_ids = [str(p) for p in self.coordinates_.index]
        values = frame[active].astype(object).to_numpy()
        modes = np.array([pd.Series(temoin_values[:, j]).value_counts()
                          .sort_index(kind="stable").idxmax() for j in range(len(active))],
                         dtype=object)
        typical = (values == modes).mean(axis=1).tolist()
        own_max = float(self.own_distance_.max())
        ages = frame["age"].to_numpy() if "age" in frame.columns else None
        started_late = [bool(a < 0) if not pd.isna(a) else False for a in ages] \
            if ages is not None else [False] * len(frame)
        names = frame["name"].astype(str).tolist() if "name" in frame.columns \
            else [str(p) for p in frame.index]
        # Everything per pole is computed on whole arrays first; the loop only assembles.
        placed = ~np.isnan(X).any(axis=1)
        best = np.argmin(np.where(np.isnan(to_centres), np.inf, to_centres), axis=1).tolist()
        nearest_min = np.nanmin(np.where(placed[:, None], to_centres, np.inf), axis=1).tolist()
        same = values[:, None, :] == temoin_values[nearest_idx]
        same_l = same.tolist()
        near_l = nearest_idx.tolist()
        near_d = np.take_along_axis(to_temoins, nearest_idx, axis=1).tolist()
        centre_d = to_centres.tolist()
        values_l = values.tolist()
        temoin_l = temoin_values.tolist()
        coords_l = X.tolist()
        quality_l = quality.to_numpy(dtype=float).tolist()
        placed_l = placed.tolist()
        results = []
        for i, pole in enumerate(frame.index):
            flags = []
            if skipped[pole]:
                flags.append("holds categories no témoin has, left out of the projection: "
                             + ", ".join(skipped[pole]))
            if not placed_l[i]:
                cluster, dist, nearest = None, {}, []
                flags.append("no category of this pole is known to the typology; "
                             "it cannot be placed")
            else:
                dist = dict(zip(clusters, centre_d[i], strict=True))
                cluster = clusters[best[i]]
                mine = values_l[i]
                nearest = []
                for r, j in enumerate(near_l[i]):
                    flags_same = same_l[i][r]
                    theirs = temoin_l[j]
                    nearest.append({
                        "pole_id": temoin_ids[j], "distance": near_d[i][r],
                        "shared": [v for v, ok in zip(active, flags_same, strict=True) if ok],
                        "different": [f"{active[q]}: {mine[q]} / {theirs[q]}"
                                      for q, ok in enumerate(flags_same) if not ok]})
                if nearest_min[i] > own_max + 1e-12:
                    flags.append(f"farther from every cluster centre ({nearest_min[i]:.3f})"
                                 f" than any témoin is from its own ({own_max:.3f})")
            if started_late[i]:
                flags.append("the grouping started after the reference year; its age class "
                             "is taken as 10 years or less")
            q = quality_l[i]
            results.append({
                "pole_id": str(pole), "name": names[i],
                "categories": dict(zip(active, values_l[i], strict=True)),
                "coordinates": coords_l[i],
                "cluster": cluster, "distances": dist, "nearest": nearest,
                "typicality": typical[i], "cos2": None if q != q else q,
                "flags": flags,
            })
        return results

    # Tables for reports ----------------------------------------------------------------------

    def cluster_table(self) -> pd.DataFrame:
        """One row per pole: cluster, coordinates, distance to its centre.

        Returns
        -------
        pandas.DataFrame
            Index ``pole_id``; columns ``cluster``, ``distance`` and ``Dim 1..ncp``.
        """
        table = pd.concat([self.clusters_.rename("cluster"),
                           self.own_distance_.rename("distance"), self.coordinates_], axis=1)
        table.index.name = "pole_id"
        return table.sort_values(["cluster", "distance"], kind="stable")

    def summary(self) -> dict:
        """The choices and the main figures, for JSON output and the report."""
        hcpc = self.hcpc_
        return {
            "active_variables": list(self.active),
            "supplementary_variables": list(self.supplementary),
            "ncp": int(self.ncp_),
            "rule": hcpc.rule_.name,
            "rule_description": hcpc.rule_.description,
            "consolidation": hcpc.consolidation_note_,
            "moved_by_consolidation": [str(p) for p in hcpc.moved_],
            "missing_values": UNKNOWN_NOTE,
            "sign_convention": "on each dimension the category with the largest absolute "
                               "coordinate is positive",
            "n_clusters": int(hcpc.n_clusters_),
            "tree": hcpc.tree_method_,
            "notes": list(hcpc.notes_),
        }


