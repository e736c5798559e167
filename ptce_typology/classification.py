"""The statistical typology of the poles (MCA + HCPC) as one estimator, and the placing of new
poles against it (``ptce clusters``, ``ptce classify``).

>>> from ptce_typology import load_cases, cases_frame
>>> from ptce_typology.classification import Typology
>>> model = Typology(seed=1).fit(cases_frame(load_cases()))
>>> model.clusters_                 # pole_id -> cluster
>>> model.classify(new_frame)       # one row per new pole, with the reasons
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ptce_typology.clustering import HCPC, describe_categories, paragons, test_variables
from ptce_typology.errors import PtceError
from ptce_typology.mca import MCA, SEP

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
        See :class:`~ptce_typology.clustering.HCPC`.
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


def category_label(name: str, lang: str = "en") -> str:
    """``territory=rural`` -> ``Territory: Rural`` in the language asked."""
    from ptce_typology.vocabulary import vocabulary

    var, _, cat = name.partition(SEP)
    vocab = vocabulary()
    return f"{vocab.label(var, lang)}: {vocab.category_label(var, cat, lang)}"


def _pct(value: float, lang: str) -> str:
    from ptce_typology.export import format_number

    return format_number(value, lang, digits=1, percent=True)


def cluster_sections(model: Typology, stab: dict | None, names: dict[str, str],
                     lang: str = "en",
                     p_max: float | None = 0.10) -> list[tuple[str, pd.DataFrame]]:
    """The results of ``ptce clusters`` as titled display tables (labels, percentages)."""
    from ptce_typology.export import format_number

    fr = lang == "fr"
    summary = model.summary()
    params = {
        ("Descripteurs actifs" if fr else "Active descriptors"):
            ", ".join(summary["active_variables"]),
        ("Descripteurs supplémentaires" if fr else "Supplementary descriptors"):
            ", ".join(summary["supplementary_variables"]) or "-",
        ("Dimensions retenues (ncp)" if fr else "Dimensions kept (ncp)"): str(summary["ncp"]),
        ("Règle du nombre de classes" if fr else "Rule for k"): summary["rule_description"],
        ("Nombre de classes" if fr else "Number of clusters"): str(summary["n_clusters"]),
        ("Arbre" if fr else "Tree"): summary["tree"],
        ("Consolidation" if fr else "Consolidation"): summary["consolidation"],
        ("Déplacés par la consolidation" if fr else "Moved by consolidation"):
            ", ".join(names.get(p, p) for p in summary["moved_by_consolidation"]) or "-",
        ("Valeurs inconnues" if fr else "Unknown values"): summary["missing_values"],
        ("Signe des axes" if fr else "Axis signs"): summary["sign_convention"],
    }
    if stab is not None:
        boot, loo = stab["bootstrap"], stab["leave_one_out"]
        params["Stabilité (bootstrap)" if fr else "Stability (bootstrap)"] = (
            f"ARI {format_number(boot['ari_mean'], lang, 2)} "
            f"(min {format_number(boot['ari_min'], lang, 2)}, "
            f"{boot['n_resamples']} resamples, seed {boot['seed']}, "
            f"{boot['n_failed']} failed)")
        params["Stabilité (un pôle retiré)" if fr else "Stability (leave one out)"] = (
            loo["skipped"] if loo.get("skipped") else
            f"ARI {format_number(loo['ari_mean'], lang, 2)} "
            f"(min {format_number(loo['ari_min'], lang, 2)})")
    parameters = pd.DataFrame({"value": list(params.values())},
                              index=pd.Index(list(params), name="parameter"))
    eig = model.mca_.eigenvalues_.copy()
    eig_shown = pd.DataFrame({
        "eigenvalue": [format_number(v, lang, 4) for v in eig["eigenvalue"]],
        "%": [format_number(v, lang, 1) for v in eig["percentage"]],
        "cumulative %": [format_number(v, lang, 1) for v in eig["cumulative"]],
    }, index=eig.index)
    table = model.cluster_table()
    poles = pd.DataFrame({
        ("Pôle" if fr else "Pole"): [names.get(p, p) for p in table.index],
        ("Classe" if fr else "Cluster"): table["cluster"].astype(int).to_list(),
        ("Distance au centre" if fr else "Distance to centre"):
            [format_number(v, lang, 3) for v in table["distance"]],
    }, index=table.index)
    if stab is not None:
        st = stab["poles"].loc[table.index]
        poles["Reste (bootstrap)" if fr else "Stays (bootstrap)"] = [
            _pct(v, lang) if v == v else "-" for v in st["bootstrap_stay"]]
        poles["Reste (un retiré)" if fr else "Stays (leave one out)"] = [
            _pct(v, lang) if v == v else "-" for v in st["loo_stay"]]
    for dim in table.columns[2:4]:
        poles[dim] = [format_number(v, lang, 3) for v in table[dim]]
    desc = model.description_.reset_index()
    if p_max is not None:
        desc = desc[desc["p_value"] <= p_max]
    description = pd.DataFrame({
        ("Classe" if fr else "Cluster"): desc["cluster"].astype(int).to_list(),
        ("Modalité" if fr else "Category"): [category_label(c, lang) for c in desc["category"]],
        "Cla/Mod": [_pct(v, lang) for v in desc["cla_mod"]],
        "Mod/Cla": [_pct(v, lang) for v in desc["mod_cla"]],
        "Global": [_pct(v, lang) for v in desc["global"]],
        "p": [format_number(v, lang, 4) for v in desc["p_value"]],
        "v.test": [format_number(v, lang, 2) for v in desc["v_test"]],
    })
    description.index = pd.RangeIndex(1, len(description) + 1, name="#")
    tests = model.variable_tests_
    tests_shown = pd.DataFrame({
        "test": tests["test"], "p": [format_number(v, lang, 4) for v in tests["p_value"]],
        "n": tests["n"]}, index=tests.index)
    hc = model.hcpc_
    gains = pd.DataFrame({
        "inertia_gain": [format_number(v, lang, 4) for v in hc.inertia_gain_],
        "within": [format_number(v, lang, 4) for v in hc.within_],
        "ratio": [format_number(hc.ratios_.get(k), lang, 4) if k in hc.ratios_.index else ""
                  for k in hc.inertia_gain_.index]}, index=hc.inertia_gain_.index)
    par = model.paragons_
    par_shown = pd.DataFrame({
        ("Classe" if fr else "Cluster"): par["cluster"].astype(int).to_list(),
        ("Type" if fr else "Kind"): par["kind"].to_list(),
        "rank": par["rank"].to_list(),
        ("Pôle" if fr else "Pole"): [names.get(p, p) for p in par["individual"]],
        "distance": [format_number(v, lang, 3) for v in par["distance"]]})
    par_shown.index = pd.RangeIndex(1, len(par_shown) + 1, name="#")
    def t(french: str, english: str) -> str:
        return french if fr else english

    shown_p = "" if p_max is None else f" (p <= {p_max:g})"
    return [
        (t("Classes des pôles", "Clusters of the poles"), poles),
        (t("Paramètres", "Parameters"), parameters),
        (t("Valeurs propres", "Eigenvalues"), eig_shown),
        (t("Description des classes", "Cluster description") + shown_p, description),
        (t("Test exact par descripteur", "Exact test per descriptor"), tests_shown),
        (t("Gains d'inertie", "Inertia gains"), gains),
        (t("Parangons et pôles spécifiques", "Paragons and specific poles"), par_shown),
    ]


def clusters_json(model: Typology, stab: dict | None) -> dict:
    """The documented JSON of ``ptce clusters``."""
    data = model.summary()
    data["eigenvalues"] = [
        {"dimension": d, "eigenvalue": float(r["eigenvalue"]),
         "percentage": float(r["percentage"]), "cumulative": float(r["cumulative"])}
        for d, r in model.mca_.eigenvalues_.iterrows()]
    data["clusters"] = {str(p): int(c) for p, c in model.clusters_.items()}
    data["clusters_before_consolidation"] = {
        str(p): int(c) for p, c in model.hcpc_.labels_before_.items()}
    data["coordinates"] = {str(p): [float(x) for x in row]
                           for p, row in model.coordinates_.iterrows()}
    data["inertia_gain"] = [float(x) for x in model.hcpc_.inertia_gain_]
    data["ratios"] = {str(k): float(v) for k, v in model.hcpc_.ratios_.items()}
    desc = model.description_.reset_index()
    data["description"] = desc.to_dict(orient="records")
    data["variable_tests"] = model.variable_tests_.reset_index().to_dict(orient="records")
    data["paragons"] = model.paragons_.to_dict(orient="records")
    if stab is not None:
        data["stability"] = {
            "bootstrap": stab["bootstrap"], "leave_one_out": stab["leave_one_out"],
            "poles": {str(p): {"bootstrap_stay": r["bootstrap_stay"], "loo_stay": r["loo_stay"]}
                      for p, r in stab["poles"].iterrows()}}
    else:
        data["stability"] = None
    return data


def classify_sections(results: list[dict], names: dict[str, str],
                      lang: str = "en") -> list[tuple[str, pd.DataFrame]]:
    """The results of ``ptce classify`` as display tables: one summary row per pole, then
    the nearest témoins."""
    from ptce_typology.export import format_number

    fr = lang == "fr"
    rows, near = [], []
    for r in results:
        dist = r["distances"]
        rows.append({
            "pole_id": r["pole_id"],
            ("Nom" if fr else "Name"): r["name"],
            ("Classe" if fr else "Cluster"): "" if r["cluster"] is None else r["cluster"],
            ("Distances aux centres" if fr else "Distances to centres"):
                "; ".join(f"{c}: {format_number(d, lang, 3)}" for c, d in dist.items()),
            ("Typicité" if fr else "Typicality"): _pct(r["typicality"], lang),
            "cos2": "" if r["cos2"] is None else format_number(r["cos2"], lang, 3),
            ("Alertes" if fr else "Flags"): " | ".join(r["flags"]) or "-",
        })
        for rank, other in enumerate(r["nearest"], start=1):
            near.append({
                "pole_id": r["pole_id"], "rank": rank,
                ("Témoin" if fr else "Témoin"): names.get(other["pole_id"], other["pole_id"]),
                "distance": format_number(other["distance"], lang, 3),
                ("Communs" if fr else "Shared"): ", ".join(other["shared"]) or "-",
                ("Différents" if fr else "Different"): "; ".join(other["different"]) or "-",
            })
    summary = pd.DataFrame(rows).set_index("pole_id")
    nearest = pd.DataFrame(near).set_index("pole_id") if near else pd.DataFrame()
    return [("Classement des nouveaux pôles" if fr else "Classification of new poles", summary),
            ("Témoins les plus proches" if fr else "Nearest témoins", nearest)]


def classify_csv_frame(results: list[dict]) -> pd.DataFrame:
    """One flat row per classified pole, for CSV."""
    rows = []
    for r in results:
        row = {"pole_id": r["pole_id"], "name": r["name"], "cluster": r["cluster"],
               "typicality": r["typicality"], "cos2": r["cos2"]}
        for c, d in r["distances"].items():
            row[f"distance_{c}"] = d
        for i, other in enumerate(r["nearest"], start=1):
            row[f"nearest_{i}"] = other["pole_id"]
            row[f"nearest_{i}_distance"] = other["distance"]
        row["flags"] = " | ".join(r["flags"])
        rows.append(row)
    return pd.DataFrame(rows).set_index("pole_id")
