"""CSV tables that no spreadsheet runs as formulas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ptce_typology.intake.tables import CSV_FORMULA_PREFIXES

if TYPE_CHECKING:
    import pandas as pd


def to_csv(frame: pd.DataFrame, index: bool = True) -> str:
    """CSV with every text cell, header and index value passed through :func:`csv_safe`."""
    import pandas as pd

    def safe_cell(value: Any) -> Any:
        return csv_safe(value) if isinstance(value, str) else value

    safe = frame.copy()
    if not isinstance(safe.columns, pd.MultiIndex):
        safe.columns = [safe_cell(c) for c in safe.columns]
    if not isinstance(safe.index, pd.MultiIndex):
        safe.index = pd.Index([safe_cell(v) for v in safe.index], name=safe_cell(
            frame.index.name), dtype=object)
    for i in range(safe.shape[1]):
        values = safe.iloc[:, i]
        if not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)):
            safe.isetitem(i, values.astype(object).map(safe_cell))
    return safe.to_csv(index=index, lineterminator="\n")


def csv_safe(text: str) -> str:
    """A CSV cell that no spreadsheet runs as a formula (OWASP's advice on CSV injection).

    A cell that starts with ``= + - @``, a tab or a carriage return is written with a leading
    ``'``, which spreadsheets show as text; a cell that starts with ``'`` before one of these
    (or before ``'``) gets one more. ``intake.tables.unescape_csv_cell`` takes one ``'`` off,
    so ``--cases`` reads back the exact value. A lone ``-`` or ``+`` (no formula) is left as
    it is."""
    if text in ("-", "+"):
        return text
    if text.startswith(CSV_FORMULA_PREFIXES) or (
            text.startswith("'") and len(text) > 1 and text[1] in (*CSV_FORMULA_PREFIXES, "'")):
        return "'" + text
    return text


def csv_ready(table: pd.DataFrame) -> pd.DataFrame:
    """Tuples (of pole ids) become `;`-joined text for CSV."""
    out = table.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, tuple)).any():
            out[column] = out[column].map(lambda v: ";".join(v) if isinstance(v, tuple) else v)
    return out
