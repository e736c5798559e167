"""Cases kept in a spreadsheet: a CSV (UTF-8) or XLSX table with one row per pole.

The columns are those of ``ptce list --format csv`` (see README, "Case tables"). An empty cell
is ``unknown``. Every value of a row rests on the row's ``source`` column (a citation or URL),
or, when there is none, on the table itself ("file, row N").
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from ptce_typology.errors import Issue
from ptce_typology.schema import Case
from ptce_typology.vocabulary import UNKNOWN
from ptce_typology.yamlread import IssueError, read_text

MAX_TABLE_BYTES = 500_000_000

REQUIRED_COLUMNS = ("pole_id", "name", "origin", "territory", "sector")
TEXT_COLUMNS = ("commune", "departement", "region", "website")
CATEGORY_COLUMNS = ("origin", "territory", "sector")
TRISTATE_COLUMNS = ("shared_premises", "employer_group", "research_partnership")
CALL_COLUMNS = ("laureate_2013", "laureate_2015")
FUNDING_COLUMNS = ("funding_member_fees", "funding_public", "funding_private",
                   "funding_own_revenue", "funding_volunteering")
# Derived columns may be present; they are checked, never used as input.
DERIVED_COLUMNS = ("age", "age_class", "members_class")
OTHER_COLUMNS = ("role", "aliases", "start_year", "start_event", "theme", "members",
                 "members_year", "legal_form", "source", "source_quote")
TABLE_COLUMNS = tuple(dict.fromkeys(
    REQUIRED_COLUMNS + ("role", "aliases") + TEXT_COLUMNS + ("start_year", "start_event")
    + DERIVED_COLUMNS + CATEGORY_COLUMNS + ("theme",) + TRISTATE_COLUMNS
    + ("members", "members_year", "members_class", "legal_form") + CALL_COLUMNS + FUNDING_COLUMNS
    + ("source", "source_quote")))

# Where a schema field comes from, to name the column in messages.
_FIELD_TO_COLUMN = {
    **{f"{c}.value": c for c in TEXT_COLUMNS + CATEGORY_COLUMNS + TRISTATE_COLUMNS},
    **{f"national_calls.{c}.value": c for c in CALL_COLUMNS},
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


def read_table_cases(path: Path) -> tuple[list[tuple[str, Case]], list[Issue]]:
    """Validate every row of a case table; returns the valid cases and every issue."""
    from ptce_typology.validation import _did_you_mean, validate_mapping

    name = str(path)
    try:
        header, rows = _read_rows(path)
    except IssueError as err:
        return [], [err.issue]
    issues: list[Issue] = []
    columns: list[str] = []
    for column in header:
        if column in columns:
            issues.append(Issue("invalid-value", name, "the column appears twice", line=1,
                                field=column))
        elif column not in TABLE_COLUMNS:
            issues.append(Issue("unknown-key", name, f"unknown column {column!r}"
                                + _did_you_mean(column, TABLE_COLUMNS), line=1, field=column,
                                allowed=TABLE_COLUMNS))
        columns.append(column)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    for column in missing:
        issues.append(Issue("table-missing-column", name, f"required column {column!r} is missing",
                            line=1, field=column, allowed=TABLE_COLUMNS))
    if issues:
        return [], issues
    cases = []
    for number, values in rows:
        row = {c: _cell(v) for c, v in zip(header, values, strict=False)}
        if all(v is None for v in row.values()):
            continue
        mapping = row_to_mapping(row, f"{path.name}, row {number}")
        case, row_issues = validate_mapping(mapping, name, {}, default_line=number,
                                            check_sources=False)
        for issue in row_issues:
            column = _FIELD_TO_COLUMN.get(issue.field or "", issue.field)
            issues.append(Issue(issue.code, issue.file, issue.message, line=number,
                                field=column, value=issue.value, allowed=issue.allowed))
        if case is not None:
            derived_issues = _check_derived(case, row, name, number)
            issues.extend(derived_issues)
            if not derived_issues:
                cases.append((f"{name}:{number}", case))
    return cases, issues


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
        "national_calls": {c: sourced(row.get(c)) for c in CALL_COLUMNS},
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
    return mapping


def _check_derived(case: Case, row: dict, name: str, number: int) -> list[Issue]:
    issues = []
    from ptce_typology.loading import members_class

    count = case.member_count()
    derived = {"age": case.age(), "age_class": case.age_class(),
               "members_class": members_class(count.count if count else None)}
    for column in DERIVED_COLUMNS:
        given = row.get(column)
        if given is None or (given == UNKNOWN and derived[column] in (None, UNKNOWN)):
            continue
        expected = derived[column]
        if str(given) != str(expected):
            issues.append(Issue("invalid-value", name,
                                f"{column} is derived (expected {expected}); edit "
                                "start_year or members instead", line=number, field=column,
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


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    name = str(path)
    if path.suffix.lower() == ".csv":
        text = read_text(path, max_bytes=MAX_TABLE_BYTES)
        try:
            records = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as err:
            raise IssueError(Issue("yaml-syntax", name, f"CSV cannot be parsed: {err}")) \
                from None
        numbered = list(enumerate(records, start=1))
    else:
        numbered = _xlsx_rows(path)
    if not numbered or not any(str(c).strip() for c in numbered[0][1] if c is not None):
        raise IssueError(Issue("file-empty", name, "the table has no header row"))
    header = [str(c).strip() if c is not None else "" for c in numbered[0][1]]
    return header, numbered[1:]


def _xlsx_rows(path: Path) -> list[tuple[int, list[Any]]]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    name = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise IssueError(Issue("file-not-found", name, "no such file")) from None
    if size == 0:
        raise IssueError(Issue("file-empty", name, "the file is empty"))
    if size > MAX_TABLE_BYTES:
        raise IssueError(Issue("file-too-large", name, f"file is {size:,} bytes; "
                               f"the limit is {MAX_TABLE_BYTES:,}"))
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as err:
        raise IssueError(Issue("file-format", name, f"not a readable XLSX workbook ({err})")) \
            from None
    try:
        sheet = book.worksheets[0]
        return [(i, list(r)) for i, r in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()
