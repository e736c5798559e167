"""The statistical typology and the classification of new poles as display tables and JSON
(``ptce clusters``, ``ptce classify``)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ptce_typology.vocabulary import SEP

Typology = Any  # a fitted ptce_typology.analysis.typology.Typology (render never imports analysis)


def category_label(name: str, lang: str = "en") -> str:
    """``territory=rural`` -> ``Territory: Rural`` in the language asked."""
    from ptce_typology.vocabulary import vocabulary

    var, _, cat = name.partition(SEP)
    vocab = vocabulary()
    return f"{vocab.label(var, lang)}: {vocab.category_label(var, cat, lang)}"


def _pct(value: float, lang: str) -> str:
    from ptce_typology.render.formats import format_number

    return format_number(value, lang, digits=1, percent=True)


def cluster_sections(model: Typology, stab: dict | None, names: dict[str, str],
                     lang: str = "en",
                     p_max: float | None = 0.10) -> list[tuple[str, pd.DataFrame]]:
    """The results of ``ptce clusters`` as titled display tables (labels, percentages)."""
    from ptce_typology.render.formats import format_number

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
    from ptce_typology.render.formats import format_number

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


def cluster_csv_frame(model: Typology, stab: dict | None) -> pd.DataFrame:
    """One flat row per pole (cluster, distance, coordinates, stability), for CSV."""
    table = model.cluster_table()
    if stab is not None:
        table = table.join(stab["poles"][["bootstrap_stay", "loo_stay"]])
    return table
