"""The référentiel: ``ptce referentiel`` and ``ptce gap``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal, Optional  # noqa: UP035

import typer

from ptce_typology.cli.app import command, emit
from ptce_typology.cli.options import Caption, Cases, Format, Label, Lang, Output, Paper

Referentiel = Annotated[Optional[Path], typer.Option(  # noqa: UP045
    "--referentiel", help="A copy of data/referentiel.yaml with your own rules.")]


@command("referentiel")
def referentiel_cmd(
    referentiel: Referentiel = None,
    fmt: Annotated[Literal["table", "md", "json", "docx"], typer.Option(
        "--format", "-f", help="Output format.")] = "table",
    lang: Lang = "en",
    paper: Paper = "a4",
    output: Output = None,
) -> None:
    """The référentiel of a PTCE: 3 general objectives, 9 main objectives, the indicator
    counts, and the legal and Labo definitions, each with its source.

    Example: ptce referentiel --lang fr --format md
    """
    from ptce_typology.intake.referentiel import load_referentiel
    from ptce_typology.render.formats import render_sections, to_json
    from ptce_typology.render.referentiel import referentiel_json, referentiel_sections

    ref = load_referentiel(referentiel)
    if fmt == "json":
        emit(to_json(referentiel_json(ref)), output, lang)
    else:
        emit(render_sections(referentiel_sections(ref, lang), fmt,
                             paper=paper, lang=lang), output, lang)


@command("gap")
def gap_cmd(
    cases: Cases = None,
    referentiel: Referentiel = None,
    plot: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--plot", help="Write the heat map to FILE.png|svg|pdf.")] = None,
    fmt: Format = "table",
    lang: Lang = "en",
    paper: Paper = "a4",
    output: Output = None,
    caption: Caption = None,
    label: Label = None,
) -> None:
    """The gap between the PTCE concept and practice: for each pole and main objective,
    evidenced, not evidenced or unknown, with the descriptors behind each cell.

    Example: ptce gap --plot gap.png --format md
    """
    from ptce_typology.analysis.referentiel import gap_matrix
    from ptce_typology.frame import cases_frame
    from ptce_typology.intake.loading import assessments, load_cases
    from ptce_typology.intake.referentiel import load_referentiel
    from ptce_typology.render.formats import render_sections
    from ptce_typology.render.referentiel import gap_json, gap_sections

    loaded = load_cases(cases)
    frame = cases_frame(loaded)
    ref = load_referentiel(referentiel)
    result = gap_matrix(frame, ref, assessments(loaded))
    names = frame["name"].to_dict()
    if plot is not None:
        from ptce_typology.render.labels import text
        from ptce_typology.render.plots import gap_heatmap, save_figure

        path = save_figure(gap_heatmap(result, ref, names, lang), plot)
        sys.stderr.write(text("cli.wrote", lang, path=path) + "\n")
    if fmt == "csv":
        sections = [("gap", result["status"])]
    else:
        sections = gap_sections(result, ref, names, lang)
    emit(render_sections(sections, fmt, paper=paper, label=label or "tab:gap", caption=caption,
                         lang=lang, json_data=gap_json(result, ref)), output, lang)
