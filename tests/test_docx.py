"""Word output (``--format docx``): real tables, read back with python-docx and through
LibreOffice."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from ptce_typology.resources import examples_dir

docx = pytest.importorskip("docx")

QCA = ("qca", "--outcome", "laureate_2013", "--conditions",
       "SEG:origin=social_enterprise_group,DEIND:territory=deindustrialised")
COMMANDS = [("list",), ("show", "paris_mix"), ("typology",), ("typology", "--by", "sector"),
            ("reproduce",), ("clusters", "--resamples", "0"),
            ("classify", str(examples_dir() / "le_periscope.yaml")), ("compare",), QCA,
            ("referentiel",), ("gap",)]


def _tables(path):
    document = docx.Document(str(path))
    return document, [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c[:2]))
def test_every_table_command_writes_word(run, tmp_path, command):
    path = tmp_path / "out.docx"
    result = run(*command, "--format", "docx", "-o", path)
    assert result.exit_code == 0, result.stderr
    document, tables = _tables(path)
    assert tables and all(len(t) >= 2 for t in tables)
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert len(captions) == len(tables)


def test_word_comparison_is_the_display_table(run, tmp_path, frame):
    from ptce_typology.analysis.comparison import compare_groups
    from ptce_typology.render.comparison import comparison_table

    path = tmp_path / "compare.docx"
    assert run("compare", "--format", "docx", "--lang", "fr", "-o", path).exit_code == 0
    document, (table,) = _tables(path)
    shown = comparison_table(compare_groups(frame), "fr")
    assert table[0] == [shown.index.name, *shown.columns]
    assert table[0][2] == "Lauréats (n\u00a0=\u00a05)"
    # the descriptor is named once, on the first row of its group
    names = [row[0] for row in table[1:]]
    assert names.count("Territoire") == 1
    first = [str(c) for c in shown.reset_index().iloc[0]]
    assert table[1] == first
    assert "11 [10\u00a0; 24]" in table[1]     # median [Q1 ; Q3], French style
    assert any("0,106" in cell for cell in table[1])
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == ["Comparaison selon Lauréat de l'appel national 2013-2014"]
    notes = [p.text for p in document.paragraphs if p.style.name != "Caption" and p.text]
    assert notes == shown.attrs["notes"]
    # the header row repeats on every page
    assert table and document.tables[0].rows[0]._tr.xpath("./w:trPr/w:tblHeader")


def test_word_numbers_follow_the_language(run, tmp_path):
    en, fr = tmp_path / "en.docx", tmp_path / "fr.docx"
    run(*QCA, "--format", "docx", "-o", en)
    run(*QCA, "--format", "docx", "--lang", "fr", "-o", fr)
    _, tables_en = _tables(en)
    _, tables_fr = _tables(fr)
    assert "0.125" in tables_en[0][3] and "0,125" in tables_fr[0][3]
    assert tables_fr[0][0][0] == "ligne" and tables_en[0][0][0] == "row"


def test_word_is_byte_identical_on_rerun(run, tmp_path):
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    run("compare", "--format", "docx", "-o", a)
    run("compare", "--format", "docx", "-o", b)
    assert a.read_bytes() == b.read_bytes()


def test_word_needs_an_output_file(run):
    result = run("typology", "--format", "docx")
    assert result.exit_code == 1 and "binary" in result.stderr


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.skipif(not (SOFFICE and PDFTOTEXT),
                    reason="LibreOffice and poppler-utils are not installed (.ci/run installs "
                           "libreoffice-writer-nogui and poppler-utils)")
def test_libreoffice_opens_the_word_tables(run, tmp_path):
    paths = []
    for name, command in (("compare", ("compare", "--lang", "fr")), ("gap", ("gap",))):
        path = tmp_path / f"{name}.docx"
        assert run(*command, "--format", "docx", "-o", path).exit_code == 0
        paths.append(path)
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, paths)],
                   capture_output=True, timeout=300, check=True)
    texts = {}
    for path in paths:
        pdf = path.with_suffix(".pdf")
        assert pdf.exists(), f"LibreOffice wrote no {pdf.name}"
        texts[path.stem] = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"],
                                          capture_output=True, text=True, check=True).stdout
    compare = texts["compare"]
    for expected in ("Comparaison selon Lauréat", "Lauréats", "Désindustrialisé",
                     "0,010", "V de Cramér"):
        assert expected in compare, expected
    assert "Culture et Coopération" in texts["gap"] and "Pole" in texts["gap"]


@pytest.mark.parametrize("text", ["a\ufffeb", "a\uffffb", "a\ud800b", "a\x07b"], ids=ascii)
def test_characters_xml_forbids_become_the_replacement_character(text):
    import io

    import pandas as pd
    from docx import Document

    from ptce_typology.render.docx import to_docx

    frame = pd.DataFrame({text: [text]}, index=pd.Index([text], name=text))
    frame.attrs["notes"] = [text]
    document = Document(io.BytesIO(to_docx([(text, frame)])))
    shown = [p.text for p in document.paragraphs] + [
        c.text for t in document.tables for r in t.rows for c in r.cells]
    assert shown.count("a\ufffdb") == 6, shown


def test_list_docx_with_a_non_character_in_a_name(run, tmp_path):
    from hostile import table_rows, with_cell, write_table

    header, rows = table_rows(run)
    rows[0] = with_cell(header, rows[0], "name", "Pôle \ufffe\uffff")
    table = write_table(tmp_path / "t.csv", header, rows)
    result = run("list", "--cases", table, "-f", "docx", "-o", tmp_path / "out.docx")
    assert result.exit_code == 0, result.output


# --- Every table within the text block of its page ----------------------------------------
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CM = 28.3465  # points


def _table_widths(path):
    """(table width, text width of its section, its section's orientation) of every table,
    in points, read from the document's XML: the grid Word and LibreOffice lay out."""
    document = docx.Document(str(path))
    sections = list(document.sections)
    found, index = [], 0
    for element in document.element.body.iterchildren():
        if element.tag == f"{_W}tbl":
            grid = element.find(f"{_W}tblGrid").findall(f"{_W}gridCol")
            width = sum(int(c.get(f"{_W}w")) for c in grid) / 20  # twips
            section = sections[index]
            text = (section.page_width - section.left_margin - section.right_margin) / 12700
            found.append((width, text, section.page_width > section.page_height))
        elif element.find(f"{_W}pPr/{_W}sectPr") is not None:  # a section ends here
            index += 1
    return document, found


@pytest.mark.parametrize("command", [*COMMANDS, ("list", "--cases", "all"), ("calls",),
                                     ("codebook",)], ids=lambda c: "-".join(c[:3]))
def test_every_table_fits_its_text_block(run, tmp_path, command):
    path = tmp_path / "out.docx"
    assert run(*command, "--format", "docx", "-o", path).exit_code == 0
    document, widths = _table_widths(path)
    first = document.sections[0]
    assert (round(first.page_width / 12700 / CM, 1), round(first.page_height / 12700 / CM, 1)) \
        == (21.0, 29.7)  # A4
    assert widths
    for width, text, _ in widths:
        assert width <= text + 0.5, (width / CM, text / CM)


def test_typology_by_sector_on_a4_and_letter(run, tmp_path):
    # The table: 19.4 cm on a 15.2 cm text block, « Total » cut off.
    for paper, (page, text) in (("a4", (21.0, 16.0)), ("letter", (21.59, 15.24))):
        path = tmp_path / f"{paper}.docx"
        args = ("--paper", paper) if paper == "letter" else ()
        assert run("typology", "--by", "sector", "--format", "docx", "-o", path,
                   *args).exit_code == 0
        document, widths = _table_widths(path)
        section = document.sections[0]
        assert round(section.page_width / 12700 / CM, 2) == page
        assert [round(t / CM, 2) for _, t, _ in widths] == [text]
        assert widths[0][0] <= widths[0][1]
        _, tables = _tables(path)
        assert "Total" in tables[0][-1][0] or "Total" in tables[0][0]


def test_a_table_too_wide_for_a_portrait_page_gets_a_landscape_one(tmp_path):
    import pandas as pd

    from ptce_typology.render.docx import to_docx

    narrow = pd.DataFrame({"a": ["x"], "b": ["y"]})
    # Sixteen columns of long unbreakable words: no size fits 16 cm, 24.7 cm does.
    wide = pd.DataFrame({f"c{i}": ["Interdépendances"] for i in range(16)})
    path = tmp_path / "wide.docx"
    path.write_bytes(to_docx([("first", narrow), ("wide", wide), ("last", narrow)]))
    document, widths = _table_widths(path)
    assert [landscape for *_, landscape in widths] == [False, True, False]
    assert len(document.sections) == 3
    for width, text, _ in widths:
        assert width <= text + 0.5
    assert round(widths[1][1] / CM, 1) == 24.7
