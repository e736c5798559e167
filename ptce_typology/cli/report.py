"""``ptce report``: the whole study in one HTML file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional  # noqa: UP035

import typer

from ptce_typology.analysis.parameters import DEFAULT_CLOUD_DESCRIPTOR
from ptce_typology.cli.app import command, emit, split
from ptce_typology.cli.options import (
    Axes,
    Cases,
    Ellipses,
    LabelPoles,
    Lang,
    Resamples,
    TypologyOptions,
    output_path,
    typology_options,
)


@command("report")
@typology_options
def report_cmd(
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="The HTML file to write.", parser=output_path,
        metavar="<file>")],
    cases: Cases = None,
    classify: Annotated[Optional[list[Path]], typer.Option(  # noqa: UP045
        "--classify", help="New poles to place against the typology (repeatable).")] = None,
    lang: Lang = "en",
    typology: TypologyOptions = TypologyOptions(),
    resamples: Resamples = None,
    axes: Axes = None,
    label_poles: LabelPoles = None,
    ellipses: Ellipses = DEFAULT_CLOUD_DESCRIPTOR,
) -> None:
    """The whole study in one self-contained HTML file (figures inline, no network access):
    data and sources, typology, reproduction, clusters, classification, comparison, QCA,
    référentiel gap and a reproducibility footer.

    Example: ptce report --classify data/examples/le_periscope.yaml -o report.html
    """
    from rich.progress import Progress

    from ptce_typology.render.html import render_html
    from ptce_typology.study import STEPS, run_study

    with Progress(transient=True, disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task("report", total=len(STEPS) + 1)

        def on_step(name: str) -> None:
            progress.update(task, advance=1, description=name)

        study = run_study(cases, classify or (), typology=typology.model(), seed=typology.seed,
                          resamples=resamples, reference_year=typology.reference_year,
                          on_step=on_step, axes=axes, cloud_descriptor=ellipses,
                          label_poles=split(label_poles, "--label-poles"))
        on_step("writing")
        text = render_html(study, lang)
    emit(text, output, lang)
