"""Options shared by several commands, declared once (``Annotated`` aliases), and the
typology's option group (:func:`typology_options`), as sqlite-utils' ``output_options``."""

from __future__ import annotations

import functools
import inspect
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Annotated, Any, Callable, Literal, Optional  # noqa: UP035

import typer

from ptce_typology.analysis.parameters import (
    CONSOLIDATIONS,
    DEFAULT_ACTIVE,
    DEFAULT_CONSOLIDATION,
    DEFAULT_MIN_KNOWN,
    DEFAULT_NCP,
    DEFAULT_PASSIVE,
    DEFAULT_RULE,
    DEFAULT_SEED,
    DEFAULT_SUPPLEMENTARY,
    K_RULES,
)
from ptce_typology.errors import PtceError
from ptce_typology.vocabulary import DEFAULT_REFERENCE_YEAR

Lang = Annotated[Literal["fr", "en"], typer.Option("--lang", help="Language of the labels.")]
TableFormat = Literal["table", "md", "latex", "csv", "json", "xlsx", "docx"]
Format = Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")]
Paper = Annotated[Literal["a4", "letter"], typer.Option(
    "--paper", help="Page of a Word document (--format docx): A4 or US Letter.")]


def output_path(value: str) -> Path | str:
    """An output file as given: a path, or the text itself when it ends with a slash (a
    folder, which the command's output checks refuse; a Path would drop the slash)."""
    return value if value.endswith(("/", os.sep)) else Path(value)


Output = Annotated[Optional[Path], typer.Option(  # noqa: UP045
    "--output", "-o", help="Write to this file instead of stdout.",
    parser=output_path, metavar="<file>")]
Cases = Annotated[Optional[list[Path]], typer.Option(  # noqa: UP045
    "--cases", "-c", help="Case files, folders or CSV/XLSX tables (repeatable); 'all': every "
                          "bundled pole (the twelve témoins and the other PTCE); default: the "
                          "twelve témoins.")]
Reference = Annotated[Optional[list[Path]], typer.Option(  # noqa: UP045
    "--reference", "--cases", "-c",
    help="The poles that form the typology a new pole is placed against: 'temoins' (the "
         "default: the twelve témoins), 'all' (every bundled pole) or case files, folders or "
         "CSV/XLSX tables (repeatable).")]
Sheet = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--sheet", help="The worksheet to read in XLSX case tables (default: the active visible "
                    "one).", metavar="NAME")]
Data = Annotated[Optional[Path], typer.Option(  # noqa: UP045
    "--data", help="Any CSV with one row per case (first column: the id).")]
ReferenceYear = Annotated[int, typer.Option(
    "--reference-year", min=1800, max=2100, help="Year at which the age is computed.")]
Active = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--active", help="Active descriptors, comma-separated (columns of `ptce list --format "
                     f"csv`); default: {', '.join(DEFAULT_ACTIVE)}.")]
Supplementary = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--supplementary", help="Supplementary descriptors, comma-separated; default: "
                            f"{', '.join(DEFAULT_SUPPLEMENTARY)}; '' for none.")]
Ncp = Annotated[int, typer.Option("--ncp", min=1, max=1000,
                                  help="MCA dimensions kept for the clustering.")]
K = Annotated[Optional[int], typer.Option(  # noqa: UP045
    "--k", min=2, max=1000, help="A fixed number of clusters (default: the --rule).")]
Rule = Annotated[Literal[K_RULES], typer.Option(
    "--rule", help="Automatic k. gain_ratio (default) reproduces FactoMineR 2.14's HCPC: k in "
                   "[min+1, max+1] maximising gain(k-1)/gain(k); within_ratio reproduces "
                   "FactoMineR 2.7 (1.34 to 2.12): k in [min, max] minimising "
                   "within(k)/within(k-1).")]
Consolidation = Annotated[Literal[CONSOLIDATIONS], typer.Option(
    "--consolidation", help="k-means consolidation of the Ward partition (R's default first).")]
Seed = Annotated[int, typer.Option("--seed", min=0, max=2**32 - 1,
                                   help="Seed of every random step (0 to 2**32 - 1).")]
Resamples = Annotated[Optional[int], typer.Option(  # noqa: UP045
    "--resamples", min=0, max=100_000,
    help="Bootstrap refits for the stability (default 200 up to 500 poles; 0: none).")]
Passive = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--passive", help="Passive categories of the specific MCA, comma-separated: "
                      "descriptor=category pairs or bare categories (every descriptor); "
                      f"default: {', '.join(DEFAULT_PASSIVE)} (what no source says shapes no "
                      "axis); 'none': the plain MCA.")]
MinKnown = Annotated[int, typer.Option(
    "--min-known", min=0, max=len(DEFAULT_ACTIVE),
    help=f"Poles with fewer known active descriptors are supplementary: placed afterwards, as "
         f"classify places a new pole, and listed apart (default {DEFAULT_MIN_KNOWN}; 0: every "
         f"pole shapes the typology).")]
Caption = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--caption", help="Caption of the table (LaTeX, Word, Markdown, terminal); default: a "
                      "caption built from the labels.")]
