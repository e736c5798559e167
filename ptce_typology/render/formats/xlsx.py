"""XLSX workbooks: one sheet per table, numbers kept as numbers, no formula."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from ptce_typology.render.cells import cell_text, normalise_zip, xml_text

if TYPE_CHECKING:
    import pandas as pd


def to_xlsx(sheets: dict[str, pd.DataFrame], index: bool = True) -> bytes:
    """An XLSX workbook, one sheet per frame; cells keep their types (numbers stay numbers)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for title, frame in sheets.items():
        sheet = book.create_sheet(title=sheet_title(title, used))
        headers = ([frame.index.name or ""] if index else []) + [str(c) for c in frame.columns]
        _xlsx_row(sheet, 1, [_xlsx_cell(h) for h in headers])
        for number, (key, row) in enumerate(frame.iterrows(), start=2):
            cells = ([key] if index else []) + list(row)
            _xlsx_row(sheet, number, [_xlsx_cell(v) for v in cells])
    buffer = io.BytesIO()
    book.save(buffer)
    return normalise_zip(buffer.getvalue())


def sheet_title(title: str, used: set[str]) -> str:
    """A legal, unique worksheet title: none of ``[]:*?/\\``, at most 31 characters, not
    empty, not quoted, not Excel's reserved "History"."""
    import re

    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = xml_text(ILLEGAL_CHARACTERS_RE.sub("", re.sub(r"[\[\]:*?/\\]", "-", title)))
    text = text.strip().strip("'")
    text = text[:31].strip() or "table"
    if text.lower() == "history":
        text = "History table"
    candidate, n = text, 1
    while candidate.lower() in used:
        n += 1
        suffix = f" ({n})"
        candidate = text[: 31 - len(suffix)] + suffix
    used.add(candidate.lower())
    return candidate


def _xlsx_row(sheet: Any, number: int, values: list[Any]) -> None:
    """One row of cells, every cell data: text that starts with = stays text, never a formula
    (openpyxl would otherwise write it as one)."""
    for column, value in enumerate(values, start=1):
        if value is None:
            continue
        cell = sheet.cell(row=number, column=column)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"


def _xlsx_cell(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):  # control characters are not allowed in XLSX: shown instead
        value = xml_text(ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", value))
    text = cell_text(value)
    if text == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    try:
        import numpy as np

        if isinstance(value, np.integer):
            return int(value)
        if isinstance(value, np.floating):
            return float(value)
    except ImportError:  # pragma: no cover
        pass
    return text
