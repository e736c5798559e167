"""A French output holds no English label: every command in French, and the French report."""

from __future__ import annotations

import html
import re

import pytest

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
