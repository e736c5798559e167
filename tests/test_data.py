"""The bundled data: the twelve témoins, every value sourced, disagreements kept."""

from __future__ import annotations

import pytest

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
    from ptce_typology import load_cases

    return load_cases(["all", examples_dir()])


def test_bundled_data_is_valid():
    report = validate_paths([cases_dir(), examples_dir()])
    assert report.ok, [i.one_line() for i in report.issues]
    assert len(report.cases) == 13


def test_the_twelve_temoins(temoins):
    assert {c.pole_id for c in temoins} == TEMOINS
    assert all(c.role == "temoin" for c in temoins)


def test_file_names_are_pole_ids():
    for path in cases_dir().glob("*.yaml"):
        report = validate_paths([path])
        assert report.cases[0][1].pole_id == path.stem


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
    report = validate_paths([examples_dir()])
    (_, case), = report.cases
    assert case.pole_id == "le_periscope" and case.role == "case"


def test_every_stated_number_is_in_a_quote_it_cites(bundled):
    # Years of grouping events, member counts and their dates, shared premises' year; digits or
    # French words (« cinq cents », « une vingtaine »). Inferred values give a note instead.
    assert len(bundled) == 69
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
