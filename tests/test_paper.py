"""The paper's typology tables, in every export format."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ptce_typology.analysis.paper import crosstab_table, typology_table
from ptce_typology.resources import examples_dir


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
\usepackage{textcomp}
\usepackage{booktabs}
\usepackage{array}
\usepackage{longtable}
\begin{document}
"""

QCA = ("qca", "--outcome", "laureate_2013", "--conditions",
       "SEG:origin=social_enterprise_group,DEIND:territory=deindustrialised")
LATEX_COMMANDS = [("typology",), ("typology", "--by", "sector"), ("reproduce",),
                  ("clusters", "--resamples", "5"), ("clusters", "--resamples", "5",
                                                     "--all-categories"),
                  ("classify", str(examples_dir() / "le_periscope.yaml")), ("compare",),
                  ("compare", "--by", "territory"), ("compare", "--cases", "all"), QCA,
                  ("gap",), ("codebook",), ("calls",)]


BABEL = "\\usepackage[french]{babel}\n"


def compile_latex(body: str, folder, babel: bool = False) -> str:
    """pdflatex on the body under the README's preamble (with ``babel[french]``, which the
    README recommends for a French document, when ``babel``); the log of the last run.

    Two runs, as for any document with a longtable: the first one writes the column widths
    to the .aux file and the second one sets the table with them.
    """
    preamble = PREAMBLE.replace("\\begin{document}", BABEL + "\\begin{document}") if babel \
        else PREAMBLE
    (folder / "t.tex").write_text(preamble + body + "\\end{document}\n", encoding="utf-8")
    for _ in range(2):
        result = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                                 "t.tex"], cwd=folder, capture_output=True, text=True,
                                errors="replace", timeout=120, check=False)
        assert result.returncode == 0, result.stdout[-2000:]
    log = (folder / "t.log").read_text(encoding="latin-1")
    assert (folder / "t.pdf").stat().st_size > 1000
    return log


def overfull(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith("Overfull \\hbox")]


HAS_BABEL_FRENCH = shutil.which("kpsewhich") is not None and subprocess.run(
    ["kpsewhich", "french.ldf"], capture_output=True, check=False).returncode == 0
needs_pdflatex = pytest.mark.skipif(
    shutil.which("pdflatex") is None,
    reason="pdflatex is not installed (.ci/run installs texlive-latex-recommended)")


@pytest.fixture(scope="module")
def latex_bodies():
    """The LaTeX of every command of LATEX_COMMANDS in each language, by the command's words."""
    from typer.testing import CliRunner

    from ptce_typology.cli import app

    bodies = {}
    for lang in ("en", "fr"):
        for command in LATEX_COMMANDS:
            result = CliRunner().invoke(app, [*command, "--format", "latex", "--lang", lang])
            assert result.exit_code == 0, (command, result.stderr)
            name = " ".join(Path(word).name for word in command)
            bodies[lang, name] = result.stdout
    return bodies


def overfull_by_command(log: str) -> dict[str, list[str]]:
    """The Overfull boxes of the log, under the command whose output was being set."""
    found: dict[str, list[str]] = {}
    command = None
    for line in log.splitlines():
        if line.startswith("PTCE-COMMAND "):
            command = line.removeprefix("PTCE-COMMAND ")
        elif line in overfull(line):
            found.setdefault(command, []).append(line)
    return found


