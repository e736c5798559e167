"""Cases kept in a spreadsheet: a CSV (UTF-8) or XLSX table with one row per pole.

The columns are those of ``ptce list --format csv`` (see README, "Case tables"). An empty cell
is ``unknown``. Every value of a row rests on the row's ``source`` column (a citation or URL),
or, when there is none, on the table itself ("file, row N").
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import chain, compress, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ptce_typology.errors import Issue
from ptce_typology.intake.checks import did_you_mean, validate_mapping
from ptce_typology.intake.records import (
    ALTERNATIVE_DESCRIPTORS,
    CALL_COLUMNS,
    CALLS,
    FUNDING_COLUMNS,
    case_record,
    laureate_any,
)
from ptce_typology.intake.schema import (
    DATE_PATTERN,
    DEFAULT_REFERENCE_YEAR,
    MEMBERS_MAX,
    MEMBERS_MIN,
    NOT_APPLICABLE,
    POLE_ID_MAX_LENGTH,
    POLE_ID_PATTERN,
    ROLES,
    TEXT_MAX_LENGTH,
    WEBSITE_PATTERN,
    YEAR_MAX,
    YEAR_MIN,
    Case,
    age_at,
    age_class_at,
    call_value_at,
    check_calendar_date,
    members_class,
)
from ptce_typology.intake.yamlread import CONTROL_RE, IssueError, decode_text
from ptce_typology.vocabulary import UNKNOWN, allowed

if TYPE_CHECKING:
    import numpy as np

MAX_TABLE_BYTES = 500_000_000

# The worksheet XLSX tables are read from (``--sheet``): None reads the active visible one.
SHEET: ContextVar[str | None] = ContextVar("SHEET", default=None)


@contextmanager
def xlsx_sheet(name: str | None) -> Iterator[None]:
    """Read XLSX case tables from the worksheet ``name`` (None: the active visible one)
    while the block runs: ``with xlsx_sheet("Poles"): load_frame("poles.xlsx")``."""
    token = SHEET.set(name)
    try:
        yield
    finally:
        SHEET.reset(token)


REQUIRED_COLUMNS = ("pole_id", "name", "origin", "territory", "sector")
TEXT_COLUMNS = ("commune", "departement", "region", "website")
CATEGORY_COLUMNS = ("origin", "territory", "sector")
TRISTATE_COLUMNS = ("shared_premises", "employer_group", "research_partnership")
# Derived columns may be present; they are checked, never used as input. A table's age and age
# class are checked against the reference year they were written with (start_year + age), so a
# table written with any --reference-year reads back.
DERIVED_COLUMNS = ("age", "age_class", "members_class", "laureate_any")
TABLE_COLUMNS = tuple(dict.fromkeys(
    REQUIRED_COLUMNS + ("role", "aliases") + TEXT_COLUMNS + ("start_year", "start_event")
    + DERIVED_COLUMNS[:2] + CATEGORY_COLUMNS + ("theme",) + TRISTATE_COLUMNS
    + ("members", "members_year", "members_class", "legal_form") + CALL_COLUMNS
    + ("laureate_any",) + FUNDING_COLUMNS + ("alternatives", "inferred", "source",
                                              "source_quote")))

# Where a schema field comes from, to name the column in messages.
_FIELD_TO_COLUMN = {
    **{f"{c}.value": c for c in TEXT_COLUMNS + CATEGORY_COLUMNS + TRISTATE_COLUMNS},
    **{f"national_calls.{call}.value": c for call, c in zip(CALLS, CALL_COLUMNS, strict=True)},
    **{f"funding.{c.removeprefix('funding_')}.value": c for c in FUNDING_COLUMNS},
    "grouping_start.events.0.year": "start_year",
    "grouping_start.events.0.event": "start_event",
    "members.0.count": "members",
    "members.0.date": "members_year",
    "legal_form.0.value": "legal_form",
    "sector.theme": "theme",
    "sources.0.citation": "source",
    "sources.0.url": "source",
    "sources.0.quote": "source_quote",
}


def _header_issues(header: list[str], name: str) -> list[Issue]:
    issues: list[Issue] = []
    columns: list[str] = []
    for column in header:
        if column in columns:
            issues.append(Issue("invalid-value", name, "the column appears twice", line=1,
                                field=column))
        elif column not in TABLE_COLUMNS:
            issues.append(Issue("unknown-key", name, f"unknown column {column!r}"
                                + did_you_mean(column, TABLE_COLUMNS), line=1, field=column,
                                allowed=TABLE_COLUMNS))
        columns.append(column)
    for column in REQUIRED_COLUMNS:
        if column not in header:
            issues.append(Issue("table-missing-column", name,
                                f"required column {column!r} is missing", line=1, field=column,
                                allowed=TABLE_COLUMNS))
    return issues


def table_reference_year(table: Any) -> int:
    """The reference year a table's ``age`` column was written with (``start_year + age``,
    the most common value), or the default when the table gives no age."""
    if "age" not in getattr(table, "columns", ()) or "start_year" not in table.columns:
        return DEFAULT_REFERENCE_YEAR
    # Not Series.map: a None among integers would turn them into floats (and NaN).
    return _written_year(_apply(_column_of(list(table["start_year"])), _as_int),
                         _apply(_column_of(list(table["age"])), _as_int))


def _validate_row(row: dict, number: int, path: Path,
                  reference_year: int = DEFAULT_REFERENCE_YEAR
                  ) -> tuple[Case | None, list[Issue]]:
    """One table row through the case schema; issues name the row's columns."""
    name = str(path)
    mapping = row_to_mapping(row, f"{path.name}, row {number}")
    case, row_issues = validate_mapping(mapping, name, {}, default_line=number,
                                        check_sources=False)
    issues = [Issue(i.code, i.file, i.message, line=number,
                    field=_FIELD_TO_COLUMN.get(i.field or "", i.field), value=i.value,
                    allowed=i.allowed) for i in row_issues]
    if case is not None:
        derived = _check_derived(case, row, name, number, reference_year)
        issues.extend(derived)
        if derived:
            case = None
    return case, issues


