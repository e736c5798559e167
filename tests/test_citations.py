"""A citation in the reader's language (render/citations.py)."""

from __future__ import annotations

import pytest

from ptce_typology.render.citations import citation_text

CASES = [
    ("Podlewski (2014), RIUESS, part II.1 « Un soutien inégal », footnote 18",
     "Podlewski (2014), RIUESS, partie II.1 « Un soutien inégal », note 18"),
    ("Labo de l'ESS, « Culture et Coopération (Loire) », 9 September 2015",
     "Labo de l'ESS, « Culture et Coopération (Loire) », 9 septembre 2015"),
    ("Cerdd, « Visite », updated 20 Dec 2016", "Cerdd, « Visite », mis à jour le 20 déc. 2016"),
    ("RTES, « X », 8 December 2014 (interview with Guillaume Huet)",
     "RTES, « X », 8 décembre 2014 (entretien avec Guillaume Huet)"),
    ("Revue TEC no. 235, « Y »", "Revue TEC n° 235, « Y »"),
]


@pytest.mark.parametrize(("english", "french"), CASES)
def test_a_citation_in_french(english, french):
    assert citation_text(english, "fr") == french
    assert citation_text(english, "en") == english


def test_quotes_and_addresses_are_left_as_they_are():
    # « May » inside a title and a domain holding « part » are the source's own words.
    cited = "Site (part.example.org), « The May part », May 2018"
    assert citation_text(cited, "fr") == "Site (part.example.org), « The May part », mai 2018"


def test_a_word_inside_another_is_not_a_phrase():
    assert citation_text("Mayotte, Decembers, partner, co-founders", "fr") == \
        "Mayotte, Decembers, partner, co-founders"
