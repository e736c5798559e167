"""Two codings of the same poles: ``ptce agreement``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional  # noqa: UP035

import typer

from ptce_typology.cli.app import command, emit, split
from ptce_typology.cli.options import (
    Caption,
    Format,
    Label,
    Lang,
    Output,
    Paper,
    ReferenceYear,
    Seed,
)
from ptce_typology.vocabulary import DEFAULT_REFERENCE_YEAR


@command("agreement")
def agreement_cmd(
    first: Annotated[Path, typer.Argument(help="The first coding: a folder, case files' "
                                               "folder, or a CSV/XLSX table; 'all' for the "
                                               "bundled poles.")],
    second: Annotated[Path, typer.Argument(help="The second coding, likewise.")],
    descriptors: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--descriptors", help="Descriptors compared, comma-separated; default: "
                              "age_class,origin,territory,sector,shared_premises,"
                              "employer_group.")] = None,
    resamples: Annotated[int, typer.Option(
        "--resamples", min=0, max=100_000,
        help="Bootstrap samples of the poles for the 95 % intervals.")] = 1000,
    seed: Seed = 0,
    reference_year: ReferenceYear = DEFAULT_REFERENCE_YEAR,
    alternatives_out: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--alternatives-out", dir_okay=False,
        help="Write the second coding's readings of unsettled disagreements, in the form "
             "`alternatives:` takes, to FILE.yaml (case files are never modified).")] = None,
    fmt: Format = "table",
    lang: Lang = "en",
    paper: Paper = "a4",
    output: Output = None,
    caption: Caption = None,
    label: Label = None,
) -> None:
    """Agreement between two independent codings of the same poles: Cohen's κ and
    Krippendorff's α per descriptor with bootstrap intervals, confusion tables, and every
    disagreement with each side's sources.

    Example: ptce agreement data/cases/temoins data/reliability/second_coding --format md
    """
    from ptce_typology.analysis.agreement import (
        DEFAULT_DESCRIPTORS,
        agreement,
        alternatives_to_add,
    )
    from ptce_typology.frame import coding_of
    from ptce_typology.intake.loading import load_cases
    from ptce_typology.render.agreement import agreement_sections, alternatives_yaml
    from ptce_typology.render.formats import render_sections
    from ptce_typology.render.labels import text
    from ptce_typology.render.write import atomic_write

    chosen = split(descriptors, "--descriptors") or DEFAULT_DESCRIPTORS
    first_coding = coding_of(load_cases(first), chosen, reference_year)
    second_coding = coding_of(load_cases(second), chosen, reference_year)
    result = agreement(first_coding, second_coding, chosen, resamples=resamples, seed=seed)
    unmatched = [*result.unmatched["a"], *result.unmatched["b"]]
    if unmatched:
        sys.stderr.write(text("agreement.unmatched", lang, poles=", ".join(unmatched)) + "\n")
    if alternatives_out is not None:
        atomic_write(alternatives_out,
                     alternatives_yaml(alternatives_to_add(result, second_coding)))
        sys.stderr.write(text("cli.wrote", lang, path=str(alternatives_out)) + "\n")
    emit(render_sections(agreement_sections(result, lang), fmt, json_data=result.to_dict(),
                         paper=paper, label=label or "tab:agreement", lang=lang, caption=caption),
         output, lang)
