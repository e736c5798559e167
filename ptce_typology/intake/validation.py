"""Validation of case files: every problem in every file, each as an :class:`Issue`.

Nothing here raises on bad data; ``validate_paths`` returns a :class:`Report`. Loaders turn a
report with issues into :class:`~ptce_typology.errors.ValidationFailed`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ptce_typology.errors import Issue
from ptce_typology.intake.checks import validate_mapping
from ptce_typology.intake.schema import Case
from ptce_typology.intake.tables import read_table_cases
from ptce_typology.intake.yamlread import IssueError, read_yaml

YAML_SUFFIXES = (".yaml", ".yml")
TABLE_SUFFIXES = (".csv", ".xlsx")


@dataclass
class Report:
    """The result of validating some files: the valid cases and every issue."""

    files: list[str] = field(default_factory=list)
    cases: list[tuple[str, Case]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no issue was found."""
        return not self.issues

    def to_dict(self) -> dict:
        """The report as plain data: ``valid``, ``files``, ``cases`` and ``issues``."""
        return {
            "valid": self.ok,
            "files": self.files,
            "cases": [case.pole_id for _, case in self.cases],
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


def validate_paths(paths: Iterable[Path | str]) -> Report:
    """Validate case files, folders of case files and case tables (CSV, XLSX).

    Every problem in every file is reported, plus duplicate ``pole_id`` across files.
    """
    files, issues = expand_paths(paths)
    report = Report(files=[str(f) for f in files], issues=issues)
    for path in files:
        if path.suffix.lower() in TABLE_SUFFIXES:
            cases, file_issues = read_table_cases(path)
        else:
            case, file_issues = validate_file(path)
            cases = [(str(path), case)] if case else []
        report.issues.extend(file_issues)
        report.cases.extend(cases)
    report.issues.extend(duplicate_ids([(name, case.pole_id) for name, case in report.cases]))
    if report.issues:
        duplicated = {i.value for i in report.issues if i.code == "duplicate-pole-id"}
        report.cases = [(n, c) for n, c in report.cases if c.pole_id not in duplicated]
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


def validate_file(path: Path) -> tuple[Case | None, list[Issue]]:
    """Validate one YAML case file; the case is None when there is any issue."""
    name = str(path)
    try:
        data, lines = read_yaml(path)
    except IssueError as err:
        return None, [err.issue]
    return validate_mapping(data, name, lines)
