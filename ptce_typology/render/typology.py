"""The statistical typology and the classification of new poles as display tables and JSON
(``ptce clusters``, ``ptce classify``). Every text comes from ``data/labels_typology.yaml``."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ptce_typology.render.cells import format_number, name_list
from ptce_typology.render.labels import text
from ptce_typology.vocabulary import SEP, vocabulary

Typology = Any  # a fitted ptce_typology.analysis.typology.Typology (render never imports analysis)


def category_label(name: str, lang: str = "en") -> str:
    """``territory=rural`` -> ``Territory: Rural`` in the language asked."""
    var, _, cat = name.partition(SEP)
    vocab = vocabulary()
    return text("classify.pair_category", lang, descriptor=vocab.label(var, lang),
                category=vocab.category_label(var, cat, lang))


def short_category_label(name: str, lang: str = "en") -> str:
    """``territory=rural`` -> ``Rural``; a yes/no category keeps its descriptor
    (``Shared premises: Yes``), which alone would say nothing."""
    var, _, cat = name.partition(SEP)
    vocab = vocabulary()
    if cat in ("yes", "no"):
        return category_label(name, lang)
    return vocab.category_label(var, cat, lang)


def cluster_name(profile: list[str], lang: str = "en",
                 support: list[dict] | None = None) -> str:
    """A cluster's short name from its most over-represented categories: « Rural · Activités
    de production »; a category that most members have unknown says so: « Rural (known for 5
    of 43) »."""
    if not profile:
        return text("clusters.no_label", lang)
    thin = {item["category"]: item for item in support or ()
            if 2 * item["known"] < item["size"]}
    return " · ".join(
        text("clusters.thin_name", lang, name=short_category_label(c, lang),
             known=thin[c]["known"], size=thin[c]["size"]) if c in thin
        else short_category_label(c, lang) for c in profile)


def cluster_names(model: Typology, lang: str = "en") -> dict[int, str]:
    """cluster -> short name, for every cluster of a fitted typology."""
    return {int(c): cluster_name(p, lang, model.profile_support_.get(c))
            for c, p in model.profiles_.items()}


def _pct(value: float, lang: str) -> str:
    return format_number(value, lang, digits=1, percent=True)


def _num(value: float | None, lang: str, digits: int = 3) -> str:
    return format_number(value, lang, digits)


def test_name(method: str, lang: str) -> str:
    """The name of an exact test's method (a code of
    ``ptce_typology.analysis.exact.METHODS``) in ``lang``."""
    return text(f"clusters.test.{method}", lang)


def _descriptor_list(keys: list[str], lang: str) -> str:
    """Descriptors in words: « Territory and Sector », « Age, Origin and Territory »."""
    shown = [vocabulary().label(k, lang) for k in keys]
    if len(shown) < 3:
        return text("classify.and", lang).join(shown)
    return ", ".join(shown[:-1]) + text("classify.and", lang) + shown[-1]


def consolidation_text(summary: dict, lang: str) -> str:
    """How the partition was consolidated, in words (from :meth:`Typology.summary`)."""
    used = summary["consolidation_used"]
    if used == "none":
        return text("clusters.consolidation.none", lang)
    shown = text(f"clusters.consolidation.{used}", lang,
                 iterations=summary["consolidation_iterations"])
    if not summary["consolidation_converged"]:
        shown += text("clusters.consolidation.not_converged", lang)
    return shown


def _passive_text(passive: list[str], lang: str) -> str:
    if not passive:
        return text("clusters.value.none", lang)
    return text("clusters.value.passive_note", lang,
                categories=", ".join(category_label(c, lang) for c in passive))


def cluster_sections(model: Typology, stab: dict | None, names: dict[str, str],
                     lang: str = "en", p_max: float | None = 0.10,
                     sensitivity: dict | None = None, headline: dict | None = None
                     ) -> list[tuple[str, pd.DataFrame]]:
    """The results of ``ptce clusters`` as titled display tables (labels, percentages): the
    clusters' names, then how far the data determine the partition (``headline``, or the
    full ``sensitivity``), the poles, the supplementary poles, the parameters…"""
    def t(key: str, **values: Any) -> str:
        return text(key, lang, **values)

    named = cluster_names(model, lang)
    sizes = model.labels_.value_counts()
    cluster_table = pd.DataFrame({
        t("clusters.column.name"): [named[c] for c in sorted(named)],
        t("clusters.column.size"): [int(sizes.get(c, 0)) for c in sorted(named)],
    }, index=pd.Index(sorted(named), name=t("clusters.column.cluster")))
    shown_p = "" if p_max is None else t("clusters.shown_p", p=format_number(p_max, lang, 2))
    sections = [(t("clusters.title.names"), cluster_table)]
    if sensitivity is not None or headline is not None:
        rows = headline_rows(sensitivity or headline, names, lang)
        sections.append((t("clusters.title.headline"), pd.DataFrame(
            {t("clusters.column.value"): list(rows.values())},
            index=pd.Index(list(rows), name=t("clusters.column.parameter")))))
    sections.append((t("clusters.title.poles"), _poles_table(model, stab, names, lang)))
    if len(model.supplementary_placements_):
        sections.append((t("clusters.title.supplementary", n=model.min_known,
                           total=len(model.active)),
                         supplementary_table(model, names, lang)))
    sections += [
        (t("clusters.title.parameters"), _parameters_table(model, stab, names, lang)),
        (t("clusters.title.eigenvalues"), eigenvalue_table(model, lang)),
        (t("clusters.title.categories", dims=_dimension_list(CATEGORY_DIMS, model, lang)),
         category_table(model, lang)),
        (t("clusters.title.eta2"), eta2_table(model, lang)),
        (t("clusters.title.description") + shown_p, _description_table(model, p_max, lang)),
        (t("clusters.title.tests"), _tests_table(model, lang)),
        (t("clusters.title.gains"), _gains_table(model, lang)),
        (t("clusters.title.paragons"), _paragons_table(model, names, lang)),
    ]
    if sensitivity is not None:
        sections += sensitivity_sections(sensitivity, names, lang)
    return sections


# The dimensions the category table shows (the first factorial plane, as a paper's table).
CATEGORY_DIMS = 2
# The columns of the eigenvalue table: a column of ``MCA.eigenvalues_``, its label, digits.
EIGENVALUE_COLUMNS = (("eigenvalue", "eigenvalue", 4), ("percentage", "percentage", 1),
                      ("cumulative", "cumulative", 1), ("benzecri_rate", "benzecri", 1),
                      ("benzecri_cumulative", "benzecri_cumulative", 1),
                      ("greenacre_rate", "greenacre", 1),
                      ("greenacre_cumulative", "greenacre_cumulative", 1))
CATEGORY_COLUMNS = (("coordinate", 3), ("contribution", 1), ("cos2", 3), ("vtest", 2))


def _dimension_list(n_dims: int, model: Typology, lang: str) -> str:
    """« 1 and 2 », « 1, 2 and 3 »: the dimensions a table shows."""
    shown = [str(k) for k in range(1, min(n_dims, model.mca_.row_coordinates_.shape[1]) + 1)]
    if len(shown) < 2:
        return "".join(shown)
    return ", ".join(shown[:-1]) + text("classify.and", lang) + shown[-1]


def eigenvalue_table(model: Typology, lang: str = "en") -> pd.DataFrame:
    """The eigenvalues with their rates: raw, Benzécri's modified and Greenacre's adjusted
    (percent, as ``MCA.eigenvalues_`` holds them)."""
    eig = model.mca_.eigenvalues_
    return pd.DataFrame({text(f"clusters.column.{key}", lang): [_num(v, lang, digits)
                                                                for v in eig[column]]
                         for column, key, digits in EIGENVALUE_COLUMNS},
                        index=pd.Index(eig.index, name=""))


def category_table(model: Typology, lang: str = "en",
                   n_dims: int = CATEGORY_DIMS) -> pd.DataFrame:
    """The categories as a paper's MCA table shows them (``MCA.category_table``): status,
    count, then coordinate, contribution (%), cos2 and v.test on each of the first
    ``n_dims`` dimensions."""
    def t(key: str, **values: Any) -> str:
        return text(key, lang, **values)

    table = model.mca_.category_table(n_dims)
    n_shown = sum(1 for c in table.columns if c.startswith("coordinate_"))
    shown = {t("clusters.column.status"): [t(f"clusters.status.{s}") for s in table["status"]],
             t("clusters.column.count"): table["count"].astype(int).to_list()}
    for k in range(1, n_shown + 1):
        for column, digits in CATEGORY_COLUMNS:
            shown[t(f"clusters.column.{column}", k=k)] = [_num(v, lang, digits)
                                                          for v in table[f"{column}_{k}"]]
    return pd.DataFrame(shown, index=pd.Index([category_label(c, lang) for c in table.index],
                                              name=t("clusters.column.category")))


def eta2_table(model: Typology, lang: str = "en") -> pd.DataFrame:
    """Each descriptor's squared correlation ratio with each kept dimension
    (``MCA.eta2_table``), active then supplementary."""
    table = model.mca_.eta2_table()
    shown = {text("clusters.column.status", lang): [text(f"clusters.descriptor_status.{s}", lang)
                                                    for s in table["status"]]}
    for column in table.columns[1:]:
        shown[text("clusters.column.eta2", lang, k=column.rsplit("_", 1)[1])] = [
            _num(v, lang, 3) for v in table[column]]
    return pd.DataFrame(shown, index=pd.Index(
        [vocabulary().label(v, lang) for v in table.index],
        name=text("clusters.column.descriptor", lang)))


def supplementary_table(model: Typology, names: dict[str, str], lang: str) -> pd.DataFrame:
    """The poles too thinly known to shape the typology, placed as ``classify`` places new
    poles: known descriptors, cluster (never shown as settled when it is not), placement."""
    named = cluster_names(model, lang)
    records = model.supplementary_records()
    total = len(model.active)
    return pd.DataFrame({
        text("clusters.column.pole", lang): [names.get(r["pole_id"], r["name"])
                                             for r in records],
        text("clusters.column.known", lang): [
            text("clusters.known_of", lang, n=int(model.known_counts_[r["pole_id"]]),
                 total=total) for r in records],
        text("classify.column.cluster", lang): [cluster_cell(r, named, lang) or "-"
                                                for r in records],
        text("classify.column.placement", lang): [placement_text(r, named, lang)
                                                  for r in records],
    }, index=pd.Index([r["pole_id"] for r in records], name="pole_id"))


def headline_rows(result: dict, names: dict[str, str], lang: str = "en") -> dict[str, str]:
    """What the partition rests on, one row each: the completions, the share that give its
    k, the ARI, the reading (a warning below 0.5) and the robust groups."""
    def t(key: str, **values: Any) -> str:
        return text(key, lang, **values)

    if result["n_completions"] == 0:
        return {t("clusters.sensitivity.completions"): t("clusters.sensitivity.headline_none")}
    how = t("clusters.sensitivity.exhaustive") if result["exhaustive"] else \
        t("clusters.sensitivity.sampled", seed=result["seed"])
    ari = result["ari"]
    groups = result["robust_groups"]
    grouped = [names.get(p, p) for g in groups for p in g]
    return {
        t("clusters.sensitivity.completions"): t(
            "clusters.sensitivity.summary", n=result["n_completions"],
            cells=result["n_unknown_values"], how=how),
        t("clusters.sensitivity.same_k_label"): t(
            "clusters.sensitivity.same_k", k=result["n_clusters"],
            share=_pct(result["same_k"], lang)),
        t("clusters.sensitivity.agreement"): t(
            "clusters.sensitivity.ari", mean=_num(ari["mean"], lang, 2),
            min=_num(ari["min"], lang, 2), q05=_num(ari["q05"], lang, 2)),
        t("clusters.sensitivity.reading_label"): t(
            "clusters.sensitivity.determined" if result["determined"]
            else "clusters.sensitivity.warning"),
        t("clusters.title.robust_groups"): t("clusters.sensitivity.robust_list", groups=t(
            "clusters.sensitivity.groups_sep").join(
                name_list((names.get(p, p) for p in g), among=grouped) for g in groups))
        if groups else t("clusters.sensitivity.robust_none"),
    }


def scenarios_table(result: dict, names: dict[str, str], lang: str) -> pd.DataFrame:
    """The partition under each other reading of a contested coding: its k and its ARI."""
    vocab = vocabulary()
    rows = result.get("scenarios", [])
    return pd.DataFrame({
        text("clusters.column.reading_of", lang): [
            text("clusters.sensitivity.scenario", lang, pole=names.get(r["pole_id"],
                                                                       r["pole_id"]),
                 descriptor=vocab.label(r["descriptor"], lang),
                 value=vocab.category_label(r["descriptor"], r["value"], lang))
            for r in rows],
        text("clusters.column.k", lang): [
            str(r["n_clusters"]) if r["n_clusters"] is not None
            else text("clusters.sensitivity.scenario_failed", lang) for r in rows],
        text("clusters.column.ari", lang): [_num(r["ari"], lang, 2) if r["ari"] is not None
                                            else "-" for r in rows],
    }, index=pd.RangeIndex(1, len(rows) + 1, name="#"))


def _parameters_table(model: Typology, stab: dict | None, names: dict[str, str],
                      lang: str) -> pd.DataFrame:
    """The choices of the typology and its stability, one row each."""
    def t(key: str, **values: Any) -> str:
        return text(key, lang, **values)

    vocab = vocabulary()
    summary = model.summary()
    params = {
        t("clusters.parameter.active"):
            ", ".join(vocab.label(v, lang) for v in summary["active_variables"]),
        t("clusters.parameter.supplementary"):
            ", ".join(vocab.label(v, lang) for v in summary["supplementary_variables"]) or "-",
        t("clusters.parameter.passive"): _passive_text(summary["passive_categories"], lang),
        t("clusters.parameter.ncp"): str(summary["ncp"]),
        t("clusters.parameter.rule"): t(f"clusters.rule.{summary['rule']}"),
        t("clusters.parameter.n_clusters"): str(summary["n_clusters"]),
        t("clusters.parameter.tree"): t(f"clusters.tree.{summary['tree_code']}",
                                        points=summary["tree_points"]),
        t("clusters.parameter.consolidation"): consolidation_text(summary, lang),
        t("clusters.parameter.moved"):
            name_list(names.get(p, p) for p in summary["moved_by_consolidation"]) or "-",
        t("clusters.parameter.signs"): t("clusters.value.signs"),
    }
    if stab is not None:
        boot, loo = stab["bootstrap"], stab["leave_one_out"]
        params[t("clusters.parameter.bootstrap")] = t(
            "clusters.value.bootstrap", mean=_num(boot["ari_mean"], lang, 2),
            min=_num(boot["ari_min"], lang, 2), n=boot["n_resamples"], seed=boot["seed"],
            failed=boot["n_failed"])
        params[t("clusters.parameter.loo")] = (
            t("clusters.value.loo_skipped", max=loo["max_poles"]) if loo.get("skipped")
            else t("clusters.value.loo", mean=_num(loo["ari_mean"], lang, 2),
                   min=_num(loo["ari_min"], lang, 2)))
    return pd.DataFrame({t("clusters.column.value"): list(params.values())},
                        index=pd.Index(list(params), name=t("clusters.column.parameter")))


def _poles_table(model: Typology, stab: dict | None, names: dict[str, str],
                 lang: str) -> pd.DataFrame:
    """Each pole's cluster, distance to its centre, stability and first two coordinates."""
    def t(key: str, **values: Any) -> str:
        return text(key, lang, **values)

    table = model.cluster_table()
    poles = pd.DataFrame({
        t("clusters.column.pole"): [names.get(p, p) for p in table.index],
        t("clusters.column.cluster"): table["cluster"].astype(int).to_list(),
        t("clusters.column.distance"): [_num(v, lang) for v in table["distance"]],
    }, index=table.index)
    if stab is not None:
        st = stab["poles"].loc[table.index]
        poles[t("clusters.column.stays_bootstrap")] = [
            _pct(v, lang) if v == v else "-" for v in st["bootstrap_stay"]]
        poles[t("clusters.column.stays_loo")] = [
            _pct(v, lang) if v == v else "-" for v in st["loo_stay"]]
    for dim in table.columns[2:4]:
        poles[dim] = [_num(v, lang) for v in table[dim]]
    return poles