def _read_checked(path: Path, raw: bytes) -> tuple[list[str], list, list[Issue]]:
    """The header and rows of a table (its bytes ``raw``), or the issues that stop reading
    it."""
    try:
        header, rows, row_issues = _read_rows(path, raw)
    except IssueError as err:
        return [], [], [err.issue]
    issues = _header_issues(header, str(path))
    return header, ([] if issues else rows), issues + row_issues


def read_table_cases(path: Path, raw: bytes) -> tuple[list[tuple[str, Case]], list[Issue]]:
    """Validate every row of a case table (its bytes ``raw``); returns the valid cases and
    every issue."""
    import pandas as pd

    name = str(path)
    header, rows, issues = _read_checked(path, raw)
    if not rows:  # a bad header, or no row that can be read
        return [], issues
    cells = [{c: _cell(v) for c, v in zip(header, values, strict=False)} for _, values in rows]
    written_year = table_reference_year(pd.DataFrame(cells, columns=header, dtype=object))
    cases = []
    for (number, _), row in zip(rows, cells, strict=True):
        if all(v is None for v in row.values()):
            continue
        case, row_issues = _validate_row(row, number, path, written_year)
        issues.extend(row_issues)
        if case is not None:
            cases.append((f"{name}:{number}", case))
    return cases, issues


class RecordColumns(NamedTuple):
    """The records of a table held column by column (for the tidy frame, without a dict per
    row): ``names`` ("file:row") and ``columns`` (record key -> one value per record)."""

    names: list[str]
    columns: dict[str, list[Any]]


def table_record_columns(path: Path, raw: bytes, reference_year: int, members_year: int
                         ) -> tuple[RecordColumns, list[Issue]]:
    """The tidy-frame records of a case table (its bytes ``raw``), held column by column.

    Rows that pass conservative checks, made column by column on each column's distinct
    values, are taken from the columns at once; any other row goes through the case schema
    (:func:`read_table_cases`'s path), so that issues are exactly those ``ptce validate``
    reports. Returns the records and the issues.
    """
    import numpy as np

    found: list[_Checked] = []

    def plain(checked: _Checked) -> Iterator[int]:
        found.append(checked)
        return iter(np.flatnonzero(checked.ok).tolist())  # a plain row is its position

    items, issues = _table_items(path, raw, plain,
                                 lambda case: case_record(case, reference_year, members_year))
    if not found or not items:
        return RecordColumns([], {}), issues
    checked = found[0]
    computed = _computed_columns(checked, reference_year)
    at = np.array([i if type(i) is int else -1 for _, i in items], dtype=np.intp)
    taken, others = at[at >= 0], np.flatnonzero(at < 0).tolist()
    columns: dict[str, list[Any]] = {}
    keys = (*_RECORD_KEYS, *computed)
    for key, column in zip(keys, _record_columns(checked.table, computed), strict=True):
        out = np.empty(len(items), dtype=object)
        values = np.fromiter(column.values, dtype=object, count=len(column.values))
        out[at >= 0] = values[column.codes[taken]]
        for j in others:
            out[j] = items[j][1][key]
        columns[key] = out.tolist()
    for key in ("alternatives", "inferred"):
        columns[key] = [""] * len(items)
        for j in others:
            columns[key][j] = items[j][1][key]
    return RecordColumns([n for n, _ in items], columns), issues


def _computed_columns(checked: _Checked, reference_year: int) -> dict[str, _Column]:
    """The record's computed columns: start year, age and age class at ``reference_year``,
    members and their class and year, the calls and ``laureate_any``."""
    start = checked.start
    return {"start_year": start, "age": _apply(start, lambda v: age_at(v, reference_year)),
            "age_class": _apply(start, lambda v: age_class_at(v, reference_year)),
            "members": checked.count, "members_class": checked.derived["members_class"],
            "members_year": _combine(lambda c, v: None if c is None or v is None
                                     else int(str(v)[:4]), checked.count, checked.dated),
            **{c: v for c, v in checked.derived.items() if c != "members_class"}}


def table_pole_ids(path: Path, raw: bytes) -> tuple[list[tuple[str, str]], list[Issue]]:
    """The ``pole_id`` of every valid row of a case table (its bytes ``raw``) and every
    issue, exactly those of :func:`read_table_cases`, without building a case per row: rows
    that pass the column-wise checks of :func:`table_record_columns` give their id directly, only
    the others go through the case schema (``ptce validate`` on a 100,000-row table)."""
    return _table_items(path, raw, lambda checked: compress(
        _cells(checked.table.column("pole_id")), checked.ok.tolist()),
        lambda case: case.pole_id)


class _Checked(NamedTuple):
    """A table's cells and what the column-wise checks found: the start year, member count
    and date read as numbers, the derived columns, the reference year the table was written
    with, and ``ok``, whether each row surely passes the case schema."""

    table: _Table
    start: _Column
    count: _Column
    dated: _Column
    derived: dict[str, _Column]
    written_year: int
    ok: np.ndarray


def _check_table(table: _Table) -> _Checked:
    start = _apply(table.column("start_year"), _as_int)
    count = _apply(table.column("members"), _as_int)
    dated = _apply(table.column("members_year"), _as_date)
    derived = _derived_columns(table, start, count)
    written_year = _written_year(start, _apply(table.column("age"), _as_int))
    ok = _plain_cells(table, start, count, dated) & _derived_cells_agree(table, {
        "age": _apply(start, lambda v: age_at(v, written_year)),
        "age_class": _apply(start, lambda v: age_class_at(v, written_year)), **derived})
    return _Checked(table, start, count, dated, derived, written_year, ok)


