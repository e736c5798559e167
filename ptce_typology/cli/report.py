"""``ptce report``: the whole study in one HTML file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional  # noqa: UP035

import typer

from ptce_typology.cli.app import command, emit, split
from ptce_typology.cli.options import (
    Active,
    Cases,
    Consolidation,
    K,
    Lang,
    Ncp,
    Passive,
    ReferenceYear,
    Resamples,
    Rule,
    Seed,
)


@command("report")
def report_cmd(
    output: Annotated[Path, typer.Option(
        "--output", "-o", dir_okay=False, help="The HTML file to write.")],
    cases: Cases = None,
    classify: Annotated[Optional[list[Path]], typer.Option(  # noqa: UP045
        "--classify", help="New poles to place against the typology (repeatable).")] = None,
    lang: Lang = "en",
    seed: Seed = 0,
    resamples: Resamples = None,
    active: Active = None,
    ncp: Ncp = 5,
    k: K = None,
    rule: Rule = "within_ratio",
    consolidation: Consolidation = "hartigan-wong",
    passive: Passive = None,
    reference_year: ReferenceYear = 2011,
) -> None:
    """The whole study in one self-contained HTML file (figures inline, no network access):
    data and sources, typology, reproduction, clusters, classification, comparison, QCA,
    référentiel gap and a reproducibility footer.

    Example: ptce report --classify data/examples/le_periscope.yaml -o report.html
    """
    from rich.progress import Progress

    from ptce_typology.render.html import render_html
    from ptce_typology.render.write import check_output
    from ptce_typology.study import STEPS, run_study

    check_output(output)
    with Progress(transient=True, disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task("report", total=len(STEPS) + 1)

        def on_step(name: str) -> None:
            progress.update(task, advance=1, description=name)

        study = run_study(cases, classify or (), seed=seed, resamples=resamples, ncp=ncp,
                          n_clusters=k, rule=rule, consolidation=consolidation,
                          active=split(active), on_step=on_step,
                          passive=None if passive is None else split(passive, "--passive") or (),
                          reference_year=reference_year)
        on_step("writing")
        text = render_html(study, lang)
    emit(text, output, lang)