def _description_table(model: Typology, p_max: float | None, lang: str) -> pd.DataFrame:
    """The categories that describe each cluster (FactoMineR's catdes), p <= ``p_max``."""
    def t(key: str, **values: Any) -> str:
        return text(key, lang, **values)

    desc = model.description_.reset_index()
    if p_max is not None:
        desc = desc[desc["p_value"] <= p_max]
    description = pd.DataFrame({
        t("clusters.column.cluster"): desc["cluster"].astype(int).to_list(),
        t("clusters.column.category"): [category_label(c, lang) for c in desc["category"]],
        t("clusters.column.passive"): [t("clusters.passive_yes") if p else ""
                                       for p in desc["passive"]],
        "Cla/Mod": [_pct(v, lang) for v in desc["cla_mod"]],
        "Mod/Cla": [_pct(v, lang) for v in desc["mod_cla"]],
        "Global": [_pct(v, lang) for v in desc["global"]],
        "p": [_num(v, lang, 4) for v in desc["p_value"]],
        "v.test": [_num(v, lang, 2) for v in desc["v_test"]],
    })
    description.index = pd.RangeIndex(1, len(description) + 1, name="#")
    return description


def _tests_table(model: Typology, lang: str) -> pd.DataFrame:
    """The exact test of each descriptor against the clusters; those of the active
    descriptors are labelled descriptive (the clusters are built from them)."""
    tests = model.variable_tests_
    return pd.DataFrame({
        text("clusters.column.reading", lang): [
            text("clusters.reading.descriptive" if v in model.active
                 else "clusters.reading.evidence", lang) for v in tests.index],
        text("clusters.column.test", lang): [test_name(m, lang) for m in tests["test"]],
        "p": [_num(v, lang, 4) for v in tests["p_value"]],
        text("clusters.column.tested", lang): tests["n"].to_list(),
        text("clusters.column.left_out", lang): tests["left_out"].to_list(),
    }, index=pd.Index([vocabulary().label(v, lang) for v in tests.index], name=""))


