"""Word documents (``--format docx``): each table a real Word table, as a journal takes it.

Each table has its caption above it (Word's *Caption* style), a header row repeated on every
page, booktabs-like rules (above and below the header, below the last row), a group's name
once with a rule between groups, and its notes below in a smaller font. Numbers keep the
language's decimal mark. The file is byte-identical from one run to the next.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


#: Paper sizes (``--paper``): width and height of the page, side and top margins, in points.
#: A4 with margins of 2.5 cm; US Letter as python-docx's default page (1.25 in, 1 in).
PAPERS = {"a4": (595.28, 841.89, 70.87, 70.87), "letter": (612.0, 792.0, 90.0, 72.0)}
_CELL_MARGIN_PT = 5.4
# Word sizes tried in turn until the longest words fit (name, points, cell margin).
_SIZES = (("9", 9.0, _CELL_MARGIN_PT), ("8", 8.0, _CELL_MARGIN_PT),
          ("7", 7.0, _CELL_MARGIN_PT))


def _border(cell: Any, edge: str, size: int) -> None:
    """A horizontal rule of ``size`` eighths of a point on one edge of a cell."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = cell._tc.get_or_add_tcPr()
    borders = props.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        props.append(borders)
    line = OxmlElement(f"w:{edge}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), "0")
    line.set(qn("w:color"), "000000")
    borders.append(line)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    props.append(header)


def text_width_pt(paper: str, landscape: bool = False) -> float:
    """The width of the text block of a page of ``paper`` (:data:`PAPERS`), in points."""
    width, height, side, _ = PAPERS[paper]
    return (height if landscape else width) - 2 * side


def _set_page(section: Any, paper: str, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    width, height, side, top = PAPERS[paper]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Pt(height), Pt(width)) if landscape \
        else (Pt(width), Pt(height))
    section.left_margin = section.right_margin = Pt(side)
    section.top_margin = section.bottom_margin = Pt(top)


@dataclass
class _Cells:
    """A table's cells as Word shows them."""

    headers: list[str]
    numeric: list[bool]
    shown: list[list[str]]
    grouped: bool
    notes: list[str]

    def fits(self, width_pt: float) -> bool:
        from ptce_typology.render.latex import fits_width

        return fits_width(self.headers, self.shown, width_pt, _SIZES[-1])

    def widths(self, width_pt: float) -> tuple[float, list[float]]:
        """The font size and each column's text width in points, within ``width_pt``."""
        from ptce_typology.render.latex import fit_columns, natural_widths

        k, widths = fit_columns(self.headers, self.shown, width_pt, _SIZES)
        points = _SIZES[k][1]
        if widths is None:  # every cell fits on one line (headers wrap at their words)
            widths = [w + 2 for w in natural_widths(self.headers, self.shown, points)]
        return points, widths


def _cells(frame: pd.DataFrame, index: bool, lang: str) -> _Cells:
    from ptce_typology.render.cells import cell_text, shown_cell, xml_text

    headers = [xml_text(h) for h in ([frame.index.name or ""] if index else [])
               + [str(c) for c in frame.columns]]
    numeric = ([False] if index else []) + [
        str(frame[c].dtype) not in ("object", "category", "str", "string") for c in frame.columns]
    shown = [[xml_text(c) for c in ([cell_text(key)] if index else [])
              + [shown_cell(v, lang) for v in row]]
             for key, row in zip(frame.index, frame.itertuples(index=False), strict=True)]
    return _Cells(headers, numeric, shown, index and bool(frame.attrs.get("grouped")),
                  [xml_text(n) for n in frame.attrs.get("notes", []) if n])


def _add_table(document: Any, title: str, cells: _Cells, width_pt: float) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from ptce_typology.render.cells import xml_text

    if title:
        document.add_paragraph(xml_text(title), style="Caption")
    points, widths = cells.widths(width_pt)
    table = document.add_table(rows=1, cols=len(cells.headers))
    table.autofit = False
    for cell, head in zip(table.rows[0].cells, cells.headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(head)
        run.bold = True
        _border(cell, "top", 12)
        _border(cell, "bottom", 6)
    _repeat_header(table.rows[0])
    previous = None
    for k, values in enumerate(cells.shown):
        values = list(values)
        new_group = False
        if cells.grouped:
            if values[0] == previous:
                values[0] = ""
            else:
                previous, new_group = values[0], k > 0
        row_cells = table.add_row().cells
        for cell, value, num in zip(row_cells, values, cells.numeric, strict=True):
            cell.text = value
            if num:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if new_group:
                _border(cell, "top", 4)
    for cell in table.rows[-1].cells:
        _border(cell, "bottom", 12)
    _size_cells(table, widths, points)
    for note in cells.notes:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(note)
        run.font.size = Pt(8)


def _size_cells(table: Any, widths: list[float], points: float) -> None:
    from docx.shared import Pt

    # LibreOffice reads the grid, Word the cells: set both.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Pt(width + 2 * _CELL_MARGIN_PT)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Pt(width + 2 * _CELL_MARGIN_PT)
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
                for run in paragraph.runs:
                    run.font.size = Pt(points)


def to_docx(sections: list[tuple[str, pd.DataFrame]], index: bool = True,
            lang: str = "en", paper: str = "a4") -> bytes:
    """A Word document holding each titled table in turn.

    Parameters
    ----------
    sections : list of (str, pandas.DataFrame)
        Caption and table; ``frame.attrs`` may hold ``notes`` and ``grouped`` as for
        :func:`ptce_typology.render.formats.render_frame`.
    index : bool
        Print the index as the first column.
    lang : {"en", "fr"}
        Decimal mark of the numbers left as numbers, and the document's language.
    paper : {"a4", "letter"}
        The page. A table whose words cannot fit the text block's width at the smallest
        size gets a landscape page of its own.

    Returns
    -------
    bytes
        The ``.docx`` file, byte-identical for the same input.
    """
    from docx import Document
    from docx.oxml.ns import qn

    from ptce_typology.render.cells import normalise_zip
    from ptce_typology.render.labels import text

    document = Document()
    styles = document.styles
    language = text("document.language", lang)
    # Times New Roman (Liberation Serif where it is missing): narrower than the Computer
    # Modern the column widths are estimated with, so the estimate is safe.
    for style_name in ("Normal", "Caption"):
        styles[style_name].font.name = "Times New Roman"
        fonts = styles[style_name].element.get_or_add_rPr()
        lang_el = fonts.find(qn("w:lang"))
        if lang_el is None:
            from docx.oxml import OxmlElement

            lang_el = OxmlElement("w:lang")
            fonts.append(lang_el)
        lang_el.set(qn("w:val"), language)
    core = document.core_properties
    core.author = "ptce-typology"
    core.last_modified_by = "ptce-typology"
    core.revision = 1
    _set_page(document.sections[0], paper, landscape=False)
    landscape = False
    for i, (title, frame) in enumerate(sections):
        cells = _cells(frame, index, lang)
        wide = not cells.fits(text_width_pt(paper))
        if wide != landscape:
            _set_page(document.add_section(), paper, landscape=wide)
            landscape = wide
        elif i:
            document.add_paragraph()
        _add_table(document, title, cells, text_width_pt(paper, landscape))
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue())
