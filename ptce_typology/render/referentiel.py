"""The référentiel and the gap matrix as display tables and JSON (``ptce referentiel``,
``ptce gap``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ptce_typology.vocabulary import UNKNOWN

if TYPE_CHECKING:
    import pandas as pd

    from ptce_typology.intake.referentiel import Referentiel


STATUS_LABELS = {
    "en": {"evidenced": "evidenced", "not_evidenced": "not evidenced", "unknown": "unknown",
           "not_operationalised": "not operationalised"},
    "fr": {"evidenced": "attesté", "not_evidenced": "non attesté", "unknown": "inconnu",
           "not_operationalised": "non opérationnalisé"},
}


def referentiel_tree(ref: Referentiel, lang: str = "en") -> pd.DataFrame:
    """The tree as a table: general objectives, then the main objectives under the general
    objective a source gives (``unknown`` for all nine: none does), then the indicators.

    Returns
    -------
    pandas.DataFrame
        Columns ``level`` (general / main / indicators / user indicator), ``id``, ``label``,
        ``under``, ``sources``.
    """
    import pandas as pd

    unknown = {"fr": "inconnu (aucune source)", "en": "unknown (no source)"}[lang]
    rows = [{"level": "general", "id": o.id, "label": o.label(lang), "under": "",
             "sources": ", ".join(o.sources)} for o in ref.general_objectives]
    rows += [{"level": "main", "id": o.id, "label": o.label(lang),
              "under": unknown if o.general_objective in (None, UNKNOWN)
              else o.general_objective, "sources": ", ".join(o.sources)}
             for o in ref.main_objectives]
    count = ref.indicators.count
    rows.append({"level": "indicators", "id": "labo_indicators",
                 "label": {"fr": f"{count.first_version} indicateurs (2012), "
                                 f"{count.updated} ensuite ; liste non trouvée",
                           "en": f"{count.first_version} indicators (2012), later "
                                 f"{count.updated}; list not found"}[lang],
                 "under": unknown, "sources": ", ".join(count.sources)})
    rows += [{"level": "user indicator", "id": i.id, "label": i.fr if lang == "fr" else i.en,
              "under": i.objective, "sources": "user"} for i in ref.user_indicators]
    return pd.DataFrame(rows, columns=["level", "id", "label", "under", "sources"])


def gap_sections(result: dict, ref: Referentiel, names: dict[str, str],
                 lang: str = "en") -> list[tuple[str, pd.DataFrame]]:
    """Display tables: the matrix with short labels, the share per objective, the evidence."""
    import pandas as pd

    from ptce_typology.render.formats import format_number

    labels = {o.id: o.label(lang) for o in ref.main_objectives}
    status = result["status"]
    short = STATUS_LABELS[lang]
    matrix = status.replace(short)
    matrix.index = [names.get(p, p) for p in matrix.index]
    matrix.index.name = "Pôle" if lang == "fr" else "Pole"
    matrix.columns = [labels[c] for c in matrix.columns]
    summary = result["summary"]
    shares = pd.DataFrame({
        short["evidenced"]: summary["evidenced"],
        short["not_evidenced"]: summary["not_evidenced"],
        short["unknown"]: summary["unknown"],
        short["not_operationalised"]: summary["not_operationalised"],
        ("Part attestée" if lang == "fr" else "Share evidenced"):
            ["-" if no_rule == len(status) else format_number(v, lang, 1, percent=True)
             for v, no_rule in zip(summary["share_evidenced"], summary["not_operationalised"],
                                   strict=True)],
    })
    shares.index = [labels[c] for c in shares.index]
    shares.index.name = "Objectif principal" if lang == "fr" else "Main objective"
    evidence = result["evidence"].stack().rename("evidence").reset_index()
    evidence.columns = ["pole_id", "objective", "evidence"]
    evidence["status"] = [short[status.at[p, o]] for p, o in
                          zip(evidence["pole_id"], evidence["objective"], strict=True)]
    evidence["objective"] = evidence["objective"].map(labels)
    evidence = evidence.set_index("pole_id")[["objective", "status", "evidence"]]
    note = ref.evidence_rules.operationalisation
    return [
        ({"fr": "Matrice pôle × objectif principal", "en": "Pole × main objective"}[lang]
         + f" ({note})", matrix),
        ({"fr": "Part des pôles attestant chaque objectif",
          "en": "Share of poles evidencing each objective"}[lang], shares),
        ({"fr": "Descripteurs derrière chaque case",
          "en": "Descriptors behind each cell"}[lang], evidence),
    ]


def referentiel_json(ref: Referentiel) -> dict:
    return ref.model_dump(mode="json")


def gap_json(result: dict, ref: Referentiel) -> dict:
    return {
        "operationalisation": ref.evidence_rules.operationalisation,
        "objectives": [o.id for o in ref.main_objectives],
        "status": {p: row.to_dict() for p, row in result["status"].iterrows()},
        "evidence": {p: row.to_dict() for p, row in result["evidence"].iterrows()},
        "summary": result["summary"].reset_index().to_dict(orient="records"),
    }


def referentiel_sections(ref: Referentiel, lang: str = "en") -> list[tuple[str, pd.DataFrame]]:
    """``ptce referentiel`` as titled tables: the tree, the reference texts, the sources."""
    import pandas as pd

    texts = pd.DataFrame({"text": [getattr(t, lang) for t in ref.reference_texts],
                          "sources": [", ".join(t.sources) for t in ref.reference_texts]},
                         index=pd.Index([t.id for t in ref.reference_texts], name="id"))
    sources = pd.DataFrame({"citation": [s.citation for s in ref.sources],
                            "url": [s.url or "" for s in ref.sources]},
                           index=pd.Index([s.id for s in ref.sources], name="id"))
    title = {"fr": "Référentiel d'un PTCE", "en": "The référentiel of a PTCE"}[lang]
    return [(title, referentiel_tree(ref, lang).set_index("level")),
            ({"fr": "Textes de référence", "en": "Reference texts"}[lang], texts),
            ("Sources", sources)]