def _gains_table(model: Typology, lang: str) -> pd.DataFrame:
    """The tree's inertia gains, within-cluster inertia and the rule's ratios, by k."""
    hc = model.hcpc_
    return pd.DataFrame({
        text("clusters.column.inertia_gain", lang): [_num(v, lang, 4) for v in hc.inertia_gain_],
        text("clusters.column.within", lang): [_num(v, lang, 4) for v in hc.within_],
        text("clusters.column.ratio", lang): [_num(hc.ratios_.get(k), lang, 4)
                                              if k in hc.ratios_.index else ""
                                              for k in hc.inertia_gain_.index]},
        index=pd.Index(hc.inertia_gain_.index, name="k"))


def _paragons_table(model: Typology, names: dict[str, str], lang: str) -> pd.DataFrame:
    """The paragons and the specific poles of each cluster."""
    def t(key: str, **values: Any) -> str:
        return text(key, lang, **values)

    par = model.paragons_
    par_shown = pd.DataFrame({
        t("clusters.column.cluster"): par["cluster"].astype(int).to_list(),
        t("clusters.column.kind"): [t(f"clusters.kind.{k}") for k in par["kind"]],
        t("clusters.column.rank"): par["rank"].to_list(),
        t("clusters.column.pole"): [names.get(p, p) for p in par["individual"]],
        "distance": [_num(v, lang) for v in par["distance"]]})
    par_shown.index = pd.RangeIndex(1, len(par_shown) + 1, name="#")
    return par_shown


