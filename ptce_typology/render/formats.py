"""Renderers for tables (terminal, Markdown, LaTeX, CSV, JSON, XLSX) and atomic file writing.

Renderers take a DataFrame whose cells are final values; they never compute. Rounding and
percent signs happen in :func:`format_number`, for the language asked.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ptce_typology.errors import PtceError
from ptce_typology.intake.tables import CSV_FORMULA_PREFIXES
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

    An existing file is left intact when anything fails before the rename. A symbolic link
    stays a link (the file it points to is replaced). A device, FIFO or anything under
    /dev or /proc (``-o /dev/null``, ``-o /dev/stdout``) is written to as a stream, never
    replaced. A folder, a missing folder or an OS error (read-only folder, full disk, a name
    too long) is a :class:`PtceError`.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        _write(target, payload)
    except OSError as err:
        raise PtceError(f"cannot write the file: {err.strerror or err}",
                        file=str(target)) from None


def _write(target: Path, payload: bytes) -> None:
    import stat

    try:
        info = os.stat(target)  # follows a symbolic link
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise PtceError("the output is a folder; name a file", file=str(target))
    real = Path(os.path.realpath(target))
    special = str(real).startswith(("/dev/", "/proc/"))
    if special or (info is not None and not stat.S_ISREG(info.st_mode)):
        with open(target, "wb") as handle:  # a stream: never rename over a device node
            handle.write(payload)
        return
    folder = real.parent
    if not folder.is_dir():
        raise PtceError("the output folder does not exist; create it first",
                        file=str(target), value=str(target.parent))
    if info is not None:
        mode = info.st_mode & 0o777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    with _terminations_raise():
        # A short name, so that a target name near the 255-byte limit still has room.
        fd, tmp = tempfile.mkstemp(prefix=".ptce-", suffix=".tmp", dir=folder)
        try:
            os.chmod(tmp, mode)  # mkstemp makes the file private; give the usual (or old) mode
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, real)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise


class _Terminated(BaseException):
    pass


@contextlib.contextmanager
def _terminations_raise():
    """While writing, SIGTERM and SIGHUP raise (so that the temporary file is removed) instead
    of killing the process outright; Ctrl-C already raises. Only SIGKILL can leave a
    ``.ptce-*.tmp`` behind."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise _Terminated(signum)

    wanted = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None))
              if s is not None]
    previous = {s: signal.signal(s, stop) for s in wanted}
    try:
        yield
    except _Terminated as err:
        raise SystemExit(128 + err.args[0]) from None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


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
        return "| " + " | ".join(markdown_text(c).replace("|", "\\|").replace("\n", " ")
                                 for c in cells) + " |"

    out = [line(headers), "|" + "|".join("---" for _ in headers) + "|"]
    out.extend(line(r) for r in _display_rows(frame, index, lang))
    text = "\n".join(out) + "\n"
    notes = [n for n in frame.attrs.get("notes", []) if n]
    if notes:
        text += "\n" + "\n\n".join(notes) + "\n"
    return text


def markdown_text(text: str) -> str:
    """Text safe in Markdown: raw HTML (``<script>``) becomes entities that every renderer
    shows as text, and control characters are shown, not sent to the terminal."""
    # & stays: an entity written in the data shows as its character, which is harmless.
    # An autolink to an http(s) address (<https://...>, as `ptce show` cites) stays a link.
    parts = _AUTOLINK.split(text)
    return visible("".join(p if i % 2 else p.replace("<", "&lt;").replace(">", "&gt;")
                           for i, p in enumerate(parts)))


_AUTOLINK = re.compile(r"(<https?://[^<>\s\x00-\x1f\x7f-\x9f\"']+>)", re.IGNORECASE)


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """Control characters (ESC, BEL, NUL, ...) written as ``\\x1b``, so that a terminal
    shows them instead of acting on them; line feeds and tabs stay."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def to_latex(frame: pd.DataFrame, caption: str | None = None, label: str | None = None,
             index: bool = True, lang: str = "en") -> str:
    """A booktabs table that fits the page (see :mod:`ptce_typology.render.latex`)."""
    from ptce_typology.render.latex import render_latex

    return render_latex(frame, caption, label, index, lang)


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

    text = ILLEGAL_CHARACTERS_RE.sub("", re.sub(r"[\[\]:*?/\\]", "-", title)).strip().strip("'")
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
        value = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
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
    from rich.text import Text

    # Text objects, not strings: rich would read "[red]" or "[/b]" in a name as markup.
    table = Table(title=Text(visible(title)) if title else None, show_lines=False)
    if index:
        table.add_column(Text(visible(frame.index.name or "")), style="bold")
    for column in frame.columns:
        table.add_column(Text(visible(str(column))))
    for k, cells in enumerate(_display_rows(frame, index, lang)):
        if k and index and frame.attrs.get("grouped") and cells[0]:
            table.add_section()
        table.add_row(*(Text(visible(c)) for c in cells))
    width = terminal_width()
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    console.print(table)
    for note in frame.attrs.get("notes", []):
        if note:
            console.print(note, highlight=False, markup=False)
    return console.file.getvalue()


def terminal_width(default: int = 160) -> int:
    """The width asked by ``COLUMNS`` when it is a sensible number, else ``default``."""
    text = os.environ.get("COLUMNS", "").strip()
    if text.isascii() and text.isdigit() and len(text) <= 4 and 20 <= int(text) <= 1000:
        return int(text)
    return default


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
        return (f"**{markdown_text(title)}**\n\n" if title else "") + to_markdown(
            frame, index=index, lang=lang)
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
    """Create ``path`` with ``text``, and its folder if need be; never replaces a file that
    exists (created exclusively, so a file made in between is not lost either)."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
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
            writer.writerow([csv_safe(str(c)) for c in (
                i.code, i.file, i.line or "", i.field or "", i.value or "", i.message,
                "|".join(i.allowed))])
        return buffer.getvalue()
    return "".join(issue.one_line() + "\n" for issue in report.issues)
