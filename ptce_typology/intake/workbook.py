"""The cells of one worksheet of an XLSX workbook, read from its XML directly and within bounds.

A case table is plain data, so the sheet's XML is read with two regular expressions (one for
the cells, one for the shared strings): about fifteen times faster than openpyxl. What could
be misread is refused first: a sheet other than the active visible one (unless named),
hidden rows or columns, merged cells, a DTD (entity bombs, external entities). Anything
unusual (date-formatted numbers, CDATA, comments, prefixed element names, cells without an
address) is left to openpyxl, on the same sheet.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any, NamedTuple
from zipfile import ZipFile

from ptce_typology.errors import Issue
from ptce_typology.intake.yamlread import IssueError

# A sheet's XML and its shared strings are read whole: each has its own bound (README, « Case
# tables »), within the workbook's (tables.MAX_XLSX_UNCOMPRESSED).
MAX_SHEET_BYTES = 600_000_000
MAX_SHARED_STRINGS_BYTES = 100_000_000

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class Sheet(NamedTuple):
    """A sheet the workbook lists: its ``name``, ``state`` (visible, hidden, veryHidden),
    the zip member holding it and whether it is a worksheet (not a chart sheet)."""

    name: str
    state: str
    member: str
    worksheet: bool


class Workbook(NamedTuple):
    """What ``xl/workbook.xml`` and its relationships say: the sheets in order, the index of
    the active one, and the members of the shared strings and styles (None when absent)."""

    sheets: list[Sheet]
    active: int
    shared_strings: str | None
    styles: str | None


def _xml(archive: ZipFile, member: str, name: str, limit: int = 50_000_000) -> str:
    """A member's XML text, refused past ``limit`` bytes or when it declares a DTD (no
    spreadsheet file has one: it is how entity bombs and external entities come in)."""
    info = archive.getinfo(member)
    if info.file_size > limit:
        raise IssueError(Issue("file-too-large", name, f"{member} unpacks to "
                               f"{info.file_size:,} bytes; the limit is {limit:,}"))
    with archive.open(info) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise IssueError(Issue("file-too-large", name, f"{member} unpacks to more than "
                               f"{limit:,} bytes"))
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise IssueError(Issue("file-format", name, f"{member} declares a DTD, which no "
                               "spreadsheet file does (an entity bomb?)"))
    return data.decode("utf-8", errors="replace")


_ATTR_RE = re.compile(r'([\w:]+)\s*=\s*"([^"]*)"|([\w:]+)\s*=\s*\'([^\']*)\'')


def _elements(text: str, local: str) -> list[dict[str, str]]:
    """The attributes (local names) of every element named ``local``, with any prefix."""
    found = []
    for match in re.finditer(rf"<(?:\w+:)?{local}\b([^>]*)>", text):
        found.append({(m[1] or m[3]).rpartition(":")[2]: _unescape(m[2] or m[4] or "")
                      for m in _ATTR_RE.finditer(match[1])})
    return found


def _rels(archive: ZipFile, part: str, name: str) -> dict[str, tuple[str, str]]:
    """The relationships of ``part``: id -> (type's last segment, member)."""
    folder, base = posixpath.split(part)
    member = posixpath.join(folder, "_rels", base + ".rels")
    if member not in archive.namelist():
        return {}
    out = {}
    for rel in _elements(_xml(archive, member, name), "Relationship"):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id", "")] = (rel.get("Type", "").rpartition("/")[2], path)
    return out


def read_workbook(archive: ZipFile, name: str) -> Workbook:
    """The workbook's sheets and parts."""
    main = next((path for kind, path in _rels(archive, "", name).values()
                 if kind == "officeDocument"), "xl/workbook.xml")
    if main not in archive.namelist():
        raise IssueError(Issue("file-format", name, "not a readable XLSX workbook (no "
                               "workbook part)"))
    text = _xml(archive, main, name)
    rels = _rels(archive, main, name)
    sheets = []
    for sheet in _elements(text, "sheet"):
        kind, member = rels.get(sheet.get("id", ""), ("", ""))
        sheets.append(Sheet(sheet.get("name", ""), sheet.get("state", "visible"), member,
                            kind == "worksheet" and member in archive.namelist()))
    views = _elements(text, "workbookView")
    active = views[0].get("activeTab", "0") if views else "0"
    parts = {kind: path for kind, path in rels.values() if path in archive.namelist()}
    return Workbook(sheets, int(active) if active.isdigit() else 0,
                    parts.get("sharedStrings"), parts.get("styles"))


def choose_sheet(book: Workbook, wanted: str | None, name: str) -> Sheet:
    """The sheet named ``wanted``, else the active sheet when it is a visible worksheet, else
    the first visible worksheet."""
    worksheets = [s for s in book.sheets if s.worksheet]
    if wanted is not None:
        for sheet in worksheets:
            if sheet.name == wanted:
                return sheet
        raise IssueError(Issue("invalid-value", name, "the workbook has no worksheet of this "
                               "name (--sheet)", field="sheet", value=wanted,
                               allowed=[s.name for s in worksheets]))
    if not worksheets:
        raise IssueError(Issue("file-format", name, "the workbook has no worksheet (only "
                               "chart sheets)"))
    visible = [s for s in worksheets if s.state == "visible"]
    if not visible:
        raise IssueError(Issue("file-format", name, "every worksheet is hidden; name the "
                               "one to read with --sheet", allowed=[s.name for s in worksheets]))
    if 0 <= book.active < len(book.sheets) and book.sheets[book.active] in visible:
        return book.sheets[book.active]
    return visible[0]


def column_index(letters: str) -> int:
    """0 for A, 25 for Z, 26 for AA..."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def column_letters(index: int) -> str:
    """A for 0, AA for 26..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _shown(numbers: list[int]) -> str:
    text = ", ".join(str(n) for n in numbers[:5])
    return text + (f" and {len(numbers) - 5} more" if len(numbers) > 5 else "")


def check_layout(text: str, sheet: str, name: str) -> None:
    """Refuse what a reader would not see as the sheet shows it: hidden rows and columns
    (their values would count without being seen) and merged cells (only their first cell
    holds the value)."""
    if 'hidden="' in text:
        rows = [int(r["r"]) for r in _elements(text, "row")
                if r.get("hidden") in ("1", "true") and r.get("r", "").isdigit()]
        if rows:
            raise IssueError(Issue("invalid-value", name, f"row(s) {_shown(rows)} of sheet "
                                   f"{sheet!r} are hidden; unhide them (or delete them) and "
                                   "save", line=rows[0]))
        columns = [c for c in _elements(text, "col") if c.get("hidden") in ("1", "true")]
        if columns:
            letters = [column_letters(int(c.get("min", "1")) - 1) for c in columns]
            raise IssueError(Issue("invalid-value", name, f"column(s) {', '.join(letters[:5])} "
                                   f"of sheet {sheet!r} are hidden; unhide them (or delete "
                                   "them) and save"))
    merged = [m.get("ref", "") for m in _elements(text, "mergeCell")] if "mergeCell" in text \
        else []
    if merged:
        raise IssueError(Issue("invalid-value", name, f"cells {', '.join(merged[:5])} of sheet "
                               f"{sheet!r} are merged (only the first cell holds the value); "
                               "unmerge them, fill every cell, and save", value=merged[0]))


# The cells as Excel, LibreOffice and openpyxl write them: the address first, then the style
# and the type; a plain inline string or value is captured directly. A cell written otherwise
# is not matched, and the count tells.
_CELL_RE = re.compile(r'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="([0-9]+)")?(?: t="(\w+)")?'
                      r'(?: [^>]*?)?(?:/>|><is><t>([^<]*)</t></is></c>|><v>([^<]*)</v></c>'
                      r'|>(.*?)</c>)', re.S)
_VALUE_RE = re.compile(r"<v>([^<]*)</v>")
_TEXT_RE = re.compile(r"<t(?: [^>]*)?>([^<]*)</t>|<t/>")
_PHONETIC_RE = re.compile(r"<rPh\b.*?</rPh>", re.S)
_ENTITY_RE = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|\w+);")
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def _unescape(text: str) -> str:
    if "&" not in text:
        return text

    def one(match: re.Match) -> str:
        ref = match[1]
        if ref.startswith("#"):
            return chr(int(ref[2:], 16) if ref[1] in "xX" else int(ref[1:]))
        return _ENTITIES.get(ref, match[0])

    return _ENTITY_RE.sub(one, text)