@needs_pdflatex
@pytest.mark.parametrize("babel", [False, True], ids=["plain", "babel-french"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_latex_of_every_command_compiles_and_fits_the_page(latex_bodies, tmp_path, lang, babel):
    # Every command's tables in one document (one pdflatex run for all of them), each
    # announced in the log, so that an Overfull box names the command that made it.
    if babel and not HAS_BABEL_FRENCH:
        pytest.skip("babel's French is not installed (.ci/run installs texlive-lang-french)")
    body = "".join(f"\\typeout{{PTCE-COMMAND {name}}}\n{text}\n\\clearpage\n"
                   for (language, name), text in latex_bodies.items() if language == lang)
    log = compile_latex(body, tmp_path, babel=babel)
    assert ("french" in log) == babel
    assert log.count("PTCE-COMMAND ") == len(LATEX_COMMANDS)
    assert overfull_by_command(log) == {}


def test_overfull_boxes_are_named_by_their_command():
    log = ("PTCE-COMMAND gap\nOverfull \\hbox (4.0pt too wide) in paragraph at lines 3--4\n"
           "PTCE-COMMAND calls\n[2]\n")
    assert overfull_by_command(log) == {
        "gap": ["Overfull \\hbox (4.0pt too wide) in paragraph at lines 3--4"]}


def test_latex_caption_and_label_options(run):
    body = run("compare", "--format", "latex", "--caption", "Table 1", "--label",
               "tab:one").stdout
    assert r"\caption{Table 1}" in body and r"\label{tab:one}" in body
    body = run("compare", "--format", "latex", "--lang", "fr").stdout
    assert "Comparaison selon Lauréat de l'appel national 2013-2014" in body
    assert "laureate" not in body.split(r"\caption{")[1].split("}")[0]
    body = run(*QCA, "--format", "latex", "--caption", "QCA", "--label", "tab:q").stdout
    assert r"\label{tab:q:1}" in body and r"\caption{QCA: " in body


def test_long_tables_repeat_their_header(run):
    body = run("clusters", "--resamples", "0", "--all-categories", "--format", "latex").stdout
    assert r"\begin{longtable}" in body and r"\endhead" in body and r"\endfirsthead" in body


def test_dimension_named_once_with_a_rule_between_groups(run):
    body = run("typology", "--format", "latex").stdout
    assert body.count("Territory &") == 1
    assert body.count(r"\midrule") >= 6  # the header rule and one between each group
    # only the three descriptors with unknown values keep an unknown row (origin has none)
    unknown_rows = [line for line in body.splitlines() if line.startswith(" & Unknown &")]
    # members: Éoliennes en Pays de Vilaine, Fontaine O Livres (adhérents, not structures)
    # and Pôle Sud Archer (tenants of a building, not member structures)
    assert [line.split(" & ")[2] for line in unknown_rows] == ["3", "5", "7"]
    assert "Rows of unknown values with a zero count are left out." in body


HOSTILE = ("50\u202f% et 3\u2009000\u00a0poles; \u22121,5; α ≥ β ≤ γ; ✓ 😀 漢字; zero\u200bwidth; "
           "ctrl\x07bell\x1b; tab\there; back\\slash & {braces} $ # _ ^ ~ « » … – — ’ € ² ×")


def test_latex_escape_maps_or_replaces_every_character():
    from ptce_typology.render.latex import latex_escape

    out = latex_escape(HOSTILE)
    assert r"50\,\%" in out and r"3\,000~poles" in out and "$-$1,5" in out
    assert r"$\alpha$ $\geq$ $\beta$ $\leq$ $\gamma$" in out
    assert "[U+2713]" in out and "[U+1F600]" in out and "[U+6F22]" in out
    assert "[U+0007]" in out and "[U+001B]" in out and "\t" not in out
    assert all(ord(ch) < 0x180 for ch in out)


@needs_pdflatex
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_hostile_text_compiles(run, tmp_path, lang):
    import csv

    path = tmp_path / "hostile.csv"
    # Control characters never reach a table: the reader refuses them (tests/test_hostile_*).
    printable = "".join(ch for ch in HOSTILE if ch.isprintable() or ch == " ")
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "group", printable[:40], "size"])
        parts = printable.split("; ")
        for i in range(8):
            writer.writerow([f"p{i}", "x" if i % 2 else "y", parts[i % len(parts)], i])
    result = run("compare", "--data", path, "--by", "group", "--format", "latex", "--lang",
                 lang, "--caption", HOSTILE)
    assert result.exit_code == 0, result.stderr
    folder = tmp_path / "tex"
    folder.mkdir()
    log = compile_latex(result.stdout, folder)
    assert overfull(log) == [], overfull(log)
