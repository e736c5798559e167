"""Commands on the case files themselves: validate, list, show, new, schema."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal, Optional  # noqa: UP035

import typer

from ptce_typology.cli.app import command, emit
from ptce_typology.cli.options import Cases, Format, Lang, Output, Paper, ReferenceYear
from ptce_typology.errors import PtceError
from ptce_typology.vocabulary import DEFAULT_REFERENCE_YEAR


@command("validate")
def validate_cmd(
    paths: Annotated[Optional[list[Path]], typer.Argument(  # noqa: UP045
        help="Case files, folders or tables ('all': every bundled pole); default: every "
             "bundled pole and example.")] = None,
    fmt: Annotated[Literal["table", "json", "csv"], typer.Option(
        "--format", "-f", help="Output format.")] = "table",
) -> None:
    """Check case files and report every problem, each with file, line, field and code.

    Exit code 0 when clean, 1 when not. A case table (CSV, XLSX) holds at most 100,000 rows.

    Example: ptce validate data/cases data/examples/le_periscope.yaml
    """
    from ptce_typology.intake.validation import validate_paths
    from ptce_typology.render.formats import issues_text
    from ptce_typology.resources import examples_dir, resolve_paths

    report = validate_paths(resolve_paths(paths) if paths else
                            [*resolve_paths("all"), examples_dir()])
    sys.stdout.write(issues_text(report, fmt))
    state = "valid" if report.ok else f"{len(report.issues)} problem(s)"
    sys.stderr.write(f"{len(report.files)} file(s), {len(report.pole_ids)} case(s): {state}\n")
    if not report.ok:
        raise typer.Exit(1)


# What `ptce list` shows in a terminal by default: the paper's typology and the calls.
READABLE_COLUMNS = ("name", "region", "start_year", "age_class", "origin", "territory",
                    "sector", "laureate_any")


@command("list")
def list_cmd(
    cases: Cases = None,
    fmt: Format = "table",
    lang: Lang = "en",
    paper: Paper = "a4",
    reference_year: ReferenceYear = DEFAULT_REFERENCE_YEAR,
    columns: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--columns", help="Columns to show, comma-separated (see `--format csv` for all), or "
                          "'all'; default: all for csv, json and xlsx, a readable few in the "
                          "terminal, Markdown and LaTeX.")] = None,
    output: Output = None,
) -> None:
    """One row per pole, one column per descriptor. CSV, JSON and XLSX keep the vocabulary keys
    (the export for R and spreadsheets, and readable back with --cases); the other formats show
    labels.

    Example: ptce list --cases all --columns name,region,origin,laureate_any
    """
    from ptce_typology.cli.app import split
    from ptce_typology.frame import load_frame
    from ptce_typology.render.formats import render_frame
    from ptce_typology.render.labels import text
    from ptce_typology.render.poles import poles_json
    from ptce_typology.vocabulary import label_frame

    frame = load_frame(cases, reference_year=reference_year)
    data_format = fmt in ("csv", "json", "xlsx")
    chosen = split(columns, "--columns") if columns and columns != "all" else None
    if chosen is None and not data_format and columns != "all":
        chosen = READABLE_COLUMNS
    if chosen is not None:
        unknown = [c for c in chosen if c not in frame.columns]
        if unknown:
            raise PtceError("no such column", field="--columns", value=", ".join(unknown),
                            allowed=list(frame.columns))
        frame = frame[list(chosen)]
    shown = frame if data_format else label_frame(frame, lang)
    title = text("list.title", lang)
    emit(render_frame(shown, fmt, paper=paper, title=title, label="tab:poles", lang=lang,
                      json_data=poles_json(frame) if fmt == "json" else None), output, lang)


@command("show")
def show_cmd(
    pole_id: Annotated[str, typer.Argument(help="The pole_id of the case.")],
    cases: Annotated[Optional[list[Path]], typer.Option(  # noqa: UP045
        "--cases", "-c", help="Where to look; default: the bundled cases and examples.")] = None,
    fmt: Annotated[Literal["table", "json", "md", "csv", "docx"], typer.Option(
        "--format", "-f", help="Output format.")] = "table",
    lang: Lang = "en",
    paper: Paper = "a4",
    output: Output = None,
) -> None:
    """Every descriptor of one pole with the sources behind it.

    Example: ptce show paris_mix
    """
    from ptce_typology.intake.loading import load_cases
    from ptce_typology.render.casefile import case_json, describe_case
    from ptce_typology.render.formats import render_frame, to_json
    from ptce_typology.resources import examples_dir

    found = {c.pole_id: c for c in load_cases(cases or ["all", examples_dir()])}
    if pole_id not in found:
        raise PtceError("no case has this pole_id", field="POLE_ID", value=pole_id,
                        allowed=sorted(found))
    case = found[pole_id]
    if fmt == "json":
        emit(to_json(case_json(case)), output, lang)
    else:
        emit(render_frame(describe_case(case, lang), fmt, title=f"{case.name} ({case.pole_id})",
                          paper=paper, lang=lang), output, lang)


@command("new")
def new_cmd(
    pole_id: Annotated[str, typer.Argument(help="snake_case id of the new pole.")],
    output_dir: Annotated[Path, typer.Option(
        "--output-dir", "-o", file_okay=False,
        help="Folder to write POLE_ID.yaml in.")] = Path("."),
) -> None:
    """Write a commented template for a new case; never overwrites an existing file.

    Example: ptce new my_pole -o cases/
    """
    from ptce_typology.intake.template import new_case_template
    from ptce_typology.render.write import write_new

    text = new_case_template(pole_id)  # checks POLE_ID first
    target = output_dir / f"{pole_id}.yaml"
    write_new(target, text)
    sys.stderr.write(f"wrote {target}; fill it in, then run: ptce validate {target}\n")


@command("schema")
def schema_cmd(output: Output = None) -> None:
    """Print the JSON Schema of a case file, for editors that validate while typing.

    Example: ptce schema -o ptce-case.schema.json
    """
    from ptce_typology.intake.schema import case_json_schema
    from ptce_typology.render.formats import to_json

    emit(to_json(case_json_schema()), output)