def _inline_text(inner: str) -> str:
    """The text of an ``<is>`` or ``<si>`` element: its ``<t>`` runs, phonetic runs left
    out."""
    if "<rPh" in inner:
        inner = _PHONETIC_RE.sub("", inner)
    return _unescape("".join(m[1] for m in _TEXT_RE.finditer(inner)))


class Unusual(Exception):  # noqa: N818 - a signal, not an error
    """The sheet holds something this reader leaves to openpyxl."""


_PREFIXED_RE = re.compile(r'xmlns:\w+="[^"]*(?:spreadsheetml/2006/main|spreadsheetml/main)"')


def _plain(text: str) -> None:
    if "<![CDATA[" in text or "<!--" in text:
        raise Unusual
    if _PREFIXED_RE.search(text):  # element names with a prefix (<x:c>)
        raise Unusual


def sheet_cells(text: str) -> list[tuple[str, ...]]:
    """Each cell of a sheet's XML as (column letters, row number, style, type, inline text,
    value, other inner XML), as the text holds them (empty strings for what is absent)."""
    _plain(text)
    start = max(text.find("<sheetData"), 0)
    cells = _CELL_RE.findall(text, start)
    if len(cells) != text.count("<c ", start) + text.count("<c>", start):
        raise Unusual  # a cell without an address, or attributes in another order
    return cells


