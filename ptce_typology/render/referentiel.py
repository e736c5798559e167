"""The référentiel and the gap matrix as display tables and JSON (``ptce referentiel``,
``ptce gap``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ptce_typology.render.labels import text
from ptce_typology.vocabulary import GAP_STATUSES, UNKNOWN, vocabulary

if TYPE_CHECKING:
    import pandas as pd

    from ptce_typology.intake.referentiel import Referentiel


def status_labels(lang: str) -> dict[str, str]:
    """The gap statuses in ``lang``, from the labels (the heat map reads them too)."""
    return {status: text(f"gap.status.{status}", lang) for status in GAP_STATUSES}


def referentiel_tree(ref: Referentiel, lang: str = "en") -> pd.DataFrame:
    """The tree as a table: general objectives, then the main objectives under the general
    objective a source gives (``unknown`` for all nine: none does), then the indicators.

    Returns
    -------
    pandas.DataFrame
        Columns ``level`` (``general``, ``main``, ``indicators`` or ``user_indicator``),
        ``id``, ``label`` and ``under`` (in ``lang``), ``sources``.
    """
    import pandas as pd

    unknown = text("referentiel.unknown_under", lang)
    rows = [{"level": "general", "id": o.id, "label": o.label(lang), "under": "",
             "sources": ", ".join(o.sources)} for o in ref.general_objectives]
    rows += [{"level": "main", "id": o.id, "label": o.label(lang),
              "under": unknown if o.general_objective in (None, UNKNOWN)
              else o.general_objective, "sources": ", ".join(o.sources)}
             for o in ref.main_objectives]
    count = ref.indicators.count
    rows.append({"level": "indicators", "id": "labo_indicators",
                 "label": text("referentiel.indicators", lang, first=count.first_version,
                               updated=count.updated),
                 "under": unknown, "sources": ", ".join(count.sources)})
    rows += [{"level": "user_indicator", "id": i.id, "label": getattr(i, lang),
              "under": i.objective, "sources": text("referentiel.user_source", lang)}
             for i in ref.user_indicators]
    return pd.DataFrame(rows, columns=["level", "id", "label", "under", "sources"])


def gap_sections(result: dict, ref: Referentiel, names: dict[str, str],
                 lang: str = "en") -> list[tuple[str, pd.DataFrame]]:
    """Display tables of ``ptce gap``.

    Returns
    -------
    list of (str, pandas.DataFrame)
        The pole × main-objective matrix with status labels, the share of poles evidencing
        each objective, and the descriptors behind each cell, all labelled in ``lang``.
    """
    import pandas as pd

    from ptce_typology.render.cells import format_number

    labels = {o.id: o.label(lang) for o in ref.main_objectives}
    status = result["status"]
    short = status_labels(lang)
    # The matrix is pole × objective: one symbol per cell and numbered objectives, so that
    # it fits a page; the notes give the key.
    symbols = {s: text(f"gap.symbol.{s}", lang) for s in GAP_STATUSES}
    numbers = {o: str(i) for i, o in enumerate(status.columns, start=1)}
    matrix = status.replace(symbols)
    matrix.index = [names.get(p, p) for p in matrix.index]
    matrix.index.name = text("common.pole", lang)
    matrix.columns = [numbers[c] for c in matrix.columns]
    sep = text("common.list_sep", lang)
    matrix.attrs = {"notes": [
        sep.join(f"{symbols[s]} {short[s]}" for s in GAP_STATUSES),
        text("gap.objectives_key", lang) + " " + sep.join(
            f"{numbers[c]} {labels[c]}" for c in status.columns)]}
    summary = result["summary"]
    shares = pd.DataFrame({
        short["evidenced"]: summary["evidenced"],
        short["not_evidenced"]: summary["not_evidenced"],
        short["unknown"]: summary["unknown"],
        short["not_operationalised"]: summary["not_operationalised"],
        # Not a share where no rule reads the data (-) or where no pole's value is known.
        text("gap.share_evidenced", lang):
            ["-" if no_rule == len(status) else text("gap.all_unknown", lang)
             if unknown == len(status) else format_number(v, lang, 1, percent=True)
             for v, no_rule, unknown in zip(summary["share_evidenced"],
                                            summary["not_operationalised"], summary["unknown"],
                                            strict=True)],
    })
    shares.index = [labels[c] for c in shares.index]
    shares.index.name = text("gap.main_objective", lang)
    evidence = result["evidence"].stack().rename("evidence").reset_index()
    evidence.columns = ["pole_id", "objective", "evidence"]
    evidence["status"] = [short[status.at[p, o]] for p, o in
                          zip(evidence["pole_id"], evidence["objective"], strict=True)]
    evidence["objective"] = evidence["objective"].map(labels)
    evidence["evidence"] = [_evidence_text(e, lang) for e in evidence["evidence"]]
    evidence = evidence.set_index("pole_id")[["objective", "status", "evidence"]]
    evidence = evidence.rename(columns={"objective": text("gap.objective", lang),
                                        "status": text("gap.status_head", lang),
                                        "evidence": text("gap.evidence_head", lang)})
    evidence.index = [names.get(p, p) for p in evidence.index]
    evidence.index.name = text("common.pole", lang)
    evidence.attrs = {"grouped": True}
    # The bundled note is translated; a user's own note is shown as written.
    note = ref.evidence_rules.operationalisation
    if note == text("gap.operationalisation", "en"):
        note = text("gap.operationalisation", lang)
    return [
        (text("gap.matrix", lang, note=note), matrix),
        (text("gap.shares", lang), shares),
        (text("gap.evidence", lang), evidence),
    ]


_EVIDENCE = re.compile(r"(\w+)(=|>=)(\S+) \(is ([^)]*)\)")


def _evidence_text(evidence: str, lang: str) -> str:
    """``origin=citizen_associative (is unknown)`` as a reader of ``lang`` reads it: the
    rule keeps its keys, the pole's value gets its label."""
    vocab = vocabulary()

    def shown(match: re.Match) -> str:
        descriptor, test, wanted, value = match.groups()
        label = vocab.category_label(descriptor, value, lang) \
            if descriptor in vocab.descriptors or value == UNKNOWN else value
        return f"{descriptor}{test}{wanted} ({text('gap.is', lang)} {label})"

    return _EVIDENCE.sub(shown, evidence)


