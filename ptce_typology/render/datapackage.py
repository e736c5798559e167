"""The data as a Frictionless Data Package (``ptce export-data``): ``poles.csv`` (the tidy
table), ``sources.csv`` (one row per value and cited source) and ``datapackage.json``, whose
Table Schemas give every column's type, categories, description and keys.

The output is deterministic: the same cases give byte-identical files (no date from the clock).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ptce_typology import __version__
from ptce_typology.intake.records import CATEGORY_COLUMNS, FRAME_COLUMNS
from ptce_typology.intake.schema import DATE_PATTERN, POLE_ID_PATTERN
from ptce_typology.render.casefile import shown_value, sourced_values
from ptce_typology.render.labels import text
from ptce_typology.vocabulary import vocabulary

if TYPE_CHECKING:
    import pandas as pd

    from ptce_typology.intake.schema import Case

PACKAGE_NAME = "ptce-typology-data"
PAPER_URL = "https://shs.hal.science/halshs-01142474"
LICENSE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
           "path": "https://creativecommons.org/licenses/by/4.0/"}
SOURCES_COLUMNS = ("pole_id", "descriptor", "value", "basis", "rule", "note", "source_id",
                   "citation", "url", "quote", "date", "checked")
FILES = ("poles.csv", "sources.csv", "datapackage.json")

# Table Schema types of the tidy frame's columns that are not text.
_YEARS = ("start_year", "members_year")
_COUNTS = ("age", "members")


def sources_table(cases: Iterable[Case]) -> pd.DataFrame:
    """One row per (pole, descriptor, cited source): the fact, its basis and the source.

    Values that cite no source (``unknown`` ones, and inferred ones resting on reasoning
    alone) have no row; ``poles.csv``'s ``inferred`` column and ``ptce show`` give them.

    Returns
    -------
    pandas.DataFrame
        Columns ``pole_id``, ``descriptor`` (dotted field path: ``origin``,
        ``members.0``, ``grouping_start.events.1``), ``value`` (as ``ptce show`` shows it),
        ``basis`` (``stated``, ``inferred`` or ``derived``), ``rule`` (the codebook rule an
        inferred value applies), ``note``, ``source_id``, ``citation``, ``url``, ``quote``,
        ``date`` (the source's date), ``checked`` (``false`` when the quote was not checked
        against the page itself; empty cells are missing). Cases in
        the order given, values in file order, sources in the order cited.
    """
    import pandas as pd

    rows = []
    for case in cases:
        for path, value in sourced_values(case):
            for sid in dict.fromkeys(value.sources):  # once each: (pole, field, source) is a key
                src = case.source(sid)
                rows.append({"pole_id": case.pole_id, "descriptor": path,
                             "value": shown_value(value), "basis": value.basis,
                             "rule": value.rule, "note": value.note, "source_id": sid,
                             "citation": src.citation, "url": src.url, "quote": src.quote,
                             "date": src.date,
                             "checked": None if src.checked else "false"})
    return pd.DataFrame(rows, columns=list(SOURCES_COLUMNS), dtype=object)


def _both(key: str) -> str:
    """An English and a French label of one key, for a description."""
    return f"{text(key, 'en')} (fr: {text(key, 'fr')})"


# The codebook's descriptor that defines a column of the tidy table (the calls share one).
def _codebook_key(column: str) -> str:
    return "calls" if column.startswith("laureate_") else column


def _pole_field(column: str, codebook: Any = None) -> dict[str, Any]:
    vocab = vocabulary()
    if column == "pole_id" or column in vocab.column_labels or column in vocab.descriptors:
        field = {"name": column, "title": vocab.label(column, "en"),
                 "description": f"{vocab.label(column, 'en')} (fr: {vocab.label(column, 'fr')})"}
    else:  # alternatives, inferred
        field = {"name": column, "title": text(f"data.column.{column}", "en"),
                 "description": _both(f"data.column.{column}")}
    field["type"] = "year" if column in _YEARS else "integer" if column in _COUNTS \
        else "string"
    if column in _COUNTS:
        field["constraints"] = {"minimum": 0}
    if column == "pole_id":
        field["constraints"] = {"required": True, "unique": True, "pattern": POLE_ID_PATTERN}
    if column == "name":
        field["constraints"] = {"required": True}
    if column in CATEGORY_COLUMNS:
        descriptor = vocab[column]
        field["constraints"] = {"required": True, "enum": list(descriptor.allowed)}
        labels = "; ".join(f"{key} = {descriptor.category_label(key, 'en')} "
                           f"(fr: {descriptor.category_label(key, 'fr')})"
                           for key in descriptor.allowed)
        derived = f" [{_both('data.package.derived')}]" if descriptor.derived else ""
        field["description"] += f"{derived}. {text('data.package.categories', 'en')}: {labels}"
    defined = codebook.descriptors.get(_codebook_key(column)) if codebook is not None else None
    if defined is not None:
        field["description"] += (f". {text('data.package.codebook', 'en')}: "
                                 f"{defined.definition.en} (fr: {defined.definition.fr})")
    return field


def _sources_field(column: str) -> dict[str, Any]:
    if column == "pole_id":
        field = {"name": column, "title": vocabulary().label(column, "en"),
                 "description": vocabulary().label(column, "en")
                 + f" (fr: {vocabulary().label(column, 'fr')})"}
    else:
        field = {"name": column, "title": text(f"data.column.{column}", "en"),
                 "description": _both(f"data.column.{column}")}
    field["type"] = "string"
    if column in ("pole_id", "descriptor", "value", "basis", "source_id"):
        field["constraints"] = {"required": True}
    if column == "basis":
        field["constraints"]["enum"] = ["stated", "inferred", "derived"]
    if column == "checked":
        field["constraints"] = {"enum": ["false"]}
    if column == "date":
        field["constraints"] = {"pattern": DATE_PATTERN}
    return field


def _resource(name: str, data: bytes, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "type": "table", "path": f"{name}.csv", "scheme": "file",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "title": text(f"data.package.{name}", "en"),
            "description": _both(f"data.package.{name}"),
            "bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
            "schema": schema}


def data_package(poles_csv: bytes, sources_csv: bytes, codebook: Any = None) -> dict[str, Any]:
    """The ``datapackage.json`` descriptor of the two tables (their bytes give the size and
    SHA-256 it records).

    Returns
    -------
    dict
        A Frictionless Data Package: ``name``, ``title``, ``description``, ``version``,
        ``licenses`` (CC-BY-4.0), ``sources`` (the paper), ``keywords`` and the ``poles`` and
        ``sources`` resources, each with its size, SHA-256 and Table Schema (type,
        description and, for categorical columns, ``constraints.enum`` from
        ``data/vocabulary.yaml``, ``unknown`` included; the definition of each coded
        descriptor from the ``codebook``, when given); primary keys ``pole_id`` and
        (``pole_id``, ``descriptor``, ``source_id``), and a foreign key from
        ``sources.pole_id`` to ``poles.pole_id``.
    """
    poles_schema = {"fields": [_pole_field(c, codebook) for c in ("pole_id", *FRAME_COLUMNS)],
                    "missingValues": [""], "primaryKey": ["pole_id"]}
    sources_schema = {"fields": [_sources_field(c) for c in SOURCES_COLUMNS],
                      "missingValues": [""],
                      "primaryKey": ["pole_id", "descriptor", "source_id"],
                      "foreignKeys": [{"fields": ["pole_id"],
                                       "reference": {"resource": "poles",
                                                     "fields": ["pole_id"]}}]}
    return {
        "name": PACKAGE_NAME,
        "title": text("data.package.title", "en"),
        "description": " ".join(text(k, lang) for k in ("data.package.description",
                                                         "data.package.license")
                                for lang in ("en", "fr")),
        "version": __version__,
        "licenses": [LICENSE],
        "sources": [{"title": "Podlewski (2014), « Intelligence collective, dynamiques "
                              "culturelles et cadre institutionnel : comment se construit un "
                              "PTCE », RIUESS", "path": PAPER_URL},
                    {"title": "The sources cited by each value (sources.csv)",
                     "path": "sources.csv"}],
        "keywords": ["PTCE", "social and solidarity economy", "économie sociale et solidaire",
                     "typology"],
        "resources": [_resource("poles", poles_csv, poles_schema),
                      _resource("sources", sources_csv, sources_schema)],
    }


def write_data_package(frame: pd.DataFrame, cases: Iterable[Case], directory: Path | str,
                       force: bool = False, codebook: Any = None) -> list[Path]:
    """Write ``poles.csv``, ``sources.csv`` and ``datapackage.json`` into ``directory``.

    Parameters
    ----------
    frame
        The tidy frame of the cases (``load_frame``), written as ``ptce list --format csv``
        writes it.
    cases
        The same cases, for ``sources.csv``.
    directory
        Created when missing. An existing folder must be empty unless ``force``.
    force
        Write into a non-empty folder, replacing the three files (other files are left).
    codebook
        The codebook (:func:`ptce_typology.intake.codebook.load_codebook`), whose definitions
        the descriptors' descriptions carry.

    Returns
    -------
    list of Path
        The files written, each atomically.

    Raises
    ------
    PtceError
        When ``directory`` is a file, or a non-empty folder without ``force``.
    """
    from ptce_typology.render.formats import render_frame
    from ptce_typology.render.formats.csv import to_csv
    from ptce_typology.render.formats.json import to_json
    from ptce_typology.render.write import atomic_write, check_output_folder

    target = Path(directory)
    check_output_folder(target, force, FILES)
    target.mkdir(parents=True, exist_ok=True)
    poles = render_frame(frame, "csv").encode("utf-8")  # as `ptce list --format csv`
    sources = to_csv(sources_table(cases), index=False).encode("utf-8")
    descriptor = to_json(data_package(poles, sources, codebook)).encode("utf-8")
    written = []
    for name, data in zip(FILES, (poles, sources, descriptor), strict=True):
        atomic_write(target / name, data)
        written.append(target / name)
    return written