def sensitivity_sections(result: dict, names: dict[str, str],
                         lang: str = "en") -> list[tuple[str, pd.DataFrame]]:
    """The typology's sensitivity to its unknowns: summary, k distribution, robust groups and
    the co-clustering matrix."""
    def t(key: str, **values: Any) -> str:
        return text(key, lang, **values)

    def one_column(rows: dict[str, str]) -> pd.DataFrame:
        return pd.DataFrame({t("clusters.column.value"): list(rows.values())},
                            index=pd.Index(list(rows), name=t("clusters.column.parameter")))

    if result["n_completions"] == 0:
        return [(t("clusters.title.sensitivity"),
                 one_column({t("clusters.sensitivity.completions"):
                             t("clusters.sensitivity.none")}))]
    how = t("clusters.sensitivity.exhaustive") if result["exhaustive"] else \
        t("clusters.sensitivity.sampled", seed=result["seed"])
    ari = result["ari"]
    summary = one_column({
        t("clusters.sensitivity.completions"): t(
            "clusters.sensitivity.summary", n=result["n_completions"],
            cells=result["n_unknown_values"], how=how),
        t("clusters.sensitivity.agreement"): t(
            "clusters.sensitivity.ari", mean=_num(ari["mean"], lang, 2),
            min=_num(ari["min"], lang, 2), q05=_num(ari["q05"], lang, 2))})
    ks = pd.DataFrame({t("clusters.column.share"): [_pct(v, lang) for v in
                                                    result["k_distribution"].values()]},
                      index=pd.Index([int(k) for k in result["k_distribution"]],
                                     name=t("clusters.column.k")))
    groups = result["robust_groups"]
    grouped = [names.get(p, p) for g in groups for p in g]
    robust = pd.DataFrame({t("clusters.column.members"): [
        name_list((names.get(p, p) for p in g), among=grouped) for g in groups]},
        index=pd.RangeIndex(1, len(groups) + 1, name=t("clusters.column.group"))) \
        if groups else one_column({t("clusters.title.robust_groups"):
                                   t("clusters.sensitivity.robust_none")})
    co = pd.DataFrame(result["co_clustering"])
    co_shown = co.map(lambda v: _num(v, lang, 2))
    co_shown.index = [names.get(p, p) for p in co.index]
    sections = [(t("clusters.title.sensitivity"), summary),
                (t("clusters.title.k_distribution"), ks),
                (t("clusters.title.robust_groups"), robust),
                (t("clusters.title.co_clustering"), co_shown)]
    if result.get("scenarios"):
        sections.append((t("clusters.title.scenarios"),
                         scenarios_table(result, names, lang)))
    return sections


