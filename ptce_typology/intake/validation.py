"""Validation of case files: every problem in every file, each as an :class:`Issue`.

Nothing here raises on bad data; ``validate_paths`` returns a :class:`Report`. Loaders turn a
report with issues into :class:`~ptce_typology.errors.ValidationFailed`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ptce_typology.errors import Issue
from ptce_typology.intake.checks import validate_mapping
from ptce_typology.intake.schema import Case
from ptce_typology.intake.tables import MAX_TABLE_BYTES, table_pole_ids
from ptce_typology.intake.yamlread import MAX_FILE_BYTES, IssueError, parse_yaml, read_bytes

YAML_SUFFIXES = (".yaml", ".yml")
TABLE_SUFFIXES = (".csv", ".xlsx")


@dataclass
class Report:
    """The result of validating some files: ``pole_ids``, the (file or "file:row", pole_id)
    of every valid case, and every issue. (:func:`~ptce_typology.intake.loading.load_cases`
    gives the cases themselves.)"""

    files: list[str] = field(default_factory=list)
    pole_ids: list[tuple[str, str]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    checksums: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no issue was found."""
        return not self.issues

    def to_dict(self) -> dict:
        """The report as plain data: ``valid``, ``files``, ``cases`` and ``issues``."""
        return {
            "valid": self.ok,
            "files": self.files,
            "cases": [pole_id for _, pole_id in self.pole_ids],
            "issues": [issue.to_dict() for issue in self.issues],
        }


def expand_paths(paths: Iterable[Path | str]) -> tuple[list[Path], list[Issue]]:
    """Files named by ``paths``: folders give their YAML files, sorted by name."""
    files: list[Path] = []
    issues: list[Issue] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            try:
                # Not only regular files: a FIFO or a link to a device is reported, not skipped.
                found = sorted(p for p in path.iterdir()
                               if p.suffix.lower() in YAML_SUFFIXES and not p.is_dir())
            except OSError as err:
                issues.append(Issue("file-unreadable", str(path),
                                    f"cannot list the folder: {err.strerror or err}"))
                continue
            if not found:
                issues.append(Issue("file-not-found", str(path),
                                    "the folder holds no .yaml case file"))
            files.extend(found)
        elif not path.exists():
            issues.append(Issue("file-not-found", str(path), "no such file or folder"))
        elif path.suffix.lower() in YAML_SUFFIXES + TABLE_SUFFIXES:
            files.append(path)
        else:
            issues.append(Issue("file-format", str(path),
                                f"cannot read {path.suffix or 'files without extension'}",
                                allowed=YAML_SUFFIXES + TABLE_SUFFIXES))
    return files, issues


@dataclass
class Inputs:
    """One reading of the inputs: the files, what each gave (``(name, item)`` pairs: cases
    or records), every issue (duplicate ``pole_id`` included) and the SHA-256 of the bytes of
    every file read."""

    files: list[Path]
    named: list[tuple[str, Any]]
    issues: list[Issue]
    checksums: list[tuple[str, str]]


def read_inputs(paths: Iterable[Path | str],
                read_table: Callable[[Path, bytes], tuple[list[tuple[str, Any]], list[Issue]]],
                read_case: Callable[[Case], Any]) -> Inputs:
    """Expand ``paths`` and read every file once: a table's bytes go to ``read_table``, a
    case file's valid case to ``read_case``; the loop behind :func:`validate_paths` and
    :func:`~ptce_typology.intake.loading.read_record_columns`."""
    import hashlib

    files, issues = expand_paths(paths)
    inputs = Inputs(files=files, named=[], issues=issues, checksums=[])
    for path in files:
        table = path.suffix.lower() in TABLE_SUFFIXES
        try:
            raw = read_bytes(path, max_bytes=MAX_TABLE_BYTES if table else MAX_FILE_BYTES)
        except IssueError as err:
            inputs.issues.append(err.issue)
            continue
        inputs.checksums.append((str(path), hashlib.sha256(raw).hexdigest()))
        if table:
            named, file_issues = read_table(path, raw)
        else:
            case, file_issues = validate_file(path, raw)
            named = [(str(path), read_case(case))] if case is not None else []
        inputs.issues.extend(file_issues)
        inputs.named.extend(named)
    inputs.issues.extend(duplicate_ids([(name, _pole_id(item)) for name, item in inputs.named]))
    return inputs


def _pole_id(item: Case | dict | str) -> str:
    if isinstance(item, str):
        return item
    return item.pole_id if isinstance(item, Case) else item["pole_id"]


def validate_paths(paths: Iterable[Path | str]) -> Report:
    """Validate case files, folders of case files and case tables (CSV, XLSX).

    Every problem in every file is reported, plus duplicate ``pole_id`` across files. The rows
    of a table are checked column by column (:func:`~ptce_typology.intake.tables.table_pole_ids`),
    and only doubtful rows go through the case schema: memory stays a few times the table's
    size.
    """
    inputs = read_inputs(paths, table_pole_ids, lambda case: case.pole_id)
    report = Report(files=[str(f) for f in inputs.files], pole_ids=inputs.named,
                    issues=inputs.issues, checksums=inputs.checksums)
    if report.issues:
        duplicated = {i.value for i in report.issues if i.code == "duplicate-pole-id"}
        report.pole_ids = [(n, p) for n, p in report.pole_ids if p not in duplicated]
    return report


def duplicate_ids(named_ids: list[tuple[str, str]]) -> list[Issue]:
    """An issue for every (file, pole_id) whose pole_id an earlier file already uses."""
    seen: dict[str, str] = {}
    issues = []
    for name, pole_id in named_ids:
        if pole_id in seen:
            issues.append(Issue("duplicate-pole-id", name,
                                f"pole_id is already used by {seen[pole_id]}",
                                field="pole_id", value=pole_id))
        else:
            seen[pole_id] = name
    return issues


def validate_file(path: Path, raw: bytes) -> tuple[Case | None, list[Issue]]:
    """Validate one YAML case file (its bytes ``raw``); the case is None when there is any
    issue.

    The same file read again with the same bytes (a notebook or a test loading the bundled
    cases many times in one process) gives the same (frozen) case without parsing it again;
    files past 1 MB are not kept."""
    if len(raw) > _KEPT_BYTES:
        return _validate_file(str(path), raw)
    case, issues = _validate_file_kept(str(path), raw)
    return case, list(issues)


_KEPT_BYTES = 1_000_000


@functools.lru_cache(maxsize=1024)
def _validate_file_kept(name: str, raw: bytes) -> tuple[Case | None, tuple[Issue, ...]]:
    case, issues = _validate_file(name, raw)
    return case, tuple(issues)


def _validate_file(name: str, raw: bytes) -> tuple[Case | None, list[Issue]]:
    try:
        data, lines = parse_yaml(raw, name)
    except IssueError as err:
        return None, [err.issue]
    return validate_mapping(data, name, lines)
