"""The bundled data: the twelve témoins, every value sourced, disagreements kept."""

from __future__ import annotations

import pytest
from conftest import BUNDLED

from ptce_typology.intake.loading import load_cases
from ptce_typology.intake.quotes import unquoted_numbers
from ptce_typology.intake.validation import validate_paths
from ptce_typology.render.casefile import sourced_values
from ptce_typology.resources import cases_dir, examples_dir
from ptce_typology.vocabulary import UNKNOWN

TEMOINS = {
    "pole_sud_aquitain", "pole_sud_archer", "la_coursive_boutaric", "culture_et_cooperation",
    "initiatives_et_cite", "domb_innov", "eco_domaine_de_bouquetot",
    "eoliennes_en_pays_de_vilaine", "de_fil_en_reseaux", "les_articulteurs", "paris_mix",
    "fontaine_o_livres",
}


@pytest.fixture(scope="module")
def bundled():
    """Every bundled case: the témoins, the other poles and the example."""
    return load_cases(["all", examples_dir()])


def test_bundled_data_is_valid():
    report = validate_paths([cases_dir(), examples_dir()])
    assert report.ok, [i.one_line() for i in report.issues]
    assert len(report.pole_ids) == 13


def test_the_twelve_temoins(temoins):
    assert {c.pole_id for c in temoins} == TEMOINS
    assert all(c.role == "temoin" for c in temoins)


def test_file_names_are_pole_ids():
    for path in cases_dir().glob("*.yaml"):
        report = validate_paths([path])
        assert report.pole_ids[0][1] == path.stem


def test_every_value_resolves_to_a_defined_source(temoins):
    checked = 0
    for case in temoins:
        defined = {s.id for s in case.sources}
        for path, value in sourced_values(case):
            known = getattr(value, "value", None) != UNKNOWN
            if known:
                assert value.sources, f"{case.pole_id}.{path} has no source"
            for sid in value.sources:
                assert sid in defined, f"{case.pole_id}.{path} cites undefined {sid}"
                src = case.source(sid)
                assert src.citation or src.url
                checked += 1
    assert checked > 150


def test_every_case_cites_the_paper(temoins):
    for case in temoins:
        assert any(s.url == "https://shs.hal.science/halshs-01142474" for s in case.sources)


def test_disagreements_are_kept_as_events(temoins):
    by_id = {c.pole_id: c for c in temoins}
    paris = {e.year for e in by_id["paris_mix"].grouping_start.events}
    assert {2006, 2008} <= paris
    domb = {e.year for e in by_id["domb_innov"].grouping_start.events}
    assert {2009, 2011} <= domb
    assert by_id["paris_mix"].grouping_start.note
    assert by_id["domb_innov"].grouping_start.note


def test_age_is_derived_never_typed(temoins):
    by_id = {c.pole_id: c for c in temoins}
    assert by_id["pole_sud_archer"].age() == 2011 - 1987
    assert by_id["pole_sud_archer"].age(2014) == 2014 - 1987
    assert by_id["initiatives_et_cite"].age_class() == "up_to_10_years"  # exactly 10 years


def test_laureates_match_the_paper_footnotes(frame):
    laureates = set(frame.index[frame["laureate_2013"] == "yes"])
    assert laureates == {"pole_sud_aquitain", "pole_sud_archer", "la_coursive_boutaric",
                         "culture_et_cooperation", "initiatives_et_cite"}
    assert (frame["laureate_2013"] == "no").sum() == 7
    assert frame.loc["eco_domaine_de_bouquetot", "laureate_2015"] == "yes"


def test_example_is_not_a_temoin():
    (case,) = load_cases([examples_dir()])
    assert case.pole_id == "le_periscope" and case.role == "case"


def test_every_stated_number_is_in_a_quote_it_cites(bundled):
    # Years of grouping events, member counts and their dates, shared premises' year; digits or
    # French words (« cinq cents », « une vingtaine »). Inferred values give a note instead.
    assert len(bundled) == BUNDLED + 1  # and the example
    missing = [u.one_line() for case in bundled for u in unquoted_numbers(case)]
    assert missing == []


def test_no_quote_is_a_research_note(bundled):
    notes = [f"{case.pole_id}: {src.id}" for case in bundled for src in case.sources
             if src.quote and "(research note)" in src.quote.lower()]
    assert notes == []


def test_every_inferred_value_has_a_note(bundled):
    inferred = [(case.pole_id, path, value) for case in bundled
                for path, value in sourced_values(case) if value.basis == "inferred"]
    assert len(inferred) > 20
    assert [f"{p}.{path}" for p, path, v in inferred if not (v.note or "").strip()] == []


# Words about how data were gathered, not about poles or sources (a published data set speaks
# of poles and sources only). `searched:` as a key is a field; as prose it is a process note.
PROCESS_WORDS = (r"\bhelpers?\b|\bbatch(es)?\b|\blook-?ups?\b|\bschema v\d|\bv[12]\b|"
                 r"ptce_lists|corrections\.md|research/|\bre-read\b|to be checked|"
                 r"\bsearched\b(?!:)|earlier version|this version of the file")


def test_no_data_file_speaks_of_how_it_was_made():
    import re

    from ptce_typology.resources import data_dir

    pattern = re.compile(PROCESS_WORDS, re.IGNORECASE)
    found = []
    for path in sorted(data_dir().rglob("*.yaml")):
        if path.name.startswith("labels"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.relative_to(data_dir())}:{number}: {line.strip()[:80]}")
    assert not found, "\n".join(found[:30])


def test_the_process_word_check_can_fail():
    import re

    pattern = re.compile(PROCESS_WORDS, re.IGNORECASE)
    for line in ("# Research helper, batch C", "notes: [Searched Brie'Nov (1 look-up)]",
                 "# Schema v2 (see ../corrections.md)", "the page was not re-read"):
        assert pattern.search(line), line
    for line in ("  searched: [cress_2021]", "quote: « une dizaine de structures »"):
        assert not pattern.search(line), line


def test_every_start_is_the_earliest_dated_event(bundled):
    """The start rule (codebook start.R1): the start of the grouping is the earliest dated
    event of the grouping or of the structure that founded it; a file with dated events has a
    start."""
    checked = 0
    for case in bundled:
        years = [event.year for event in case.grouping_start.events]
        if not years:
            assert case.start_year() is None, case.pole_id
            continue
        assert case.start_year() == min(years), (case.pole_id, case.start_year(), min(years))
        checked += 1
    assert checked >= 50
