"""Commands that export the data for other tools: export-data (a Frictionless Data Package)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional  # noqa: UP035

import typer

from ptce_typology.cli.app import command
from ptce_typology.cli.options import ReferenceYear
from ptce_typology.vocabulary import DEFAULT_REFERENCE_YEAR


@command("export-data")
def export_data_cmd(
    output_dir: Annotated[Path, typer.Option(
        "--output", "-o", help="Folder to write the data package in (created when missing; "
                               "must be empty unless --force).")],
    cases: Annotated[Optional[list[Path]], typer.Option(  # noqa: UP045
        "--cases", "-c", help="Case files, folders or CSV/XLSX tables (repeatable); default: "
                              "'all', every bundled pole.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Write into a folder that is not empty (replaces the three files).")
    ] = False,
    reference_year: ReferenceYear = DEFAULT_REFERENCE_YEAR,
) -> None:
    """Write the data as a Frictionless Data Package: poles.csv (the tidy table, as ptce list
    --format csv), sources.csv (one row per value and cited source, with the quote) and
    datapackage.json (types, categories, descriptions, keys, licence CC-BY-4.0).

    Example: ptce export-data -o pkg && frictionless validate pkg/datapackage.json
    """
    from ptce_typology.frame import cases_frame
    from ptce_typology.intake.codebook import load_codebook
    from ptce_typology.intake.loading import load_cases
    from ptce_typology.render.datapackage import write_data_package

    loaded = load_cases(cases or ["all"])
    frame = cases_frame(loaded, reference_year=reference_year)
    for path in write_data_package(frame, loaded, output_dir, force=force,
                                   codebook=load_codebook()):
        sys.stderr.write(f"wrote {path}\n")