def referentiel_json(ref: Referentiel) -> dict:
    """The référentiel as plain data (``ptce referentiel --format json``)."""
    return ref.model_dump(mode="json")


def gap_json(result: dict, ref: Referentiel) -> dict:
    """The JSON of ``ptce gap``: the rules' note, the objectives, the status and evidence of
    every cell, and the summary per objective."""
    return {
        "operationalisation": ref.evidence_rules.operationalisation,
        "objectives": [o.id for o in ref.main_objectives],
        "status": {p: row.to_dict() for p, row in result["status"].iterrows()},
        "evidence": {p: row.to_dict() for p, row in result["evidence"].iterrows()},
        "summary": result["summary"].reset_index().to_dict(orient="records"),
    }


def referentiel_sections(ref: Referentiel, lang: str = "en") -> list[tuple[str, pd.DataFrame]]:
    """``ptce referentiel`` as titled tables: the tree, the reference texts, the sources.

    Returns
    -------
    list of (str, pandas.DataFrame)
        Three tables with headers and levels in ``lang``.
    """
    import pandas as pd

    from ptce_typology.render.citations import citation_text

    def head(key: str) -> str:
        return text(f"referentiel.head.{key}", lang)

    texts = pd.DataFrame({head("text"): [getattr(t, lang) for t in ref.reference_texts],
                          head("sources"): [", ".join(t.sources) for t in ref.reference_texts]},
                         index=pd.Index([t.id for t in ref.reference_texts], name=head("id")))
    sources = pd.DataFrame({head("citation"): [citation_text(s.citation, lang)
                                               for s in ref.sources],
                            head("url"): [s.url or "" for s in ref.sources]},
                           index=pd.Index([s.id for s in ref.sources], name=head("id")))
    tree = referentiel_tree(ref, lang)
    tree["level"] = [text(f"referentiel.level.{v}", lang) for v in tree["level"]]
    tree = tree.rename(columns={c: head(c) for c in tree.columns}).set_index(head("level"))
    return [(text("referentiel.title", lang), tree),
            (text("referentiel.reference_texts", lang), texts),
            (text("referentiel.sources", lang), sources)]
