"""The comparison of two groups of poles as a display table and JSON (``ptce compare``)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def min_p_sentence(result: dict, lang: str = "en") -> str:
    """The plain line that keeps readers from reading too much into a dozen poles."""
    if result["min_p_value"] is None:
        return ""
    a, b = (g["n"] for g in result["groups"])
    p = result["min_p_value"]
    if lang == "fr":
        return (f"Avec des groupes de {a} et {b} pôles, la plus petite valeur p qu'un test "
                f"exact sur un tableau 2 × 2 puisse atteindre est {p:.4f}".replace(".", ",")
                + " : ces comparaisons sont descriptives et exploratoires.")
    return (f"With groups of {a} and {b} poles, the smallest p-value an exact test on a 2 × 2 "
            f"table can reach is {p:.4f}: read these comparisons as descriptive and "
            "exploratory.")


def comparison_json(result: dict) -> dict:
    tests = result["tests"].reset_index()
    return {
        "by": result["by"], "groups": result["groups"], "left_out": result["left_out"],
        "correction": result["correction"], "min_p_value": result["min_p_value"],
        "tests": tests.to_dict(orient="records"),
        "tables": {v: {"categories": list(t.index), "counts": t.to_dict(orient="index")}
                   for v, t in result["tables"].items()},
        "medians": result["medians"],
        "note": min_p_sentence(result),
    }


def comparison_table(result: dict, lang: str = "en") -> pd.DataFrame:
    """The paper's table: one row per descriptor, the groups as columns, p and effect size."""
    from ptce_typology.render.formats import format_number
    from ptce_typology.vocabulary import vocabulary

    vocab = vocabulary()
    by = result["by"]
    groups = [g["group"] for g in result["groups"]]
    heads = {g: f"{vocab.category_label(by, g, lang)} (n = {n})"
             for g, n in ((g["group"], g["n"]) for g in result["groups"])}
    rows = []
    for var, test in result["tests"].iterrows():
        row = {("Descripteur" if lang == "fr" else "Descriptor"): vocab.label(var, lang)}
        if var in result["tables"]:
            table = result["tables"][var]
            for g in groups:
                total = int(table[g].sum())
                parts = [f"{vocab.category_label(var, c, lang)} {int(table.at[c, g])}"
                         for c in table.index if table.at[c, g]]
                row[heads[g]] = "; ".join(parts) + (f" (n = {total})" if total else "-")
        else:
            for g in groups:
                med = result["medians"].get(var, {}).get(g)
                row[heads[g]] = ("médiane " if lang == "fr" else "median ") + \
                    (format_number(med, lang, 1) if med is not None else "-")
        row["p"] = format_number(test["p_value"], lang, 3)
        row[("p ajusté" if lang == "fr" else "p adjusted")] = format_number(test["p_adjusted"],
                                                                          lang, 3)
        effect = format_number(test["effect_size"], lang, 2)
        if test["effect_size_name"]:
            effect = f"{test['effect_size_name']} {effect}"
        if not np.isnan(test["v_corrected"]):
            effect += (" (corrigé " if lang == "fr" else " (bias-corrected ") + \
                format_number(test["v_corrected"], lang, 2) + ")"
        if not np.isnan(test["statistic"]) and "odds ratio" in test["test"]:
            sep = " ; " if lang == "fr" else ", "  # French decimals use the comma
            effect += (f"; OR {format_number(test['statistic'], lang, 2)} "
                       f"[{format_number(test['ci_low'], lang, 2)}{sep}"
                       f"{format_number(test['ci_high'], lang, 2)}]")
        row[("Effet" if lang == "fr" else "Effect size")] = effect
        row["n"] = int(test["n"])
        rows.append(row)
    frame = pd.DataFrame(rows)
    return frame.set_index(frame.columns[0])
