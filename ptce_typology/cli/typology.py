"""The statistical typology: ``ptce clusters`` and ``ptce classify``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal, Optional  # noqa: UP035

import typer

from ptce_typology.cli.app import command, emit, split
from ptce_typology.cli.options import (
    Active,
    Cases,
    Consolidation,
    Format,
    K,
    Lang,
    Ncp,
    Output,
    Resamples,
    Rule,
    Seed,
    Supplementary,
)


def _model(active, supplementary, ncp, k, rule, consolidation, seed):
    from ptce_typology.analysis.typology import DEFAULT_ACTIVE, DEFAULT_SUPPLEMENTARY, Typology

    return Typology(active=split(active) or DEFAULT_ACTIVE,
                    supplementary=DEFAULT_SUPPLEMENTARY if supplementary is None
                    else split(supplementary, "--supplementary"),
                    ncp=ncp, n_clusters=k, rule=rule, consolidation=consolidation, seed=seed)


@command("clusters")
def clusters_cmd(
    cases: Cases = None,
    active: Active = None,
    supplementary: Supplementary = None,
    ncp: Ncp = 5,
    k: K = None,
    rule: Rule = "within_ratio",
    consolidation: Consolidation = "hartigan-wong",
    seed: Seed = 0,
    resamples: Resamples = None,
    all_categories: Annotated[bool, typer.Option(
        "--all-categories", help="Describe every category, not only p <= 0.10.")] = False,
    plot: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--plot", help="Write the factor map to FILE.png|svg|pdf, and FILE_dendrogram "
                       "and FILE_gains beside it.")] = None,
    fmt: Format = "table",
    lang: Lang = "en",
    output: Output = None,
) -> None:
    """Statistical typology: MCA of the descriptors, Ward clustering on the first ncp
    dimensions (FactoMineR's HCPC), cluster description and stability.

    Example: ptce clusters --ncp 5 --seed 1 --plot map.png --format md
    """
    from ptce_typology.analysis.stability import stability
    from ptce_typology.frame import load_frame
    from ptce_typology.render.formats import render_sections
    from ptce_typology.render.typology import cluster_csv_frame, cluster_sections, clusters_json

    frame = load_frame(cases)
    model = _model(active, supplementary, ncp, k, rule, consolidation, seed).fit(frame)
    stab = None if resamples == 0 else stability(model, n_resamples=resamples, seed=seed)
    names = frame["name"].to_dict()
    if plot is not None:
        from ptce_typology.render.plots import cluster_figures

        for path in cluster_figures(model, names, plot, lang):
            sys.stderr.write(f"wrote {path}\n")
    if fmt == "csv":
        sections = [("clusters", cluster_csv_frame(model, stab))]
    else:
        sections = cluster_sections(model, stab, names, lang,
                                    p_max=None if all_categories else 0.10)
    emit(render_sections(sections, fmt, label="tab:clusters",
                         json_data=clusters_json(model, stab)), output)
    summary = model.summary()
    sys.stderr.write(f"{len(frame)} poles, ncp = {summary['ncp']}, rule = {summary['rule']}: "
                     f"{summary['n_clusters']} clusters\n")


@command("classify")
def classify_cmd(
    files: Annotated[list[Path], typer.Argument(
        help="Case files (YAML) or tables of new poles.")],
    cases: Cases = None,
    active: Active = None,
    ncp: Ncp = 5,
    k: K = None,
    rule: Rule = "within_ratio",
    consolidation: Consolidation = "hartigan-wong",
    fmt: Annotated[Literal["table", "md", "csv", "json"], typer.Option(
        "--format", "-f", help="Output format.")] = "table",
    lang: Lang = "en",
    output: Output = None,
) -> None:
    """Place new poles against the typology of the témoins: cluster, distances, nearest
    témoins with what they share, typicality, projection quality and flags.

    Example: ptce classify data/examples/le_periscope.yaml
    """
    from ptce_typology.frame import load_frame
    from ptce_typology.render.formats import render_sections, to_json
    from ptce_typology.render.typology import classify_csv_frame, classify_sections

    frame = load_frame(cases)
    new = load_frame(files)
    model = _model(active, None, ncp, k, rule, consolidation, 0).fit(frame)
    results = model.classify(new)
    if fmt == "json":
        emit(to_json(results), output)
    elif fmt == "csv":
        emit(render_sections([("classify", classify_csv_frame(results))], "csv"), output)
    else:
        names = {**frame["name"].to_dict(), **new["name"].to_dict()}
        emit(render_sections(classify_sections(results, names, lang), fmt), output)
    flagged = sum(1 for r in results if r["flags"])
    sys.stderr.write(f"{len(results)} pole(s) classified against {len(frame)} témoins "
                     f"({model.hcpc_.n_clusters_} clusters); {flagged} with flags\n")
