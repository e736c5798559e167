"""The paper's typology: ``ptce typology`` and ``ptce reproduce``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional  # noqa: UP035

import typer

from ptce_typology.cli.app import command, emit
from ptce_typology.cli.options import Cases, Format, Lang, Output, ReferenceYear
from ptce_typology.errors import PtceError


@command("typology")
def typology_cmd(
    cases: Cases = None,
    by: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--by", help="Cross-tabulate --descriptor (default territory) against this one.")] = None,
    descriptor: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--descriptor", "-d",
        help="Descriptors to tabulate (repeatable); default: the paper's typology.")] = None,
    fmt: Format = "table",
    lang: Lang = "en",
    reference_year: ReferenceYear = 2011,
    output: Output = None,
) -> None:
    """The paper's typology: for each descriptor, the count and share of poles in each category
    and the poles in it; `unknown` is a row of its own.

    Example: ptce typology --by sector --descriptor territory --format latex -o territory.tex
    """
    from ptce_typology.analysis import paper
    from ptce_typology.frame import load_frame
    from ptce_typology.render import paper as shown_paper
    from ptce_typology.render.formats import csv_ready, render_frame

    frame = load_frame(cases, reference_year=reference_year)
    names = frame["name"].to_dict()
    if by:
        row = descriptor[0] if descriptor else "territory"
        table = paper.crosstab_table(frame, row, by)
        json_data = shown_paper.crosstab_json(table, lang)
        shown = csv_ready(table) if fmt == "csv" else shown_paper.display_crosstab(table, lang)
        title = {"en": "Cross-table", "fr": "Tableau croisé"}[lang]
    else:
        chosen = tuple(descriptor) if descriptor else paper.TYPOLOGY_DESCRIPTORS
        table = paper.typology_table(frame, chosen)
        json_data = shown_paper.typology_json(table, frame, lang)
        shown = csv_ready(table) if fmt == "csv" else shown_paper.display_typology(
            table, names, lang)
        title = {"en": f"Typology of the {len(frame)} poles",
                 "fr": f"Typologie des {len(frame)} pôles"}[lang]
    emit(render_frame(shown, fmt, title=title, label="tab:typology", json_data=json_data),
         output)


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
    reference_year: ReferenceYear = 2011,
    output: Output = None,
) -> None:
    """Every figure the paper publishes about the twelve, computed from the case data:
    match, mismatch, or not computable because of unknowns. Only the témoins (role: temoin)
    are used, whatever --cases holds; the others are named on stderr.

    Example: ptce reproduce --format md --lang fr
    """
    from ptce_typology.analysis.claims import reproduce_claims, temoins_only
    from ptce_typology.frame import load_frame
    from ptce_typology.intake.claims import load_claims
    from ptce_typology.render.formats import csv_ready, render_frame
    from ptce_typology.render.labels import text
    from ptce_typology.render.paper import display_claims

    frame, others = temoins_only(load_frame(cases, reference_year=reference_year))
    if frame.empty:
        raise PtceError(text("reproduce.no_temoin", lang), field="--cases")
    if others:
        sys.stderr.write(text("reproduce.temoins_only", lang, n=len(frame), m=len(others),
                              poles=", ".join(others)) + "\n")
    table = reproduce_claims(frame, load_claims(claims), lang=lang)
    json_data = table.reset_index().to_dict(orient="records")
    shown = csv_ready(table) if fmt == "csv" else display_claims(
        table, frame["name"].to_dict(), lang, verbose=verbose or fmt != "table")
    title = {"en": "The paper's figures, computed from the data",
             "fr": "Les chiffres de l'article, recalculés à partir des données"}[lang]
    emit(render_frame(shown, fmt, title=title, label="tab:reproduce", json_data=json_data),
         output)
    counts = table["status"].value_counts()
    sys.stderr.write(f"{len(table)} claims: {counts.get('match', 0)} match, "
                     f"{counts.get('mismatch', 0)} mismatch, "
                     f"{counts.get('not_computable', 0)} not computable\n")
    if strict and counts.get("mismatch", 0):
        raise typer.Exit(1)
