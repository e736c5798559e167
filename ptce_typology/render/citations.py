"""A source's citation in the reader's language.

The case files write citations in English around the sources' own words (« titles »,
outlets, URLs). A French reader gets them in French: dates (« 9 September 2015 » →
« 9 septembre 2015 »), parts and footnotes of the paper, and the words of the citations'
descriptions, from the glossary of ``data/labels_citations.yaml`` (every English phrase a
bundled citation uses outside a quote). What is between « » or names a URL is never touched.

>>> from ptce_typology.render.citations import citation_text
>>> citation_text("Podlewski (2014), RIUESS, part II.1 « Un soutien inégal », footnote 18", "fr")
'Podlewski (2014), RIUESS, partie II.1 « Un soutien inégal », note 18'
>>> citation_text("Labo de l'ESS, « Culture et Coopération (Loire) », 9 September 2015", "fr")
"Labo de l'ESS, « Culture et Coopération (Loire) », 9 septembre 2015"
>>> citation_text("Cerdd, « Visite ReADy », updated 20 Dec 2016", "en")
'Cerdd, « Visite ReADy », updated 20 Dec 2016'
"""

from __future__ import annotations

import re
from functools import cache

from ptce_typology.render.labels import labels

# The quotes and web addresses a citation holds: the sources' own words, left as they are.
_KEPT = re.compile(r"«[^»]*»|\S+\.(?:fr|org|com|net|info|eu|site|re|co|uk|gouv)\b\S*")


@cache
def _glossary(lang: str) -> tuple[re.Pattern, dict[str, str]]:
    """One pattern of every English phrase of the glossary (longest first, whole words), and
    each phrase's text in ``lang``."""
    terms = {value["en"]: value[lang] for key, value in labels().items()
             if key.startswith(("citation.phrase.", "citation.month."))}
    phrases = sorted(terms, key=len, reverse=True)
    pattern = re.compile("|".join(rf"(?<![\w-]){re.escape(p)}(?![\w-])" for p in phrases))
    return pattern, terms


def citation_text(citation: str, lang: str) -> str:
    """``citation`` (as a case file writes it, in English) with its own words in ``lang``.

    Parameters
    ----------
    citation
        A source's ``citation``.
    lang : {"en", "fr"}
        The reader's language; English gives the citation back unchanged.
    """
    pattern, terms = _glossary(lang)
    parts, end = [], 0
    for kept in _KEPT.finditer(citation):
        parts += [pattern.sub(lambda m: terms[m.group(0)], citation[end:kept.start()]),
                  kept.group(0)]
        end = kept.end()
    parts.append(pattern.sub(lambda m: terms[m.group(0)], citation[end:]))
    return "".join(parts)
