"""Renderers for tables (terminal, Markdown, LaTeX, CSV, JSON, XLSX) and atomic file writing.

Renderers take a DataFrame whose cells are final values; they never compute. Rounding and
percent signs happen in :func:`format_number`, for the language asked.
"""

from __future__ import annotations

import io
import json
import math
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ptce_typology.errors import PtceError
from ptce_typology.render.cells import cell_text, normalise_zip, shown_cell
from ptce_typology.render.latex import latex_escape

__all__ = ["TABLE_FORMATS", "atomic_write", "cell_text", "format_number", "latex_escape",
           "render_frame",
           "render_sections", "to_csv", "to_json", "to_latex", "to_markdown", "to_rich_table",
           "to_xlsx"]

if TYPE_CHECKING:
    import pandas as pd

TABLE_FORMATS = ("table", "md", "latex", "csv", "json", "xlsx", "docx")
BINARY_FORMATS = ("xlsx", "docx")

def check_format(fmt: str, allowed: tuple[str, ...]) -> str:
    """``fmt`` if it is one of ``allowed``; a :class:`PtceError` otherwise."""
    if fmt not in allowed:
        raise PtceError("unknown output format", field="--format", value=fmt, allowed=allowed)
    return fmt


def atomic_write(path: Path | str, data: str | bytes) -> None:
    """Write ``data`` to ``path`` atomically: a temporary file in the same folder, then a rename.

    An existing file is left intact when anything fails before the rename.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise PtceError("the output folder does not exist; create it first",
                        file=str(target), value=str(folder))
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        # mkstemp makes the file private; give it the usual mode (or the old file's).
        if target.exists():
            mode = target.stat().st_mode & 0o777
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def format_number(value: Any, lang: str = "en", digits: int = 1, percent: bool = False) -> str:
    """A number for display: ``12.5 %`` in English, ``12,5 %`` in French (with a no-break
    space before %); blank for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        import pandas as pd

        if value is pd.NA:
            return ""
    except ImportError:  # pragma: no cover
        pass
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) and not percent:
        return str(value)
    number = float(value) * (100 if percent else 1)
    from ptce_typology.render.labels import text as label

    text = f"{number:.{digits}f}".replace(".", label("number.decimal_mark", lang))
    # A no-break space keeps "12.5 %" on one line in tables.
    return text + ("\u00a0%" if percent else "")


def _display_rows(frame: pd.DataFrame, index: bool, lang: str = "en") -> list[list[str]]:
    """Cells as text; in a grouped frame, a group's name only on its first row."""
    rows = []
    previous = None
    grouped = index and bool(frame.attrs.get("grouped"))
    for key, row in zip(frame.index, frame.itertuples(index=False), strict=True):
        cells = ([cell_text(key)] if index else []) + [shown_cell(v, lang) for v in row]
        if grouped:
            if cells[0] == previous:
                cells[0] = ""
            else:
                previous = cells[0]
        rows.append(cells)
    return rows


def to_markdown(frame: pd.DataFrame, index: bool = True, lang: str = "en") -> str:
    """A pipe table; ``|`` in cells is escaped. A grouped frame (``frame.attrs["grouped"]``)
    names each group once; notes (``frame.attrs["notes"]``) follow the table."""
    headers = ([frame.index.name or ""] if index else []) + [str(c) for c in frame.columns]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"

    out = [line(headers), "|" + "|".join("---" for _ in headers) + "|"]
    out.extend(line(r) for r in _display_rows(frame, index, lang))
    text = "\n".join(out) + "\n"
    notes = [n for n in frame.attrs.get("notes", []) if n]
    if notes:
        text += "\n" + "\n\n".join(notes) + "\n"
    return text


def to_latex(frame: pd.DataFrame, caption: str | None = None, label: str | None = None,
             index: bool = True, lang: str = "en") -> str:
    """A booktabs table that fits the page (see :mod:`ptce_typology.render.latex`)."""
    from ptce_typology.render.latex import render_latex

    return render_latex(frame, caption, label, index, lang)


def to_csv(frame: pd.DataFrame, index: bool = True) -> str:
    """The frame as CSV text (UTF-8, ``\\n`` line ends); cells as they are."""
    return frame.to_csv(index=index, lineterminator="\n")


def to_xlsx(sheets: dict[str, pd.DataFrame], index: bool = True) -> bytes:
    """An XLSX workbook, one sheet per frame; cells keep their types (numbers stay numbers)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, frame in sheets.items():
        sheet = book.create_sheet(title=title[:31])
        headers = ([frame.index.name or ""] if index else []) + [str(c) for c in frame.columns]
        sheet.append(headers)
        for key, row in frame.iterrows():
            cells = ([key] if index else []) + list(row)
            sheet.append([_xlsx_cell(v) for v in cells])
    buffer = io.BytesIO()
    book.save(buffer)
    return normalise_zip(buffer.getvalue())


def _xlsx_cell(value: Any) -> Any:
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


def to_rich_table(frame: pd.DataFrame, title: str | None = None, index: bool = True,
                  lang: str = "en") -> str:
    """The frame as a terminal table (rich), rendered to text; groups apart, notes below."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    if index:
        table.add_column(frame.index.name or "", style="bold")
    for column in frame.columns:
        table.add_column(str(column))
    for k, cells in enumerate(_display_rows(frame, index, lang)):
        if k and index and frame.attrs.get("grouped") and cells[0]:
            table.add_section()
        table.add_row(*cells)
    width = int(os.environ.get("COLUMNS", "0") or 0) or 160
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    console.print(table)
    for note in frame.attrs.get("notes", []):
        if note:
            console.print(note, highlight=False, markup=False)
    return console.file.getvalue()


