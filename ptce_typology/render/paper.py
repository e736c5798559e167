"""The paper's typology and the reproduction of its claims as display tables and JSON
(``ptce typology``, ``ptce reproduce``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ptce_typology.render.labels import text as text_label
from ptce_typology.vocabulary import vocabulary

if TYPE_CHECKING:
    import pandas as pd


def typology_json(table: pd.DataFrame, frame: pd.DataFrame, lang: str = "en") -> dict:
    """The documented JSON shape of ``ptce typology`` (see README)."""
    vocab = vocabulary()
    dims = []
    for name in dict.fromkeys(table.index.get_level_values("dimension")):
        part = table.loc[name]
        dims.append({
            "dimension": name,
            "label": vocab.label(name, lang),
            "categories": [
                {"category": cat, "label": vocab.category_label(name, cat, lang),
                 "count": int(row["count"]), "share": round(float(row["share"]), 3),
                 "poles": list(row["poles"])}
                for cat, row in part.iterrows()],
        })
    return {"reference_year": frame.attrs.get("reference_year"), "n_poles": len(frame),
            "dimensions": dims}


def crosstab_json(table: pd.DataFrame, lang: str = "en") -> dict:
    vocab = vocabulary()
    row, column = table.attrs["row"], table.attrs["column"]
    return {
        "row": row, "column": column,
        "cells": [{"row": r, "row_label": vocab.category_label(row, r, lang),
                   "column": c, "column_label": vocab.category_label(column, c, lang),
                   "count": int(v["count"]), "share_of_row": round(float(v["share_of_row"]), 3),
                   "poles": list(v["poles"])}
                  for (r, c), v in table.iterrows()],
    }


def display_typology(table: pd.DataFrame, names: dict[str, str],
                     lang: str = "en") -> pd.DataFrame:
    """The typology table for a paper: labels, share as a percentage for ``lang``, pole names."""
    import pandas as pd

    from ptce_typology.render.formats import format_number

    vocab = vocabulary()
    heads = {"fr": ("Dimension", "Catégorie", "Nombre", "Part", "Pôles"),
             "en": ("Dimension", "Category", "Count", "Share", "Poles")}[lang]
    rows = [{heads[0]: vocab.label(dim, lang),
             heads[1]: vocab.category_label(dim, cat, lang),
             heads[2]: int(r["count"]),
             heads[3]: format_number(r["share"], lang, digits=1, percent=True),
             heads[4]: ", ".join(names.get(p, p) for p in r["poles"])}
            for (dim, cat), r in table.iterrows()]
    return pd.DataFrame(rows, columns=list(heads)).set_index(heads[0])


def display_crosstab(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The cross-table as a matrix of counts with labels, for a paper."""
    vocab = vocabulary()
    row, column = table.attrs["row"], table.attrs["column"]
    rows_order = list(dict.fromkeys(table.index.get_level_values("row")))
    cols_order = list(dict.fromkeys(table.index.get_level_values("column")))
    matrix = table["count"].unstack("column").reindex(index=rows_order, columns=cols_order)
    matrix.index = [vocab.category_label(row, r, lang) for r in matrix.index]
    matrix.columns = [vocab.category_label(column, c, lang) for c in matrix.columns]
    matrix.index.name = f"{vocab.label(row, lang)} \\ {vocab.label(column, lang)}"
    total = {"fr": "Total", "en": "Total"}[lang]
    matrix[total] = matrix.sum(axis=1)
    matrix.loc[total] = matrix.sum(axis=0)
    return matrix.astype(int)


def display_claims(table: pd.DataFrame, names: dict[str, str], lang: str = "en",
                   verbose: bool = False) -> pd.DataFrame:
    """The reproduction for a reader: status labels, pole names."""
    import pandas as pd

    status_labels = {
        "en": {"match": "match", "mismatch": "MISMATCH", "not_computable": "not computable"},
        "fr": {"match": "conforme", "mismatch": "ÉCART", "not_computable": "non calculable"},
    }[lang]
    heads = {"en": ("Claim", "Paper", "Computed", "Status", "Note"),
             "fr": ("Affirmation", "Article", "Calculé", "Statut", "Remarque")}[lang]
    rows = []
    for cid, r in table.iterrows():
        text = r["quote"] if lang == "fr" else r["claim"]
        paper, computed, note = r["paper_value"], r["computed_value"], r["note"]
        # Longest ids first, so that no id is replaced inside a longer one.
        for pid in sorted(names, key=len, reverse=True):
            paper = paper.replace(pid, names[pid])
            computed = computed.replace(pid, names[pid])
            note = note.replace(pid, names[pid])
        if r.get("inferred"):
            note = (note + " " if note else "") + text_label(
                "reproduce.inferred", lang, poles=", ".join(names.get(p, p)
                                                            for p in r["inferred"]))
        row = {"id": cid, heads[0]: text, heads[1]: paper, heads[2]: computed,
               heads[3]: status_labels[r["status"]],
               heads[4]: note if verbose or r["status"] != "match" else ""}
        rows.append(row)
    return pd.DataFrame(rows).set_index("id")
