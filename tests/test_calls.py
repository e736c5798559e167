"""The ledger of the national calls: counts from the frame, completeness, renderings."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ptce_typology.analysis.calls import calls_ledger
from ptce_typology.render.calls import ledger_json, ledger_table
from ptce_typology.vocabulary import vocabulary


def _frame(values: dict[str, list[str]]) -> pd.DataFrame:
    n = len(next(iter(values.values())))
    frame = pd.DataFrame({spec["column"]: ["unknown"] * n
                          for spec in vocabulary().calls.values()})
    for column, column_values in values.items():
        frame[column] = column_values
    return frame


def test_counts_by_value_and_completeness():
    frame = _frame({"laureate_ami_2021": ["yes"] * 15 + ["no", "not_applicable", "unknown"],
                    "laureate_2013": ["yes", "no"] + ["unknown"] * 16})
    ledger = calls_ledger(frame)
    row = ledger.loc["ami_2021"]
    assert (row["bundled_yes"], row["bundled_no"], row["bundled_unknown"],
            row["bundled_not_applicable"]) == (15, 1, 1, 1)
    assert row["announced"] == 15 and row["named"] == 15 and bool(row["complete"])
    assert not ledger.loc["call_2013", "complete"]
    assert ledger.loc["call_2013", "named"] == 1


def test_a_call_whose_count_no_source_gives_is_never_complete():
    calls = vocabulary().calls
    missing = [c for c, spec in calls.items() if spec.get("announced") is None]
    ledger = calls_ledger(_frame({"laureate_2013": ["unknown"]}))
    for call in missing:
        assert pd.isna(ledger.loc[call, "announced"]) and not ledger.loc[call, "complete"]


def test_every_call_is_in_the_ledger_in_order():
    ledger = calls_ledger(_frame({"laureate_2013": ["unknown"]}))
    assert list(ledger.index) == list(vocabulary().calls)
    assert {"call_2013", "call_2015", "ami_2021", "ami_2022", "ami_2023", "ami_2024",
            "ami_2025"} <= set(ledger.index)


def test_every_announced_count_has_a_source_quoting_it():
    for call, spec in vocabulary().calls.items():
        if spec.get("announced") is None:
            continue
        quotes = " ".join(s.get("quote", "") for s in spec["sources"])
        words = {8: "huit"}
        assert str(spec["announced"]) in quotes or words.get(spec["announced"], "?") in quotes, call


def test_json_and_french_table():
    ledger = calls_ledger(_frame({"laureate_2013": ["yes"]}))
    data = json.loads(json.dumps(ledger_json(ledger)))
    assert data["calls"][0]["call"] == "call_2013" and data["calls"][0]["bundled_yes"] == 1
    table = ledger_table(ledger, "fr")
    assert "Lauréats annoncés" in table.columns
    assert not any("Laureates" in str(c) for c in table.columns)


@pytest.mark.parametrize("fmt", ["md", "csv", "json", "latex"])
def test_command(run, fmt):
    result = run("calls", "--cases", "tests/fixtures/agreement/a", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "2013" in result.stdout