def _table_items(path: Path, raw: bytes, plain: Callable[[_Checked], Iterator[Any]],
                 from_case: Callable[[Case], Any]) -> tuple[list[tuple[str, Any]], list[Issue]]:
    """(name, item) for every valid row of a table, in row order, and every issue: ``plain``
    gives the items of the rows the column-wise checks pass, in order; every other row goes
    through the case schema and ``from_case``."""
    table, issues = _plain_csv_table(path, raw), []
    if table is None:
        header, rows, issues = _read_checked(path, raw)
        if not rows:  # a bad header, or no row that can be read
            return [], issues
        table = _cells_table(header, rows)
        del rows  # the columns hold the cells now
    checked = _check_table(table)
    table, fast, prefix = checked.table, plain(checked), f"{path}:"
    if checked.ok.all():
        return [(prefix + str(n), item) for n, item in zip(table.numbers, fast, strict=True)], \
            issues
    items: list[tuple[str, Any]] = []
    for i, (number, ok) in enumerate(zip(table.numbers, checked.ok.tolist(), strict=True)):
        if ok:
            items.append((prefix + str(number), next(fast)))
            continue
        values = {c: column.values[column.codes[i]] for c, column in table.columns.items()}
        case, row_issues = _validate_row(values, number, path, checked.written_year)
        issues.extend(row_issues)
        if case is not None:
            items.append((prefix + str(number), from_case(case)))
    return items, issues


class _Column(NamedTuple):
    """A column's cells: its distinct ``values`` and, for each row, the index of the row's
    value (``codes``). Work on a column is done once per distinct value."""

    codes: np.ndarray
    values: list[Any]


class _Table(NamedTuple):
    """The cells of a table's rows: ``numbers`` are the rows' numbers in the file,
    ``columns`` the header's columns in order."""

    numbers: list[int]
    columns: dict[str, _Column]

    def column(self, name: str) -> _Column:
        """A column, or a column of None when the table has no such column."""
        import numpy as np

        found = self.columns.get(name)
        return _Column(np.zeros(len(self.numbers), dtype=np.intp), [None]) if found is None \
            else found


# Types whose values never equal a value of another of them (unlike 1, 1.0 and True).
_DISTINCT_TYPES = frozenset({str, int, type(None)})


def _column_of(cells: Sequence[Any]) -> _Column:
    """The cells as a column; when their types could compare equal across kinds (1 and
    True), every cell is its own value."""
    import numpy as np

    distinct = set(cells) if set(map(type, cells)) <= _DISTINCT_TYPES else None
    if distinct is None or len(distinct) == len(cells):  # every cell its own value
        return _Column(np.arange(len(cells), dtype=np.intp), list(cells))
    values = list(distinct)
    index = {v: i for i, v in enumerate(values)}
    return _Column(np.fromiter(map(index.__getitem__, cells), dtype=np.intp,
                               count=len(cells)), values)


def _apply(column: _Column, func: Callable[[Any], Any]) -> _Column:
    """``func`` over a column's cells."""
    return _Column(column.codes, [func(v) for v in column.values])