def clusters_json(model: Typology, stab: dict | None, sensitivity: dict | None = None,
                  lang: str = "en", headline: dict | None = None, clouds: Any = None) -> dict:
    """The documented JSON of ``ptce clusters``; ``headline``: the sensitivity said beside
    the partition (a sample of completions, when the full ``sensitivity`` is not run);
    ``clouds``: the mean points, ellipses and typicality tests of a descriptor's categories
    (``analysis.clouds.CategoryClouds``), under ``category_clouds``."""
    data = model.summary()
    data["category_clouds"] = None if clouds is None else clouds.to_dict()
    data["eigenvalues"] = [{"dimension": d, **{k: float(v) for k, v in r.items()}}
                           for d, r in model.mca_.eigenvalues_.iterrows()]
    data["categories"] = model.mca_.category_table().reset_index().to_dict(orient="records")
    data["eta2"] = model.mca_.eta2_table().reset_index().to_dict(orient="records")
    data["clusters"] = {str(p): int(c) for p, c in model.labels_.items()}
    data["cluster_profiles"] = {str(c): list(p) for c, p in model.profiles_.items()}
    data["cluster_names"] = {str(c): n for c, n in cluster_names(model, lang).items()}
    data["clusters_before_consolidation"] = {
        str(p): int(c) for p, c in model.hcpc_.labels_before_.items()}
    data["coordinates"] = dict(zip(map(str, model.coordinates_.index),
                                   model.coordinates_.to_numpy(dtype=float).tolist(), strict=True))
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
    data["variable_tests_note"] = text("clusters.tests_note", lang)
    for record in data["variable_tests"]:
        record["reading"] = "descriptive" if record["variable"] in model.active else "evidence"
    data["min_known"] = model.min_known
    data["known_counts"] = {str(p): int(n) for p, n in model.known_counts_.items()}
    data["cluster_name_support"] = {str(c): items
                                    for c, items in model.profile_support_.items()}
    data["supplementary_poles"] = model.supplementary_records()
    shown = sensitivity if sensitivity is not None else headline
    if shown is not None:
        data["sensitivity_headline"] = {key: shown[key] for key in (
            "n_completions", "n_unknown_values", "exhaustive", "seed", "n_clusters",
            "same_k", "k_distribution", "ari", "determined", "robust_groups")}
    if sensitivity is not None:
        data["sensitivity"] = sensitivity
    return data


