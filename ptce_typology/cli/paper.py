"""The paper's typology: ``ptce typology`` and ``ptce reproduce``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional  # noqa: UP035

import typer

from ptce_typology.cli.app import command, emit
from ptce_typology.cli.options import (
    Caption,
    Cases,
    Format,
    Label,
    Lang,
    Output,
    Paper,
    ReferenceYear,
)
from ptce_typology.columns import CATEGORY_COLUMNS
from ptce_typology.errors import PtceError
from ptce_typology.render.labels import text
from ptce_typology.vocabulary import DEFAULT_REFERENCE_YEAR


@command("typology")
def typology_cmd(
    cases: Cases = None,
    by: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--by", help="Cross-tabulate --descriptor (default territory) against this one: "
                     f"one of {', '.join(CATEGORY_COLUMNS)}.")] = None,
    descriptor: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--descriptor", "-d",
        help="Descriptors to tabulate (repeatable); default: the paper's typology.")] = None,
    fmt: Format = "table",
    lang: Lang = "en",
    paper: Paper = "a4",
    reference_year: ReferenceYear = DEFAULT_REFERENCE_YEAR,
    output: Output = None,
    caption: Caption = None,
    label: Label = None,
) -> None:
    """The paper's typology: for each descriptor, the count and share of poles in each category
    and the poles in it; `unknown` is a row of its own.

    Example: ptce typology --by sector --descriptor territory --format latex -o territory.tex
    """
    from ptce_typology.analysis import paper as tables
    from ptce_typology.frame import load_frame
    from ptce_typology.render import paper as shown_paper
    from ptce_typology.render.formats import render_frame
    from ptce_typology.render.formats.csv import csv_ready
    from ptce_typology.vocabulary import vocabulary

    frame = load_frame(cases, reference_year=reference_year)
    names = frame["name"].to_dict()
    if by:
        row = descriptor[0] if descriptor else "territory"
        table = tables.crosstab_table(frame, row, by)
        json_data = shown_paper.crosstab_json(table, lang)
        shown = csv_ready(table) if fmt == "csv" else shown_paper.display_crosstab(table, lang)
        title = text("paper.crosstab_title", lang, row=vocabulary().label(row, lang),
                     column=vocabulary().label(by, lang))
    else:
        chosen = tuple(descriptor) if descriptor else tables.TYPOLOGY_DESCRIPTORS
        table = tables.typology_table(frame, chosen)
        json_data = shown_paper.typology_json(table, frame, lang)
        shown = csv_ready(table) if fmt == "csv" else shown_paper.display_typology(
            table, names, lang)
        title = text("paper.typology_title", lang, n=len(frame))
    emit(render_frame(shown, fmt, title=caption or title, label=label or "tab:typology",
                      paper=paper, json_data=json_data, lang=lang), output, lang)


@command("reproduce")
def reproduce_cmd(
    cases: Cases = None,
    claims: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--claims", help="A claims file of the same shape; default: the paper's.")] = None,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Exit 1 if any claim is a mismatch.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show every note.")] = False,
    fmt: Format = "table",
    lang: Lang = "en",
    paper: Paper = "a4",
    reference_year: ReferenceYear = DEFAULT_REFERENCE_YEAR,
    output: Output = None,
    caption: Caption = None,
    label: Label = None,
) -> None:
    """Every figure the paper publishes about the twelve, computed from the case data:
    match, mismatch, or not computable because of unknowns. Only the témoins (role: temoin)
    are used, whatever --cases holds; the others are named on stderr.

    Example: ptce reproduce --format md --lang fr
    """
    from ptce_typology.analysis.claims import reproduce_claims, temoins_only
    from ptce_typology.frame import load_frame
    from ptce_typology.intake.claims import load_claims
    from ptce_typology.render.formats import render_frame
    from ptce_typology.render.formats.csv import csv_ready
    from ptce_typology.render.paper import claims_frame, claims_json, display_claims

    frame, others = temoins_only(load_frame(cases, reference_year=reference_year))
    if frame.empty:
        raise PtceError(text("reproduce.no_temoin", lang), field="--cases")
    if others:
        sys.stderr.write(text("reproduce.temoins_only", lang, n=len(frame), m=len(others),
                              poles=", ".join(others)) + "\n")
    table = reproduce_claims(frame, load_claims(claims))
    json_data = claims_json(table, lang)
    shown = csv_ready(claims_frame(table, lang)) if fmt == "csv" else display_claims(
        table, frame["name"].to_dict(), lang, verbose=verbose or fmt != "table")
    title = text("claims.title", lang)
    emit(render_frame(shown, fmt, title=caption or title, label=label or "tab:reproduce",
                      paper=paper, json_data=json_data, lang=lang), output, lang)
    counts = table["status"].value_counts()
    sys.stderr.write(text("cli.reproduce_summary", lang, n=len(table),
                          match=counts.get("match", 0), mismatch=counts.get("mismatch", 0),
                          not_computable=counts.get("not_computable", 0)) + "\n")
    if strict and counts.get("mismatch", 0):
        raise typer.Exit(1)
