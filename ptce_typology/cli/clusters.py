"""The statistical typology: ``ptce clusters`` and ``ptce classify``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, Literal, Optional  # noqa: UP035

import typer

from ptce_typology.analysis.parameters import DEFAULT_CLOUD_DESCRIPTOR
from ptce_typology.cli.app import command, emit, split
from ptce_typology.cli.options import (
    Axes,
    Caption,
    Cases,
    Ellipses,
    Format,
    Label,
    LabelPoles,
    Lang,
    Output,
    Paper,
    Reference,
    Resamples,
    TypologyOptions,
    output_path,
    reference_cases,
    typology_options,
)
from ptce_typology.render.labels import text

# The tables of ``clusters --format csv`` (render.typology.CSV_TABLES, not imported here: the
# CLI starts without pandas).
CsvTable = Literal["clusters", "categories", "eta2", "eigenvalues", "typicality", "ellipses"]
Table = Annotated[CsvTable, typer.Option(
    "--table", help="With --format csv, the table written (one per file): clusters (the "
                    "poles), categories (the MCA's coordinates, contributions, cos2 and "
                    "v.test of every category), eta2 (per descriptor), eigenvalues "
                    "(with Benzécri's and Greenacre's rates), typicality (of the mean "
                    "point of each --ellipses category, per dimension) or ellipses (their "
                    "90 % concentration ellipses on --axes).")]


@command("clusters")
@typology_options
def clusters_cmd(
    cases: Cases = None,
    typology: TypologyOptions = TypologyOptions(),
    resamples: Resamples = None,
    sensitivity: Annotated[bool, typer.Option(
        "--sensitivity", help="Refit on every completion of the unknown active values (each "
                              "takes each category of its descriptor; a seeded sample of "
                              "2,000 above 2^14 completions): co-clustering, k distribution, "
                              "ARI and robust groups.")] = False,
    all_categories: Annotated[bool, typer.Option(
        "--all-categories", help="Describe every category, not only p <= 0.10.")] = False,
    plot: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--plot", help="Write the factor map to FILE.png|svg|pdf, and FILE_dendrogram "
                       "and FILE_gains beside it.", parser=output_path,
        metavar="<file>")] = None,
    axes: Axes = None,
    label_poles: LabelPoles = None,
    ellipses: Ellipses = DEFAULT_CLOUD_DESCRIPTOR,
    fmt: Format = "table",
    table: Table = "clusters",
    lang: Lang = "en",
    paper: Paper = "a4",
    output: Output = None,
    caption: Caption = None,
    label: Label = None,
) -> None:
    """Statistical typology: specific MCA of the descriptors, Ward clustering on the first ncp
    dimensions (FactoMineR's HCPC), cluster description and stability.

    Unknown values are passive categories (a specific MCA): they shape no axis. Poles with
    fewer than --min-known active descriptors known are supplementary: placed afterwards, as
    classify places a new pole, and listed apart. Beside the partition: how far the data
    determine it (k and mean ARI over 256 sampled completions of the unknowns; every
    completion with --sensitivity). The tests of active descriptors are descriptive.

    Example: ptce clusters --ncp 5 --seed 1 --sensitivity --plot map.png --axes 1,3 --format md
    """
    from ptce_typology.analysis.clouds import plane_clouds
    from ptce_typology.analysis.sensitivity import HEADLINE_COMPLETIONS
    from ptce_typology.analysis.sensitivity import sensitivity as run_sensitivity
    from ptce_typology.analysis.stability import stability
    from ptce_typology.frame import load_frame
    from ptce_typology.render.clouds import CLOUD_TABLES, cloud_csv_table, cloud_sections
    from ptce_typology.render.formats import render_sections
    from ptce_typology.render.typology import (
        cluster_sections,
        clusters_csv_table,
        clusters_json,
    )

    frame = load_frame(cases, reference_year=typology.reference_year)
    model = typology.model().fit(frame)
    clouds = plane_clouds(model, ellipses, axes)
    stab = None if resamples == 0 else stability(model, n_resamples=resamples,
                                                 seed=typology.seed)
    # The co-clustering's seriated order (scipy's tree, 0.25 s to import) is in the JSON
    # only; the tables show the matrix in the poles' order.
    sens = run_sensitivity(model, order=fmt == "json") if sensitivity else None
    # The headline is said beside the partition; a CSV holds the poles' table only.
    headline = sens if sens is not None or fmt == "csv" else run_sensitivity(
        model, max_exhaustive=HEADLINE_COMPLETIONS, n_sampled=HEADLINE_COMPLETIONS, order=False)
    if plot is not None:
        _write_figures(model, frame, plot, lang, (axes or (1, 2), label_poles), clouds)
    if fmt == "csv":
        sections = [(table, cloud_csv_table(clouds, table) if table in CLOUD_TABLES
                     else clusters_csv_table(model, stab, table))]
    else:
        sections = cluster_sections(model, stab, frame["name"].to_dict(), lang,
                                    p_max=None if all_categories else 0.10, sensitivity=sens,
                                    headline=headline) + cloud_sections(clouds, lang)
    data = (clusters_json(model, stab, sens, lang, headline=headline, clouds=clouds)
            if fmt == "json" else None)
    emit(render_sections(sections, fmt, paper=paper, label=label or "tab:clusters", caption=caption,
                         lang=lang, json_data=data), output, lang)
    _write_summary(model, lang)


def _write_summary(model, lang: str) -> None:
    """The one line on stderr that says what was fitted."""
    summary = model.summary()
    sys.stderr.write(text("cli.clusters_summary", lang, n=len(model.labels_),
                          supplementary=len(model.supplementary_placements_),
                          min_known=model.min_known, ncp=summary["ncp"],
                          rule=summary["rule"], k=summary["n_clusters"],
                          passive=", ".join(summary["passive_categories"]) or "-") + "\n")


def _write_figures(model: Any, frame: Any, plot: Path, lang: str,
                   map_options: tuple[tuple[int, int], Optional[str]],  # noqa: UP045
                   clouds: Any) -> None:
    """``clusters --plot``: the factor map of ``--axes`` naming ``--label-poles``, and the
    figures beside it; each file written is said on stderr."""
    from ptce_typology.render.plots import cluster_figures
    from ptce_typology.render.typology import cluster_names

    dims, label_poles = map_options
    for path in cluster_figures(model, frame["name"].to_dict(), plot, lang,
                                roles=frame["role"].to_dict(),
                                cluster_labels=cluster_names(model, lang), dims=dims,
                                clouds=clouds, label_poles=split(label_poles, "--label-poles")):
        sys.stderr.write(text("cli.wrote", lang, path=path) + "\n")


@command("classify")
@typology_options
def classify_cmd(
    files: Annotated[list[Path], typer.Argument(
        help="Case files (YAML) or tables of new poles.")],
    reference: Reference = None,
    typology: TypologyOptions = TypologyOptions(),
    plot: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--plot", help="Write the factor map with the new poles as supplementary points to "
                       "FILE.png|svg|pdf.", parser=output_path, metavar="<file>")] = None,
    axes: Axes = None,
    label_poles: LabelPoles = None,
    fmt: Format = "table",
    lang: Lang = "en",
    paper: Paper = "a4",
    output: Output = None,
    caption: Caption = None,
    label: Label = None,
) -> None:
    """Place new poles against the typology of the témoins (or --reference): cluster (named),
    its state (determined, undetermined: the descriptors that decide; outside: a category no
    reference pole has, held passive like an unknown), every completion of the unknowns (each
    takes every category of the vocabulary), distances, nearest reference poles with what
    they share and what is unknown, typicality, projection quality and flags.

    Example: ptce classify data/examples/le_periscope.yaml --reference all --format md
    """
    from ptce_typology.analysis.typology import placement_records
    from ptce_typology.frame import load_frame
    from ptce_typology.render.formats import render_sections, to_json
    from ptce_typology.render.typology import (
        classify_csv_frame,
        classify_pole_sections,
        classify_sections,
        cluster_names,
    )

    frame = load_frame(reference_cases(reference), reference_year=typology.reference_year)
    new = load_frame(files, reference_year=typology.reference_year)
    model = typology.model().fit(frame)
    results = placement_records(model.classify(new))
    named = cluster_names(model, lang)
    names = {**frame["name"].to_dict(), **new["name"].to_dict()}
    if plot is not None:
        from ptce_typology.analysis.clouds import check_axes
        from ptce_typology.render.plots import factor_map, save_figure

        if axes is not None:
            check_axes(model, axes)
        figure = factor_map(model, names, lang, dims=axes or (1, 2),
                            roles=frame["role"].to_dict(), extra=model.transform(new),
                            cluster_labels=named,
                            label_poles=split(label_poles, "--label-poles"))
        sys.stderr.write(text("cli.wrote", lang, path=save_figure(figure, plot)) + "\n")
    if fmt == "json":
        emit(to_json({"cluster_names": {str(c): n for c, n in named.items()},
                      "poles": results}), output, lang)
    elif fmt == "csv":
        emit(render_sections([("classify", classify_csv_frame(results))], "csv"), output, lang)
    else:  # in print, one two-column table per pole: a row of nine columns cannot be read
        layout = classify_pole_sections if fmt == "latex" else classify_sections
        emit(render_sections(layout(results, names, lang, named), fmt, paper=paper,
                             label=label or "tab:classify", caption=caption, lang=lang),
             output, lang)
    flagged = sum(1 for r in results if r["flags"])
    states = [r["placement"] for r in results]
    sys.stderr.write(text("cli.classify_summary", lang, n=len(results),
                          temoins=len(model.labels_), k=model.hcpc_.n_clusters_,
                          flagged=flagged, determined=states.count("determined"),
                          undetermined=states.count("undetermined"),
                          outside=states.count("outside")) + "\n")
