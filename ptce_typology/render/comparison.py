"""The comparison of groups of poles laid out as papers do (``ptce compare``).

The layout is the "Table 1" of the ``tableone`` package: one row per category under its
descriptor, the groups as columns with « n (%) » and the group size in the header, the median
with its quartiles for a numeric descriptor, then p, the adjusted p and the effect size with
its name. Every number comes from :func:`ptce_typology.analysis.comparison.compare_groups`;
this module only lays them out.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ptce_typology.render.cells import name_list
from ptce_typology.render.labels import labels, text
from ptce_typology.vocabulary import UNKNOWN, vocabulary

if TYPE_CHECKING:
    import pandas as pd

#: Columns of the tidy table (``--format csv`` and the ``rows`` of ``--format json``).
TIDY_COLUMNS = ("variable", "category", "group", "group_n", "count", "share", "median", "q1",
                "q3", "test", "p_value", "p_adjusted", "effect_size", "effect_size_name",
                "v_corrected", "odds_ratio", "ci_low", "ci_high", "n")


def min_p_sentence(result: dict, lang: str = "en") -> str:
    """The plain line that keeps readers from reading too much into a dozen poles."""
    from ptce_typology.render.cells import format_number

    if result["min_p_value"] is None:
        return ""
    a, b = (g["n"] for g in result["groups"])
    p = result["min_p_value"]
    shown = (format_number(p, lang, 4) if p >= 1e-4
             else f"{p:.1e}".replace(".", text("number.decimal_mark", lang)))
    return text("compare.min_p", lang, a=a, b=b, p=shown)


def caption(result: dict, lang: str = "en") -> str:
    """The default caption: « Comparaison selon Lauréat de l'appel national 2013-2014 »."""
    return text("compare.title", lang, by=vocabulary().label(result["by"], lang))


def group_label(by: str, group: str, lang: str = "en") -> str:
    """A group's name: « Lauréats » for the laureates, else the category's label."""
    key = f"compare.group.{by}.{group}"
    if key in labels():
        return text(key, lang)
    return vocabulary().category_label(by, group, lang)


def _number(value: float, lang: str) -> str:
    """A median or quartile: an integer as is, otherwise one decimal (French comma)."""
    from ptce_typology.render.cells import format_number

    if float(value).is_integer():
        return str(int(value))
    return format_number(value, lang, 1)


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def effect_parts(test: Any, lang: str = "en") -> list[str]:
    """The effect size with its name, in parts that each stay on one line (no-break spaces
    inside): « V 0,42 (corr. 0,30) », « RC 3,20 [0,21 ; 48,1] »."""
    from ptce_typology.render.cells import format_number

    if _is_missing(test["effect_size"]):
        return []
    name = text(f"compare.effect_name.{test['effect_size_name']}", lang)
    parts = [f"{name} {format_number(test['effect_size'], lang, 2)}"]
    if not _is_missing(test["v_corrected"]):
        parts[0] += " (" + text("compare.corrected", lang,
                                value=format_number(test["v_corrected"], lang, 2)) + ")"
    if test["statistic_name"] == "odds_ratio" and not _is_missing(test["statistic"]):
        parts.append(text("compare.odds_ratio", lang,
                          value=format_number(test["statistic"], lang, 2),
                          low=format_number(test["ci_low"], lang, 2),
                          high=format_number(test["ci_high"], lang, 2)))
    return [part.replace(" ", "\u00a0") for part in parts]


