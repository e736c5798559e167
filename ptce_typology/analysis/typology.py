"""The statistical typology of the poles (specific MCA + HCPC) as one estimator, and the placing
of new poles against it (``ptce clusters``, ``ptce classify``).

What no source says is never a category: every ``unknown`` of an active descriptor is a
*passive* category of a specific MCA (Le Roux & Rouanet), so it shapes no axis. A new pole with
unknown descriptors is placed with them passive, and also under every value its unknowns allow
(``determined``, ``possible_clusters``, ``decided_by``).

>>> from ptce_typology import load_frame
>>> from ptce_typology.analysis.typology import Typology
>>> model = Typology(seed=1).fit(load_frame())
>>> int(model.hcpc_.n_clusters_)
5
>>> model.passive_[:2]
('shared_premises=unknown', 'employer_group=unknown')
"""

from __future__ import annotations

import inspect
import itertools

import numpy as np
import pandas as pd

from ptce_typology.analysis.hcpc import (
    AGGREGATE_FROM,
    HCPC,
    describe_categories,
    paragons,
    partition,
    test_variables,
)
from ptce_typology.analysis.mca import MCA, mca_core, passive_categories
from ptce_typology.analysis.parameters import (
    DEFAULT_ACTIVE,
    DEFAULT_CONSOLIDATION,
    DEFAULT_MIN_KNOWN,
    DEFAULT_NCP,
    DEFAULT_PASSIVE,
    DEFAULT_RULE,
    DEFAULT_SEED,
    DEFAULT_SUPPLEMENTARY,
)
from ptce_typology.errors import NotFittedError, PtceError
from ptce_typology.vocabulary import SEP, UNKNOWN

MAX_COMPLETIONS = 10_000  # above this, a seeded sample of completions
NEAR_TIE = 0.05  # the second-nearest centre within 5 % of the nearest
#: The columns of :meth:`Typology.classify`, in the order of the JSON of ``ptce classify``.
PLACEMENT_COLUMNS = ("name", "categories", "unknown", "unseen", "placed_on", "coordinates",
                     "cluster",
                     "placement", "placement_reasons", "distances", "determined",
                     "possible_clusters", "decided_by", "completions", "alternatives",
                     "nearest", "typicality", "typicality_known", "cos2", "flags")
#: The states of a placement (:meth:`Typology.classify`'s ``placement``).
PLACEMENTS = ("determined", "undetermined", "outside")


