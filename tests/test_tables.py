"""The paper's typology tables, in every export format."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from ptce_typology.analysis.paper import crosstab_table, typology_table


def test_typology_counts(frame):
    table = typology_table(frame)
    counts = table["count"].to_dict()
    assert counts[("territory", "rural")] == 4
    assert counts[("sector", "creative_cultural")] == 5
    assert counts[("origin", "citizen_associative")] == 9
    assert counts[("shared_premises", "unknown")] == 5  # unknown is its own row
    for dimension, part in table.groupby(level="dimension"):
        assert part["count"].sum() == 12, dimension
        assert abs(part["share"].sum() - 1) < 1e-12


def test_unknown_row_is_never_dropped(frame):
    table = typology_table(frame, ("origin",))
    assert ("origin", "unknown") in table.index
    assert table.loc[("origin", "unknown"), "count"] == 0


def test_crosstab(frame):
    table = crosstab_table(frame, "territory", "sector")
    assert table["count"].sum() == 12
    assert table.loc[("urban_popular_neighbourhood", "creative_cultural"), "count"] == 3
    assert table.loc[("urban_popular_neighbourhood", "creative_cultural"), "poles"] == (
        "fontaine_o_livres", "la_coursive_boutaric", "paris_mix")


def test_typology_json_shape(run, frame):
    data = json.loads(run("typology", "--format", "json").stdout)
    territory = next(d for d in data["dimensions"] if d["dimension"] == "territory")
    rural = next(c for c in territory["categories"] if c["category"] == "rural")
    assert rural == {"category": "rural", "label": "Rural", "count": 4, "share": 0.333,
                     "poles": ["de_fil_en_reseaux", "eco_domaine_de_bouquetot",
                               "eoliennes_en_pays_de_vilaine", "les_articulteurs"]}
    assert data["n_poles"] == 12


def test_bad_descriptor_is_one_line(run):
    result = run("typology", "--by", "colour")
    assert result.exit_code == 1 and "allowed:" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("fmt", ["table", "md", "latex", "csv", "json"])
def test_typology_golden(run, golden, fmt):
    result = run("typology", "--format", fmt, env={"COLUMNS": "160"})
    assert result.exit_code == 0
    golden(f"typology.{fmt}", result.stdout)


def test_typology_french_numbers(run, golden):
    result = run("typology", "--format", "md", "--lang", "fr")
    assert "33,3\u00a0%" in result.stdout and "Désindustrialisé" in result.stdout
    golden("typology.fr.md", result.stdout)


@pytest.mark.parametrize("fmt", ["md", "csv", "json", "latex"])
def test_crosstab_golden(run, golden, fmt):
    result = run("typology", "--by", "sector", "-d", "territory", "--format", fmt)
    golden(f"crosstab.{fmt}", result.stdout)


def test_xlsx_reads_back_with_the_same_cells(run, tmp_path, frame):
    from openpyxl import load_workbook

    from ptce_typology.render.paper import display_typology

    path = tmp_path / "typology.xlsx"
    assert run("typology", "--format", "xlsx", "-o", path).exit_code == 0
    sheet = load_workbook(path).worksheets[0]
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    shown = display_typology(typology_table(frame), frame["name"].to_dict())
    assert cells[0] == [shown.index.name, *shown.columns]
    expected = [[key, *[None if v == "" else v for v in row]]
                for key, row in zip(shown.index, shown.itertuples(index=False), strict=True)]
    assert cells[1:] == expected


def test_xlsx_is_byte_identical_on_rerun(run, tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    run("typology", "--format", "xlsx", "-o", a)
    run("typology", "--format", "xlsx", "-o", b)
    assert a.read_bytes() == b.read_bytes()


PREAMBLE = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{booktabs}
\usepackage{textcomp}
\begin{document}
"""


@pytest.mark.parametrize("command", [("typology",), ("typology", "--lang", "fr"),
                                     ("typology", "--by", "sector"), ("reproduce",),
                                     ("reproduce", "--lang", "fr"), ("compare", "--lang", "fr"),
                                     ("clusters", "--resamples", "5"),
                                     ("qca", "--outcome", "laureate_2013", "--conditions",
                                      "SEG:origin=social_enterprise_group,DEIND:territory=deindustrialised")])
def test_latex_compiles_with_pdflatex(run, tmp_path, command):
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed (.ci/run installs texlive-latex-recommended)")
    body = run(*command, "--format", "latex").stdout
    (tmp_path / "t.tex").write_text(PREAMBLE + body + "\\end{document}\n", encoding="utf-8")
    result = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "t.tex"],
                            cwd=tmp_path, capture_output=True, text=True, errors="replace",
                            timeout=120, check=False)
    assert result.returncode == 0, result.stdout[-2000:]
    assert (tmp_path / "t.pdf").stat().st_size > 1000