def comparison_table(result: dict, lang: str = "en") -> pd.DataFrame:
    """The comparison as a paper's "Table 1".

    Parameters
    ----------
    result : dict
        :func:`ptce_typology.analysis.comparison.compare_groups`.
    lang : {"en", "fr"}
        Language of the labels and numbers.

    Returns
    -------
    pandas.DataFrame
        Index: the descriptor's label, repeated on each of its rows (``attrs["grouped"]``).
        Columns: the category (or « median [Q1; Q3] »), one column per group headed
        « Lauréats (n = 5) » holding « n (%) » or « median [Q1; Q3] », then p, the adjusted
        p and the effect size with its name, on the first row of each descriptor.
        ``attrs["notes"]``: how to read it, the smallest reachable p, the poles left out.
    """
    import pandas as pd

    from ptce_typology.render.cells import format_number

    vocab = vocabulary()
    by = result["by"]
    groups = [g["group"] for g in result["groups"]]
    heads = {g["group"]: text("compare.group_head", lang, group=group_label(by, g["group"], lang),
                              n=g["n"]) for g in result["groups"]}
    descriptor, category = text("compare.descriptor", lang), text("compare.category", lang)
    p_head = text("compare.p", lang)
    adjusted_head = text(f"compare.p_adjusted_{result['correction']}", lang)
    effect_head = text("compare.effect", lang)
    unknown_label = text("compare.unknown_row", lang)
    rows, dropped_unknown = [], False
    for var, test in result["tests"].iterrows():
        label = vocab.label(var, lang)
        block = [{descriptor: label, category: name, **cells}
                 for name, cells in _group_cells(result, var, heads, lang)]
        unknown = result.get("unknown", {}).get(var, {})
        if any(unknown.get(g, 0) for g in groups):
            block.append({descriptor: label, category: unknown_label,
                          **{heads[g]: str(unknown.get(g, 0)) for g in groups}})
        elif unknown:
            dropped_unknown = True
        # The effect size on the descriptor's first row, with the odds ratio, which is the
        # first category's (a 2 x 2 table's rows are its categories).
        effect = text("common.list_sep", lang).join(effect_parts(test, lang))
        for k, row in enumerate(block):
            first = k == 0
            row[p_head] = format_number(test["p_value"], lang, 3) if first else ""
            row[adjusted_head] = format_number(test["p_adjusted"], lang, 3) if first else ""
            row[effect_head] = effect if first else ""
        rows.extend(block)
    columns = [descriptor, category, *(heads[g] for g in groups), p_head, adjusted_head,
               effect_head]
    frame = pd.DataFrame(rows, columns=columns).set_index(descriptor)
    notes = [text("compare.note_layout", lang)]
    if dropped_unknown:
        notes.append(text("table.unknown_zero_left_out", lang))
    sentence = min_p_sentence(result, lang)
    if sentence:
        notes.append(sentence)
    reasons = result.get("left_out_reasons") or {p: "unknown" for p in result["left_out"]}
    for reason in sorted(set(reasons.values())):
        notes.append(text("compare.left_out", lang, by=vocab.label(by, lang),
                          reason=vocab.category_label(by, reason, lang),
                          poles=name_list(result.get("names", {}).get(p, p)
                                          for p, r in reasons.items() if r == reason)))
    notes.extend(list_notes(result, lang))
    frame.attrs = {"grouped": True, "notes": notes}
    return frame


def list_notes(result: dict, lang: str = "en") -> list[str]:
    """How the groups of a call grouping were built: each call's list, complete or not, and
    that the bundled poles are not a random sample (empty for any other grouping)."""
    calls = vocabulary().calls
    notes = []
    for item in result.get("lists") or []:
        announced = item["announced"]
        notes.append(text(f"calls.list_note.{item['complete']}", lang,
                          call=calls[item["call"]][lang], named=item["named"],
                          announced="?" if announced is None else announced))
    if notes:
        notes.append(text("calls.sample_note", lang))
    return notes


def _group_cells(result: dict, var: str, heads: dict[str, str], lang: str
                 ) -> list[tuple[str, dict[str, str]]]:
    """A descriptor's rows of the layout: for each category (or the numeric row), its label
    and the groups' cells, « n (%) » or « median [Q1; Q3] »."""
    from ptce_typology.render.cells import format_number

    vocab = vocabulary()
    if var in result["tables"]:
        table = result["tables"][var]
        known = {g: int(table[g].sum()) for g in heads}
        rows = []
        for cat in table.index:
            cells = {}
            for g in heads:
                count = int(table.at[cat, g])
                share = format_number(count / known[g], lang, 1, percent=True) \
                    if known[g] else "-"
                cells[heads[g]] = text("number.count_share", lang, count=count, share=share)
            rows.append((vocab.category_label(var, cat, lang), cells))
        return rows
    cells = {}
    for g in heads:
        med = result["medians"].get(var, {}).get(g)
        quart = result.get("quartiles", {}).get(var, {}).get(g)
        cells[heads[g]] = "-" if med is None or quart is None else text(
            "number.median_iqr", lang, median=_number(med, lang),
            q1=_number(quart[0], lang), q3=_number(quart[1], lang))
    return [(text("compare.numeric_row", lang), cells)]


