"""CSV output: no cell a spreadsheet runs as a formula, full-width and minus-sign forms
included, and the guard's quote read back off by the case-table reader."""

from __future__ import annotations

import csv
import io

import pytest
from hostile import table_rows, with_cell, write_table

from ptce_typology.render.formats.csv import csv_safe, formula_start

# The examples, then variants of our own (small forms, superscript plus).
FULL_WIDTH = ["＝1+1", "＋1+2", "＠SUM(A1)", "−2+3", "－2+3", "﹦HYPERLINK(\"x\")", "⁺1"]


@pytest.mark.parametrize("text", FULL_WIDTH)
def test_full_width_and_minus_sign_formulas_are_guarded(text):
    assert formula_start(text)
    assert csv_safe(text) == "'" + text


def test_text_that_is_no_formula_is_left_alone():
    for text in ("a=1", "−", "－", "-", "+", "", "Pôle", "1−2"):
        assert csv_safe(text) == text


def _names_through(run, tmp_path, names: list[str], read_back: bool) -> list[str]:
    header, rows = table_rows(run)
    # read back: the names are what the reader holds in memory (written as ptce writes them)
    rows = [with_cell(header, rows[i], "name", csv_safe(name) if read_back else name)
            for i, name in enumerate(names)]
    table = write_table(tmp_path / "t.csv", header, rows)
    out = run("list", "-f", "csv", "--cases", table, "--columns", "name").stdout
    if read_back:
        again = write_table(tmp_path / "again.csv", *_split(run("list", "-f", "csv", "--cases",
                                                               table).stdout))
        data = run("list", "-f", "json", "--cases", again, "--columns", "name").stdout
        import json

        return [row["name"] for row in json.loads(data)[: len(names)]]
    return [r[1] for r in list(csv.reader(io.StringIO(out)))[1: len(names) + 1]]


def _split(text: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:]


def test_list_csv_guards_full_width_formulas(run, tmp_path):
    written = _names_through(run, tmp_path, FULL_WIDTH, read_back=False)
    assert written == ["'" + name for name in FULL_WIDTH]


def test_a_quoted_value_comes_back_as_written(run, tmp_path):
    # the issue's '=1+1, and quoted full-width ones: the writer adds its own quote, the
    # reader takes one off
    names = ["'=1+1", "'＝1+1", "'−2", "''x"]
    assert _names_through(run, tmp_path, names, read_back=True) == names


@pytest.mark.xfail(strict=True, reason="the case-table reader (intake/tables.py) takes the "
                                       "guard's ' off before ASCII signs only; it should use "
                                       "render.formats.csv.formula_start")
def test_a_full_width_formula_comes_back_as_written(run, tmp_path):
    assert _names_through(run, tmp_path, ["＝1+1"], read_back=True) == ["＝1+1"]


def test_float_columns_are_written_as_pandas_writes_them():
    """to_csv formats a float64 column once per distinct number: the bytes are pandas' own
    (numpy's str of each number), -0.0, NaN, infinities, extremes and repeats included; float32
    and nullable Float64 columns are left to pandas."""
    import numpy as np
    import pandas as pd

    from ptce_typology.render.formats.csv import to_csv

    rng = np.random.default_rng(0)
    numbers = np.concatenate([rng.normal(size=500), rng.normal(size=200) * 1e17,
                              rng.normal(size=200) * 1e-8,
                              [0.0, -0.0, np.nan, np.inf, -np.inf, 1e16, 1e-5, 1e-4, 5e-324,
                               1.7976931348623157e308, 0.1, 1 / 3, 123456789012345678.0]])
    numbers = np.concatenate([numbers, numbers[:300], -numbers[::7]])
    frame = pd.DataFrame({"x": numbers, "k": rng.integers(0, 5, len(numbers)).astype(float),
                          "f32": np.clip(numbers, -1e30, 1e30).astype(np.float32),
                          "text": ["a"] * len(numbers)})
    frame["nullable"] = pd.array(np.where(np.isnan(numbers), None, numbers), dtype="Float64")
    written = to_csv(frame)
    assert written == frame.to_csv(lineterminator="\n")
    assert ",-0.0," in written  # kept apart from 0.0
