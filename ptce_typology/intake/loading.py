"""Loading validated cases from files: YAML case files, folders of them, and case tables."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ptce_typology.errors import PtceError, ValidationFailed
from ptce_typology.intake.records import case_record
from ptce_typology.intake.schema import DEFAULT_MEMBERS_YEAR, DEFAULT_REFERENCE_YEAR, Case
from ptce_typology.intake.tables import (
    MAX_TABLE_BYTES,
    RecordColumns,
    read_table_cases,
    table_record_columns,
)
from ptce_typology.intake.validation import read_inputs
from ptce_typology.intake.yamlread import IssueError, read_text
from ptce_typology.resources import resolve_paths
from ptce_typology.vocabulary import UNKNOWN

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Loaded:
    """What loading read: the cases (or records) in reading order, and ``checksums``, the
    (file name, SHA-256) of the bytes read from every input file."""

    items: list[Any]
    checksums: list[tuple[str, str]]


def load_cases(paths: Path | str | Iterable[Path | str] | None = None) -> list[Case]:
    """Load and validate cases (:func:`read_cases` gives the inputs' checksums too).

    Parameters
    ----------
    paths
        A folder of YAML case files, single YAML files, or CSV/XLSX tables with one row per
        pole; several may be given. ``None`` loads the twelve bundled témoin poles, ``"all"``
        every bundled pole.

    Returns
    -------
    list of Case
        In the order the files (and rows) were read.

    Raises
    ------
    ValidationFailed
        When any file has a problem; ``err.issues`` lists every one.
    """
    return read_cases(paths).items


def read_cases(paths: Path | str | Iterable[Path | str] | None = None) -> Loaded:
    """:func:`load_cases`, with the checksums of the bytes read. (Every row of a table
    becomes a case object, about 20 KB each: the commands that need only the tidy frame read
    tables with :func:`read_record_columns`.)"""
    inputs = read_inputs(resolve_paths(paths), read_table_cases, lambda case: case)
    if inputs.issues:
        raise ValidationFailed(inputs.issues)
    if not inputs.named:
        raise _no_case(paths)
    return Loaded([case for _, case in inputs.named], inputs.checksums)


def read_record_columns(paths: Path | str | Iterable[Path | str] | None = None,
                        reference_year: int = DEFAULT_REFERENCE_YEAR,
                        members_year: int = DEFAULT_MEMBERS_YEAR) -> Loaded:
    """The tidy-frame records straight from case files and tables, with the checksums of the
    bytes read: the same records as ``[case_record(c) for c in load_cases(paths)]``, held
    column by column. ``items`` is one :class:`~ptce_typology.intake.tables.RecordColumns`
    (what the tidy frame is built from, without a dict per table row); a table's rows are
    checked column by column, and only doubtful rows go through the case schema.

    Raises
    ------
    ValidationFailed
        With the same issues ``load_cases`` would raise.
    """
    blocks: list[RecordColumns] = []

    def read_table(path: Path, raw: bytes) -> tuple[list[tuple[str, Any]], list]:
        block, issues = table_record_columns(path, raw, reference_year, members_year)
        if block.names:
            blocks.append(block)
        return list(zip(block.names, block.columns.get("pole_id", []), strict=True)), issues

    inputs = read_inputs(resolve_paths(paths), read_table,
                         lambda case: case_record(case, reference_year, members_year))
    if inputs.issues:
        raise ValidationFailed(inputs.issues)
    if not inputs.named:
        raise _no_case(paths)
    return Loaded([_merged(inputs.named, blocks)], inputs.checksums)


def _merged(named: list[tuple[str, Any]], blocks: list[RecordColumns]) -> RecordColumns:
    """The records of every input in reading order, column by column: a case file's record
    (a dict) is one row; a table's rows (their pole_id in ``named``) come from its block."""
    keys = list(blocks[0].columns) if blocks else list(named[0][1])
    columns: dict[str, list[Any]] = {key: [] for key in keys}
    position = 0
    pending = iter(blocks)
    while position < len(named):
        record = named[position][1]
        if isinstance(record, dict):
            for key in keys:
                columns[key].append(record[key])
            position += 1
            continue
        block = next(pending)
        for key in keys:
            columns[key].extend(block.columns[key])
        position += len(block.names)
    return RecordColumns([name for name, _ in named], columns)


def _no_case(paths: Iterable[Path | str]) -> PtceError:
    """A table with a header and no row (or nothing else to read) has no pole to analyse."""
    names = ", ".join(str(p) for p in paths)
    return PtceError("no case to analyse: the input holds no pole (a table with a header "
                     "and no row?)", file=names)


def read_data_table(path: Path | str) -> pd.DataFrame:
    """Any CSV with one row per case (``--data``): the first column is the case id; empty
    cells and ``unknown`` are missing; text columns become categoricals (sorted categories).
    """
    import pandas as pd

    target = Path(path)
    try:
        text = read_text(target, max_bytes=MAX_TABLE_BYTES)
    except IssueError as err:
        raise PtceError(err.issue.message, file=str(target), line=err.issue.line) from None
    frame = _data_rows(text, str(target))
    if frame.index.duplicated().any():
        raise PtceError("duplicate case id", file=str(target),
                        value=str(frame.index[frame.index.duplicated()][0]))
    out = {}
    for column in frame.columns:
        raw = frame[column].str.strip().replace({"": None, UNKNOWN: None})
        numbers = pd.to_numeric(raw, errors="coerce")
        if raw.notna().any() and numbers[raw.notna()].notna().all():
            out[column] = numbers
        else:
            cats = sorted(raw.dropna().unique())
            out[column] = pd.Categorical(raw.fillna(UNKNOWN), categories=[*cats, UNKNOWN])
    result = pd.DataFrame(out, index=frame.index)
    result.index.name = frame.index.name
    return result


def _data_rows(text: str, name: str) -> pd.DataFrame:
    """The cells of a ``--data`` CSV as text, indexed by the first column; every column named
    once, every row as wide as the header, no control character."""
    import csv
    import io

    import pandas as pd

    from ptce_typology.intake.tables import check_csv_cells, csv_delimiter, unescape_csv_cell
    from ptce_typology.intake.yamlread import CONTROL_RE

    delimiter = csv_delimiter(text)
    try:
        check_csv_cells(text, delimiter, name)
    except IssueError as err:
        raise PtceError(err.issue.message, file=name) from None
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as err:
        raise PtceError(f"CSV cannot be parsed: {err}", file=name) from None
    records = [r for r in records if any(c.strip() for c in r)]
    if not records:
        raise PtceError("the table is empty", file=name)
    header = [c.strip() for c in records[0]]
    if len(header) < 2:
        raise PtceError("the table needs an id column and at least one variable (a CSV "
                        "separated by commas or semicolons)", file=name, line=1)
    for i, column in enumerate(header):
        if header.index(column) != i:
            raise PtceError("the column appears twice", file=name, line=1, field=column)
        if not column:
            raise PtceError(f"column {i + 1} has no name", file=name, line=1)
    rows = []
    for number, record in enumerate(records[1:], start=2):
        cells = [unescape_csv_cell(c) for c in record]
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            raise PtceError(f"the row has {len(cells)} cells, more than the {len(header)} "
                            "columns the header names", file=name, line=number)
        for column, cell in zip(header, cells, strict=False):
            if CONTROL_RE.search(cell):
                raise PtceError("a control character (such as ESC, BEL or NUL) is not "
                                "allowed in a table cell", file=name, line=number,
                                field=column, value=cell[:60])
        rows.append((cells + [""] * len(header))[: len(header)])
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    return frame.set_index(header[0])


def assessments(cases: Iterable[Case]) -> dict[str, dict[str, float]]:
    """pole_id -> indicator id -> score, from the ``assessment:`` blocks of the cases."""
    return {c.pole_id: {key: a.score for key, a in c.assessment.items()} for c in cases
            if c.assessment}


def input_checksums(*read: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(name, sha256) of every input file, from the checksums loading computed (``read``:
    :attr:`Loaded.checksums`), sorted by name, then of the bundled data files the analyses
    read (the bytes their loaders parsed)."""
    import hashlib

    from ptce_typology.resources import data_bytes, data_file

    inputs = sorted(dict(pair for sums in read for pair in sums).items())
    return inputs + [(str(data_file(n)), hashlib.sha256(data_bytes(n)).hexdigest())
                     for n in ("vocabulary.yaml", "paper_claims.yaml", "referentiel.yaml",
                               "codebook.yaml")]
