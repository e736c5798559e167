"""The paper's typology tables: for each descriptor, the count and share of poles in each
category and the poles in it; and cross-tables of two descriptors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ptce_typology.errors import PtceError
from ptce_typology.vocabulary import UNKNOWN, vocabulary

if TYPE_CHECKING:
    import pandas as pd

# The descriptors of the paper's typology (part II.1), in the paper's order.
TYPOLOGY_DESCRIPTORS = ("age_class", "origin", "territory", "sector", "members_class",
                        "shared_premises", "employer_group", "laureate_2013")


def _check_descriptor(frame: pd.DataFrame, name: str, option: str) -> None:
    categorical = [c for c in frame.columns if str(frame[c].dtype) == "category"]
    if name not in categorical:
        raise PtceError("not a categorical descriptor", field=option, value=name,
                        allowed=categorical)


def typology_table(frame: pd.DataFrame,
                   descriptors: tuple[str, ...] = TYPOLOGY_DESCRIPTORS) -> pd.DataFrame:
    """Count and share of poles per category of each descriptor.

    Parameters
    ----------
    frame
        The tidy frame of :func:`~ptce_typology.loading.cases_frame`.
    descriptors
        Categorical columns of ``frame``.

    Returns
    -------
    pandas.DataFrame
        MultiIndex (``dimension``, ``category``), categories in vocabulary order with
        ``unknown`` last (kept, even at 0, so that no pole silently drops out; other empty
        categories are left out). Columns: ``count`` (int), ``share`` (float in [0, 1], of all
        poles), ``poles`` (tuple of pole_id, in frame order).
    """
    import pandas as pd

    rows = []
    for name in descriptors:
        _check_descriptor(frame, name, "descriptor")
        column = frame[name]
        for category in column.cat.categories:
            members = tuple(frame.index[column == category])
            if not members and category != UNKNOWN:
                continue
            rows.append({"dimension": name, "category": category, "count": len(members),
                         "share": len(members) / len(frame) if len(frame) else float("nan"),
                         "poles": members})
    table = pd.DataFrame(rows, columns=["dimension", "category", "count", "share", "poles"])
    table["count"] = table["count"].astype(int)
    return table.set_index(["dimension", "category"])


def crosstab_table(frame: pd.DataFrame, row: str, column: str) -> pd.DataFrame:
    """Cross-table of two descriptors: one row per (row category, column category) pair.

    Returns
    -------
    pandas.DataFrame
        MultiIndex (``row``, ``column``) holding category keys in vocabulary order, ``unknown``
        included on both sides. Columns: ``count`` (int), ``share_of_row`` (float in [0, 1]),
        ``poles`` (tuple of pole_id). Only row and column categories held by some pole are kept.
    """
    import pandas as pd

    _check_descriptor(frame, row, "--by")
    _check_descriptor(frame, column, "--by")
    row_cats = [c for c in frame[row].cat.categories if (frame[row] == c).any()]
    col_cats = [c for c in frame[column].cat.categories if (frame[column] == c).any()]
    records = []
    for r in row_cats:
        in_row = frame[row] == r
        for c in col_cats:
            members = tuple(frame.index[in_row & (frame[column] == c)])
            records.append({"row": r, "column": c, "count": len(members),
                            "share_of_row": len(members) / int(in_row.sum()), "poles": members})
    table = pd.DataFrame(records, columns=["row", "column", "count", "share_of_row", "poles"])
    table.attrs.update(row=row, column=column)
    return table.set_index(["row", "column"])


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

    from ptce_typology.export import format_number

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