def shared_strings(text: str, needed: int, name: str) -> list[str]:
    """The first ``needed`` shared strings (those the sheet can use), as openpyxl reads
    them."""
    _plain(text)
    strings: list[str] = []
    if needed <= 0:
        return strings
    for match in re.finditer(r"<si>(.*?)</si>|<si/>", text, re.S):
        inner = match[1] or ""
        plain = inner.startswith("<t>") and inner.endswith("</t>") and inner.count("<") == 2
        value = _unescape(inner[3:-4]) if plain else _inline_text(inner)
        strings.append(value.replace("x005F_", ""))
        if len(strings) >= needed:
            return strings
    raise IssueError(Issue("file-format", name, f"a cell names shared string {needed - 1}, "
                           f"and the workbook holds {len(strings)}"))


def _number(text: str) -> int | float:
    return float(text) if "." in text or "E" in text or "e" in text else int(text)


def cell_value(kind: str | None, inner: str | None) -> Any:
    """A cell's value as openpyxl gives it with ``data_only=True`` (a shared string as its
    :class:`_Shared` index); a formula without a saved result is returned as the formula
    (``"=A1+1"``) inside :class:`Formula`."""
    if inner is None:
        return None
    if inner.startswith("<v>"):
        raw = inner[3:-4] if inner.endswith("</v>") and inner.count("<") == 2 else None
    else:
        found = _VALUE_RE.search(inner)
        raw = found[1] if found else None
        if not raw and "<f" in inner and kind != "inlineStr":
            formula = re.search(r"<f\b[^>]*>([^<]*)</f>", inner)
            return Formula("=" + _unescape(formula[1] if formula else ""))
    if kind == "inlineStr":
        return _inline_text(inner) or None
    if not raw:
        return None
    if kind in (None, "n"):
        return _number(raw)
    if kind == "s":
        return _Shared(raw)
    if kind == "b":
        return bool(int(raw))
    if kind in ("str", "e"):
        return _unescape(raw)
    raise Unusual  # "d" (ISO dates) and types not in the standard


class Formula(str):
    """A formula that has no saved result."""


def date_styles(archive: ZipFile, member: str | None, name: str) -> set[str]:
    """The style indexes (as written in cells' ``s``) whose number format shows a date."""
    if member is None:
        return set()
    text = _xml(archive, member, name)
    formats = {f.get("numFmtId", ""): f.get("formatCode", "") for f in _elements(text,
                                                                                "numFmt")}
    xfs = re.search(r"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", text, re.S)
    dated = set()
    for index, xf in enumerate(_elements(xfs[0], "xf") if xfs else []):
        code = xf.get("numFmtId", "0")
        builtin = code.isdigit() and (14 <= int(code) <= 22 or 27 <= int(code) <= 36
                                      or 45 <= int(code) <= 58)
        custom = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", formats.get(code, ""))
        if builtin or re.search(r"[dmyhsDMYHS]", custom):
            dated.add(str(index))
    return dated


