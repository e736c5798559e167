"""Groups of poles: ``ptce compare`` (exact tests) and ``ptce qca``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal, Optional  # noqa: UP035

import typer

from ptce_typology.cli.app import command, emit
from ptce_typology.cli.options import (
    Caption,
    Cases,
    Data,
    Format,
    Label,
    Lang,
    Output,
    Paper,
    ReferenceYear,
)
from ptce_typology.columns import CATEGORY_COLUMNS, NUMERIC_COLUMNS
from ptce_typology.errors import PtceError
from ptce_typology.render.labels import text
from ptce_typology.vocabulary import DEFAULT_REFERENCE_YEAR


def _cases_or_data(cases: Optional[list[Path]], data: Optional[Path],  # noqa: UP045
                   reference_year: int = DEFAULT_REFERENCE_YEAR):
    if data is not None:
        if cases:
            raise PtceError("give --cases or --data, not both", field="--data")
        from ptce_typology.intake.loading import read_data_table

        return read_data_table(data)
    from ptce_typology.frame import load_frame

    return load_frame(cases, reference_year=reference_year)


@command("compare")
def compare_cmd(
    by: Annotated[str, typer.Option(
        "--by", help="The descriptor that makes the groups: one of "
                     f"{', '.join(CATEGORY_COLUMNS)} (with --data: a column of that "
                     "table).")] = "laureate_2013",
    cases: Cases = None,
    data: Data = None,
    correction: Annotated[Literal["holm", "bh", "none"], typer.Option(
        "--correction", help="Adjustment of the p-values across descriptors.")] = "holm",
    reference_year: ReferenceYear = DEFAULT_REFERENCE_YEAR,
    fmt: Format = "table",
    lang: Lang = "en",
    paper: Paper = "a4",
    output: Output = None,
    caption: Caption = None,
    label: Label = None,
) -> None:
    """Compare two groups of poles (by default the 2013-14 laureates and the others) on every
    other descriptor, with exact tests and effect sizes.

    Example: ptce compare --format latex -o laureates.tex
    """
    from ptce_typology.analysis.comparison import compare_groups
    from ptce_typology.render import comparison as shown_comparison
    from ptce_typology.render.formats import render_frame

    frame = _cases_or_data(cases, data, reference_year)
    result = compare_groups(frame, by=by, correction=correction)
    if fmt == "csv":
        shown = shown_comparison.comparison_tidy(result)
    else:
        shown = shown_comparison.comparison_table(result, lang)
    emit(render_frame(shown, fmt, title=caption or shown_comparison.caption(result, lang),
                      paper=paper, label=label or "tab:compare", index=fmt != "csv", lang=lang,
                      json_data=shown_comparison.comparison_json(result)), output, lang)
    note = shown_comparison.min_p_sentence(result, lang)
    if note and (fmt not in ("table", "md") or output is not None):
        sys.stderr.write(note + "\n")
    for reason in sorted(set(result["left_out_reasons"].values())):
        poles = [p for p, r in result["left_out_reasons"].items() if r == reason]
        sys.stderr.write(text("compare.left_out", lang, by=by, reason=reason,
                              poles=", ".join(poles)) + "\n")  # keys on stderr, as --by


@command("qca")
def qca_cmd(
    outcome: Annotated[str, typer.Option(
        "--outcome", help="The outcome: column, column=value or column>=x; the column one "
                          f"of {', '.join(CATEGORY_COLUMNS + NUMERIC_COLUMNS)}.")],
    conditions: Annotated[str, typer.Option(
        "--conditions",
        help="Comma-separated conditions: column (0/1 or yes/no), column=value, column>=x; "
             "prefix NAME: to name one (CIT:origin=citizen_associative).")],
    cases: Cases = None,
    data: Data = None,
    incl_cut: Annotated[float, typer.Option(
        "--incl-cut", min=0.0, max=1.0, help="Inclusion cut for OUT = 1 (R's 1).")] = 1.0,
    incl_cut0: Annotated[Optional[float], typer.Option(  # noqa: UP045
        "--incl-cut0", min=0.0, max=1.0,
        help="Inclusion below which OUT = 0 (default: --incl-cut).")] = None,
    n_cut: Annotated[int, typer.Option("--n-cut", min=1, max=1_000_000,
                                       help="Fewer cases make a remainder.")] = 1,
    reference_year: ReferenceYear = DEFAULT_REFERENCE_YEAR,
    dir_exp: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--dir-exp", help="Directional expectations, one per condition in order, "
                          "comma-separated: 1, 0 or - (adds the intermediate solution, as R's "
                          "dir.exp).")] = None,
    fuzzy: Annotated[bool, typer.Option(
        "--fuzzy", help="Read plain numeric columns of --data as fuzzy memberships in "
                        "[0, 1] (fuzzy-set QCA).")] = False,
    pri_cut: Annotated[float, typer.Option(
        "--pri-cut", min=0.0, max=1.0, help="PRI below which OUT = 0 (R's pri.cut).")] = 0.0,
    fmt: Format = "table",
    lang: Lang = "en",
    paper: Paper = "a4",
    output: Output = None,
    caption: Caption = None,
    label: Label = None,
) -> None:
    """Crisp-set QCA as R's QCA package does it: truth table, complex and parsimonious
    solutions with every equally minimal model, fit and necessity.

    Example: ptce qca --outcome laureate_2013 --conditions 'DEIND:territory=deindustrialised'
    """
    from ptce_typology.analysis.qca import qca
    from ptce_typology.render.formats import render_sections
    from ptce_typology.render.labels import text
    from ptce_typology.render.qca import qca_json, qca_sections, solution_lines

    frame = _cases_or_data(cases, data, reference_year)
    result = qca(frame, outcome, [c for c in conditions.split(",") if c.strip()],
                 incl_cut=incl_cut, incl_cut0=incl_cut0, n_cut=n_cut, pri_cut=pri_cut,
                 dir_exp=None if dir_exp is None else [v.strip() for v in dir_exp.split(",")],
                 fuzzy=fuzzy)
    emit(render_sections(qca_sections(result, lang), fmt, paper=paper, label=label or "tab:qca",
                         caption=caption, lang=lang, json_data=qca_json(result)), output, lang)
    for line in solution_lines(result, lang):
        sys.stderr.write(line + "\n")
    if result.left_out:
        sys.stderr.write(text("qca.left_out", lang, poles=", ".join(map(str, result.left_out)))
                         + "\n")
