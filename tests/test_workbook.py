"""intake/workbook.py: the sheet's XML read directly gives exactly what openpyxl gives, on
tables `ptce list -f xlsx` writes and on workbooks with shared strings."""

from __future__ import annotations

import io
import zipfile

from hostile import table_rows

from ptce_typology.intake import tables, workbook


def _openpyxl(path):
    from openpyxl import load_workbook

    raw = path.read_bytes()
    title = load_workbook(path, read_only=True).active.title
    return tables._sheet_rows(raw, str(path), title, data_only=True, load=load_workbook)


def _direct(path):
    archive = zipfile.ZipFile(path)
    book = workbook.read_workbook(archive, str(path))
    return workbook.sheet_rows(archive, book, workbook.choose_sheet(book, None, str(path)),
                               str(path), max_rows=10**6, max_cells=10**7)


def test_same_rows_as_openpyxl(run, tmp_path):
    path = tmp_path / "l.xlsx"
    assert run("list", "-f", "xlsx", "-o", path, "--cases", "all").exit_code == 0
    mine = tables._xlsx_rows(path.read_bytes(), str(path))
    assert mine == _openpyxl(path)
    assert len(mine) > 50


def test_shared_strings_rich_text_entities_and_types(tmp_path):
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    book = Workbook()
    sheet = book.active
    sheet.append(["pole_id", "name", "members", "x", "y"])
    sheet.append(["a_b", "R&D <lab> \"q\" 'é'", 12, 1.5, True])
    sheet.append([None, None, None, None, None])
    sheet.append(["c", CellRichText("bold ", TextBlock(InlineFont(b=True), "run")), "=1+1",
                  None, "x"])
    path = tmp_path / "r.xlsx"
    book.save(path)
    assert _direct(path) == [
        (1, ["pole_id", "name", "members", "x", "y"]),
        (2, ["a_b", "R&D <lab> \"q\" 'é'", 12, 1.5, True]),
        (4, ["c", "bold run", workbook.Formula("=1+1"), None, "x"])]


def test_columns_and_unescaping():
    assert [workbook.column_index(c) for c in ("A", "Z", "AA", "XFD")] == [0, 25, 26, 16383]
    assert workbook.column_letters(16383) == "XFD"
    assert workbook._unescape("a &amp;&lt;&#233;&#xE9; b") == "a &<éé b"


def test_shared_strings_are_read_only_up_to_the_last_one_used(run, tmp_path):
    from raw_xlsx import build

    header, rows = table_rows(run)
    # 2 million strings after those the sheet uses: never parsed
    path = tmp_path / "s.xlsx"
    path.write_bytes(build([header, *rows], b"<si><t>a</t></si>" * 2_000_000))
    archive = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    book = workbook.read_workbook(archive, "s")
    sheet = workbook.choose_sheet(book, None, "s")
    got = workbook.sheet_rows(archive, book, sheet, "s", max_rows=10**6, max_cells=10**7)
    assert [r[1][0] for r in got[1:]] == [r[0] for r in rows]