class _Shared(int):
    """A cell's index into the shared strings, resolved once they are read."""


def _value(kind: str, inline: str, value: str, other: str) -> Any:
    if inline:
        return _unescape(inline) if "&" in inline else inline
    if value:
        if kind in ("", "n"):
            return _number(value)
        if kind == "s":
            return _Shared(value)
        return cell_value(kind, f"<v>{value}</v>")
    return cell_value(kind or None, other) if other else None


def _rows(cells: list[tuple[str, ...]], name: str, max_rows: int, max_cells: int
          ) -> tuple[list[tuple[int, list[Any]]], list[tuple[int, int]]]:
    """The rows (trailing empty cells cut, empty rows left out but row 1) in row order, and
    where shared strings are (row index, column)."""
    too_large = Issue("file-too-large", name, f"the sheet holds more than {max_rows:,} rows or "
                                              f"{max_cells:,} cells")
    rows: list[tuple[int, list[Any]]] = [(1, [])]
    shared: list[tuple[int, int]] = []
    columns: dict[str, int] = {}
    current, row, total = "1", rows[0][1], 0
    for letters, number, _, kind, inline, value, other in cells:
        found = _value(kind, inline, value, other) if (inline or value or other) else None
        if found is None:
            continue
        if number != current:
            current, row = number, []
            rows.append((int(number), row))
            if rows[-1][0] > max_rows or len(rows) > max_rows:
                raise IssueError(too_large)
        column = columns.get(letters)
        if column is None:
            column = columns[letters] = column_index(letters)
        if column >= len(row):
            total += column + 1 - len(row)
            if total > max_cells:
                raise IssueError(too_large)
            row.extend([None] * (column + 1 - len(row)))
        row[column] = found
        if type(found) is _Shared:
            shared.append((len(rows) - 1, column))
    return _in_order(rows, name), shared


def _in_order(rows: list[tuple[int, list[Any]]], name: str) -> list[tuple[int, list[Any]]]:
    """Rows stored out of order put back in row order; a row stored twice is refused."""
    numbers = [n for n, _ in rows]
    if all(a < b for a, b in zip(numbers, numbers[1:], strict=False)):
        return rows
    twice = sorted({n for n in numbers if numbers.count(n) > 1})
    if twice and twice != [1]:
        raise IssueError(Issue("file-format", name, f"row {twice[-1]} is stored twice in the "
                               "sheet; save the file again from a spreadsheet program",
                               line=twice[-1]))
    merged: dict[int, list[Any]] = {}
    for number, row in rows:  # row 1 may be there twice: the empty start, then the header
        if row or number not in merged:
            merged[number] = row
    return sorted(merged.items())


def sheet_rows(archive: ZipFile, book: Workbook, sheet: Sheet, name: str, *, max_rows: int,
               max_cells: int) -> list[tuple[int, list[Any]]]:
    """The rows of ``sheet``: (row number, values) in row order, trailing empty cells cut,
    empty rows left out (row 1 is always there). Raises :class:`Unusual` for openpyxl."""
    text = _xml(archive, sheet.member, name, MAX_SHEET_BYTES)
    check_layout(text, sheet.name, name)
    cells = sheet_cells(text)
    styles = {c[2] for c in cells if c[2] and c[3] in ("", "n") and (c[5] or c[6])}
    if styles and styles & date_styles(archive, book.styles, name):
        raise Unusual  # dates: openpyxl turns them into datetimes
    rows, shared = _rows(cells, name, max_rows, max_cells)
    if shared:
        strings = shared_strings(_xml(archive, book.shared_strings, name,
                                      MAX_SHARED_STRINGS_BYTES) if book.shared_strings
                                 else "", 1 + max(rows[r][1][c] for r, c in shared), name)
        for r, c in shared:
            rows[r][1][c] = strings[rows[r][1][c]]
    return rows