def placement_text(result: dict, names: dict[int, str], lang: str = "en") -> str:
    """A placement in words, by its state (``placement``): « determined »; « undetermined:
    cluster 1 (rural…, 50 %) or 3 (urban…, 50 %), depending on territory »; « outside: placed
    on 4 of 6 descriptors; origin and territory are outside the typology »."""
    if result["cluster"] is None and not result["possible_clusters"]:
        return "-"
    sampled = "" if result["completions"]["exhaustive"] else text(
        "classify.sampled", lang, n=result["completions"]["n"],
        seed=result["completions"].get("seed", ""))
    state = result.get("placement", "determined" if result["determined"] else "undetermined")
    if state == "outside":
        return _outside_text(result, names, lang) + sampled
    if state == "determined":
        if result["unknown"]:
            unknown = _descriptor_list(result["unknown"], lang)
            return text("classify.determined_with_unknowns", lang, unknown=unknown) + sampled
        return text("classify.determined", lang)
    decided = _descriptor_list(result["decided_by"], lang)
    shown = text("classify.undetermined", lang, options=_options(result, names, lang),
                 decided_by=decided)
    return shown + _passive_differs(result, lang) + sampled


def _options(result: dict, names: dict[int, str], lang: str) -> str:
    """« cluster 1 (Rural, 50.0 %) or cluster 3 (…) », the most frequent first."""
    return text("classify.or", lang).join(
        text("classify.option", lang, cluster=c, name=names.get(int(c), ""),
             share=_pct(share, lang))
        for c, share in sorted(result["possible_clusters"].items(), key=lambda kv: -kv[1]))


def _passive_differs(result: dict, lang: str) -> str:
    """« ; left unknown, its nearest centre is cluster 4, which no completion gives »."""
    if "passive_differs" not in result.get("placement_reasons", []):
        return ""
    return text("classify.passive_differs", lang, cluster=result["cluster"])


def _outside_text(result: dict, names: dict[int, str], lang: str) -> str:
    """« outside: placed on 4 of 6 descriptors; Origin and Territory are outside the
    typology », then what the unknowns leave open."""
    outside = list(dict.fromkeys(name.partition(SEP)[0] for name in result["unseen"]))
    key = "classify.outside_one" if len(outside) == 1 else "classify.outside_many"
    shown = text(key, lang, n=len(result["placed_on"]), total=len(result["categories"]),
                 descriptors=_descriptor_list(outside, lang))
    if len(result["possible_clusters"]) > 1:
        shown += text("classify.outside_open", lang, options=_options(result, names, lang),
                      decided_by=_descriptor_list(result["decided_by"], lang))
    return shown + _passive_differs(result, lang)


