"""The statistical typology: ``ptce clusters`` and ``ptce classify``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal, Optional  # noqa: UP035

import typer

from ptce_typology.cli.app import command, emit
from ptce_typology.cli.options import (
    Caption,
    Cases,
    Format,
    Label,
    Lang,
    Output,
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
CsvTable = Literal["clusters", "categories", "eta2", "eigenvalues"]


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
    fmt: Format = "table",
    table: Annotated[CsvTable, typer.Option(
        "--table", help="With --format csv, the table written (one per file): clusters (the "
                        "poles), categories (the MCA's coordinates, contributions, cos2 and "
                        "v.test of every category), eta2 (per descriptor) or eigenvalues "
                        "(with Benzécri's and Greenacre's rates).")] = "clusters",
    lang: Lang = "en",
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

    Example: ptce clusters --ncp 5 --seed 1 --sensitivity --plot map.png --format md
    """
    from ptce_typology.analysis.sensitivity import HEADLINE_COMPLETIONS
    from ptce_typology.analysis.sensitivity import sensitivity as run_sensitivity
    from ptce_typology.analysis.stability import stability
    from ptce_typology.frame import load_frame
    from ptce_typology.render.formats import render_sections
    from ptce_typology.render.typology import (
        cluster_names,
        cluster_sections,
        clusters_csv_table,
        clusters_json,
    )

    frame = load_frame(cases, reference_year=typology.reference_year)
    model = typology.model().fit(frame)
    stab = None if resamples == 0 else stability(model, n_resamples=resamples,
                                                 seed=typology.seed)
    sens = run_sensitivity(model) if sensitivity else None
    # The headline is said beside the partition; a CSV holds the poles' table only.
    headline = sens if sens is not None or fmt == "csv" else run_sensitivity(
        model, max_exhaustive=HEADLINE_COMPLETIONS, n_sampled=HEADLINE_COMPLETIONS)
    names = frame["name"].to_dict()
    if plot is not None:
        from ptce_typology.render.plots import cluster_figures

        for path in cluster_figures(model, names, plot, lang, roles=frame["role"].to_dict(),
                                    cluster_labels=cluster_names(model, lang)):
            sys.stderr.write(text("cli.wrote", lang, path=path) + "\n")
    if fmt == "csv":
        sections = [(table, clusters_csv_table(model, stab, table))]
    else:
        sections = cluster_sections(model, stab, names, lang,
                                    p_max=None if all_categories else 0.10, sensitivity=sens,
                                    headline=headline)
    data = clusters_json(model, stab, sens, lang, headline=headline) if fmt == "json" else None
    emit(render_sections(sections, fmt, label=label or "tab:clusters", caption=caption,
                         lang=lang, json_data=data), output, lang)
    summary = model.summary()
    sys.stderr.write(text("cli.clusters_summary", lang, n=len(model.labels_),
                          supplementary=len(model.supplementary_placements_),
                          min_known=model.min_known, ncp=summary["ncp"],
                          rule=summary["rule"], k=summary["n_clusters"],
                          passive=", ".join(summary["passive_categories"]) or "-") + "\n")


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
    fmt: Format = "table",
    lang: Lang = "en",
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
        from ptce_typology.render.plots import factor_map, save_figure

        figure = factor_map(model, names, lang, roles=frame["role"].to_dict(),
                            extra=model.transform(new), cluster_labels=named)
        sys.stderr.write(text("cli.wrote", lang, path=save_figure(figure, plot)) + "\n")
    if fmt == "json":
        emit(to_json({"cluster_names": {str(c): n for c, n in named.items()},
                      "poles": results}), output, lang)
    elif fmt == "csv":
        emit(render_sections([("classify", classify_csv_frame(results))], "csv"), output, lang)
    else:
        emit(render_sections(classify_sections(results, names, lang, named), fmt,
                             label=label or "tab:classify", caption=caption, lang=lang),
             output, lang)
    flagged = sum(1 for r in results if r["flags"])
    states = [r["placement"] for r in results]
    sys.stderr.write(text("cli.classify_summary", lang, n=len(results),
                          temoins=len(model.labels_), k=model.hcpc_.n_clusters_,
                          flagged=flagged, determined=states.count("determined"),
                          undetermined=states.count("undetermined"),
                          outside=states.count("outside")) + "\n")