def to_json(data: Any) -> str:
    """JSON with a stable key order and no NaN (missing values become null)."""
    return json.dumps(_jsonable(data), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if value is None or isinstance(value, (str, int, bool)):
        return value
    try:
        import numpy as np
        import pandas as pd

        if value is pd.NA:
            return None
        if isinstance(value, np.integer):
            return int(value)
        if isinstance(value, np.floating):
            return _jsonable(float(value))
        if isinstance(value, np.bool_):
            return bool(value)
    except ImportError:  # pragma: no cover
        pass
    return str(value)


def render_frame(frame: pd.DataFrame, fmt: str, *, title: str | None = None,
                 label: str | None = None, json_data: Any = None,
                 index: bool = True, lang: str = "en") -> str | bytes:
    """Render one table in ``fmt``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Final cells. ``frame.attrs`` may hold ``notes`` (lines printed under the table) and
        ``grouped`` (rows sharing an index value are one group, named once).
    fmt : str
        One of :data:`TABLE_FORMATS`.
    title : str, optional
        The caption (title in the terminal, bold line in Markdown, sheet name in XLSX).
    label : str, optional
        The LaTeX label.
    json_data : optional
        What ``--format json`` prints; default: the frame's records.
    lang : {"en", "fr"}
        Language of the words the layout adds (a long table's "continued") and of the
        numbers in Word.

    Returns
    -------
    str or bytes
        Text, or bytes for XLSX and Word.
    """
    if fmt == "table":
        return to_rich_table(frame, title=title, index=index, lang=lang)
    if fmt == "md":
        return (f"**{title}**\n\n" if title else "") + to_markdown(frame, index=index,
                                                                     lang=lang)
    if fmt == "latex":
        return to_latex(frame, caption=title, label=label, index=index, lang=lang)
    if fmt == "csv":
        return to_csv(frame, index=index)
    if fmt == "json":
        if json_data is None:
            json_data = frame.reset_index().to_dict(orient="records") if index \
                else frame.to_dict(orient="records")
        return to_json(json_data)
    if fmt == "xlsx":
        return to_xlsx({title or "table": frame}, index=index)
    if fmt == "docx":
        from ptce_typology.render.docx import to_docx

        return to_docx([(title or "", frame)], index=index, lang=lang)
    raise PtceError("unknown output format", field="--format", value=fmt,
                    allowed=TABLE_FORMATS)


def render_sections(sections: list[tuple[str, pd.DataFrame]], fmt: str, *,
                    label: str = "tab", json_data: Any = None,
                    index: bool = True, lang: str = "en",
                    caption: str | None = None) -> str | bytes:
    """Several titled tables in one output; CSV holds the first one only (one table per file),
    XLSX one sheet per table, Word one document.

    ``caption`` (``--caption``) goes before each table's own title; table ``i`` gets the
    label ``label:i``.
    """
    if caption:
        sections = [(f"{caption}: {title}" if title else caption, frame)
                    for title, frame in sections]
    if fmt == "json":
        return to_json(json_data)
    if fmt == "csv":
        return to_csv(sections[0][1], index=index)
    if fmt == "xlsx":
        return to_xlsx({title: frame for title, frame in sections}, index=index)
    if fmt == "docx":
        from ptce_typology.render.docx import to_docx

        return to_docx(sections, index=index, lang=lang)
    parts = []
    for i, (title, frame) in enumerate(sections, start=1):
        parts.append(render_frame(frame, fmt, title=title, label=f"{label}:{i}", index=index,
                                  lang=lang))
    return "\n".join(str(p) for p in parts)


def csv_ready(table: pd.DataFrame) -> pd.DataFrame:
    """Tuples (of pole ids) become `;`-joined text for CSV."""
    out = table.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, tuple)).any():
            out[column] = out[column].map(lambda v: ";".join(v) if isinstance(v, tuple) else v)
    return out


def write_new(path: Path | str, text: str) -> Path:
    """Create ``path`` with ``text``; never replaces a file that exists (created exclusively,
    so a file made in between is not lost either)."""
    target = Path(path)
    try:
        with open(target, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise PtceError("the file already exists; `ptce new` never overwrites",
                        file=str(target)) from None
    except OSError as err:
        raise PtceError(f"cannot write the file: {err.strerror}", file=str(target)) from None
    return target


def issues_text(report: Any, fmt: str) -> str:
    """A validation report as text lines, JSON or CSV (``ptce validate``)."""
    if fmt == "json":
        return to_json(report.to_dict())
    if fmt == "csv":
        import csv

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["code", "file", "line", "field", "value", "message", "allowed"])
        for i in report.issues:
            writer.writerow([i.code, i.file, i.line or "", i.field or "", i.value or "",
                             i.message, "|".join(i.allowed)])
        return buffer.getvalue()
    return "".join(issue.one_line() + "\n" for issue in report.issues)
