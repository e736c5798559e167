"""The paper's typology and the reproduction of its claims as display tables and JSON
(``ptce typology``, ``ptce reproduce``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ptce_typology.render.cells import name_list
from ptce_typology.render.labels import text
from ptce_typology.vocabulary import UNKNOWN, vocabulary

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
    """The JSON of ``ptce typology --by``: the row and column descriptors and one
    object per cell (keys, labels in ``lang``, count, share of the row, poles)."""
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
    """The typology table for a paper: labels, share as a percentage for ``lang``, pole names.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`ptce_typology.analysis.paper.typology_table`.
    names : dict
        pole_id -> name.
    lang : {"en", "fr"}
        Language of the labels and numbers.

    Returns
    -------
    pandas.DataFrame
        Index: the dimension's label, repeated on each of its rows (``attrs["grouped"]``:
        renderers name it once). Columns: category, count, share and poles, headed in
        ``lang``. An ``unknown`` row with a zero count is left out, and ``attrs["notes"]``
        says so.
    """
    import pandas as pd

    from ptce_typology.render.cells import format_number

    vocab = vocabulary()
    heads = [text(f"paper.{k}", lang) for k in ("dimension", "category", "count", "share")]
    heads.append(text("common.poles", lang))
    # An empty `unknown` row says nothing; the note says it was left out.
    shown = [(dim, cat, r) for (dim, cat), r in table.iterrows()
             if not (cat == UNKNOWN and int(r["count"]) == 0)]
    every = [names.get(p, p) for _, _, r in shown for p in r["poles"]]
    rows = [{heads[0]: vocab.label(dim, lang),
             heads[1]: vocab.category_label(dim, cat, lang),
             heads[2]: int(r["count"]),
             heads[3]: format_number(r["share"], lang, digits=1, percent=True),
             heads[4]: name_list((names.get(p, p) for p in r["poles"]), among=every)}
            for dim, cat, r in shown]
    out = pd.DataFrame(rows, columns=list(heads)).set_index(heads[0])
    notes = [text("table.unknown_zero_left_out", lang)] if len(shown) < len(table) else []
    out.attrs = {"grouped": True, "notes": notes}
    return out


def display_crosstab(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The cross-table as a matrix of counts with labels, for a paper.

    Returns
    -------
    pandas.DataFrame
        Rows: the categories of the row descriptor, then a total; columns: the categories of
        the column descriptor, then a total; integer counts.
    """
    vocab = vocabulary()
    row, column = table.attrs["row"], table.attrs["column"]
    rows_order = list(dict.fromkeys(table.index.get_level_values("row")))
    cols_order = list(dict.fromkeys(table.index.get_level_values("column")))
    matrix = table["count"].unstack("column").reindex(index=rows_order, columns=cols_order)
    matrix.index = [vocab.category_label(row, r, lang) for r in matrix.index]
    matrix.columns = [vocab.category_label(column, c, lang) for c in matrix.columns]
    matrix.index.name = f"{vocab.label(row, lang)} \\ {vocab.label(column, lang)}"
    total = text("common.total", lang)
    matrix[total] = matrix.sum(axis=1)
    matrix.loc[total] = matrix.sum(axis=0)
    return matrix.astype(int)


def pole_list(poles, lang: str = "en", limit: int = 50) -> str:
    """Pole ids (or short texts) for a note: the first ``limit``, then how many more."""
    poles = [str(p) for p in poles]
    shown = name_list(poles[:limit])
    if len(poles) > limit:
        shown += " " + text("common.more", lang, n=len(poles) - limit)
    return shown


def _percent(value: float, lang: str, digits: int) -> str:
    from ptce_typology.render.cells import format_number

    return format_number(value, lang, digits=digits, percent=True)


def claim_values(row: Any, lang: str = "en") -> tuple[str, str]:
    """The paper's value and the computed one of a claim, as text in ``lang``."""
    from ptce_typology.render.cells import format_number

    v, kind = row["values"], row["kind"]
    if kind == "unmeasured":
        return str(v["expected"]), "-"
    if kind == "total":
        return str(v["expected"]), str(v["n"])
    if kind == "count":
        computed = str(v["low"])
        if v["high"] != v["low"]:
            computed = text("claims.value.up_to", lang, value=computed, high=v["high"])
        paper = (text("claims.value.range", lang, low=f"{v['accepted_low']:g}",
                      high=f"{v['accepted_high']:g}") if "accepted_low" in v
                 else str(v["expected"]))
        return paper, computed
    if kind == "share":
        n, low, high = v["n"], v["low"], v["high"]
        share = _percent(low / n, lang, 1)
        computed = (text("claims.value.share", lang, low=low, n=n, share=share)
                    if high == low else
                    text("claims.value.share_up_to", lang, low=low, n=n, share=share,
                         high=high, high_share=_percent(high / n, lang, 1)))
        return _percent(float(v["expected"]), lang, 0), computed
    if kind == "named":
        return (text("claims.value.named", lang, n=len(v["expected"]),
                     poles=", ".join(v["expected"])),
                text("claims.value.named", lang, n=len(v["poles"]),
                     poles=pole_list(v["poles"], lang)))
    if kind == "range":
        paper = text("claims.value.range", lang, low=v["expected_low"], high=v["expected_high"])
        computed = (text("claims.value.unknown", lang) if v["low"] is None else
                    text("claims.value.range", lang, low=v["low"], high=v["high"]))
        return paper, computed
    if kind == "mean":
        paper = text("claims.value.about", lang, value=v["expected"],
                     low=f"{v['accepted_low']:g}", high=f"{v['accepted_high']:g}")
        return paper, text("claims.value.mean", lang, mean=format_number(v["mean"], lang, 1),
                           n=v["n_known"])
    raise AssertionError(kind)  # pragma: no cover - the schema allows no other kind


