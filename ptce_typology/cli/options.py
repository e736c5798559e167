"""Options shared by several commands, declared once (``Annotated`` aliases)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, Optional  # noqa: UP035

import typer

Lang = Annotated[Literal["fr", "en"], typer.Option("--lang", help="Language of the labels.")]
TableFormat = Literal["table", "md", "latex", "csv", "json", "xlsx", "docx"]
Format = Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")]
Output = Annotated[Optional[Path], typer.Option(  # noqa: UP045
    "--output", "-o", help="Write to this file instead of stdout.", dir_okay=False)]
Cases = Annotated[Optional[list[Path]], typer.Option(  # noqa: UP045
    "--cases", "-c", help="Case files, folders or CSV/XLSX tables (repeatable); 'all': every "
                          "bundled pole (the twelve témoins and the other PTCE); default: the "
                          "twelve témoins.")]
Data = Annotated[Optional[Path], typer.Option(  # noqa: UP045
    "--data", help="Any CSV with one row per case (first column: the id).")]
ReferenceYear = Annotated[int, typer.Option(
    "--reference-year", min=1800, max=2100, help="Year at which the age is computed.")]
Active = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--active", help="Active descriptors, comma-separated (columns of `ptce list --format "
                     "csv`); default: age_class,origin,territory,sector,shared_premises,"
                     "employer_group.")]
Supplementary = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--supplementary", help="Supplementary descriptors, comma-separated; default: "
                            "laureate_2013; '' for none.")]
Ncp = Annotated[int, typer.Option("--ncp", min=1, max=1000,
                                  help="MCA dimensions kept for the clustering.")]
K = Annotated[Optional[int], typer.Option(  # noqa: UP045
    "--k", min=2, max=1000, help="A fixed number of clusters (default: the --rule).")]
Rule = Annotated[Literal["within_ratio", "gain_ratio"], typer.Option(
    "--rule", help="Automatic k: FactoMineR 2.7's within_ratio or 2.14's gain_ratio.")]
Consolidation = Annotated[Literal["hartigan-wong", "lloyd", "none"], typer.Option(
    "--consolidation", help="k-means consolidation of the Ward partition (R's default first).")]
Seed = Annotated[int, typer.Option("--seed", min=0, max=2**32 - 1,
                                   help="Seed of every random step (0 to 2**32 - 1).")]
Resamples = Annotated[Optional[int], typer.Option(  # noqa: UP045
    "--resamples", min=0, max=100_000,
    help="Bootstrap refits for the stability (default 200 up to 500 poles; 0: none).")]
Passive = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--passive", help="Passive categories of the specific MCA, comma-separated: "
                      "descriptor=category pairs or bare categories (every descriptor); "
                      "default: unknown,not_started (what no source says shapes no axis); "
                      "'none': the plain MCA.")]
Caption = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--caption", help="Caption of the table (LaTeX, Word, Markdown, terminal); default: a "
                      "caption built from the labels.")]
Label = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--label", help="LaTeX label of the table (tables after the first get :2, :3...).")]
