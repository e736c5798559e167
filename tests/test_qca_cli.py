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
