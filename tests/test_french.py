"""A French output holds no English label: every command in French, and the French report."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from conftest import chromium, needs_chromium

from ptce_typology.render.labels import labels
from ptce_typology.resources import cases_dir, data_dir, examples_dir

# Words an English label may hold that French shares, or that name people and methods.
SHARED = {"Dimension", "Total", "Sources", "Note", "Binarisation", "expression", "condition",
          "contradiction", "Consolidation", "Mann-Whitney", "Holm", "Bergsma", "PTCE",
          "Citation", "active"}  # « active »: a category's status in French too
# Fragments made only of these are too common to say anything (and case files use them).
COMMON = {"of", "the", "and", "to", "in", "on", "a", "an", "by", "for", "with", "is", "are"}
# English words the brief names, whatever the labels hold.
KNOWN_ENGLISH = ("Truth table", "complex", "parsimonious", "Versions", "left out", "Flags",
                 "Cluster")


def english_fragments() -> list[str]:
    """The English texts of labels.yaml that differ from the French ones, cut at their
    ``{fields}``; short fragments and words French shares are left out."""
    found = set(KNOWN_ENGLISH)
    for value in labels().values():
        if value["en"] == value["fr"]:
            continue
        french = value["fr"]
        for part in re.split(r"\{\w+\}", value["en"]):
            part = part.strip(" :;,.()[]“”\"'`-")
            if len(re.sub(r"[^A-Za-z]", "", part)) < 5 or part in SHARED or part in french \
                    or set(part.lower().split()) <= COMMON:
                continue
            found.add(part)
    return sorted(found)


FRAGMENTS = english_fragments()


def english_in(text: str) -> list[str]:
    return [f for f in FRAGMENTS if re.search(r"(?<![\w'])" + re.escape(f) + r"(?![\w'])", text)]


def test_the_check_finds_english():
    assert "Truth table" in english_in("**Truth table**")
    assert "Share evidenced" in english_in("| Share evidenced |")
    assert english_in("Part attestée, conforme, non calculable") == []
    assert len(FRAGMENTS) > 100


QCA = ("qca", "--outcome", "laureate_2013", "--conditions",
       "SEG:origin=social_enterprise_group,DEIND:territory=deindustrialised")
COMMANDS = [("typology",), ("typology", "--by", "sector"), ("reproduce",), ("compare",), QCA,
            ("referentiel",), ("gap",), ("list",), ("show", "paris_mix"),
            ("clusters", "--resamples", "5"),
            ("classify", str(examples_dir() / "le_periscope.yaml")),
            ("codebook",), ("calls",),
            ("agreement", str(cases_dir()), str(data_dir() / "reliability" / "second_coding"),
             "--resamples", "20")]
# The report is the session's French report, checked below.
CHECKED_ELSEWHERE = {"report"}


def test_every_command_with_a_language_is_checked():
    import typer

    from ptce_typology.cli import app

    group = typer.main.get_command(app)
    with_lang = {name for name, command in group.commands.items()
                 if any(p.name == "lang" for p in command.params)}
    assert len(with_lang) >= 14
    assert with_lang == {c[0] for c in COMMANDS} | CHECKED_ELSEWHERE


def _shown_labels(command: tuple[str, ...], output: str) -> str:
    """What the command's labels make of the output: for ``show``, the header and the
    values (the notes and citations are the case file's own words); for ``referentiel``,
    all but the table of sources (their citations); for ``codebook``, all but the case
    files' syntax its rules quote as code (`basis: inferred`)."""
    if command[0] == "codebook":
        return re.sub(r"`[^`]*`", " ", output)
    if command[0] == "referentiel":
        return output.split("Sources")[0]
    if command[0] != "show":
        return output
    # The header only: fields are vocabulary keys, values the case file's own words.
    rows = [line for line in output.splitlines() if line.startswith("| ")]
    return rows[0] if rows else ""


@pytest.mark.parametrize("fmt", ["table", "md"])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c[:3]))
def test_french_output_has_no_english_label(run, command, fmt):
    result = run(*command, "--lang", "fr", "--format", fmt, env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.stderr
    assert english_in(_shown_labels(command, result.stdout)) == []


def _report_text(path) -> str:
    """The French report's text, without what the labels do not make: markup, the sources'
    own words (sources, and flags naming categories no témoin has)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'<div class="pole">.*?</div>', "", text, flags=re.S)  # sources
    text = re.sub(r"<style>.*?</style>", "", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    # `value: mixed`: the case files' own syntax, quoted as code in the codebook's rules
    return re.sub(r"`[^`]*`", " ", html.unescape(text))


def test_french_report_has_no_english_label(french_report):
    text = _report_text(french_report)
    assert "Table de vérité" in text and "Lauréats (n\u00a0=\u00a05)" in text
    assert english_in(text) == []


# --- Every word of the French report of every bundled pole is French --------------------
# Unlike the label check above, this one reads the words themselves, the case files' too
# (citations, tooltips), against a list of common English words no French text uses.

ENGLISH_WORDS = frozenset(
    line.strip().lower()
    for line in (Path(__file__).parent / "fixtures" / "english_words.txt").read_text(
        encoding="utf-8").splitlines() if line.strip() and not line.startswith("#"))
# Words French leaves unchanged in the plural: « 1 fois » is right, « 1 échecs » is not.
SINGULAR_IN_S = {"fois", "pas", "mois", "cas", "temps", "accès", "succès", "poids", "sens"}


def _reader_text(page: str, names: list[str]) -> str:
    """What a reader reads in the page, tooltips included, without what is not ours to
    translate: quotes « … » and “ … ”, code, URLs and domain names, the poles' names, and a
    citation's author or outlet (its text before the first comma)."""
    text = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    text = re.sub(r"<code>.*?</code>", " ", text, flags=re.S)
    text = re.sub(r'href="[^"]*"', " ", text)
    text = re.sub(r"(<li>\s*:\s*(?:<a [^>]*>)?)[^,<«]*", r"\1", text)  # author, outlet
    text = re.sub(r'title="([^"]*)"', r"> \1 <", text)  # tooltips are read too
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    for name in sorted([*names, "ptce-typology"], key=len, reverse=True):
        text = text.replace(name, " ")
    text = re.sub(r"«[^»]*»|“[^”]*”|`[^`]*`", " ", text)
    # Keys and expressions of the data (`funding.public = yes`, `origin.B1`, `LAUREATE_2013`)
    text = re.sub(r"\S+\s*==?\s*\S+|\S*\w_\w\S*|\S*[a-z]\.\w\S*", " ", text)
    return re.sub(r"https?://\S+|\b[\w.-]+\.(fr|org|com|net|info|eu|site|io)\b\S*", " ", text)


def english_words(page: str, names: list[str] = ()) -> list[str]:
    """The English words of an HTML page (each once), and wrong French plurals after 1."""
    text = _reader_text(page, list(names))
    found = {w for w in re.findall(r"[^\W\d_]+", text) if w.lower() in ENGLISH_WORDS}
    found |= set(re.findall(r"\bpart [IVX]+\b", text))
    found |= {m for m in re.findall(r"(?<![\d,.+]\s)(?<![\d,.+])\b1\s+([a-zéèêàç]+s)\b", text)
              if m not in SINGULAR_IN_S}
    return sorted(found)


def test_the_word_check_finds_english():
    page = ("<p>Podlewski (2014), RIUESS, part II.1 « Un soutien inégal », footnote 18</p>"
            '<span title="Inferred from the description">(inféré)</span><p>1 échecs</p>')
    assert english_words(page) == ["Inferred", "footnote", "from", "part II", "the",
                                   "échecs"]
    assert english_words("<p>Entretien du 9 septembre 2015 « the Fil » sur www.the.org "
                         "avec Paris Mix, 1 fois, 1 échec</p>", ["Paris Mix"]) == []


@pytest.fixture(scope="module")
def french_report_all(tmp_path_factory):
    from conftest import build_report

    return build_report(tmp_path_factory.mktemp("all") / "tout.html", "--cases", "all",
                        "--lang", "fr")


def test_french_report_of_every_pole_has_no_english_word(french_report_all):
    from ptce_typology import load_cases

    page = french_report_all.read_text(encoding="utf-8")
    cases = load_cases("all")
    names = [n for case in cases for n in (case.name, *case.aliases)]
    assert english_words(page, names) == []
    # The « (inféré) » mark names, in French, the codebook rule the value applies.
    assert 'title="Déduit par la règle start.R2 du livre de codes : Une année calculée' in page
    assert "partie II.1" in page and "9 septembre 2015" in page


@needs_chromium
def test_every_table_fits_the_page_at_1280_px(french_report_all, tmp_path):
    # Every bundled pole, in French (the longest labels): no table runs past the text; the
    # data table, the widest, scrolls inside its own box.
    driver = chromium(tmp_path, 1280, 1000)
    try:
        driver.get(french_report_all.resolve().as_uri())
        overflow = driver.execute_script("""
            const body = document.body.getBoundingClientRect();
            const out = [];
            for (const t of document.querySelectorAll('table')) {
              const box = (t.closest('.wide') || t).getBoundingClientRect();
              if (box.right > body.right + 1) out.push(box.right - body.right);
            }
            return [out, document.documentElement.scrollWidth, window.innerWidth,
                    document.querySelectorAll('table').length];""")
    finally:
        driver.quit()
    beyond, scroll_width, window_width, n_tables = overflow
    assert n_tables > 20
    assert beyond == []
    assert scroll_width <= window_width