def claim_note(row: Any, lang: str = "en") -> str:
    """The note of a claim in ``lang``: the computed note, then the claim's own note."""
    values = dict(row["note_values"])
    parts = []
    if row["note_key"]:
        if "category" in values:
            label = vocabulary().category_label(values.pop("descriptor"), values["category"],
                                                lang)
            values["category"] = text("common.quoted", lang, text=label)
        for key in ("poles", "others"):
            if key in values:
                values[key] = pole_list(values[key], lang)
        parts.append(text(f"claims.note.{row['note_key']}", lang, **values))
    own = row[f"claim_note_{lang}"] if f"claim_note_{lang}" in row.index else ""
    own = own or row["claim_note"]
    if own:
        parts.append(own)
    inferred = row["inferred"] if "inferred" in row.index else ()
    if inferred:
        parts.append(text("reproduce.inferred", lang, poles=pole_list(list(inferred), lang)))
    return text("common.list_sep", lang).join(parts)


CLAIM_COLUMNS = ("kind", "claim", "section", "quote", "paper_value", "computed_value", "status",
                 "poles", "undecided", "inferred", "note", "note_key", "note_values")


def claims_frame(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The reproduction with its values and notes written in ``lang``.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`ptce_typology.analysis.claims.reproduce_claims`.

    Returns
    -------
    pandas.DataFrame
        Index ``id``. Columns: ``kind``, ``claim``, ``section``, ``quote``, ``paper_value``,
        ``computed_value``, ``status``, ``poles``, ``undecided``, ``inferred``, ``note``,
        ``note_key``,
        ``note_values`` (what ``ptce reproduce --format json|csv`` prints).
    """
    out = table.copy()
    values = [claim_values(r, lang) for _, r in table.iterrows()]
    out["paper_value"] = [p for p, _ in values]
    out["computed_value"] = [c for _, c in values]
    out["note"] = [claim_note(r, lang) for _, r in table.iterrows()]
    return out[list(CLAIM_COLUMNS)]


def display_claims(table: pd.DataFrame, names: dict[str, str], lang: str = "en",
                   verbose: bool = False) -> pd.DataFrame:
    """The reproduction for a reader: the claim (the French quote in French), the values, the
    status and the note in ``lang``, pole names instead of ids.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`ptce_typology.analysis.claims.reproduce_claims`.
    names : dict
        pole_id -> name.
    verbose : bool
        Show the note of matching claims too.

    Returns
    -------
    pandas.DataFrame
        Index ``id``; columns claim, paper, computed, status and note, headed in ``lang``.
    """
    import pandas as pd

    written = claims_frame(table, lang)
    heads = {k: text(f"claims.head.{k}", lang)
             for k in ("claim", "paper", "computed", "status", "note")}
    rows = []
    for cid, r in written.iterrows():
        paper, computed, note = r["paper_value"], r["computed_value"], r["note"]
        # Longest ids first, so that no id is replaced inside a longer one.
        for pid in sorted(names, key=len, reverse=True):
            paper = paper.replace(pid, names[pid])
            computed = computed.replace(pid, names[pid])
            note = note.replace(pid, names[pid])
        # In French the claim is the paper's own sentence: quoted, as a quote is.
        own_words = text("common.quoted", lang, text=table.at[cid, f"claim_{lang}"]) \
            if f"claim_{lang}" in table.columns else r["claim"]
        rows.append({"id": cid, heads["claim"]: own_words, heads["paper"]: paper,
                     heads["computed"]: computed,
                     heads["status"]: text(f"claims.status.{r['status']}", lang),
                     heads["note"]: note if verbose or r["status"] != "match" else ""})
    return pd.DataFrame(rows).set_index("id")


def claims_json(table: pd.DataFrame, lang: str = "en") -> list[dict]:
    """The JSON of ``ptce reproduce``: one object per claim (:func:`claims_frame`)."""
    return claims_frame(table, lang).reset_index().to_dict(orient="records")
