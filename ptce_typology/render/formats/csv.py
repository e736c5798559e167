"""CSV tables that no spreadsheet runs as formulas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ptce_typology.intake.tables import CSV_FORMULA_PREFIXES

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


def to_csv(frame: pd.DataFrame, index: bool = True) -> str:
    """CSV with every text cell, header and index value passed through :func:`csv_safe`."""
    import numpy as np
    import pandas as pd

    def safe_cell(value: Any) -> Any:
        return csv_safe(value) if isinstance(value, str) else value

    safe = frame.copy()
    if not isinstance(safe.columns, pd.MultiIndex):
        safe.columns = [safe_cell(c) for c in safe.columns]
    if not isinstance(safe.index, pd.MultiIndex):
        safe.index = pd.Index(_safe_cells(safe.index.tolist()), name=safe_cell(
            frame.index.name), dtype=object)
    for i in range(safe.shape[1]):
        values = safe.iloc[:, i]
        if isinstance(values.dtype, np.dtype) and values.dtype == np.float64:
            safe.isetitem(i, pd.Series(float_texts(values.to_numpy()), index=values.index,
                                       dtype=object, name=values.name))
        elif not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)):
            cells = values.astype(object)
            safe.isetitem(i, pd.Series(_safe_cells(cells.tolist()), index=cells.index,
                                       dtype=object, name=cells.name))
    return safe.to_csv(index=index, lineterminator="\n")


def float_texts(values: np.ndarray) -> np.ndarray:
    """The texts pandas' ``to_csv`` writes for a float64 column (numpy's ``str`` of each
    number, NaN as an empty cell), formatted once per distinct number (a typology's
    coordinates take one value per profile of categories). Distinct by bits: -0.0 stays
    -0.0."""
    import numpy as np

    bits, inverse = np.unique(values.view(np.int64), return_inverse=True)
    texts = bits.view(np.float64).astype(str).astype(object)[inverse.ravel()]
    texts[np.isnan(values)] = ""
    return texts


# A text starting with one of these is never changed by csv_safe (its first character is no
# formula sign, even NFKC-normalised, nor ').
_PLAIN_STARTS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_ ")


def _safe_cells(cells: list[Any]) -> list[Any]:
    """:func:`csv_safe` over the text cells, once per distinct text that may need it."""
    try:
        distinct = set(cells)
    except TypeError:  # an unhashable cell
        return [csv_safe(v) if isinstance(v, str) else v for v in cells]
    changed = {v: csv_safe(v) for v in distinct
               if isinstance(v, str) and v[:1] not in _PLAIN_STARTS}
    changed = {v: s for v, s in changed.items() if s != v}
    if not changed:
        return cells
    return [changed.get(v, v) if isinstance(v, str) else v for v in cells]


def csv_safe(text: str) -> str:
    """A CSV cell that no spreadsheet runs as a formula (OWASP's advice on CSV injection).

    A cell that starts with ``= + - @``, a tab or a carriage return, or a character that is
    one of these once NFKC-normalised (full-width ``＝ ＋ － ＠``, small forms) or the minus
    sign ``−``, is written with a leading ``'``, which spreadsheets show as text; a cell that
    starts with ``'`` before one of these (or before ``'``) gets one more.
    ``intake.tables.unescape_csv_cell`` takes one ``'`` off, so ``--cases`` reads back the
    exact value (the reader does so before the ASCII characters and ``'`` only: a cell that
    starts with a full-width sign is read back with the guard's ``'`` until it follows
    :func:`formula_start`). A lone ``-`` or ``+`` (no formula) is left as it is."""
    if len(text) == 1 and _first(text) in ("-", "+"):
        return text
    if formula_start(text) or (text.startswith("'") and len(text) > 1
                               and (formula_start(text[1:]) or text[1] == "'")):
        return "'" + text
    return text


def formula_start(text: str) -> bool:
    """Whether a spreadsheet may read ``text`` as a formula: its first character, NFKC-
    normalised, is one of ``= + - @``, a tab or a carriage return, or it is the minus sign.

    >>> formula_start("＝1+1"), formula_start("\u22121"), formula_start("a=1")
    (True, True, False)
    """
    return bool(text) and _first(text) in CSV_FORMULA_PREFIXES


def _first(text: str) -> str:
    """The first character as a spreadsheet may read it: NFKC-normalised, the minus sign as
    ``-``."""
    import unicodedata

    first = text[0]
    return "-" if first == "\u2212" else unicodedata.normalize("NFKC", first)[:1]


def csv_ready(table: pd.DataFrame) -> pd.DataFrame:
    """Tuples (of pole ids) become `;`-joined text for CSV."""
    out = table.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, tuple)).any():
            out[column] = out[column].map(lambda v: ";".join(v) if isinstance(v, tuple) else v)
    return out
