"""The codebook: ``ptce codebook``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, Optional  # noqa: UP035

import typer

from ptce_typology.cli.app import command, emit
from ptce_typology.cli.options import Caption, Label, Lang, Output, Paper

CodebookFile = Annotated[Optional[Path], typer.Option(  # noqa: UP045
    "--codebook", help="A copy of data/codebook.yaml with your own rules.")]


@command("codebook")
def codebook_cmd(
    codebook: CodebookFile = None,
    fmt: Annotated[Literal["table", "md", "latex", "docx", "html", "json"], typer.Option(
        "--format", "-f", help="Output format.")] = "table",
    lang: Lang = "en",
    paper: Paper = "a4",
    output: Output = None,
    caption: Caption = None,
    label: Label = None,
) -> None:
    """The codebook: each descriptor's definition, its categories with bundled examples, and
    the decision rules an inferred value names (`rule:`), as a paper's appendix.

    Example: ptce codebook --lang fr --format latex -o codebook.tex
    """
    from ptce_typology.intake.codebook import load_codebook
    from ptce_typology.render.codebook import codebook_html, codebook_json, codebook_sections
    from ptce_typology.render.formats import render_sections

    book = load_codebook(codebook)
    if fmt == "html":
        emit(codebook_html(book, lang), output, lang)
        return
    emit(render_sections(codebook_sections(book, lang), fmt, json_data=codebook_json(book),
                         paper=paper, label=label or "tab:codebook", lang=lang, caption=caption),
         output, lang)