Label = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--label", help="LaTeX label of the table (tables after the first get :2, :3...).")]



def axes_pair(value: Optional[str]) -> Optional[tuple[int, int]]:  # noqa: UP045
    """``--axes 1,3`` as a pair of dimensions (None when not given); whether the MCA keeps
    them is checked once it is fitted (``analysis.clouds.check_axes``)."""
    if value is None:
        return None
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 2 or not all(p.isdigit() and int(p) >= 1 for p in parts) \
            or parts[0] == parts[1]:
        raise typer.BadParameter("two different dimensions, as 1,3")
    return int(parts[0]), int(parts[1])


Axes = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--axes", callback=axes_pair, metavar="I,J",
    help="The two MCA dimensions the factor map crosses, as 1,3 (default 1,2).")]
Ellipses = Annotated[str, typer.Option(
    "--ellipses", metavar="DESCRIPTOR",
    help="Descriptor whose categories are shown on the cloud of poles: mean points with "
         "90 % concentration ellipses (FILE_ellipses beside --plot) and the typicality test "
         "of each mean point per dimension; e.g. laureate_2013, laureate_ami_2021.")]
LabelPoles = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--label-poles", metavar="ID,ID",
    help="Poles named on the factor map besides the témoins (pole ids, comma-separated); "
         "when given, or past 20 other poles, the others are drawn unnamed and counted in "
         "the legend.")]

@dataclass(frozen=True)
class TypologyOptions:
    """The typology's parameters as a command's options give them (:func:`typology_options`)."""

    active: Optional[str] = None  # noqa: UP045
    supplementary: Optional[str] = None  # noqa: UP045
    ncp: int = DEFAULT_NCP
    k: Optional[int] = None  # noqa: UP045
    rule: str = DEFAULT_RULE
    consolidation: str = DEFAULT_CONSOLIDATION
    passive: Optional[str] = None  # noqa: UP045
    seed: int = DEFAULT_SEED
    reference_year: int = DEFAULT_REFERENCE_YEAR
    min_known: int = DEFAULT_MIN_KNOWN

    def model(self) -> Any:
        """The unfitted :class:`~ptce_typology.analysis.typology.Typology` they describe."""
        from ptce_typology.analysis.typology import Typology

        return Typology(active=split(self.active) or DEFAULT_ACTIVE,
                        supplementary=DEFAULT_SUPPLEMENTARY if self.supplementary is None
                        else split(self.supplementary, "--supplementary"),
                        ncp=self.ncp, n_clusters=self.k, rule=self.rule,
                        consolidation=self.consolidation, seed=self.seed,
                        passive=passive_parameter(self.passive), min_known=self.min_known)


def reference_cases(value: Optional[list[Path]]) -> Optional[list[Path]]:  # noqa: UP045
    """``--reference`` as ``load_frame``'s paths: None (the témoins) for ``temoins``."""
    if not value or [str(v) for v in value] == ["temoins"]:
        return None
    return value


def passive_parameter(value: Optional[str]) -> Optional[tuple[str, ...]]:  # noqa: UP045
    """``--passive`` as the library's ``passive``: the default when not given, None (the plain
    MCA) for ``none``."""
    if value is None:
        return DEFAULT_PASSIVE
    names = tuple(n for n in split(value, "--passive") if n != "none")
    return names or None


# The option of each field of TypologyOptions, in the order `--help` lists them.
_TYPOLOGY_ANNOTATIONS = {"active": Active, "supplementary": Supplementary, "ncp": Ncp, "k": K,
                         "rule": Rule, "consolidation": Consolidation, "passive": Passive,
                         "seed": Seed, "reference_year": ReferenceYear,
                         "min_known": MinKnown}


def typology_options(command: Callable) -> Callable:
    """Give a command the typology's options, declared once: its parameter
    ``typology: TypologyOptions`` becomes ``--active``, ``--supplementary``, ``--ncp``, ``--k``,
    ``--rule``, ``--consolidation``, ``--passive``, ``--seed``, ``--reference-year`` and
    ``--min-known``, with
    the library's defaults, and the command receives them as one :class:`TypologyOptions`."""
    signature = inspect.signature(command, eval_str=True)
    group = [inspect.Parameter(f.name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                               default=f.default, annotation=_TYPOLOGY_ANNOTATIONS[f.name])
             for f in fields(TypologyOptions)]
    parameters = []
    for parameter in signature.parameters.values():
        parameters.extend(group if parameter.name == "typology" else [parameter])

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        chosen = TypologyOptions(**{p.name: kwargs.pop(p.name) for p in group})
        return command(*args, typology=chosen, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=parameters)
    wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
    return wrapper


def split(value: Optional[str], option: str = "--active") -> Optional[tuple[str, ...]]:  # noqa: UP045
    """A comma-separated option as a tuple (None stays None); a name given twice is an error."""
    if value is None:
        return None
    names = tuple(v.strip() for v in value.split(",") if v.strip())
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise PtceError("a descriptor is named twice", field=option, value=", ".join(twice))
    return names
