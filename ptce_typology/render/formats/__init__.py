"""Tables in every output format: the dispatchers :func:`render_frame` (one table) and
:func:`render_sections` (several), and :func:`issues_text` (a validation report).

One module per format: :mod:`.terminal`, :mod:`.markdown`, :mod:`.csv`, :mod:`.json`,
:mod:`.xlsx`, with :mod:`ptce_typology.render.latex` and :mod:`ptce_typology.render.docx`.
Renderers take a DataFrame whose cells are final values; they never compute. Numbers are
formatted in :mod:`ptce_typology.render.cells`; files are written by
:mod:`ptce_typology.render.write`."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from ptce_typology.errors import PtceError
from ptce_typology.render.formats.csv import csv_safe, to_csv
from ptce_typology.render.formats.json import to_json
from ptce_typology.render.formats.markdown import markdown_text, to_markdown
from ptce_typology.render.formats.terminal import to_rich_table
from ptce_typology.render.formats.xlsx import to_xlsx
from ptce_typology.render.latex import PACKAGES_COMMENT, render_latex

if TYPE_CHECKING:
    import pandas as pd


TABLE_FORMATS = ("table", "md", "latex", "csv", "json", "xlsx", "docx")


def render_frame(frame: pd.DataFrame, fmt: str, *, title: str | None = None,
                 label: str | None = None, json_data: Any = None,
                 index: bool = True, lang: str = "en", paper: str = "a4") -> str | bytes:
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
    paper : {"a4", "letter"}
        The page of a Word document.

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
        return PACKAGES_COMMENT + render_latex(frame, caption=title, label=label, index=index,
                                               lang=lang)
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

        return to_docx([(title or "", frame)], index=index, lang=lang, paper=paper)
    raise PtceError("unknown output format", field="--format", value=fmt,
                    allowed=TABLE_FORMATS)


def render_sections(sections: list[tuple[str, pd.DataFrame]], fmt: str, *,
                    label: str = "tab", json_data: Any = None,
                    index: bool = True, lang: str = "en",
                    caption: str | None = None, paper: str = "a4") -> str | bytes:
    """Several titled tables in one output; CSV holds the first one only (one table per file),
    XLSX one sheet per table, Word one document.

    ``caption`` (``--caption``) goes before each table's own title; table ``i`` gets the
    label ``label:i``; ``paper`` is a Word document's page.
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

        return to_docx(sections, index=index, lang=lang, paper=paper)
    parts = []
    for i, (title, frame) in enumerate(sections, start=1):
        parts.append(render_frame(frame, fmt, title=title, label=f"{label}:{i}", index=index,
                                  lang=lang))
    if fmt == "latex":  # the packages named once, at the top of the file
        parts = [PACKAGES_COMMENT + "\n".join(p.removeprefix(PACKAGES_COMMENT) for p in parts)]
    return "\n".join(str(p) for p in parts)


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