def cluster_cell(result: dict, names: dict[int, str], lang: str = "en") -> str:
    """The cluster of a placement, never shown as settled when it is not: « 1 (Rural) »,
    « 1 (Rural), not settled », « 1 (Rural), placed on 4 of 6 descriptors »."""
    cluster = result["cluster"]
    if cluster is None:
        return ""
    named = text("classify.cluster_named", lang, cluster=cluster,
                 name=names.get(int(cluster), ""))
    state = result.get("placement", "determined" if result["determined"] else "undetermined")
    if state == "determined":
        return named
    if state == "outside":
        return text("classify.cluster_outside", lang, named=named,
                    total=len(result["categories"]), n=len(result["placed_on"]))
    return text("classify.cluster_unsettled", lang, named=named)


def flag_text(flag: dict, names: dict[str, str], lang: str = "en") -> str:
    """One flag of ``classify`` in words."""
    code = flag["code"]
    if code == "unseen_categories":
        return text("classify.flag.unseen_categories", lang,
                    categories=", ".join(category_label(c, lang) for c in flag["categories"]))
    if code == "near_tie":
        (first, second), (d1, d2) = flag["clusters"], flag["distances"]
        return text("classify.flag.near_tie", lang, first=first, second=second,
                    d1=_num(d1, lang), d2=_num(d2, lang))
    if code == "nearest_temoin_elsewhere":
        return text("classify.flag.nearest_temoin_elsewhere", lang,
                    temoin=names.get(flag["pole_id"], flag["pole_id"]), cluster=flag["cluster"])
    if code == "far_from_every_centre":
        return text("classify.flag.far_from_every_centre", lang,
                    distance=_num(flag["distance"], lang), own_max=_num(flag["own_max"], lang))
    return text(f"classify.flag.{code}", lang)


def classify_sections(results: list[dict], names: dict[str, str], lang: str = "en",
                      cluster_labels: dict[int, str] | None = None
                      ) -> list[tuple[str, pd.DataFrame]]:
    """The results of ``ptce classify`` as display tables: one summary row per pole, then
    the nearest témoins."""
    vocab = vocabulary()
    cluster_labels = cluster_labels or {}

    def t(key: str, **values: Any) -> str:
        return text(key, lang, **values)

    def descriptors(keys: list[str]) -> str:
        return ", ".join(vocab.label(k, lang) for k in keys) or "-"

    rows, near = [], []
    for r in results:
        rows.append({
            "pole_id": r["pole_id"],
            t("classify.column.name"): r["name"],
            t("classify.column.cluster"): cluster_cell(r, cluster_labels, lang),
            t("classify.column.placement"): placement_text(r, cluster_labels, lang),
            t("classify.column.distances"):
                "; ".join(f"{c}: {_num(d, lang)}" for c, d in r["distances"].items()),
            t("classify.column.typicality"): t("classify.typicality_none")
            if r["typicality"] is None else t("classify.typicality",
                                               share=_pct(r["typicality"], lang),
                                               n=r["typicality_known"]),
            "cos2": "" if r["cos2"] is None else _num(r["cos2"], lang),
            t("classify.column.flags"): " | ".join(flag_text(f, names, lang)
                                                   for f in r["flags"]) or "-",
        })
        for rank, other in enumerate(r["nearest"], start=1):
            near.append({
                "pole_id": r["pole_id"], t("classify.column.rank"): rank,
                t("classify.column.temoin"): names.get(other["pole_id"], other["pole_id"]),
                t("classify.column.cluster"): other["cluster"],
                t("classify.column.distance"): _num(other["distance"], lang),
                t("classify.column.shared"): descriptors(other["shared"]),
                t("classify.column.different"): "; ".join(
                    _different(d, lang) for d in other["different"]) or "-",
                t("classify.column.unknown_here"): descriptors(other["unknown_here"]),
                t("classify.column.unknown_there"): descriptors(other["unknown_there"]),
            })
    sections = [(t("classify.title.summary"), pd.DataFrame(rows).set_index("pole_id"))]
    if near:  # none when no pole could be placed (nothing known, or nothing the témoins hold)
        sections.append((t("classify.title.nearest"), pd.DataFrame(near).set_index("pole_id")))
    return sections


