"""``ptce agreement`` as tables: the coefficients per descriptor, the confusion tables and
the disagreements with each side's sources, in French or English."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ptce_typology.render.labels import text
from ptce_typology.vocabulary import vocabulary

if TYPE_CHECKING:
    import pandas as pd

# The result of :func:`ptce_typology.analysis.agreement.agreement` (read, never imported: a
# renderer formats what the analysis gives it).
Agreement = Any


def _head(key: str, lang: str) -> str:
    return text(f"agreement.head.{key}", lang)


def _number(value: float, lang: str, digits: int = 2) -> str:
    from ptce_typology.render.cells import format_number

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return text("agreement.undefined", lang)
    return format_number(value, lang, digits)


def _descriptor(key: str, lang: str) -> str:
    if key == "all":
        return text("agreement.all", lang)
    return vocabulary().label(key, lang)


def coefficient_table(result: Agreement, lang: str = "en") -> pd.DataFrame:
    """One row per descriptor (and all pooled): poles coded by both, observed agreement,
    κ and α with their intervals, disagreements (recorded ones apart).

    Returns
    -------
    pandas.DataFrame
        Index: the descriptor's label. Columns headed in ``lang``.
    """
    import pandas as pd

    rows = []
    for key, row in result.coefficients.iterrows():
        interval = text("agreement.interval", lang)
        rows.append({
            _head("descriptor", lang): _descriptor(key, lang),
            _head("n_both", lang): f"{int(row['n_both'])} / {int(row['n_units'])}",
            _head("observed", lang): _number(row["observed"], lang),
            _head("kappa", lang): _number(row["kappa"], lang),
            _head("kappa_ci", lang): interval.format(low=_number(row["kappa_low"], lang),
                                                     high=_number(row["kappa_high"], lang)),
            _head("alpha", lang): _number(row["alpha"], lang),
            _head("alpha_ci", lang): interval.format(low=_number(row["alpha_low"], lang),
                                                     high=_number(row["alpha_high"], lang)),
            _head("disagreements", lang): text("agreement.disagree_count", lang,
                                               n=int(row["n_disagree"]),
                                               recorded=int(row["n_recorded"])),
        })
    return pd.DataFrame(rows).set_index(_head("descriptor", lang))


def confusion_table(result: Agreement, descriptor: str, lang: str = "en") -> pd.DataFrame:
    """The confusion table of one descriptor, categories labelled in ``lang``."""
    table = result.confusion[descriptor].copy()
    vocab = vocabulary()
    table.index = [vocab.category_label(descriptor, c, lang) for c in table.index]
    table.columns = [vocab.category_label(descriptor, c, lang) for c in table.columns]
    table.index.name = text("agreement.coding_a_b", lang)
    return table


def _source_cell(sources: list[dict]) -> str:
    parts = []
    for source in sources:
        label = source.get("citation") or source.get("url") or source["id"]
        quote = source.get("quote")
        parts.append(f"{label}: « {quote} »" if quote else label)
    return "; ".join(parts)


def disagreement_table(result: Agreement, lang: str = "en") -> pd.DataFrame:
    """The disagreements: pole, descriptor, each side's value and basis, whether a side
    records the other's reading, each side's sources and quotes."""
    import pandas as pd

    vocab = vocabulary()
    rows = []
    def shown(descriptor: str, value: str, basis: str | None) -> str:
        label = vocab.category_label(descriptor, value, lang)
        return f"{label} ({text(f'casefile.basis.{basis}', lang)})" if basis else label

    for row in result.disagreements.itertuples(index=False):
        rows.append({_head("pole", lang): row.name,
                     _head("descriptor", lang): _descriptor(row.descriptor, lang),
                     _head("coding_a", lang): shown(row.descriptor, row.value_a, row.basis_a),
                     _head("coding_b", lang): shown(row.descriptor, row.value_b, row.basis_b),
                     _head("recorded", lang): text(f"agreement.recorded.{row.recorded}", lang),
                     _head("sources_a", lang): _source_cell(row.sources_a),
                     _head("sources_b", lang): _source_cell(row.sources_b)})
    columns = [_head(k, lang) for k in ("pole", "descriptor", "coding_a", "coding_b",
                                        "recorded", "sources_a", "sources_b")]
    return pd.DataFrame(rows, columns=columns).set_index(_head("pole", lang))


def agreement_sections(result: Agreement, lang: str = "en") -> list[tuple[str, pd.DataFrame]]:
    """Every table of ``ptce agreement``, titled in ``lang``."""
    sections = [(text("agreement.title", lang, n=len(result.pairs)),
                 coefficient_table(result, lang))]
    for descriptor in result.confusion:
        sections.append((text("agreement.confusion", lang,
                              descriptor=_descriptor(descriptor, lang)),
                         confusion_table(result, descriptor, lang)))
    sections.append((text("agreement.disagreements", lang), disagreement_table(result, lang)))
    return sections


def alternatives_yaml(additions: dict) -> str:
    """The readings to add as ``alternatives:``, as YAML a researcher pastes into case files."""
    import yaml

    return yaml.safe_dump(additions, allow_unicode=True, sort_keys=True, width=100)
