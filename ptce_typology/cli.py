"""The ``ptce`` command line: each command parses its options, calls one library function and
renders the result. Data goes to stdout, diagnostics to stderr; a user error is one line on
stderr with exit code 1 (``--debug`` shows the traceback).
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any, Callable, Literal, Optional  # noqa: UP035

import typer

from ptce_typology import __version__
from ptce_typology.errors import PtceError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Typology of French PTCE (Pôles Territoriaux de Coopération Économique): sourced case "
         "files, the 2014 paper's typology reproduced, statistical typology, classification.\n\n"
         "Example: ptce list --format csv > poles.csv",
)

_state = {"debug": False}
LANGS = ("fr", "en")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ptce-typology {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of errors."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    _state["debug"] = debug


def command(*args: Any, **kwargs: Any) -> Callable:
    """Register a command behind the one error boundary."""

    def decorator(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*a: Any, **kw: Any) -> Any:
            try:
                return func(*a, **kw)
            except PtceError as err:
                if _state["debug"]:
                    raise
                sys.stderr.write(f"error: {err}\n")
                raise typer.Exit(1) from None

        return app.command(*args, **kwargs)(wrapper)

    return decorator


Lang = Literal["fr", "en"]
TableFormat = Literal["table", "md", "latex", "csv", "json", "xlsx"]


def fmt_option(default: str = "table") -> Any:
    return typer.Option(default, "--format", "-f", help="Output format.")


def lang_option() -> Any:
    return typer.Option("en", "--lang", help="Language of the labels.")


def output_option() -> Any:
    return typer.Option(None, "--output", "-o", help="Write to this file instead of stdout.",
                        dir_okay=False)


def cases_option() -> Any:
    return typer.Option(None, "--cases", "-c",
                        help="Case files, folders or CSV/XLSX tables (repeatable); default: the "
                             "twelve bundled témoin poles.")


def emit(data: str | bytes, output: Optional[Path]) -> None:  # noqa: UP045
    """Write rendered output to ``output`` (atomically) or to stdout."""
    from ptce_typology.export import atomic_write

    if output is not None:
        atomic_write(output, data)
        sys.stderr.write(f"wrote {output}\n")
    elif isinstance(data, bytes):
        raise PtceError("this format is binary; give an output file", field="--output",
                        value=None)
    else:
        sys.stdout.write(data)


# Foundation ------------------------------------------------------------------------------------


@command("validate")
def validate_cmd(
    paths: Optional[list[Path]] = typer.Argument(  # noqa: UP045
        None, help="Case files, folders or tables; default: the bundled cases."),
    fmt: Literal["table", "json", "csv"] = fmt_option(),
) -> None:
    """Check case files and report every problem, each with file, line, field and code.

    Exit code 0 when clean, 1 when not.

    Example: ptce validate data/cases data/examples/le_periscope.yaml
    """
    from ptce_typology.resources import cases_dir
    from ptce_typology.validation import validate_paths

    report = validate_paths(paths or [cases_dir()])
    if fmt == "json":
        from ptce_typology.export import to_json

        sys.stdout.write(to_json(report.to_dict()))
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["code", "file", "line", "field", "value", "message", "allowed"])
        for i in report.issues:
            writer.writerow([i.code, i.file, i.line or "", i.field or "", i.value or "",
                             i.message, "|".join(i.allowed)])
    else:
        for issue in report.issues:
            sys.stdout.write(issue.one_line() + "\n")
    state = "valid" if report.ok else f"{len(report.issues)} problem(s)"
    sys.stderr.write(f"{len(report.files)} file(s), {len(report.cases)} case(s): {state}\n")
    if not report.ok:
        raise typer.Exit(1)


@command("list")
def list_cmd(
    cases: Optional[list[Path]] = cases_option(),  # noqa: UP045
    fmt: TableFormat = fmt_option(),
    lang: Lang = lang_option(),
    reference_year: int = typer.Option(2011, help="Year at which the age is computed."),
    output: Optional[Path] = output_option(),  # noqa: UP045
) -> None:
    """One row per pole, one column per descriptor. CSV, JSON and XLSX keep the vocabulary keys
    (the export for R and spreadsheets, and readable back with --cases); the other formats show
    labels.

    Example: ptce list --format csv > poles.csv
    """
    from ptce_typology.export import render_frame
    from ptce_typology.vocabulary import label_frame

    frame = _frame(cases, reference_year)
    shown = frame if fmt in ("csv", "json", "xlsx") else label_frame(frame, lang)
    title = {"fr": "Pôles", "en": "Poles"}[lang]
    emit(render_frame(shown, fmt, title=title, label="tab:poles"), output)


@command("show")
def show_cmd(
    pole_id: str = typer.Argument(..., help="The pole_id of the case."),
    cases: Optional[list[Path]] = typer.Option(  # noqa: UP045
        None, "--cases", "-c", help="Where to look; default: the bundled cases and examples."),
    fmt: Literal["table", "json", "md", "csv"] = fmt_option(),
) -> None:
    """Every descriptor of one pole with the sources behind it.

    Example: ptce show paris_mix
    """
    from ptce_typology.casefile import case_json, describe_case
    from ptce_typology.export import render_frame
    from ptce_typology.loading import load_cases
    from ptce_typology.resources import cases_dir, examples_dir

    found = {c.pole_id: c for c in load_cases(cases or [cases_dir(), examples_dir()])}
    if pole_id not in found:
        raise PtceError("no case has this pole_id", field="POLE_ID", value=pole_id,
                        allowed=sorted(found))
    case = found[pole_id]
    if fmt == "json":
        from ptce_typology.export import to_json

        sys.stdout.write(to_json(case_json(case)))
        return
    emit(render_frame(describe_case(case), fmt, title=f"{case.name} ({case.pole_id})"), None)


@command("new")
def new_cmd(
    pole_id: str = typer.Argument(..., help="snake_case id of the new pole."),
    output_dir: Path = typer.Option(Path("."), "--output-dir", "-o", file_okay=False,
                                    help="Folder to write POLE_ID.yaml in."),
) -> None:
    """Write a commented template for a new case; never overwrites an existing file.

    Example: ptce new my_pole -o cases/
    """
    from ptce_typology.casefile import write_new_case

    target = write_new_case(pole_id, output_dir)
    sys.stderr.write(f"wrote {target}; fill it in, then run: ptce validate {target}\n")


@command("schema")
def schema_cmd(output: Optional[Path] = output_option()) -> None:  # noqa: UP045
    """Print the JSON Schema of a case file, for editors that validate while typing.

    Example: ptce schema -o ptce-case.schema.json
    """
    from ptce_typology.export import to_json
    from ptce_typology.schema import case_json_schema

    emit(to_json(case_json_schema()), output)


# The paper's typology -------------------------------------------------------------------------


def _frame(cases: Optional[list[Path]], reference_year: int = 2011):  # noqa: UP045
    from ptce_typology.loading import load_frame

    return load_frame(cases, reference_year=reference_year)


def _csv_ready(table):
    """Tuples of pole ids become `;`-joined text for CSV."""
    out = table.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, tuple)).any():
            out[column] = out[column].map(lambda v: ";".join(v) if isinstance(v, tuple) else v)
    return out


@command("typology")
def typology_cmd(
    cases: Optional[list[Path]] = cases_option(),  # noqa: UP045
    by: Optional[str] = typer.Option(  # noqa: UP045
        None, "--by", help="Cross-tabulate --descriptor (default territory) against this one."),
    descriptor: Optional[list[str]] = typer.Option(  # noqa: UP045
        None, "--descriptor", "-d",
        help="Descriptors to tabulate (repeatable); default: the paper's typology."),
    fmt: TableFormat = fmt_option(),
    lang: Lang = lang_option(),
    reference_year: int = typer.Option(2011, help="Year at which the age is computed."),
    output: Optional[Path] = output_option(),  # noqa: UP045
) -> None:
    """The paper's typology: for each descriptor, the count and share of poles in each category
    and the poles in it; `unknown` is a row of its own.

    Example: ptce typology --by sector --descriptor territory --format latex -o territory.tex
    """
    from ptce_typology import tables
    from ptce_typology.export import render_frame

    frame = _frame(cases, reference_year)
    names = frame["name"].to_dict()
    if by:
        row = descriptor[0] if descriptor else "territory"
        table = tables.crosstab_table(frame, row, by)
        json_data = tables.crosstab_json(table, lang)
        shown = _csv_ready(table) if fmt == "csv" else tables.display_crosstab(table, lang)
        title = {"en": "Cross-table", "fr": "Tableau croisé"}[lang]
    else:
        chosen = tuple(descriptor) if descriptor else tables.TYPOLOGY_DESCRIPTORS
        table = tables.typology_table(frame, chosen)
        json_data = tables.typology_json(table, frame, lang)
        shown = _csv_ready(table) if fmt == "csv" else tables.display_typology(table, names,
                                                                               lang)
        title = {"en": f"Typology of the {len(frame)} poles",
                 "fr": f"Typologie des {len(frame)} pôles"}[lang]
    emit(render_frame(shown, fmt, title=title, label="tab:typology", json_data=json_data),
         output)


@command("reproduce")
def reproduce_cmd(
    cases: Optional[list[Path]] = cases_option(),  # noqa: UP045
    claims: Optional[Path] = typer.Option(  # noqa: UP045
        None, "--claims", help="A claims file of the same shape; default: the paper's."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 if any claim is a mismatch."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show every note."),
    fmt: TableFormat = fmt_option(),
    lang: Lang = lang_option(),
    output: Optional[Path] = output_option(),  # noqa: UP045
) -> None:
    """Every figure the paper publishes about the twelve, computed from the case data:
    match, mismatch, or not computable because of unknowns.

    Example: ptce reproduce --format md --lang fr
    """
    from ptce_typology.claims import display_claims, load_claims, reproduce_claims
    from ptce_typology.export import render_frame

    frame = _frame(cases)
    table = reproduce_claims(frame, load_claims(claims), lang=lang)
    json_data = table.reset_index().to_dict(orient="records")
    shown = _csv_ready(table) if fmt == "csv" else display_claims(
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


# Statistical typology -------------------------------------------------------------------------


def _split(value: Optional[str]) -> Optional[tuple[str, ...]]:  # noqa: UP045
    if value is None:
        return None
    return tuple(v.strip() for v in value.split(",") if v.strip())


def _model_options(active: Optional[str], supplementary: Optional[str], ncp: int,  # noqa: UP045
                   k: Optional[int], rule: str, consolidation: str, seed: int):  # noqa: UP045
    from ptce_typology.classification import DEFAULT_ACTIVE, DEFAULT_SUPPLEMENTARY, Typology

    return Typology(active=_split(active) or DEFAULT_ACTIVE,
                    supplementary=DEFAULT_SUPPLEMENTARY if supplementary is None
                    else _split(supplementary),
                    ncp=ncp, n_clusters=k, rule=rule, consolidation=consolidation, seed=seed)


ACTIVE_HELP = ("Active descriptors, comma-separated (columns of `ptce list --format csv`); "
               "default: age_class,origin,territory,sector,shared_premises,employer_group.")
SUP_HELP = "Supplementary descriptors, comma-separated; default: laureate_2013; '' for none."


@command("clusters")
def clusters_cmd(
    cases: Optional[list[Path]] = cases_option(),  # noqa: UP045
    active: Optional[str] = typer.Option(None, "--active", help=ACTIVE_HELP),  # noqa: UP045
    supplementary: Optional[str] = typer.Option(  # noqa: UP045
        None, "--supplementary", help=SUP_HELP),
    ncp: int = typer.Option(5, "--ncp", help="MCA dimensions kept for the clustering."),
    k: Optional[int] = typer.Option(None, "--k", help="A fixed number of clusters."),  # noqa: UP045
    rule: Literal["within_ratio", "gain_ratio"] = typer.Option(
        "within_ratio", "--rule",
        help="Automatic k: FactoMineR 2.7's within_ratio or 2.14's gain_ratio."),
    consolidation: Literal["hartigan-wong", "lloyd", "none"] = typer.Option(
        "hartigan-wong", "--consolidation", help="k-means consolidation (R's default first)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the stability resampling."),
    resamples: Optional[int] = typer.Option(  # noqa: UP045
        None, "--resamples", help="Bootstrap refits (default 200 up to 500 poles; 0: none)."),
    all_categories: bool = typer.Option(False, "--all-categories",
                                        help="Describe every category, not only p <= 0.10."),
    plot: Optional[Path] = typer.Option(  # noqa: UP045
        None, "--plot", help="Write the factor map to FILE.png|svg|pdf, and FILE_dendrogram "
                             "and FILE_gains beside it."),
    fmt: Literal["table", "md", "latex", "csv", "json", "xlsx"] = fmt_option(),
    lang: Lang = lang_option(),
    output: Optional[Path] = output_option(),  # noqa: UP045
) -> None:
    """Statistical typology: MCA of the descriptors, Ward clustering on the first ncp
    dimensions (FactoMineR's HCPC), cluster description and stability.

    Example: ptce clusters --ncp 5 --seed 1 --plot map.png --format md
    """
    from ptce_typology.classification import cluster_sections, clusters_json
    from ptce_typology.export import render_sections
    from ptce_typology.stability import stability

    frame = _frame(cases)
    model = _model_options(active, supplementary, ncp, k, rule, consolidation, seed).fit(frame)
    stab = None if resamples == 0 else stability(model, n_resamples=resamples, seed=seed)
    names = frame["name"].to_dict()
    if plot is not None:
        from ptce_typology.plots import cluster_figures

        for path in cluster_figures(model, names, plot, lang):
            sys.stderr.write(f"wrote {path}\n")
    sections = cluster_sections(model, stab, names, lang,
                                p_max=None if all_categories else 0.10)
    if fmt == "csv":
        table = model.cluster_table()
        if stab is not None:
            table = table.join(stab["poles"][["bootstrap_stay", "loo_stay"]])
        sections = [("clusters", table)]
    emit(render_sections(sections, fmt, label="tab:clusters",
                         json_data=clusters_json(model, stab)), output)
    summary = model.summary()
    sys.stderr.write(f"{len(frame)} poles, ncp = {summary['ncp']}, rule = {summary['rule']}: "
                     f"{summary['n_clusters']} clusters\n")


@command("classify")
def classify_cmd(
    files: list[Path] = typer.Argument(..., help="Case files (YAML) or tables of new poles."),
    cases: Optional[list[Path]] = cases_option(),  # noqa: UP045
    active: Optional[str] = typer.Option(None, "--active", help=ACTIVE_HELP),  # noqa: UP045
    ncp: int = typer.Option(5, "--ncp", help="MCA dimensions kept for the clustering."),
    k: Optional[int] = typer.Option(None, "--k", help="A fixed number of clusters."),  # noqa: UP045
    rule: Literal["within_ratio", "gain_ratio"] = typer.Option(
        "within_ratio", "--rule", help="Automatic k rule, as for `ptce clusters`."),
    consolidation: Literal["hartigan-wong", "lloyd", "none"] = typer.Option(
        "hartigan-wong", "--consolidation", help="k-means consolidation."),
    fmt: Literal["table", "md", "csv", "json"] = fmt_option(),
    lang: Lang = lang_option(),
    output: Optional[Path] = output_option(),  # noqa: UP045
) -> None:
    """Place new poles against the typology of the témoins: cluster, distances, nearest
    témoins with what they share, typicality, projection quality and flags.

    Example: ptce classify data/examples/le_periscope.yaml
    """
    from ptce_typology.classification import (
        classify_csv_frame,
        classify_sections,
    )
    from ptce_typology.export import render_sections, to_json
    from ptce_typology.loading import load_frame

    frame = _frame(cases)
    new = load_frame(files)
    model = _model_options(active, None, ncp, k, rule, consolidation, 0).fit(frame)
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


# Laureates and QCA -----------------------------------------------------------------------------


def _cases_or_data(cases: Optional[list[Path]], data: Optional[Path]):  # noqa: UP045
    if data is not None:
        if cases:
            raise PtceError("give --cases or --data, not both", field="--data")
        from ptce_typology.loading import read_data_table

        return read_data_table(data)
    return _frame(cases)


@command("compare")
def compare_cmd(
    by: str = typer.Option("laureate_2013", "--by", help="The descriptor that makes the groups."),
    cases: Optional[list[Path]] = cases_option(),  # noqa: UP045
    data: Optional[Path] = typer.Option(  # noqa: UP045
        None, "--data", help="Any CSV with one row per case (first column: the id)."),
    correction: Literal["holm", "bh", "none"] = typer.Option(
        "holm", "--correction", help="Adjustment of the p-values across descriptors."),
    fmt: TableFormat = fmt_option(),
    lang: Lang = lang_option(),
    output: Optional[Path] = output_option(),  # noqa: UP045
) -> None:
    """Compare two groups of poles (by default the 2013-14 laureates and the others) on every
    other descriptor, with exact tests and effect sizes.

    Example: ptce compare --format latex -o laureates.tex
    """
    from ptce_typology.comparison import (
        compare_groups,
        comparison_json,
        comparison_table,
        min_p_sentence,
    )
    from ptce_typology.export import render_frame

    frame = _cases_or_data(cases, data)
    result = compare_groups(frame, by=by, correction=correction)
    json_data = comparison_json(result)
    if fmt == "csv":
        shown = result["tests"]
    else:
        shown = comparison_table(result, lang)
    title = {"en": f"Comparison by {by}", "fr": f"Comparaison selon {by}"}[lang]
    rendered = render_frame(shown, fmt, title=title, label="tab:compare", json_data=json_data)
    note = min_p_sentence(result, lang)
    if fmt in ("table", "md") and note:
        rendered += f"\n{note}\n"
    emit(rendered, output)
    if note and (fmt not in ("table", "md") or output is not None):
        sys.stderr.write(note + "\n")
    if result["left_out"]:
        sys.stderr.write(f"left out ({by} unknown): {', '.join(result['left_out'])}\n")


@command("qca")
def qca_cmd(
    outcome: str = typer.Option(..., "--outcome",
                                help="The outcome: column, column=value or column>=x."),
    conditions: str = typer.Option(
        ..., "--conditions",
        help="Comma-separated conditions: column (0/1 or yes/no), column=value, column>=x; "
             "prefix NAME: to name one (CIT:origin=citizen_associative)."),
    cases: Optional[list[Path]] = cases_option(),  # noqa: UP045
    data: Optional[Path] = typer.Option(  # noqa: UP045
        None, "--data", help="Any CSV with one row per case (first column: the id)."),
    incl_cut: float = typer.Option(1.0, "--incl-cut", help="Inclusion cut for OUT = 1 (R's 1)."),
    incl_cut0: Optional[float] = typer.Option(  # noqa: UP045
        None, "--incl-cut0", help="Inclusion below which OUT = 0 (default: --incl-cut)."),
    n_cut: int = typer.Option(1, "--n-cut", help="Fewer cases make a remainder."),
    fmt: TableFormat = fmt_option(),
    output: Optional[Path] = output_option(),  # noqa: UP045
) -> None:
    """Crisp-set QCA as R's QCA package does it: truth table, complex and parsimonious
    solutions with every equally minimal model, fit and necessity.

    Example: ptce qca --outcome laureate_2013 --conditions DI:territory=deindustrialised,OLD:age>10
    """
    from ptce_typology.qca import qca, qca_json, qca_sections

    frame = _cases_or_data(cases, data)
    result = qca(frame, outcome, [c for c in conditions.split(",") if c.strip()],
                 incl_cut=incl_cut, incl_cut0=incl_cut0, n_cut=n_cut)
    from ptce_typology.export import render_sections

    emit(render_sections(qca_sections(result), fmt, label="tab:qca",
                         json_data=qca_json(result)), output)
    for kind, models in result.solutions.items():
        sys.stderr.write(f"{kind}: " + (" | ".join(models) or "no solution") + "\n")
    if result.left_out:
        sys.stderr.write(f"left out (unknown values): {', '.join(map(str, result.left_out))}\n")


# Référentiel ------------------------------------------------------------------------------------


@command("referentiel")
def referentiel_cmd(
    referentiel: Optional[Path] = typer.Option(  # noqa: UP045
        None, "--referentiel", help="A copy of data/referentiel.yaml with your own rules."),
    fmt: Literal["table", "md", "json"] = fmt_option(),
    lang: Lang = lang_option(),
) -> None:
    """The référentiel of a PTCE: 3 general objectives, 9 main objectives, the indicator
    counts, and the legal and Labo definitions, each with its source.

    Example: ptce referentiel --lang fr --format md
    """
    from ptce_typology.export import render_sections, to_json
    from ptce_typology.referentiel import load_referentiel, referentiel_json, referentiel_tree

    ref = load_referentiel(referentiel)
    if fmt == "json":
        emit(to_json(referentiel_json(ref)), None)
        return
    import pandas as pd

    texts = pd.DataFrame({"text": [t.fr if lang == "fr" else t.en for t in ref.reference_texts],
                          "sources": [", ".join(t.sources) for t in ref.reference_texts]},
                         index=pd.Index([t.id for t in ref.reference_texts], name="id"))
    sources = pd.DataFrame({"citation": [s.citation for s in ref.sources],
                            "url": [s.url or "" for s in ref.sources]},
                           index=pd.Index([s.id for s in ref.sources], name="id"))
    title = {"fr": "Référentiel d'un PTCE", "en": "The référentiel of a PTCE"}[lang]
    emit(render_sections([(title, referentiel_tree(ref, lang).set_index("level")),
                          ({"fr": "Textes de référence", "en": "Reference texts"}[lang], texts),
                          ("Sources", sources)], fmt), None)


@command("gap")
def gap_cmd(
    cases: Optional[list[Path]] = cases_option(),  # noqa: UP045
    referentiel: Optional[Path] = typer.Option(  # noqa: UP045
        None, "--referentiel", help="A copy of data/referentiel.yaml with your own rules."),
    plot: Optional[Path] = typer.Option(  # noqa: UP045
        None, "--plot", help="Write the heat map to FILE.png|svg|pdf."),
    fmt: TableFormat = fmt_option(),
    lang: Lang = lang_option(),
    output: Optional[Path] = output_option(),  # noqa: UP045
) -> None:
    """The gap between the PTCE concept and practice: for each pole and main objective,
    evidenced, not evidenced or unknown, with the descriptors behind each cell.

    Example: ptce gap --plot gap.png --format md
    """
    from ptce_typology.export import render_sections
    from ptce_typology.loading import cases_frame, load_cases
    from ptce_typology.referentiel import (
        gap_heatmap,
        gap_json,
        gap_matrix,
        gap_sections,
        load_referentiel,
    )

    loaded = load_cases(cases)
    frame = cases_frame(loaded)
    ref = load_referentiel(referentiel)
    result = gap_matrix(loaded, frame, ref)
    names = frame["name"].to_dict()
    if plot is not None:
        from ptce_typology.plots import save_figure

        sys.stderr.write(f"wrote {save_figure(gap_heatmap(result, ref, names, lang), plot)}\n")
    if fmt == "csv":
        sections = [("gap", result["status"])]
    else:
        sections = gap_sections(result, ref, names, lang)
    emit(render_sections(sections, fmt, label="tab:gap", json_data=gap_json(result, ref)),
         output)


# Report ----------------------------------------------------------------------------------------


@command("report")
def report_cmd(
    output: Path = typer.Option(..., "--output", "-o", dir_okay=False,
                                help="The HTML file to write."),
    cases: Optional[list[Path]] = cases_option(),  # noqa: UP045
    classify: Optional[list[Path]] = typer.Option(  # noqa: UP045
        None, "--classify", help="New poles to place against the typology (repeatable)."),
    lang: Lang = lang_option(),
    seed: int = typer.Option(0, "--seed", help="Seed of every random step."),
    resamples: Optional[int] = typer.Option(  # noqa: UP045
        None, "--resamples", help="Bootstrap refits for the stability (default 200)."),
    ncp: int = typer.Option(5, "--ncp", help="MCA dimensions kept for the clustering."),
    k: Optional[int] = typer.Option(None, "--k", help="A fixed number of clusters."),  # noqa: UP045
) -> None:
    """The whole study in one self-contained HTML file (figures inline, no network access):
    data and sources, typology, reproduction, clusters, classification, comparison, QCA,
    référentiel gap and a reproducibility footer.

    Example: ptce report --classify data/examples/le_periscope.yaml -o report.html
    """
    from rich.progress import Progress

    from ptce_typology.report import STEPS, build_report

    if not (output.parent if str(output.parent) else Path(".")).is_dir():
        raise PtceError("the output folder does not exist; create it first", file=str(output))
    with Progress(transient=True, disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task("report", total=len(STEPS))

        def on_step(name: str) -> None:
            progress.update(task, advance=1, description=name)

        text = build_report(cases, classify or (), lang=lang, seed=seed, resamples=resamples,
                            n_clusters=k, ncp=ncp, on_step=on_step)
    emit(text, output)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
