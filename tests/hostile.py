"""Helpers shared by the tests/test_hostile_*.py files (hostile input, hostile output)."""

from __future__ import annotations

import csv
import io
from pathlib import Path


def assert_one_line_error(result, *needles: str) -> str:
    """Exit code 1, no traceback, and exactly one line on stderr holding every needle."""
    assert result.exit_code == 1, (result.exit_code, result.output[-800:])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def table_rows(run) -> tuple[list[str], list[list[str]]]:
    """The header and rows of `ptce list --format csv` (the bundled témoins)."""
    rows = list(csv.reader(io.StringIO(run("list", "-f", "csv").stdout)))
    return rows[0], rows[1:]


def write_table(path: Path, header: list[str], rows: list[list[str]], delimiter: str = ",") \
        -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def with_cell(header: list[str], row: list[str], column: str, value: str) -> list[str]:
    """A copy of ``row`` with ``column`` set to ``value``."""
    out = list(row)
    out[header.index(column)] = value
    return out
