"""Numbers in quotes: the French number-word parser and the check that a stated year or count
is written in a quote it cites."""

from __future__ import annotations

import pytest

from ptce_typology.intake.quotes import french_number, numbers_in, unquoted_numbers
from ptce_typology.intake.schema import Case


@pytest.mark.parametrize(("words", "value"), [
    ("huit", 8), ("dix-sept", 17), ("vingt et un", 21), ("vingt-et-une", 21),
    ("quarante-huit", 48), ("soixante et onze", 71), ("soixante-dix-neuf", 79),
    ("quatre-vingts", 80), ("quatre-vingt-dix-sept", 97), ("cent", 100), ("cinq cents", 500),
    ("deux cent cinquante", 250), ("deux-cent-dix", 210), ("mille", 1000),
    ("deux mille cinq cents", 2500), ("mille neuf cent quatre-vingt-sept", 1987),
    ("deux millions", 2_000_000), ("une dizaine", 10), ("une douzaine", 12),
    ("une quinzaine", 15), ("une vingtaine", 20), ("une trentaine", 30),
    ("une cinquantaine", 50), ("une centaine", 100), ("deux centaines", 200),
    ("un millier", 1000), ("Quarante", 40),
])
def test_french_number(words, value):
    assert french_number(words) == value


@pytest.mark.parametrize("words", ["", "et", "vingt et", "douze pommes", "plusieurs"])
def test_not_a_french_number(words):
    assert french_number(words) is None


def test_numbers_in_digits_and_words():
    text = ("Créé en 2008, il rassemble 41 entreprises ; plus de cinq cents adhérents, une "
            "trentaine de bénévoles et 1\u202f200 visiteurs ; quarante-huit emplois")
    assert {2008, 41, 500, 30, 1200, 48} <= numbers_in(text)


def test_a_lone_article_is_not_one():
    assert 1 not in numbers_in("un groupe d'habitants crée une association")
    assert numbers_in("deux et trois") == {2, 3}  # « et » joins only « et un », « et onze »


def test_a_year_is_not_glued_to_the_next_number():
    assert {2010, 40} <= numbers_in("en 2010 40 entreprises")


def _case(**changes) -> Case:
    data = {
        "pole_id": "p", "name": "P", "role": "case",
        "grouping_start": {"events": [{"id": "e", "year": 2010, "event": "created",
                                       "sources": ["s"]}], "start": "e"},
        "origin": {"value": "unknown"}, "territory": {"value": "unknown"},
        "sector": {"value": "unknown"},
        "shared_premises": {"value": "yes", "year": 2012, "sources": ["s"]},
        "employer_group": {"value": "unknown"},
        "members": [{"count": 48, "date": "2014-03", "sources": ["s"]}],
        "sources": [{"id": "s", "url": "https://example.org",
                     "quote": "créé en 2010 ; un lieu ouvert en 2012 ; quarante-huit membres "
                              "en 2014"}],
    }
    data.update(changes)
    return Case.model_validate(data)


def test_quoted_numbers_pass():
    assert unquoted_numbers(_case()) == []


def test_a_stated_number_no_quote_gives_is_reported():
    case = _case(members=[{"count": 50, "date": "2015", "sources": ["s"]}])
    found = [(u.field, u.number) for u in unquoted_numbers(case)]
    assert found == [("members.0.count", 50), ("members.0.date", 2015)]
    assert "members.0.count = 50" in unquoted_numbers(case)[0].one_line()


def test_an_inferred_number_is_not_checked():
    case = _case(members=[{"count": 50, "date": "unknown", "sources": ["s"],
                           "basis": "inferred", "note": "read from a photograph"}])
    assert unquoted_numbers(case) == []


def test_only_cited_quotes_count():
    sources = [{"id": "s", "url": "https://example.org", "quote": "créé en 2010"},
               {"id": "t", "url": "https://example.org/t", "quote": "ouvert en 2012"}]
    case = _case(sources=sources, members=[],
                 shared_premises={"value": "yes", "year": 2012, "sources": ["s"]})
    assert [u.field for u in unquoted_numbers(case)] == ["shared_premises.year"]