class Typology:
    """Specific MCA of the active descriptors, then HCPC on the first ``ncp`` dimensions.

    Follows scikit-learn's estimator contract (``get_params``/``set_params`` from the
    constructor, ``fit`` returns ``self``, fitted attributes end in ``_``, ``NotFittedError``
    before ``fit``; ``sklearn.base.clone`` works) without importing scikit-learn, which would
    add 1.4 s to every command's start.

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
    passive : tuple of str or None
        Passive categories: ``descriptor=category`` pairs or bare categories (passive in every
        descriptor). Default ``("unknown", "not_started")``; None (or ``()``) gives the plain
        MCA.
    seed : int
        Seed of every random step (stability resampling, permutation tests, sampled
        completions).
    min_known : int or None
        A pole with fewer known active descriptors (not ``unknown``) than this shapes neither
        the axes nor the clusters: it is placed afterwards as a supplementary individual,
        like :meth:`classify` places a new pole (default 4, or every active descriptor when
        there are fewer; None or 0: every pole is fitted).

    Attributes (after ``fit``)
    --------------------------
    mca_ : MCA
    hcpc_ : HCPC
    passive_ : tuple of str
        The passive categories found in the data (``descriptor=category``).
    coordinates_ : DataFrame
        Poles × ``Dim 1..ncp``.
    labels_ : Series
        pole_id -> cluster (1..k).
    centres_ : DataFrame
        Cluster centres in the ``ncp`` space.
    description_ : DataFrame
        catdes rows for every category of every cluster (active and supplementary), with a
        ``passive`` column.
    variable_tests_ : DataFrame
        Fisher's exact test of each descriptor against the clusters, on the poles whose value
        is not passive.
    paragons_ : DataFrame
        Paragons and specific poles of each cluster.
    profiles_ : dict
        cluster -> the categories (``descriptor=category``) that name it: its most
        over-represented active categories that a majority of its members with the
        descriptor known hold.
    profile_support_ : dict
        cluster -> one dict per category of ``profiles_``: ``category``, ``holding`` (members
        holding it), ``known`` (members with the descriptor known) and ``size``.
    known_counts_ : Series
        pole_id -> number of active descriptors known, for every pole given to ``fit``.
    supplementary_placements_ : DataFrame
        The poles with fewer than ``min_known`` active descriptors known, placed as
        :meth:`classify` places new poles (empty when there are none).
    """

    def __init__(self, active: tuple[str, ...] = DEFAULT_ACTIVE,
                 supplementary: tuple[str, ...] = DEFAULT_SUPPLEMENTARY,
                 ncp: int = DEFAULT_NCP, n_clusters: int | None = None,
                 rule: str = DEFAULT_RULE, consolidation: str = DEFAULT_CONSOLIDATION,
                 min_clusters: int = 3, max_clusters: int | None = None,
                 passive: tuple[str, ...] | None = DEFAULT_PASSIVE,
                 seed: int = DEFAULT_SEED, min_known: int | None = DEFAULT_MIN_KNOWN) -> None:
        self.active = active
        self.supplementary = supplementary
        self.ncp = ncp
        self.n_clusters = n_clusters
        self.rule = rule
        self.consolidation = consolidation
        self.min_clusters = min_clusters
        self.max_clusters = max_clusters
        self.passive = passive
        self.seed = seed
        self.min_known = min_known

    # scikit-learn's estimator protocol -------------------------------------------------------

    @classmethod
    def _param_names(cls) -> list[str]:
        return [p for p in inspect.signature(cls.__init__).parameters if p != "self"]

    def get_params(self, deep: bool = True) -> dict:
        """The constructor's parameters (scikit-learn's contract)."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params) -> Typology:
        """Set constructor parameters; unknown names are an error."""
        valid = self._param_names()
        for key, value in params.items():
            if key not in valid:
                raise ValueError(f"invalid parameter {key!r} for Typology; valid: {valid}")
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        defaults = {p.name: p.default for p in
                    inspect.signature(type(self).__init__).parameters.values()}
        changed = [f"{k}={v!r}" for k, v in self.get_params().items() if v != defaults[k]]
        return f"Typology({', '.join(changed)})"

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "labels_")

    def __sklearn_tags__(self):
        # Only scikit-learn calls this, so scikit-learn is already imported then.
        from sklearn.base import BaseEstimator

        return BaseEstimator.__sklearn_tags__(self)

    def _check_fitted(self) -> None:
        if not hasattr(self, "labels_"):
            raise NotFittedError("This Typology is not fitted yet; call fit(frame) first.")

    # Fitting -------------------------------------------------------------------------------

    def _check_columns(self, frame: pd.DataFrame) -> None:
        categorical = [c for c in frame.columns if isinstance(frame[c].dtype,
                                                              pd.CategoricalDtype)]
        for parameter in ("active", "supplementary"):
            for name in getattr(self, parameter):
                if name not in categorical:
                    raise PtceError("not a categorical descriptor of the data",
                                    field=parameter, value=name, allowed=categorical)
        for parameter in ("active", "supplementary"):
            names = list(getattr(self, parameter))
            repeated = sorted({n for n in names if names.count(n) > 1})
            if repeated:
                raise PtceError("a descriptor is named twice", field=parameter,
                                value=", ".join(repeated))
        overlap = set(self.active) & set(self.supplementary)
        if overlap:
            raise PtceError("a descriptor cannot be both active and supplementary",
                            value=", ".join(sorted(overlap)))
        if len(self.active) < 2:
            raise PtceError("the MCA needs at least two active descriptors",
                            field="active", value=", ".join(self.active))

    def fit(self, frame: pd.DataFrame, y: object = None) -> Typology:
        """Fit the specific MCA and the clustering, then describe the clusters.

        Parameters
        ----------
        frame : DataFrame
            The tidy frame (:func:`~ptce_typology.frame.load_frame`); it is copied. Poles
            with fewer than ``min_known`` active descriptors known are placed afterwards,
            as supplementary individuals (:attr:`supplementary_placements_`).
        """
        self._check_columns(frame)
        thin = self._thin(frame)
        self._fit_partition(frame[~thin])
        described = self.frame_[list(self.active) + list(self.supplementary)]
        passive_all = set(self.passive_) | set(passive_categories(
            self.frame_[list(self.supplementary)], self._passive_spec())
            if self.supplementary else ())
        description = describe_categories(described, self.labels_)
        description["passive"] = [c in passive_all for c in
                                  description.index.get_level_values("category")]
        self.description_ = description
        self._passive_all = passive_all
        self.__dict__.pop("_variable_tests", None)
        self.paragons_ = paragons(self.coordinates_, self.labels_, self.centres_)
        own = self._distances(self.coordinates_)
        own_column = own.columns.get_indexer(self.labels_.to_numpy())
        self.own_distance_ = pd.Series(own.to_numpy()[np.arange(len(own)), own_column],
                                       index=self.labels_.index)
        self.profiles_, self.profile_support_ = self._profiles()
        self.supplementary_placements_ = self.classify(frame[thin])
        return self

    def supplementary_records(self) -> list[dict]:
        """:attr:`supplementary_placements_` as JSON-ready records (:func:`placement_records`)."""
        self._check_fitted()
        return placement_records(self.supplementary_placements_)

    def _thin(self, frame: pd.DataFrame) -> pd.Series:
        """The poles with fewer than ``min_known`` active descriptors known (a boolean
        Series); sets :attr:`known_counts_`."""
        self.known_counts_ = (frame[list(self.active)].astype(object) != UNKNOWN).sum(axis=1)
        if self.min_known is None:
            return pd.Series(False, index=frame.index)
        if not isinstance(self.min_known, int) or self.min_known < 0:
            raise PtceError("min_known must be a number of active descriptors (0 or more)",
                            field="min_known", value=self.min_known)
        least = min(self.min_known, len(self.active))  # with fewer actives: all of them
        thin = self.known_counts_ < least
        if (~thin).sum() < 3:
            raise PtceError(f"fewer than 3 poles have at least {least} active descriptors "
                            "known; lower it", field="min_known", value=self.min_known)
        return thin

    @property
    def variable_tests_(self) -> pd.DataFrame:
        """Fisher's exact test of each descriptor against the clusters, on the poles whose
        value is not passive (computed on first use: ``classify`` does not need it)."""
        self._check_fitted()
        if "_variable_tests" not in self.__dict__:
            described = self.frame_[list(self.active) + list(self.supplementary)]
            self._variable_tests = test_variables(described, self.labels_, seed=self.seed,
                                                  passive=self._passive_all)
        return self._variable_tests

    def keep_variable_tests(self, tests: pd.DataFrame) -> None:
        """Keep ``tests`` as :attr:`variable_tests_`: this fitted model's tests, computed in
        another process (the report's parallel step, :mod:`ptce_typology.parallel`)."""
        self._check_fitted()
        self._variable_tests = tests

    def fit_predict(self, frame: pd.DataFrame, y: object = None) -> pd.Series:
        """Fit, then the clusters of the poles fitted (:attr:`labels_`)."""
        return self.fit(frame).labels_

    def fit_transform(self, frame: pd.DataFrame, y: object = None) -> pd.DataFrame:
        """Fit, then the coordinates of the poles fitted (:attr:`coordinates_`)."""
        return self.fit(frame).coordinates_

    def _passive_spec(self) -> tuple[str, ...]:
        return tuple(self.passive or ())

    def _is_passive(self, descriptor: str, value: object) -> bool:
        """Whether ``passive`` makes this value of a descriptor passive (named as
        ``descriptor=category`` or as a bare category)."""
        spec = self._passive_spec()
        return str(value) in spec or f"{descriptor}{SEP}{value}" in spec

    def _fit_partition(self, frame: pd.DataFrame) -> Typology:
        """The MCA and the clustering only (what stability and sensitivity refits need)."""
        self._check_columns(frame)
        if self.ncp < 1:
            raise PtceError("ncp must be at least 1", field="ncp", value=self.ncp)
        self.frame_ = frame.copy()
        active = self.frame_[list(self.active)]
        sup = self.frame_[list(self.supplementary)] if self.supplementary else None
        self.passive_ = passive_categories(active, self._passive_spec())
        self.mca_ = MCA(self.ncp, passive=self.passive_).fit(active, supplementary=sup)
        self.coordinates_ = self.mca_.row_coordinates_
        self.ncp_ = self.coordinates_.shape[1]
        self.hcpc_ = HCPC(n_clusters=self.n_clusters, rule=self.rule,
                          min_clusters=self.min_clusters, max_clusters=self.max_clusters,
                          consolidation=self.consolidation).fit(self.coordinates_)
        self.labels_ = self.hcpc_.labels_
        self.centres_ = self.hcpc_.centres_
        return self

    def _encode(self, frame: pd.DataFrame) -> tuple[np.ndarray, list[list[str]]]:
        """The active descriptors as category codes (vocabulary order) and their categories:
        the input of :meth:`_partition_codes`."""
        columns = list(self.active)
        levels = [[str(c) for c in frame[d].cat.categories] for d in columns]
        codes = np.column_stack([frame[d].cat.codes.to_numpy() for d in columns])
        return codes, levels

    def _partition_codes(self, codes: np.ndarray, levels: list[list[str]]) -> np.ndarray:
        """The partition :meth:`_fit_partition` gives (labels 1..k in the rows' order), from
        category codes, without building tables: the fast path of the stability and
        sensitivity refits."""
        columns, names = [], []
        for q, var in enumerate(self.active):
            for code in np.unique(codes[:, q]):
                columns.append(codes[:, q] == code)
                names.append((var, levels[q][code]))
        z = np.column_stack(columns).astype(float)
        active = np.array([not self._is_passive(var, level) for var, level in names])
        if not active.any():
            raise PtceError("every category is passive; nothing is left to make the axes",
                            field="passive")
        core = mca_core(z, codes.shape[1], active, self.ncp)
        options = {"n_clusters": self.n_clusters, "rule": self.rule,
                   "min_clusters": self.min_clusters, "max_clusters": self.max_clusters,
                   "consolidation": self.consolidation}
        if len(codes) > AGGREGATE_FROM:  # large data: HCPC's aggregated or approximate tree
            return HCPC(**options).fit(pd.DataFrame(core["F"])).labels_.to_numpy()
        return partition(core["F"], **options)

    def _profiles(self, n_max: int = 3, p_max: float = 0.10
                  ) -> tuple[dict[int, list[str]], dict[int, list[dict]]]:
        """For each cluster, the active, non-passive categories that name it: over-represented
        (v.test > 0) with p <= ``p_max``, the strongest first, else the strongest one; only a
        category that most of the cluster's members with that descriptor known hold (a name
        never rests on a minority). With each, its support: members holding it, members with
        the descriptor known, and the cluster's size."""
        desc = self.description_.reset_index()
        desc = desc[desc["variable"].isin(self.active) & ~desc["passive"]
                    & (desc["v_test"] > 0)]
        values = self.frame_[list(self.active)].astype(object)
        profiles, support = {}, {}
        for cluster in sorted(self.labels_.unique()):
            members = values[(self.labels_ == cluster).to_numpy()]
            rows = desc[desc["cluster"] == cluster].sort_values("v_test", ascending=False,
                                                                kind="stable")
            chosen = rows[rows["p_value"] <= p_max] if (rows["p_value"] <= p_max).any() \
                else rows.head(1)
            named = []
            for category in chosen["category"]:
                variable, value = category.split(SEP, 1)
                column = members[variable]
                # Each distinct value asked once (a cluster may hold 100,000 poles).
                counts = column.value_counts(sort=False)
                known = int(sum(c for v, c in counts.items()
                                if not self._is_passive(variable, v)))
                holding = int((column == value).sum())
                if 2 * holding > known:
                    named.append({"category": category, "holding": holding, "known": known,
                                  "size": len(members)})
            named = named[:n_max]
            profiles[int(cluster)] = [item["category"] for item in named]
            support[int(cluster)] = named
        return profiles, support

    def _distances(self, coords: pd.DataFrame) -> pd.DataFrame:
        X = coords.to_numpy(dtype=float)
        C = self.centres_.to_numpy(dtype=float)
        d = np.sqrt(((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2))
        return pd.DataFrame(d, index=coords.index, columns=self.centres_.index)

    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Coordinates of (new) poles, unknowns passive; categories never seen at fit are left
        out and flagged by :meth:`classify`. A pole with no known active descriptor has no
        position (NaN): its projection would be the centre of the map."""
        self._check_fitted()
        values = frame[list(self.active)]
        coords, _, _ = self.mca_.project(values, self._passive_spec())
        nothing_known = (values.astype(object) == UNKNOWN).all(axis=1).to_numpy()
        coords.loc[nothing_known, :] = np.nan
        return coords

    def predict(self, frame: pd.DataFrame) -> pd.Series:
        """The nearest cluster centre of each pole, as nullable ``Int64``: ``<NA>`` for a pole
        with no position (nothing known, or only categories the reference poles never
        hold)."""
        distances = self._distances(self.transform(frame))
        placed = distances.notna().any(axis=1)
        clusters = pd.Series(pd.NA, index=distances.index, dtype="Int64", name="cluster")
        clusters[placed] = distances[placed].idxmin(axis=1).astype("int64")
        return clusters

    # Classification of new poles -------------------------------------------------------------

    def _is_unknown(self, value: object) -> bool:
        return value == UNKNOWN

    def _completions(self, row: pd.Series, seed: int | None = None
                    ) -> tuple[pd.DataFrame, list[str], bool]:
        """Every completion of a pole's active unknowns by every category of the vocabulary
        for each (all combinations, or a seeded sample of ``MAX_COMPLETIONS``). A category the
        reference poles never hold is tried too (``no`` where every témoin says ``yes``): it
        is then passive in the projection, as it is for a pole that holds it.

        Returns
        -------
        completions : DataFrame
            One row per completion, the active descriptors as columns.
        unknown : list of str
            The descriptors that were unknown.
        exhaustive : bool
            False when the completions are a sample.
        """
        self._check_fitted()
        active = list(self.active)
        unknown = [d for d in active if self._is_unknown(row[d])]
        options = [[str(c) for c in self.frame_[d].cat.categories
                    if c != UNKNOWN and not self._is_passive(d, c)] for d in unknown]
        total = int(np.prod([len(o) for o in options])) if options else 1
        base = {d: row[d] for d in active}
        if total <= MAX_COMPLETIONS:
            combos = list(itertools.product(*options))
            exhaustive = True
        else:
            rng = np.random.default_rng(self.seed if seed is None else seed)
            picks = [rng.integers(0, len(o), size=MAX_COMPLETIONS) for o in options]
            combos = [tuple(options[j][picks[j][i]] for j in range(len(options)))
                      for i in range(MAX_COMPLETIONS)]
            exhaustive = False
        rows = [{**base, **dict(zip(unknown, combo, strict=True))} for combo in combos]
        return pd.DataFrame(rows, columns=active), unknown, exhaustive

    def classify(self, frame: pd.DataFrame, n_nearest: int = 3) -> pd.DataFrame:
        """Place new poles against the typology, with what the placement depends on.

        Parameters
        ----------
        frame : DataFrame
            New poles as a tidy frame (:func:`~ptce_typology.frame.load_frame`).
        n_nearest : int
            Témoins listed in ``nearest``.

        Returns
        -------
        pandas.DataFrame
            One row per pole, index ``pole_id``, columns (:data:`PLACEMENT_COLUMNS`):

            name : str
            categories : dict
                Active descriptor -> category.
            unknown : list of str
                Active descriptors no source gives.
            unseen : list of str
                ``descriptor=category`` values the reference poles never hold: passive in the
                projection (their share kept, no weight), like ``unknown``.
            placed_on : list of str
                The active descriptors that place the pole: known, held by reference poles
                and not passive (``not_started`` is).
            coordinates : list of float
                The projection, unknowns and unseen categories passive (NaN: no position).
            cluster : Int64
                The nearest centre of that projection; ``<NA>`` when no active category is
                held (flag ``nothing_known`` or ``not_placeable``). Settled only when
                ``placement`` is ``determined``.
            placement : str
                ``determined`` (every completion of the unknowns and the passive projection
                give ``cluster``), ``undetermined`` (they do not, or there is no projection;
                ``decided_by`` names the descriptors that decide, never empty) or
                ``outside`` (an active descriptor holds a category the reference poles never
                show: the pole is placed on its other descriptors only).
            placement_reasons : list of str
                Why a placement is not ``determined``: ``unseen_categories``,
                ``completions_disagree`` (the completions give several clusters),
                ``passive_differs`` (no completion gives ``cluster``), ``nothing_known``,
                ``not_placeable``.
            distances : dict
                Cluster -> distance to its centre.
            determined : bool
                ``placement == "determined"``.
            possible_clusters : dict
                Cluster -> share of the completions.
            decided_by : list of str
                The unknown descriptors whose value changes the cluster; when the
                completions agree but not with the passive projection, or nothing is known,
                every unknown descriptor.
            completions : dict
                ``n``, ``exhaustive`` (and ``seed`` when sampled).
            alternatives : list of dict
                ``descriptor``, ``value``, ``cluster``, ``unseen``: the cluster under each
                other reading of a contested coding.
            nearest : list of dict
                The nearest témoins: ``pole_id``, ``distance``, ``cluster``, ``shared`` (only
                descriptors known and equal on both sides), ``different``, ``unknown_here``,
                ``unknown_there``.
            typicality : float
                Share of the pole's known descriptors on the témoins' most common known
                category (NaN when none is known); ``typicality_known`` counts them.
            cos2 : float
                Projection quality (NaN without a projection).
            flags : list of dict
                ``{"code": ..., ...}``: what to read the placement with.

            :func:`placement_records` gives the same as JSON-ready records.
        """
        self._check_fitted()
        context = self._placement_context(frame, n_nearest)
        rows = [self._place(frame, context, i) for i in range(len(frame))]
        table = pd.DataFrame(rows, columns=list(PLACEMENT_COLUMNS),
                             index=pd.Index([str(p) for p in frame.index], name="pole_id"))
        return table.astype({"cluster": "Int64", "determined": bool, "typicality": float,
                             "typicality_known": int, "cos2": float})

    def _placement_context(self, frame: pd.DataFrame, n_nearest: int) -> dict:
        """What placing every pole needs, computed once for all: the projections, the
        distances to the centres and to the témoins, the témoins' most common categories."""
        active = list(self.active)
        coords, quality, unseen = self.mca_.project(frame[active], self._passive_spec())
        X = coords.to_numpy(dtype=float)
        fitted = self.coordinates_.to_numpy(dtype=float)
        to_temoins = np.sqrt(((X[:, None, :] - fitted[None, :, :]) ** 2).sum(axis=2))
        temoin_values = self.frame_[active].astype(object).to_numpy()
        known_t = temoin_values != UNKNOWN
        modes = [pd.Series(temoin_values[known_t[:, j], j]).value_counts()
                 .sort_index(kind="stable").idxmax() if known_t[:, j].any() else None
                 for j in range(len(active))]
        return {
            "X": X, "quality": quality, "unseen": unseen, "modes": modes,
            "to_centres": self._distances(coords).to_numpy(dtype=float),
            "clusters": [int(c) for c in self.centres_.index],
            "to_temoins": to_temoins,
            "nearest_idx": np.argsort(to_temoins, axis=1, kind="stable")[:, :n_nearest],
            "temoin_values": temoin_values,
            "temoin_ids": [str(p) for p in self.coordinates_.index],
            "temoin_cluster": self.labels_.astype(int).tolist(),
            "values": frame[active].astype(object).to_numpy(),
            "own_max": float(self.own_distance_.max()),
            "ages": frame["age_class"].astype(object).tolist() if "age_class" in frame.columns
            else [None] * len(frame),
            "names": frame["name"].astype(str).tolist() if "name" in frame.columns
            else [str(p) for p in frame.index],
            "placed": ~np.isnan(X).any(axis=1),
        }

    def _place(self, frame: pd.DataFrame, context: dict, i: int) -> dict:
        """One pole's row of :meth:`classify`."""
        active = list(self.active)
        pole = frame.index[i]
        mine = context["values"][i].tolist()
        known = [v != UNKNOWN for v in mine]
        unseen = list(context["unseen"][pole])
        flags: list[dict] = []
        if unseen:
            flags.append({"code": "unseen_categories", "categories": unseen})
        cluster, dist, nearest = None, {}, []
        if not context["placed"][i]:
            # No active category held: the projection would be the centre of the map, not a
            # placement, and no témoin shares anything. Only the completions of the unknowns
            # say where the pole could fall.
            flags.append({"code": "nothing_known" if not any(known) and not unseen
                          else "not_placeable"})
        else:
            cluster, dist, nearest = self._nearest(context, i, mine, flags)
        possible, decided_by, completion = self._completion_clusters(frame.iloc[i], cluster)
        state, reasons, decided_by = placement_state(
            cluster, possible, decided_by, [d for d, k in zip(active, known, strict=True)
                                            if not k], unseen, [f["code"] for f in flags])
        if context["ages"][i] == "not_started":
            flags.append({"code": "not_started"})
        known_modes = [(v, m) for v, m, k in zip(mine, context["modes"], known, strict=True)
                       if k and m is not None]
        typicality = (sum(v == m for v, m in known_modes) / len(known_modes)
                      if known_modes else None)
        q = float(context["quality"].iloc[i])
        return {
            "name": context["names"][i],
            "categories": dict(zip(active, mine, strict=True)),
            "unknown": [d for d, k in zip(active, known, strict=True) if not k],
            "unseen": unseen, "placed_on": self._placed_on(mine, unseen),
            "coordinates": context["X"][i].tolist(),
            "cluster": cluster, "placement": state, "placement_reasons": reasons,
            "distances": dist, "determined": state == "determined",
            "possible_clusters": possible, "decided_by": decided_by,
            "completions": completion,
            "alternatives": (self._alternative_clusters(frame.iloc[i])
                             if context["placed"][i] else []),
            "nearest": nearest, "typicality": typicality,
            "typicality_known": len(known_modes), "cos2": None if q != q else q,
            "flags": flags,
        }

    def _placed_on(self, values: list, unseen: list[str]) -> list[str]:
        """The active descriptors whose value is held by reference poles and active."""
        return [d for d, v in zip(self.active, values, strict=True)
                if v != UNKNOWN and f"{d}{SEP}{v}" not in unseen and not self._is_passive(d, v)
                and f"{d}{SEP}{v}" not in self.passive_]

    def _nearest(self, context: dict, i: int, mine: list, flags: list[dict]
                 ) -> tuple[int, dict[int, float], list[dict]]:
        """The nearest centre, the distances to every centre and the nearest témoins of a
        placed pole; the flags they raise are appended to ``flags``."""
        to_centres, clusters = context["to_centres"][i], context["clusters"]
        dist = {c: float(d) for c, d in zip(clusters, to_centres, strict=True)}
        order = np.argsort(to_centres, kind="stable")
        cluster = clusters[order[0]]
        if len(order) > 1 and to_centres[order[1]] <= (1 + NEAR_TIE) * to_centres[order[0]]:
            flags.append({"code": "near_tie", "clusters": [clusters[order[0]],
                                                           clusters[order[1]]],
                          "distances": [float(to_centres[order[0]]),
                                        float(to_centres[order[1]])]})
        nearest = [self._temoin_comparison(context, i, j, mine)
                   for j in context["nearest_idx"][i]]
        if nearest and nearest[0]["cluster"] != cluster:
            flags.append({"code": "nearest_temoin_elsewhere", "pole_id": nearest[0]["pole_id"],
                          "cluster": nearest[0]["cluster"]})
        if float(to_centres.min()) > context["own_max"] + 1e-12:
            flags.append({"code": "far_from_every_centre", "distance": float(to_centres.min()),
                          "own_max": context["own_max"]})
        return cluster, dist, nearest

    def _temoin_comparison(self, context: dict, i: int, j: int, mine: list) -> dict:
        """One nearest témoin: its distance and cluster, what it shares with the pole, what
        differs and what is unknown on either side."""
        active = list(self.active)
        theirs = context["temoin_values"][j].tolist()
        return {
            "pole_id": context["temoin_ids"][j], "distance": float(context["to_temoins"][i, j]),
            "cluster": context["temoin_cluster"][j],
            "shared": [d for d, a, b in zip(active, mine, theirs, strict=True)
                       if a == b and a != UNKNOWN],
            "different": [f"{d}: {a} / {b}" for d, a, b in zip(active, mine, theirs, strict=True)
                          if a != b and UNKNOWN not in (a, b)],
            "unknown_here": [d for d, a in zip(active, mine, strict=True) if a == UNKNOWN],
            "unknown_there": [d for d, b in zip(active, theirs, strict=True) if b == UNKNOWN]}

    def _alternative_clusters(self, row: pd.Series) -> list[dict]:
        """The cluster under each other reading of a contested coding (the case file's
        ``alternatives:``, the frame's ``alternatives`` column)."""
        text = row.get("alternatives") if hasattr(row, "get") else None
        readings = []
        for reading in str(text or "").split(";"):
            descriptor, _, value = reading.partition(SEP)
            if descriptor not in self.active or not value:
                continue
            changed = row[list(self.active)].astype(object).copy()
            changed[descriptor] = value
            coords, _, unseen = self.mca_.project(pd.DataFrame([changed]),
                                                   self._passive_spec())
            distances = self._distances(coords).iloc[0]
            readings.append({"descriptor": descriptor, "value": value,
                             "cluster": None if distances.isna().all()
                             else int(distances.idxmin()),
                             "unseen": list(unseen[next(iter(unseen))])})
        return readings

    def _completion_clusters(self, row: pd.Series, cluster: int | None
                             ) -> tuple[dict[int, float], list[str], dict]:
        """Clusters of every completion of a pole's unknowns: shares, and the unknowns that
        change the cluster (two completions differing in that descriptor alone differ)."""
        table, unknown, exhaustive = self._completions(row)
        if not unknown:
            return ({} if cluster is None else {cluster: 1.0}), [], {"n": 1, "exhaustive": True}
        coords, _, _ = self.mca_.project(table, self._passive_spec())
        distances = self._distances(coords)
        # 0: a completion holding no active category (every value unseen) has no cluster.
        labels = distances.fillna(np.inf).idxmin(axis=1).astype(int).where(
            distances.notna().any(axis=1), 0).to_numpy()
        counts = pd.Series(labels[labels > 0]).value_counts()
        possible = {int(c): float(n / len(labels)) for c, n in counts.sort_index().items()}
        decided_by = []
        for d in unknown:
            others = [u for u in unknown if u != d]
            if not others:
                if len(set(labels)) > 1:
                    decided_by.append(d)
                continue
            keys = [table[other].astype(str).to_numpy() for other in others]
            spread = pd.Series(labels).groupby(keys).nunique()
            if (spread > 1).any():
                decided_by.append(d)
        return possible, decided_by, {"n": int(len(labels)), "exhaustive": exhaustive,
                                      "seed": None if exhaustive else self.seed}

    # Tables for reports ----------------------------------------------------------------------

    def cluster_table(self) -> pd.DataFrame:
        """One row per pole: cluster, coordinates, distance to its centre.

        Returns
        -------
        pandas.DataFrame
            Index ``pole_id``; columns ``cluster``, ``distance`` and ``Dim 1..ncp``.
        """
        table = pd.concat([self.labels_.rename("cluster"),
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
            "passive_categories": list(self.passive_),
            "missing_values": "passive",
            "sign_convention": "FactoMineR's: on each dimension the column singular vector "
                               "(weighted metric) sums to a positive number",
            "n_clusters": int(hcpc.n_clusters_),
            "tree": hcpc.tree_method_,
            "tree_code": hcpc.tree_code_,
            "tree_points": hcpc.tree_points_,
            "consolidation_used": hcpc.consolidation_used_,
            "consolidation_iterations": hcpc.consolidation_iterations_,
            "consolidation_converged": hcpc.consolidation_converged_,
            "notes": list(hcpc.notes_),
        }




def placement_state(cluster: int | None, possible: dict[int, float], decided_by: list[str],
                    unknown: list[str], unseen: list[str], flags: list[str]
                    ) -> tuple[str, list[str], list[str]]:
    """A placement's state (:data:`PLACEMENTS`), the reasons it is not ``determined`` and the
    descriptors that decide it (never empty when ``undetermined``).

    ``outside`` when an active value is a category the reference poles never show; else
    ``determined`` when the passive projection gives ``cluster`` and so does every
    completion of the unknowns; else ``undetermined``. When the completions all agree but
    not with the passive projection, or nothing places the pole, every unknown descriptor
    decides: its being unknown is what leaves the cluster open.
    """
    reasons = []
    if unseen:
        reasons.append("unseen_categories")
    reasons += [code for code in ("nothing_known", "not_placeable") if code in flags]
    if len(possible) > 1:
        reasons.append("completions_disagree")
    if cluster is not None and possible and cluster not in possible:
        reasons.append("passive_differs")
    if reasons and not decided_by:
        decided_by = list(unknown)
    if unseen:
        return "outside", reasons, decided_by
    if cluster is not None and not reasons:
        return "determined", reasons, decided_by
    return "undetermined", reasons, decided_by


def placement_records(placements: pd.DataFrame) -> list[dict]:
    """The placements of :meth:`Typology.classify` as JSON-ready records (the ``poles`` of
    ``ptce classify --format json``): ``pole_id`` first, then :data:`PLACEMENT_COLUMNS`;
    no cluster, typicality or cos2 is None."""
    records = placements.reset_index().to_dict(orient="records")
    for record in records:
        record["cluster"] = None if pd.isna(record["cluster"]) else int(record["cluster"])
        for key in ("typicality", "cos2"):
            record[key] = None if pd.isna(record[key]) else float(record[key])
    return records
