"""`ptce qca --dir-exp` and `--fuzzy`: the command gives the library's result."""

from __future__ import annotations

import json

from ptce_typology.analysis.qca import qca
from ptce_typology.render.formats import to_json
from ptce_typology.render.qca import qca_json

CONDITIONS = ["DI:territory=deindustrialised", "OLD:age>10", "SEG:origin=social_enterprise_group"]


def test_intermediate_solution_from_the_command(run, frame):
    result = run("qca", "--outcome", "laureate_2013", "--conditions", ",".join(CONDITIONS),
                 "--dir-exp", "1,1,1", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    expected = qca(frame, "laureate_2013", CONDITIONS, dir_exp=[1, 1, 1])
    assert data == json.loads(to_json(qca_json(expected)))
    assert data["solutions"]["intermediate"] == ["DI*OLD + DI*SEG"]
    assert "intermediate: DI*OLD + DI*SEG" in result.stderr


def test_fuzzy_sets_from_a_data_table(run, tmp_path):
    table = tmp_path / "fuzzy.csv"
    table.write_text("id,A,B,Y\n" + "".join(
        f"c{i},{a},{b},{y}\n" for i, (a, b, y) in enumerate(
            [(0.9, 0.8, 0.9), (0.8, 0.2, 0.7), (0.2, 0.9, 0.3), (0.1, 0.1, 0.1),
             (0.7, 0.6, 0.8), (0.3, 0.7, 0.2)])), encoding="utf-8")
    result = run("qca", "--data", str(table), "--outcome", "Y", "--conditions", "A,B",
                 "--fuzzy", "--incl-cut", "0.8", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    # Rows A*B (incl 0.955) and A*~B (0.895) pass 0.8; ~A rows (0.545, 0.526) do not.
    assert [r["OUT"] for r in data["truth_table"]] == ["1", "1", "0", "0"]
    assert data["solutions"]["complex"] == ["A"]
    shown = run("qca", "--data", str(table), "--outcome", "Y", "--conditions", "A,B",
                "--fuzzy", "--incl-cut", "0.8", "--format", "md", "--lang", "fr").stdout
    assert "A = appartenance à A (ensemble flou, de 0 à 1)" in shown
    bad = run("qca", "--data", str(table), "--outcome", "Y", "--conditions", "A,B",
              "--dir-exp", "1,1,1")
    assert bad.exit_code == 1 and bad.stderr.count("\n") == 1


def test_a_call_that_ran_before_the_pole_started_leaves_it_out(run):
    """La Californie started in 2018: for the 2013-14 call it is `not_applicable`, neither a
    laureate (1) nor a non-laureate (0). It is left out and named, like an unknown value."""
    result = run("qca", "--cases", "all", "--outcome", "laureate_2013=yes",
                 "--conditions", "DI:territory=deindustrialised", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert "la_californie_toucy" in data["left_out"]
    in_rows = ",".join(row["cases"] for row in data["truth_table"]).split(",")
    assert "la_californie_toucy" not in in_rows and "ptce_pays_de_bray" in in_rows
    assert "value unknown or not applicable" in result.stderr


def _table(tmp_path, rows):
    table = tmp_path / "calls.csv"
    table.write_text("id,A,Y\n" + "".join(f"c{i},{a},{y}\n" for i, (a, y) in enumerate(rows)),
                     encoding="utf-8")
    return table


def test_a_not_applicable_outcome_is_left_out_and_named(tmp_path):
    import pandas as pd

    data = pd.DataFrame({"A": ["yes", "no", "yes", "no", "yes"],
                         "Y": ["yes", "no", "not_applicable", "no", "yes"]},
                        index=pd.Index([f"c{i}" for i in range(5)], name="id"))
    result = qca(data, "Y", ["A"])
    assert result.left_out == ["c2"]
    assert result.solutions["complex"] == ["A"]


def test_a_constant_outcome_is_one_error_in_the_chosen_language(run, tmp_path):
    table = _table(tmp_path, [("yes", "yes"), ("no", "yes"), ("yes", "yes")])
    result = run("qca", "--data", str(table), "--outcome", "Y", "--conditions", "A")
    assert result.exit_code == 1
    assert result.stderr.strip() == ("error: --outcome: the outcome is 1 for every one of the "
                                     "3 cases left: there is nothing to explain")
    french = run("qca", "--data", str(table), "--outcome", "Y", "--conditions", "A",
                 "--lang", "fr")
    assert french.exit_code == 1
    assert french.stderr.startswith("erreur : --outcome : le résultat vaut 1 pour chacun des 3")
    assert "Traceback" not in french.output