def comparison_tidy(result: dict) -> pd.DataFrame:
    """The numbers of the layout as a tidy table (raw numbers, no text formatting).

    Returns
    -------
    pandas.DataFrame
        One row per descriptor × category × group (a numeric descriptor has the category
        ``""``; ``unknown`` rows count the values left out of the tests), columns
        :data:`TIDY_COLUMNS`: ``count`` and ``share`` (of the group's known values, in
        [0, 1]), ``median``, ``q1``, ``q3`` and the descriptor's test.
    """
    import numpy as np
    import pandas as pd

    sizes = {g["group"]: g["n"] for g in result["groups"]}
    rows = []
    for var, test in result["tests"].iterrows():
        shared = {"test": test["test"], "p_value": test["p_value"],
                  "p_adjusted": test["p_adjusted"], "effect_size": test["effect_size"],
                  "effect_size_name": test["effect_size_name"],
                  "v_corrected": test["v_corrected"], "odds_ratio": test["statistic"]
                  if test["statistic_name"] == "odds_ratio" else np.nan,
                  "ci_low": test["ci_low"], "ci_high": test["ci_high"], "n": test["n"]}
        unknown = result.get("unknown", {}).get(var, {})
        for g, size in sizes.items():
            base = {"variable": var, "group": g, "group_n": size}
            if var in result["tables"]:
                table = result["tables"][var]
                known = int(table[g].sum())
                for cat in table.index:
                    count = int(table.at[cat, g])
                    rows.append({**base, "category": cat, "count": count,
                                 "share": count / known if known else np.nan, **shared})
            else:
                quart = result.get("quartiles", {}).get(var, {}).get(g) or [np.nan, np.nan]
                med = result["medians"].get(var, {}).get(g)
                rows.append({**base, "category": "", "count": size - unknown.get(g, 0),
                             "median": np.nan if med is None else med, "q1": quart[0],
                             "q3": quart[1], **shared})
            if unknown.get(g, 0):
                rows.append({**base, "category": UNKNOWN, "count": unknown[g], **shared})
    return pd.DataFrame(rows, columns=list(TIDY_COLUMNS))


def comparison_json(result: dict) -> dict:
    """The JSON of ``ptce compare``: the library's result as plain data, and the tidy rows.

    Returns
    -------
    dict
        ``by``, ``groups``, ``left_out``, ``correction``, ``min_p_value``, ``tests`` (one
        record per descriptor), ``tables`` ({variable: {categories, counts}}), ``medians``,
        ``quartiles``, ``unknown``, ``note`` (the smallest-p sentence), ``lists`` (for a
        call grouping, each call's list: ``call``, ``announced``, ``named``, ``complete``)
        and ``rows`` (:func:`comparison_tidy`).
    """
    tests = result["tests"].reset_index()
    return {
        "by": result["by"], "groups": result["groups"], "left_out": result["left_out"],
        "correction": result["correction"], "min_p_value": result["min_p_value"],
        "tests": tests.to_dict(orient="records"),
        "tables": {v: {"categories": list(t.index), "counts": t.to_dict(orient="index")}
                   for v, t in result["tables"].items()},
        "medians": result["medians"], "quartiles": result.get("quartiles", {}),
        "unknown": result.get("unknown", {}),
        "note": min_p_sentence(result),
        "lists": result.get("lists", []),
        "rows": comparison_tidy(result).to_dict(orient="records"),
    }
