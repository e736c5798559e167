"""XLSX output: characters XML forbids never stop the workbook (U+FFFD instead)."""

from __future__ import annotations

import pandas as pd
import pytest
from hostile import table_rows, with_cell, write_table

from ptce_typology.render.formats.xlsx import to_xlsx

# The U+FFFE and U+FFFF, then variants of our own: a lone surrogate, a non-character
# of another plane, U+FDD0.
NOT_XML = ["a\ufffeb", "a\uffffb", "a\ud800b", "a\U0010ffffb", "a\ufdd0b"]


def _read(data: bytes) -> list[list]:
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("text", NOT_XML, ids=ascii)
def test_characters_xml_forbids_become_the_replacement_character(text):
    frame = pd.DataFrame({text: [text]}, index=pd.Index([text], name=text))
    rows = _read(to_xlsx({text: frame}))
    assert rows == [["a\ufffdb"] * 2] * 2


def test_list_xlsx_with_a_non_character_in_a_name(run, tmp_path):
    header, rows = table_rows(run)
    rows[0] = with_cell(header, rows[0], "name", "Pôle \ufffe\uffff")
    table = write_table(tmp_path / "t.csv", header, rows)
    result = run("list", "--cases", table, "-f", "xlsx", "-o", tmp_path / "out.xlsx")
    assert result.exit_code == 0, result.output
    assert "Pôle \ufffd\ufffd" in [c for r in _read((tmp_path / "out.xlsx").read_bytes())
                                   for c in r]
