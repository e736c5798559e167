"""The paper's typology tables: for each descriptor, the count and share of poles in each
category and the poles in it; and cross-tables of two descriptors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ptce_typology.errors import PtceError
from ptce_typology.vocabulary import UNKNOWN

if TYPE_CHECKING:
    import pandas as pd

# The descriptors of the paper's typology (part II.1), in the paper's order.
TYPOLOGY_DESCRIPTORS = ("age_class", "origin", "territory", "sector", "members_class",
                        "shared_premises", "employer_group", "laureate_2013")


def _check_descriptor(frame: pd.DataFrame, name: str, parameter: str) -> None:
    categorical = [c for c in frame.columns if str(frame[c].dtype) == "category"]
    if name not in categorical:
        raise PtceError("not a categorical descriptor", field=parameter, value=name,
                        allowed=categorical)


def typology_table(frame: pd.DataFrame,
                   descriptors: tuple[str, ...] = TYPOLOGY_DESCRIPTORS) -> pd.DataFrame:
    """Count and share of poles per category of each descriptor.

    Parameters
    ----------
    frame
        The tidy frame of :func:`~ptce_typology.frame.cases_frame`.
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
        _check_descriptor(frame, name, "descriptors")
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

    _check_descriptor(frame, row, "row")
    _check_descriptor(frame, column, "column")
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