def classify_pole_sections(results: list[dict], names: dict[str, str], lang: str = "en",
                           cluster_labels: dict[int, str] | None = None
                           ) -> list[tuple[str, pd.DataFrame]]:
    """The results of ``ptce classify`` as one two-column table per pole, for print (LaTeX):
    each row a field of :func:`classify_sections`' summary, then one row per nearest témoin
    (its cluster and distance, then what it shares, what differs and what is unknown).

    Returns
    -------
    list of (str, pandas.DataFrame)
        Title « Name (pole_id) »; index: the field, headed « Field »; one column « Value ».
    """
    import pandas as pd

    def t(key: str, **values: Any) -> str:
        return text(key, lang, **values)

    sections = classify_sections(results, names, lang, cluster_labels)
    summary = sections[0][1]
    nearest = sections[1][1] if len(sections) > 1 else pd.DataFrame()
    parts = []
    for pole_id, row in summary.iterrows():
        fields = {head: value for head, value in row.items()
                  if head != t("classify.column.name")}
        mine = nearest.loc[[pole_id]] if pole_id in nearest.index else nearest.iloc[:0]
        for _, other in mine.iterrows():
            fields[t("classify.nearest_row", rank=other[t("classify.column.rank")])] = t(
                "classify.nearest_cell",
                **{key: other[t(f"classify.column.{key}")]
                   for key in ("temoin", "cluster", "distance", "shared", "different",
                               "unknown_here", "unknown_there")})
        table = pd.DataFrame({t("classify.column.value"): list(fields.values())},
                             index=pd.Index(list(fields), name=t("classify.column.field")))
        parts.append((t("classify.title_pole", name=row[t("classify.column.name")],
                        pole_id=pole_id), table))
    return parts


def _different(item: str, lang: str) -> str:
    """``territory: rural / urban_popular_neighbourhood`` in labels."""
    vocab = vocabulary()
    var, _, values = item.partition(": ")
    mine, _, theirs = values.partition(" / ")
    return text("classify.pair", lang, descriptor=vocab.label(var, lang),
                mine=vocab.category_label(var, mine, lang),
                theirs=vocab.category_label(var, theirs, lang))


def classify_csv_frame(results: list[dict]) -> pd.DataFrame:
    """One flat row per classified pole, for CSV."""
    rows = []
    for r in results:
        row = {"pole_id": r["pole_id"], "name": r["name"], "cluster": r["cluster"],
               "determined": r["determined"], "decided_by": ";".join(r["decided_by"]),
               "placement": r["placement"], "unseen": ";".join(r["unseen"]),
               "typicality": r["typicality"], "cos2": r["cos2"]}
        for c, share in r["possible_clusters"].items():
            row[f"possible_{c}"] = share
        for c, d in r["distances"].items():
            row[f"distance_{c}"] = d
        for i, other in enumerate(r["nearest"], start=1):
            row[f"nearest_{i}"] = other["pole_id"]
            row[f"nearest_{i}_distance"] = other["distance"]
        row["flags"] = ";".join(f["code"] for f in r["flags"])
        rows.append(row)
    return pd.DataFrame(rows).set_index("pole_id")


# The tables ``ptce clusters --format csv --table`` writes (one table per CSV file).
CSV_TABLES = ("clusters", "categories", "eta2", "eigenvalues")


def clusters_csv_table(model: Typology, stab: dict | None, table: str = "clusters"
                       ) -> pd.DataFrame:
    """The table of ``CSV_TABLES`` named ``table``, with raw numbers and codes: the poles
    (:func:`cluster_csv_frame`), or the MCA's categories (``MCA.category_table``, every kept
    dimension), eta2 (``MCA.eta2_table``) or eigenvalues (``MCA.eigenvalues_``)."""
    if table == "categories":
        return model.mca_.category_table()
    if table == "eta2":
        return model.mca_.eta2_table()
    if table == "eigenvalues":
        return model.mca_.eigenvalues_
    return cluster_csv_frame(model, stab)


def cluster_csv_frame(model: Typology, stab: dict | None) -> pd.DataFrame:
    """One flat row per pole (cluster, distance, coordinates, stability), for CSV; the
    supplementary poles (too thinly known to shape the typology) after them, with their
    placement, and a cluster only where it is determined."""
    table = model.cluster_table()
    table["cluster"] = table["cluster"].astype("Int64")
    if stab is not None:
        table = table.join(stab["poles"][["bootstrap_stay", "loo_stay"]])
    table.insert(0, "fitted", True)
    table["placement"] = "fitted"
    placed = model.supplementary_placements_
    if len(placed):
        dims = list(model.coordinates_.columns)
        extra = pd.DataFrame([row for row in placed["coordinates"]], columns=dims,
                             index=placed.index)
        extra.insert(0, "fitted", False)
        extra.insert(1, "cluster", placed["cluster"].where(
            placed["placement"] == "determined").astype("Int64"))
        extra.insert(2, "distance", float("nan"))
        extra["placement"] = placed["placement"]
        table = pd.concat([table, extra[[c for c in table.columns if c in extra.columns]]])
    return table
