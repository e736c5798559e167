"""The codebook as a paper's appendix (``ptce codebook``): per descriptor, its definition, its
categories with examples, and its decision rules, in French or English."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ptce_typology.render.labels import text

if TYPE_CHECKING:
    import pandas as pd

    from ptce_typology.intake.codebook import Codebook, CodebookDescriptor


def _head(key: str, lang: str) -> str:
    return text(f"codebook.head.{key}", lang)


def category_table(descriptor: CodebookDescriptor, lang: str = "en") -> pd.DataFrame:
    """The categories of one descriptor.

    Returns
    -------
    pandas.DataFrame
        Index: the category key. Columns, headed in ``lang``: definition, examples (bundled
        pole ids, ``, ``-joined).
    """
    import pandas as pd

    keys = list(descriptor.categories)
    return pd.DataFrame(
        {_head("definition", lang): [getattr(c.definition, lang)
                                     for c in descriptor.categories.values()],
         _head("examples", lang): [", ".join(c.examples) for c in descriptor.categories.values()]},
        index=pd.Index(keys, name=_head("category", lang)))


def rule_table(descriptor: CodebookDescriptor, lang: str = "en") -> pd.DataFrame:
    """The decision rules of one descriptor.

    Returns
    -------
    pandas.DataFrame
        Index: the rule id. Columns, headed in ``lang``: category (the category it decides,
        « boundary » for a rule between categories, empty for a rule of the whole
        descriptor), rule (its text), examples.
    """
    import pandas as pd

    def scope(rule) -> str:
        if rule.boundary:
            return text("codebook.boundary", lang)
        # The key a case file writes, marked as such (the rules' texts mark syntax so too).
        return f"`{rule.category}`" if rule.category else ""

    rules = descriptor.rules
    return pd.DataFrame(
        {_head("category", lang): [scope(r) for r in rules],
         _head("rule", lang): [getattr(r.text, lang) for r in rules],
         _head("examples", lang): [", ".join(r.examples) for r in rules]},
        index=pd.Index([r.id for r in rules], name=_head("rule_id", lang)))


def reliability_table(codebook: Codebook, lang: str = "en") -> pd.DataFrame | None:
    """The agreement of two independent codings, per descriptor (None when the codebook
    gives none).

    Returns
    -------
    pandas.DataFrame
        Index: the descriptor's label. Columns headed in ``lang``: poles coded by both (of
        the poles compared), Cohen's κ, Krippendorff's α (empty where undefined: one
        category on both sides).
    """
    import pandas as pd

    from ptce_typology.render.cells import format_number
    from ptce_typology.vocabulary import vocabulary

    found = codebook.reliability
    if found is None:
        return None

    def number(value: float | None) -> str:
        return "" if value is None else format_number(value, lang, 2)

    rows = [{_head("descriptor", lang): vocabulary().label(key, lang) if key != "all"
             else text("codebook.all_descriptors", lang),
             _head("coded_by_both", lang): f"{f.n_both} / {f.n}",
             "κ": number(f.kappa), "α": number(f.alpha)} for key, f in found.figures.items()]
    return pd.DataFrame(rows).set_index(_head("descriptor", lang))


def codebook_sections(codebook: Codebook, lang: str = "en") -> list[tuple[str, pd.DataFrame]]:
    """The codebook as titled tables: the reliability of the coding (when given), then for
    each descriptor its categories (when it has any) and its rules; the definition is the
    first table's title.

    Returns
    -------
    list of (str, pandas.DataFrame)
    """
    sections = []
    reliability = reliability_table(codebook, lang)
    if reliability is not None:
        sections.append((text("codebook.reliability", lang,
                              note=getattr(codebook.reliability.note, lang)), reliability))
    for descriptor in codebook.descriptors.values():
        label = getattr(descriptor.label, lang)
        definition = getattr(descriptor.definition, lang)
        if descriptor.categories:
            sections.append((text("codebook.categories_of", lang, descriptor=label,
                                  definition=definition),
                             category_table(descriptor, lang)))
        if descriptor.rules:
            sections.append((text("codebook.rules_of", lang, descriptor=label),
                             rule_table(descriptor, lang)))
    return sections


def codebook_json(codebook: Codebook) -> dict:
    """The codebook as plain data (both languages), for ``--format json``."""
    return codebook.model_dump(mode="json")


def codebook_html(codebook: Codebook, lang: str = "en") -> str:
    """The codebook as one self-contained HTML page (no script, no external resource): a
    section per descriptor with its definition, sources, categories and rules."""
    esc = html.escape
    parts = [f"<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">"
             f"<title>{esc(text('codebook.title', lang))}</title>"
             "<style>body{font-family:Georgia,serif;max-width:1000px;margin:2em auto;"
             "padding:0 1em;line-height:1.45}table{border-collapse:collapse;width:100%;"
             "font-size:.85em;margin:.6em 0 1.2em}th,td{border:1px solid #ccc;"
             "padding:.25em .45em;vertical-align:top;text-align:left}th{background:#f0f4f8}"
             "</style></head><body>",
             f"<h1>{esc(text('codebook.title', lang))}</h1>"]
    for key, descriptor in codebook.descriptors.items():
        parts.append(f"<section id=\"{esc(key)}\"><h2>{esc(getattr(descriptor.label, lang))}"
                     f"</h2><p>{esc(getattr(descriptor.definition, lang))}</p>")
        if descriptor.sources:
            line = text("codebook.sources_line", lang, sources="; ".join(descriptor.sources))
            parts.append(f"<p><em>{esc(line)}</em></p>")
        for title, frame in _titled_tables(descriptor, lang):
            parts.append(f"<h3>{esc(title)}</h3>" + frame.to_html(
                escape=True, border=0, na_rep="").replace(' class="dataframe"', ""))
        parts.append("</section>")
    parts.append("</body></html>\n")
    return "".join(parts)


def _titled_tables(descriptor: CodebookDescriptor, lang: str) -> list[tuple[str, pd.DataFrame]]:
    tables = []
    if descriptor.categories:
        tables.append((text("codebook.categories", lang), category_table(descriptor, lang)))
    if descriptor.rules:
        tables.append((text("codebook.rules", lang), rule_table(descriptor, lang)))
    return tables