def _combine(func: Callable[..., Any], *columns: _Column) -> _Column:
    """``func`` over each row's cells of several columns (one argument per column), computed
    once per distinct combination of their values."""
    import numpy as np

    codes = columns[0].codes
    members: list[tuple[int, ...]] = [(i,) for i in range(len(columns[0].values))]
    for column in columns[1:]:
        size = len(column.values)
        joint, codes = np.unique(codes.astype(np.int64) * size + column.codes,
                                 return_inverse=True)
        codes = codes.reshape(-1)
        members = [members[j // size] + (j % size,) for j in joint.tolist()]
    return _Column(codes, [func(*(c.values[i] for c, i in zip(columns, m, strict=True)))
                           for m in members])


def _flags(column: _Column) -> np.ndarray:
    """A column of booleans as a boolean array."""
    import numpy as np

    return np.array(column.values, dtype=bool)[column.codes]


def _cells(column: _Column) -> list[Any]:
    """A column's cells, one per row."""
    import numpy as np

    values = np.fromiter(column.values, dtype=object, count=len(column.values))
    return values[column.codes].tolist()


def _cells_table(header: list[str], rows: list[tuple[int, list[Any]]]) -> _Table:
    """The cells (:func:`_cell`) of a table's rows, every row as wide as the header, the
    empty rows left out."""
    import numpy as np

    width = len(header)
    values = [v if len(v) == width else (v[:width] + [None] * (width - len(v)))
              for _, v in rows]
    columns = {}
    for c, cells in zip(header, zip(*values, strict=True) if values else [()] * width,
                        strict=True):
        column = _column_of(cells)
        columns[c] = _Column(column.codes, [v.strip() or None for v in column.values]
                             if set(map(type, column.values)) <= {str}
                             else [_cell(v) for v in column.values])
    empty = np.ones(len(rows), dtype=bool)
    for column in columns.values():
        if not _may_miss(column):  # a column with a value in every row: no row is empty
            empty[:] = False
            break
        empty &= _flags(_apply(column, _is_missing))
    if not empty.any():
        return _Table([n for n, _ in rows], columns)
    keep = ~empty
    return _Table([n for (n, _), k in zip(rows, keep.tolist(), strict=True) if k],
                  {c: _Column(column.codes[keep], column.values)
                   for c, column in columns.items()})


def _plain_csv_table(path: Path, raw: bytes) -> _Table | None:
    """The cells of a plain CSV, parsed by pandas' C reader straight into columns (what
    :func:`_read_rows` and :func:`_cells_table` give, without a list per row); None when the
    file is not plain, for :func:`_read_rows`, which then finds the issues. Plain: UTF-8, not
    too large, no CR, control character, cell starting with an apostrophe or quote inside a
    cell's text (quoted cells are read as the csv module reads them), no blank line, every
    line one row as wide as the header (row N is line N), a header the table accepts, within
    the row limit, no number written with a separator."""
    import csv as csv_module

    import numpy as np
    import pandas as pd

    name = str(path)
    try:
        text = decode_text(raw, name)
        delimiter = csv_delimiter(text)
        check_csv_cells(text, delimiter, name)
    except IssueError:
        return None
    body = text[:-1] if text.endswith("\n") else text
    if "\r" in text or ("'" in text and (text.startswith(("'", "\"'")) or re.search(
            f"[\\n{re.escape(delimiter)}]\"?'", text))) or not _plain_quotes(text, delimiter) \
            or CONTROL_RE.search(text) or body.count("\n") > MAX_TABLE_ROWS:
        return None
    try:
        cells = pd.read_csv(io.BytesIO(body.encode("utf-8")), header=None, dtype=object,
                            na_filter=False, quoting=csv_module.QUOTE_MINIMAL, sep=delimiter,
                            engine="c", skip_blank_lines=False, low_memory=False)
    except (ValueError, pd.errors.ParserError):
        return None
    header = [str(c).strip() for c in cells.iloc[0].tolist()]
    if len(cells) != body.count("\n") + 1 or len(cells) < 2 or not header[-1] \
            or cells.isna().to_numpy().any() or _header_issues(header, name):
        return None
    columns = {}
    blank = np.ones(len(cells) - 1, dtype=bool)  # a row of blank cells: the reader skips it
    # Every line as wide as the header: a longer one stops pandas, a shorter one would be
    # filled silently, so the separators are counted (those inside quoted cells apart).
    separators = sum(header_cell.count(delimiter) for header_cell in cells.iloc[0].tolist())
    for column, series in zip(header, cells.columns, strict=True):
        codes, distinct = pd.factorize(cells[series].to_numpy(dtype=object)[1:])
        raw_values = distinct.tolist()
        separators += int(np.dot(np.bincount(codes, minlength=len(raw_values)),
                                 [v.count(delimiter) for v in raw_values]))
        values = [v.strip() or None for v in raw_values]
        if column in INTEGER_COLUMNS and any(v is not None and _NUMBER_SEPARATOR_RE.match(v)
                                             for v in values):
            return None
        blank &= np.array([v is None for v in values], dtype=bool)[codes]
        columns[column] = _Column(codes.astype(np.intp), values)
    if blank.any() or body.count(delimiter) != (len(header) - 1) * len(cells) + separators:
        return None
    return _Table(list(range(2, len(cells) + 1)), columns)


def _plain_quotes(text: str, delimiter: str) -> bool:
    """Whether every quote of a CSV's text opens or closes a cell (no quote inside a cell's
    text, none doubled): such cells read the same in any CSV reader."""
    quotes = text.count('"')
    if not quotes:
        return True
    opening = text.count(f'{delimiter}"') + text.count('\n"') + text.startswith('"')
    closing = text.count(f'"{delimiter}') + text.count('"\n') + text.endswith('"')
    return '""' not in text and quotes == opening + closing


def _written_year(start: _Column, age: _Column) -> int:
    """The most common ``start_year + age`` (the smallest of ties), else the default."""
    import numpy as np

    sums = _combine(lambda s, a: None if s is None or a is None else s + a, start, age)
    years: dict[int, int] = {}
    for year, n in zip(sums.values, np.bincount(sums.codes, minlength=len(sums.values))
                       .tolist(), strict=True):
        if year is not None and n:
            years[year] = years.get(year, 0) + n
    return min(years, key=lambda y: (-years[y], y)) if years else DEFAULT_REFERENCE_YEAR


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= TEXT_MAX_LENGTH


def _may_miss(column: _Column) -> bool:
    """Whether a column may hold a missing cell (None or NaN): its types tell at C speed."""
    return bool(set(map(type, column.values)) & {type(None), float})


def _is_missing(value: Any) -> bool:
    """None, or NaN (what pandas' ``isna`` finds in a cell)."""
    return value is None or (isinstance(value, float) and value != value)


def _plain_cells(table: _Table, start: _Column, count: _Column,
                 dated: _Column) -> np.ndarray:
    """Whether each row's cells are surely what the schema accepts (its limits and patterns,
    read from intake/schema.py). Rows with alternative readings, inferred values or a mixed
    sector are left to the schema."""
    import numpy as np

    def check(column: str, test: Callable[[Any], bool]) -> np.ndarray:
        return _flags(_apply(table.column(column), test))

    ok = np.ones(len(table.numbers), dtype=bool)
    ok &= check("pole_id", lambda v: isinstance(v, str) and len(v) <= POLE_ID_MAX_LENGTH
                and bool(_POLE_RE.fullmatch(v)))
    ok &= check("name", _is_text)
    ok &= check("role", lambda v: v is None or v in ROLES)
    for column in (*TEXT_COLUMNS, "start_event", "theme", "legal_form", "source",
                   "source_quote"):
        ok &= check(column, lambda v: v is None or _is_text(v))
    ok &= check("website", lambda v: v is None or v == UNKNOWN
                or (isinstance(v, str) and bool(_WEBSITE_RE.match(v))))
    ok &= check("aliases", lambda v: v is None or (isinstance(v, str) and all(
        len(a.strip()) <= TEXT_MAX_LENGTH for a in v.split(";"))))
    for column in CATEGORY_COLUMNS + TRISTATE_COLUMNS + CALL_COLUMNS + FUNDING_COLUMNS:
        choices = set(allowed(column))
        ok &= check(column, lambda v, c=choices: v is None or (isinstance(v, str) and v in c))
    ok &= check("alternatives", _is_missing)
    ok &= check("inferred", _is_missing)
    ok &= check("sector", lambda v: v != "mixed")
    ok &= check("start_year", _is_missing) | _flags(_apply(
        start, lambda v: v is not None and YEAR_MIN <= v <= YEAR_MAX))
    members = check("members", _is_missing)
    ok &= members | _flags(_apply(count, lambda v: v is not None
                                  and MEMBERS_MIN <= v <= MEMBERS_MAX))
    ok &= members | _flags(_apply(dated, lambda v: v is not None))
    return ok


def _derived_columns(table: _Table, start: _Column, count: _Column) -> dict[str, _Column]:
    """The derived columns that do not depend on the reference year: ``members_class``, each
    call's column (``not_applicable`` after its results) and ``laureate_any``."""
    calls = {column: _combine(lambda v, s, call=call: call_value_at(
        UNKNOWN if v in (None, NOT_APPLICABLE) else v, call, s), table.column(column), start)
        for call, column in zip(CALLS, CALL_COLUMNS, strict=True)}
    any_call = _combine(lambda *values: laureate_any(list(values)), *calls.values())
    return {"members_class": _apply(count, members_class), **calls, "laureate_any": any_call}


def _derived_cells_agree(table: _Table, derived: dict[str, _Column]) -> np.ndarray:
    """Whether each row's derived cells (when given) equal what the row derives."""
    import numpy as np

    ok = np.ones(len(table.numbers), dtype=bool)
    for column, values in derived.items():
        if column in table.columns:
            ok &= _flags(_combine(_derived_agrees, table.columns[column], values))
    return ok


def _derived_agrees(given: Any, value: Any) -> bool:
    """A derived cell is empty, shows the derived value, or is ``unknown`` for an unknown."""
    if _is_missing(given):
        return True
    if value is not None and str(given) == str(value):
        return True
    return bool(given == "unknown") and (value is None or value == "unknown")


_RECORD_KEYS = ("pole_id", "name", "role", *TEXT_COLUMNS, "origin", "territory", "sector",
                "theme", *TRISTATE_COLUMNS, "legal_form", *FUNDING_COLUMNS)


def _record_columns(table: _Table, computed: dict[str, _Column]) -> list[_Column]:
    """The columns of the records, in the order of ``_RECORD_KEYS`` then ``computed``: the
    table's cells (an empty one ``unknown``, an empty role ``case``), then the computed
    columns."""
    defaults = {"role": "case", "pole_id": None, "name": None}
    return [_apply(column, lambda v, d=defaults.get(key, UNKNOWN): d if _is_missing(v) else v)
            if _may_miss(column) else column
            for key, column in ((k, table.column(k)) for k in _RECORD_KEYS)] + list(
        computed.values())


_POLE_RE = re.compile(POLE_ID_PATTERN)
_WEBSITE_RE = re.compile(WEBSITE_PATTERN)
_DATE_RE = re.compile(DATE_PATTERN)


def _as_int(value: object) -> int | None:
    """An integer cell, conservatively (what the schema surely accepts), else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def _as_date(value: object) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    text = str(value) if isinstance(value, int) else value
    if isinstance(text, str) and _DATE_RE.fullmatch(text):
        try:
            check_calendar_date(text)
        except ValueError:
            return None  # the schema says why
        return text
    return None


def row_to_mapping(row: dict[str, Any], where: str) -> dict[str, Any]:
    """One table row as the mapping a YAML case file would hold."""
    source_text = row.get("source")
    source: dict[str, Any] = {"id": "row"}
    if source_text and str(source_text).startswith(("http://", "https://")):
        source["url"] = source_text
    else:
        source["citation"] = source_text or where
    if row.get("source_quote"):
        source["quote"] = row["source_quote"]

    def sourced(value: Any, **extra: Any) -> dict[str, Any]:
        if value is None or value == UNKNOWN:
            return {"value": UNKNOWN, **{k: v for k, v in extra.items() if v is not None}}
        return {"value": value, "sources": ["row"], **{k: v for k, v in extra.items()
                                                      if v is not None}}

    mapping: dict[str, Any] = {
        "pole_id": row.get("pole_id"),
        "name": row.get("name"),
        "role": row.get("role") or "case",
        "aliases": [a.strip() for a in str(row["aliases"]).split(";") if a.strip()]
        if row.get("aliases") else [],
        **{c: sourced(row.get(c)) for c in TEXT_COLUMNS},
        "origin": sourced(row.get("origin")),
        "territory": sourced(row.get("territory")),
        "sector": sourced(row.get("sector"), theme=row.get("theme")),
        "shared_premises": sourced(row.get("shared_premises")),
        "employer_group": sourced(row.get("employer_group")),
        "research_partnership": sourced(row.get("research_partnership")),
        "national_calls": {call: sourced(None if row.get(c) == NOT_APPLICABLE else row.get(c))
                           for call, c in zip(CALLS, CALL_COLUMNS, strict=True)},
        "funding": {c.removeprefix("funding_"): sourced(row.get(c)) for c in FUNDING_COLUMNS},
        "sources": [source],
    }
    if row.get("start_year") is not None:
        mapping["grouping_start"] = {
            "events": [{"id": "start", "year": row["start_year"],
                        "event": row.get("start_event") or "grouping started",
                        "sources": ["row"]}],
            "start": "start"}
    else:
        mapping["grouping_start"] = {"events": [], "start": UNKNOWN}
    if row.get("members") is not None:
        mapping["members"] = [{"count": row["members"], "date": row.get("members_year"),
                               "sources": ["row"]}]
    if row.get("legal_form") is not None:
        mapping["legal_form"] = [{"value": row["legal_form"], "sources": ["row"]}]
    for reading in str(row.get("alternatives") or "").split(";"):
        descriptor, _, value = reading.strip().partition("=")
        if descriptor in ALTERNATIVE_DESCRIPTORS and value:
            target = mapping[descriptor]
            target.setdefault("alternatives", []).append(
                {"value": value, "sources": ["row"], "note": "from the table's alternatives"})
        elif reading.strip():
            mapping.setdefault("alternatives", reading.strip())  # reported as unknown-key
    _mark_inferred(mapping, row.get("inferred"))
    return mapping


def _inferred_targets(mapping: dict[str, Any]) -> dict[str, Any]:
    """Where each column of the ``inferred`` cell lands in a row's mapping (None: the row has
    no value there); derived columns mark the value they come from."""
    def first(key: str) -> Any:
        if key == "grouping_start":
            return (mapping[key]["events"] or [None])[0]
        return (mapping.get(key) or [None])[0]

    targets: dict[str, Any] = {c: mapping[c] for c in TEXT_COLUMNS + CATEGORY_COLUMNS
                               + TRISTATE_COLUMNS}
    targets.update({c: first("grouping_start") for c in ("start_year", "age", "age_class")})
    targets.update({c: first("members") for c in ("members", "members_year",
                                                   "members_class")})
    targets["legal_form"] = first("legal_form")
    targets.update({c: mapping["national_calls"][call]
                    for call, c in zip(CALLS, CALL_COLUMNS, strict=True)})
    targets.update({c: mapping["funding"][c.removeprefix("funding_")] for c in FUNDING_COLUMNS})
    return targets


def _mark_inferred(mapping: dict[str, Any], cell: Any) -> None:
    """``basis: inferred`` on the values the ``inferred`` cell names (column names joined by
    ``;``); a name that is no column is reported as an unknown key."""
    targets = _inferred_targets(mapping)
    for column in (c.strip() for c in str(cell or "").split(";")):
        if column in targets:
            if targets[column] is not None:
                targets[column].update(basis="inferred",
                                       note=targets[column].get("note")
                                       or "marked inferred in the table's `inferred` column")
        elif column:
            mapping.setdefault("inferred", column)  # reported as unknown-key


def _check_derived(case: Case, row: dict, name: str, number: int,
                   reference_year: int = DEFAULT_REFERENCE_YEAR) -> list[Issue]:
    issues = []
    count = case.member_count()
    calls = {column: case.call_value(call) for call, column in zip(CALLS, CALL_COLUMNS,
                                                                   strict=True)}
    derived = {"age": case.age(reference_year), "age_class": case.age_class(reference_year),
               "members_class": members_class(count.count if count else None),
               "laureate_any": laureate_any(list(calls.values())),
               **{c: v for c, v in calls.items() if v == NOT_APPLICABLE
                  or row.get(c) == NOT_APPLICABLE}}
    for column in derived:
        given = row.get(column)
        if given is None or (given == UNKNOWN and derived[column] in (None, UNKNOWN)):
            continue
        expected = derived[column]
        if str(given) != str(expected):
            issues.append(Issue("invalid-value", name,
                                f"{column} is derived (expected {expected}); edit "
                                "start_year, members or the calls instead", line=number,
                                field=column,
                                value=str(given)))
    return issues


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _read_rows(path: Path, raw: bytes
               ) -> tuple[list[str], list[tuple[int, list[Any]]], list[Issue]]:
    """The header, the rows that can be read, and the issues of the others."""
    name = str(path)
    is_csv = path.suffix.lower() == ".csv"
    if is_csv:
        text = decode_text(raw, name)
        delimiter = csv_delimiter(text)
        check_csv_cells(text, delimiter, name)
        numbered = _csv_records(text, delimiter, name)
        # CONTROL_RE spares tab, CR and LF: no match in the text, no control character in
        # any cell.
        clean = CONTROL_RE.search(text) is None
    else:
        numbered = _xlsx_rows(raw, name)
        if len(numbered) > MAX_TABLE_ROWS + 1:
            raise IssueError(_too_many_rows(name))
        # Numbers, booleans and None print no control character: every cell is searched as
        # text at once.
        clean = CONTROL_RE.search("\n".join(map(str, chain.from_iterable(
            values for _, values in numbered)))) is None
    if not numbered or not any(str(c).strip() for c in numbered[0][1] if c is not None):
        raise IssueError(Issue("file-empty", name, "the table has no header row"))
    header = [str(c).strip() if c is not None else "" for c in numbered[0][1]]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    issues: list[Issue] = []
    bad = set()
    for k in _doubtful_rows(numbered, header[:width], clean, is_csv):
        number, values = numbered[k]
        found = [] if clean and len(values) <= width else \
            _cell_issues(name, header[:width], number, values, width)
        if is_csv and len(values) < width and k:
            found.append(Issue("invalid-value", name, f"the row has {len(values)} cells, "
                               f"fewer than the {width} columns the header names (a missing "
                               "separator, or a cell cut?)", line=number))
        for i, column in enumerate(header[:width]):
            if column in INTEGER_COLUMNS and i < len(values) and isinstance(values[i], str) \
                    and _NUMBER_SEPARATOR_RE.match(values[i].strip()):
                found.append(_separator_issue(name, number, column, values[i].strip()))
        if found:
            issues.extend(found)
            bad.add(k)
    if issues and any(i.line == numbered[0][0] for i in issues):
        raise IssueError(issues[0])  # a bad header stops the reading
    kept = [row for k, row in enumerate(numbered) if k and k not in bad] if bad \
        else numbered[1:]
    return header[:width], kept, issues


def _doubtful_rows(numbered: list[tuple[int, list[Any]]], header: list[str], clean: bool,
                   is_csv: bool) -> list[int]:
    """The indexes of the rows (the header first) that may have an issue of their own: every
    row when a control character is somewhere, else the header, the rows wider than the
    header (narrower too in a CSV) and those with a number written with a separator (each
    column's distinct cells are matched once)."""
    from operator import itemgetter

    if not clean:
        return list(range(len(numbered)))
    width = len(header)
    rows = list(map(itemgetter(1), numbered))
    lengths = list(map(len, rows))
    doubtful = {0}
    if max(lengths) > width or (is_csv and min(lengths) < width):
        doubtful.update(k for k, n in enumerate(lengths)
                        if n > width or (is_csv and n < width))
    for i, column in enumerate(header):
        if column in INTEGER_COLUMNS:
            cells = list(map(itemgetter(i), rows)) if min(lengths) > i else \
                [values[i] if i < len(values) else None for values in rows]
            hits = {c for c in set(cells) if isinstance(c, str)
                    and _NUMBER_SEPARATOR_RE.match(c.strip())}
            if hits:
                doubtful.update(k for k, c in enumerate(cells) if c in hits)
    return sorted(doubtful)


# A table's rows beyond its header: more is refused (README, « Case tables »), so that memory
# stays bounded (about 4 KB per row while reading and validating).
MAX_TABLE_ROWS = 100_000
MAX_TABLE_LINES = 10 * MAX_TABLE_ROWS  # blank lines and cells on several lines included
# Columns that hold whole numbers, and a cell that writes one with a thousands or decimal
# separator (« 1.000 » is one thousand in French and one in English).
INTEGER_COLUMNS = ("start_year", "age", "members", "members_year")
_NUMBER_SEPARATOR_RE = re.compile("[0-9]{1,3}(?:[., \u00a0\u202f'][0-9]{3})+|[0-9]+,[0-9]+")


def _separator_issue(name: str, number: int, column: str, value: str) -> Issue:
    digits = re.sub("[^0-9]", "", value)
    if re.fullmatch("[0-9]+,[0-9]{1,2}|[0-9]+,[0-9]{4,}", value):
        why = "a decimal comma; write the whole number meant"
    else:
        why = (f"a thousands separator, or a decimal one (« 1.000 » is one thousand in French, "
               f"one in English); write {digits}, or the whole number meant")
    return Issue("invalid-value", name, f"a whole number is expected, and this has {why}",
                 line=number, field=column, value=value)


def _too_many_rows(name: str) -> Issue:
    return Issue("file-too-large", name, f"the table holds more than {MAX_TABLE_ROWS:,} rows "
                 "(the limit); split it into several tables")


def _csv_records(text: str, delimiter: str, name: str) -> list[tuple[int, list[str]]]:
    """The numbered records of a CSV, the header and every row with a cell that is not
    blank (blank rows are left out as they are read: a file of empty lines costs nothing),
    at most MAX_TABLE_ROWS rows."""
    numbered: list[tuple[int, list[str]]] = []
    records = enumerate(csv.reader(_lines(text), delimiter=delimiter), start=1)
    try:
        while chunk := list(islice(records, 10_000)):  # read in chunks, kept rows counted
            numbered.extend([(number, record) for number, record in chunk
                             if number == 1 or "".join(record).strip()])  # a cell not blank
            if len(numbered) > MAX_TABLE_ROWS + 1:
                raise IssueError(_too_many_rows(name))
    except csv.Error as err:
        raise IssueError(Issue("yaml-syntax", name, f"CSV cannot be parsed: {err}")) \
            from None
    if "'" in text:
        numbered = [(n, _unescape_row(r)) for n, r in numbered]
    return numbered


def _lines(text: str) -> Iterable[str]:
    """The lines of a CSV's text for the csv module, as ``io.StringIO(text, newline="")``
    gives them, without its copy of the text at four bytes a character."""
    if "\r" in text:
        return io.StringIO(text, newline="")
    lines = text.split("\n")
    last = lines.pop()
    return chain((line + "\n" for line in lines), [last] if last else [])


def _unescape_row(cells: list[str]) -> list[str]:
    """:func:`unescape_csv_cell` over the cells of a row that has a cell starting with '."""
    if "\n'" not in "\n" + "\n".join(cells):
        return cells
    return [unescape_csv_cell(c) for c in cells]


def _cell_issues(name: str, header: list[str], number: int, values: list[Any],
                 width: int) -> list[Issue]:
    """A cell beyond the last named column (it would be dropped silently), or a control
    character in a cell."""
    issues = []
    extra = [v for v in values[width:] if v is not None and str(v).strip()]
    if extra:
        issues.append(Issue("invalid-value", name, f"the row has {len(values)} cells, more "
                            f"than the {width} columns the header names", line=number,
                            value=_short_text(extra[0])))
    for column, value in zip(header, values, strict=False):
        if isinstance(value, str) and CONTROL_RE.search(value):
            issues.append(Issue("invalid-value", name, "a control character (such as ESC, "
                                "BEL or NUL) is not allowed in a table cell", line=number,
                                field=column or None, value=_short_text(value)))
    return issues


# OWASP's advice against formula injection: a cell written by ptce that starts with one of
# these is prefixed with ' (render.formats.csv_safe); the reader takes one ' off again.
CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def unescape_csv_cell(text: str) -> str:
    """Undo ``render.formats.csv_safe``: ``'=x`` is read as ``=x`` and ``''x`` as ``'x``."""
    if text.startswith("'") and len(text) > 1 and text[1] in (*CSV_FORMULA_PREFIXES, "'"):
        return text[1:]
    return text


def check_csv_cells(text: str, delimiter: str, name: str) -> None:
    """Refuse a CSV of more than MAX_TABLE_CELLS cells before parsing it: 500 MB of commas
    would otherwise become 500 million cells in memory. (The count is an upper bound: quoted
    delimiters count too.)"""
    # A line may end with CR alone (old Mac files, or a file of CRs).
    lines = max(text.count("\n"), text.count("\r"))
    if lines > MAX_TABLE_LINES:  # blank lines cost nothing to write and time to read
        raise IssueError(Issue("file-too-large", name, f"the table holds more than "
                               f"{MAX_TABLE_LINES:,} lines"))
    cells = text.count(delimiter) + lines + 1
    if cells > MAX_TABLE_CELLS:
        raise IssueError(Issue("file-too-large", name, f"the table holds more than "
                               f"{MAX_TABLE_CELLS:,} cells"))


def csv_delimiter(text: str) -> str:
    """``;`` for a table saved by a French-locale spreadsheet (its header has semicolons and
    no comma), a tab for a tab-separated one (tabs, and neither commas nor semicolons), else
    ``,``."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    if "," in first:
        return ","
    return ";" if ";" in first else "\t" if "\t" in first else ","


def _short_text(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


# Bounds of an XLSX table: what it declares is never trusted (a 7 KB file may declare a
# sheet of 16,384 x 1,048,576 cells, or hold a zip bomb).
MAX_XLSX_UNCOMPRESSED = 2_000_000_000
MAX_XLSX_ROWS = 1_048_576  # Excel's own limit
MAX_TABLE_CELLS = 20_000_000


def _xlsx_rows(raw: bytes, name: str) -> list[tuple[int, list[Any]]]:
    """The rows of the sheet to read (:func:`workbook.choose_sheet`: ``--sheet``, else the
    active visible worksheet), read directly (:mod:`ptce_typology.intake.workbook`) or, when
    it holds anything unusual, by openpyxl."""
    import zipfile

    from ptce_typology.intake import workbook

    if not raw:
        raise IssueError(Issue("file-empty", name, "the file is empty"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        total = sum(i.file_size for i in archive.infolist())
        if total > MAX_XLSX_UNCOMPRESSED:
            raise IssueError(Issue("file-too-large", name, f"the workbook unpacks to "
                                   f"{total:,} bytes; the limit is {MAX_XLSX_UNCOMPRESSED:,}"))
        book = workbook.read_workbook(archive, name)
        sheet = workbook.choose_sheet(book, SHEET.get(), name)
        try:
            rows = workbook.sheet_rows(archive, book, sheet, name, max_rows=MAX_XLSX_ROWS,
                                       max_cells=MAX_TABLE_CELLS)
        except workbook.Unusual:
            rows = _openpyxl_rows(raw, name, sheet.name)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError, KeyError,
            IndexError, OverflowError) as err:
        raise IssueError(Issue("file-format", name,
                               f"not a readable XLSX workbook ({err})")) from None
    for number, row in rows:
        if workbook.Formula not in set(map(type, row)):  # a row at C speed
            continue
        for value in row:
            if isinstance(value, workbook.Formula):
                raise IssueError(Issue(
                    "invalid-value", name, "a formula has no saved result; open the file "
                    "in a spreadsheet program and save it, or paste the values",
                    line=number, value=_short_text(value)))
    return rows


def _openpyxl_rows(raw: bytes, name: str, title: str) -> list[tuple[int, list[Any]]]:
    """The rows of sheet ``title`` read by openpyxl; a formula without a saved result as a
    :class:`workbook.Formula`."""
    from openpyxl import load_workbook

    from ptce_typology.intake.workbook import Formula

    values = _sheet_rows(raw, name, title, data_only=True, load=load_workbook)
    if not _has_formula(raw):
        return values
    texts = _sheet_rows(raw, name, title, data_only=False, load=load_workbook)
    for (_, row), (_, formula_row) in zip(values, texts, strict=False):
        for i, (value, formula) in enumerate(zip(row, formula_row, strict=False)):
            if value is None and isinstance(formula, str) and formula.startswith("="):
                row[i] = Formula(formula)
    return values


def _has_formula(raw: bytes) -> bool:
    """Whether a worksheet of the (compressed) workbook holds a formula."""
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(raw))
    return any(b"<f" in _read_member(archive, i) for i in archive.infolist()
               if i.filename.startswith("xl/worksheets/") and i.file_size < 50_000_000)


def _read_member(archive: Any, info: Any) -> bytes:
    with archive.open(info) as handle:
        return handle.read(info.file_size + 1)


def _sheet_rows(raw: bytes, name: str, title: str, *, data_only: bool, load: Any) \
        -> list[tuple[int, list[Any]]]:
    """The rows of worksheet ``title``, every one of them (a declared ``<dimension>`` is
    ignored), with trailing empty cells cut, within the bounds above."""
    import zipfile
    from xml.etree.ElementTree import ParseError

    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load(io.BytesIO(raw), read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError,
            TypeError, AttributeError, IndexError, ParseError) as err:
        raise IssueError(Issue("file-format", name, f"not a readable XLSX workbook ({err})")) \
            from None
    try:
        sheet = book[title]
        sheet.reset_dimensions()  # read every row, not only those the sheet declares
        rows: list[tuple[int, list[Any]]] = []
        cells = 0
        try:
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells += len(row)
                if number > MAX_XLSX_ROWS or cells > MAX_TABLE_CELLS:
                    raise IssueError(Issue(
                        "file-too-large", name, f"the sheet holds more than "
                        f"{MAX_XLSX_ROWS:,} rows or {MAX_TABLE_CELLS:,} cells"))
                values = list(row)
                while values and values[-1] is None:
                    values.pop()
                if values or number == 1:
                    rows.append((number, values))
        except (KeyError, ValueError, TypeError, AttributeError, IndexError, ParseError,
                zipfile.BadZipFile, OSError) as err:
            raise IssueError(Issue("file-format", name,
                                   f"the worksheet cannot be read ({err})")) from None
        return rows
    finally:
        book.close()
