"""The référentiel of a PTCE as data (``data/referentiel.yaml``), and the gap between the
concept and what the case data evidences (``ptce referentiel``, ``ptce gap``).

The evidence rules are this project's operationalisation, marked as such in the file, not the
Labo de l'ESS's indicators (no source read lists them). Users add their own indicators in
``user_indicators`` and score poles in an ``assessment:`` block of their case files.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ptce_typology.errors import PtceError
from ptce_typology.resources import data_file
from ptce_typology.vocabulary import UNKNOWN

if TYPE_CHECKING:
    import pandas as pd

    from ptce_typology.schema import Case

STATUSES = ("evidenced", "not_evidenced", "unknown", "not_operationalised")
STATUS_LABELS = {
    "en": {"evidenced": "evidenced", "not_evidenced": "not evidenced", "unknown": "unknown",
           "not_operationalised": "not operationalised"},
    "fr": {"evidenced": "attesté", "not_evidenced": "non attesté", "unknown": "inconnu",
           "not_operationalised": "non opérationnalisé"},
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RefSource(_Model):
    id: str
    citation: str
    url: str | None = None
    quote: str | None = None
    date: str | int | None = None


class Objective(_Model):
    id: str
    fr: str
    en: str
    sources: list[str] = Field(min_length=1)
    general_objective: str | None = None

    def label(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


class IndicatorCount(_Model):
    first_version: int
    updated: int
    sources: list[str]


class Indicators(_Model):
    count: IndicatorCount
    items: list[dict] = Field(default_factory=list)


class ReferenceText(_Model):
    id: str
    fr: str
    en: str
    sources: list[str]


class Condition(_Model):
    descriptor: str
    equals: str | None = None
    at_least: float | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        if (self.equals is None) == (self.at_least is None):
            raise ValueError("a condition has exactly one of `equals` or `at_least`")
        return self

    def text(self, value: object) -> str:
        test = f"={self.equals}" if self.equals is not None else f">={self.at_least:g}"
        return f"{self.descriptor}{test} (is {value})"


class Rule(_Model):
    objective: str
    any: list[Condition] = Field(default_factory=list)
    all: list[Condition] = Field(default_factory=list)
    why: str = ""

    @model_validator(mode="after")
    def _has_conditions(self) -> Rule:
        if not self.any and not self.all:
            raise ValueError("a rule needs `any` or `all` conditions")
        return self


class EvidenceRules(_Model):
    operationalisation: str
    rules: list[Rule] = Field(default_factory=list)


class UserIndicator(_Model):
    id: str
    objective: str
    fr: str
    en: str
    evidenced_at: float = 1.0


class Referentiel(_Model):
    sources: list[RefSource]
    general_objectives: list[Objective] = Field(min_length=1)
    main_objectives: list[Objective] = Field(min_length=1)
    indicators: Indicators
    reference_texts: list[ReferenceText]
    evidence_rules: EvidenceRules
    user_indicators: list[UserIndicator] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Referentiel:
        known_sources = {s.id for s in self.sources}
        mains = {o.id for o in self.main_objectives}
        generals = {o.id for o in self.general_objectives}
        for item in (*self.general_objectives, *self.main_objectives, *self.reference_texts):
            for sid in item.sources:
                if sid not in known_sources:
                    raise ValueError(f"{item.id}: source {sid!r} is not defined")
        for obj in self.main_objectives:
            if obj.general_objective not in (*generals, UNKNOWN, None):
                raise ValueError(f"{obj.id}: unknown general objective "
                                 f"{obj.general_objective!r}")
        for item in (*self.evidence_rules.rules, *self.user_indicators):
            if item.objective not in mains:
                raise ValueError(f"objective {item.objective!r} is not a main objective; "
                                 f"allowed: {', '.join(sorted(mains))}")
        return self


def load_referentiel(path: Path | str | None = None) -> Referentiel:
    """The bundled référentiel, or a user's copy with its own rules and indicators."""
    from ptce_typology.yamlread import IssueError, read_yaml

    target = Path(path) if path else data_file("referentiel.yaml")
    try:
        data, lines = read_yaml(target)
        return Referentiel.model_validate(data)
    except IssueError as err:
        raise PtceError(err.issue.message, file=str(target), line=err.issue.line) from None
    except ValidationError as err:
        first = err.errors()[0]
        loc = tuple(first["loc"])
        line = next((lines[loc[:i]] for i in range(len(loc), 0, -1) if loc[:i] in lines), None)
        raise PtceError(first["msg"].removeprefix("Value error, "), file=str(target),
                        line=line, field=".".join(map(str, loc)) or None) from None


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


def _condition_status(cond: Condition, value: object) -> bool | None:
    if value is None or value == UNKNOWN or (isinstance(value, float) and value != value):
        return None
    try:
        import pandas as pd

        if value is pd.NA:
            return None
    except ImportError:  # pragma: no cover
        pass
    if cond.equals is not None:
        return str(value) == cond.equals
    try:
        return float(value) >= float(cond.at_least)
    except (TypeError, ValueError):
        return None


def _combine(statuses: list[bool | None], mode: Literal["any", "all"]) -> bool | None:
    if mode == "any":
        if any(s is True for s in statuses):
            return True
        return False if all(s is False for s in statuses) else None
    if any(s is False for s in statuses):
        return False
    return True if all(s is True for s in statuses) else None


def gap_matrix(cases: list[Case], frame: pd.DataFrame,
               ref: Referentiel | None = None) -> dict:
    """The pole × main-objective matrix of evidence.

    Returns
    -------
    dict
        ``status``: DataFrame (index ``pole_id``, one column per main objective id) holding
        ``evidenced``, ``not_evidenced``, ``unknown`` or ``not_operationalised``;
        ``evidence``: the same shape, the descriptor values (and scores) behind each cell;
        ``summary``: DataFrame (index objective id) with ``evidenced``, ``not_evidenced``,
        ``unknown`` counts and ``share_evidenced`` (of all poles, in [0, 1]).
    """
    import pandas as pd

    ref = ref or load_referentiel()
    indicators = {i.id: i for i in ref.user_indicators}
    for case in cases:
        for key in case.assessment:
            if key not in indicators:
                raise PtceError("the assessment names an indicator the référentiel does not "
                                "define (add it to user_indicators)", field=f"assessment.{key}",
                                value=case.pole_id, allowed=sorted(indicators))
    by_id = {c.pole_id: c for c in cases}
    for rule in ref.evidence_rules.rules:
        for cond in (*rule.any, *rule.all):
            if cond.descriptor not in frame.columns:
                raise PtceError("an evidence rule names an unknown descriptor",
                                field=f"evidence_rules.{rule.objective}",
                                value=cond.descriptor, allowed=list(frame.columns))
    objectives = [o.id for o in ref.main_objectives]
    status = pd.DataFrame(index=frame.index, columns=objectives, dtype=object)
    evidence = pd.DataFrame(index=frame.index, columns=objectives, dtype=object)
    for pole in frame.index:
        row = frame.loc[pole]
        for obj in objectives:
            results, texts = [], []
            for rule in ref.evidence_rules.rules:
                if rule.objective != obj:
                    continue
                for mode in ("any", "all"):
                    conds = getattr(rule, mode)
                    if conds:
                        values = [row[c.descriptor] for c in conds]
                        results.append(_combine([_condition_status(c, v) for c, v in
                                                 zip(conds, values, strict=True)], mode))
                        texts += [c.text(v) for c, v in zip(conds, values, strict=True)]
            for ind in ref.user_indicators:
                if ind.objective != obj:
                    continue
                scored = by_id[pole].assessment.get(ind.id) if pole in by_id else None
                if scored is None:
                    results.append(None)
                    texts.append(f"{ind.id}: not scored")
                else:
                    results.append(scored.score >= ind.evidenced_at)
                    texts.append(f"{ind.id} score {scored.score:g} (evidence at "
                                 f">= {ind.evidenced_at:g})")
            if not results:
                status.at[pole, obj] = "not_operationalised"
            elif any(r is True for r in results):
                status.at[pole, obj] = "evidenced"
            elif all(r is False for r in results):
                status.at[pole, obj] = "not_evidenced"
            else:
                status.at[pole, obj] = "unknown"
            evidence.at[pole, obj] = "; ".join(texts)
    status.index.name = evidence.index.name = "pole_id"
    summary = pd.DataFrame({s: (status == s).sum() for s in STATUSES})
    summary["share_evidenced"] = summary["evidenced"] / len(frame) if len(frame) else 0.0
    summary.index.name = "objective"
    return {"status": status, "evidence": evidence, "summary": summary}


def gap_sections(result: dict, ref: Referentiel, names: dict[str, str],
                 lang: str = "en") -> list[tuple[str, pd.DataFrame]]:
    """Display tables: the matrix with short labels, the share per objective, the evidence."""
    import pandas as pd

    from ptce_typology.export import format_number

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


def gap_heatmap(result: dict, ref: Referentiel, names: dict[str, str], lang: str = "en"):
    """A heat map of the matrix: one colour per status."""
    import numpy as np
    from matplotlib.colors import ListedColormap

    from ptce_typology.plots import _pyplot

    plt = _pyplot()
    status = result["status"]
    codes = status.replace({s: i for i, s in enumerate(STATUSES)}).to_numpy(dtype=float)
    colours = ["#1b9e77", "#d95f02", "#dddddd", "#ffffff"]
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(status) + 2))
    ax.imshow(codes, cmap=ListedColormap(colours), vmin=-0.5, vmax=3.5, aspect="auto")
    labels = {o.id: o.label(lang) for o in ref.main_objectives}
    ax.set_xticks(np.arange(status.shape[1]), [labels[c] for c in status.columns],
                  rotation=35, ha="right")
    ax.set_yticks(np.arange(status.shape[0]), [names.get(p, p) for p in status.index])
    ax.set_xticks(np.arange(-0.5, status.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, status.shape[0]), minor=True)
    ax.grid(which="minor", color="#999999", lw=0.5)
    ax.tick_params(which="minor", length=0)
    from matplotlib.patches import Patch

    short = STATUS_LABELS[lang]
    ax.legend(handles=[Patch(facecolor=c, edgecolor="#999999", label=short[s])
                       for c, s in zip(colours, STATUSES, strict=True)],
              loc="upper center", bbox_to_anchor=(0.5, -0.35), ncol=4, frameon=False)
    ax.set_title({"fr": "Écart entre le concept de PTCE et les données des pôles",
                  "en": "Gap between the PTCE concept and the poles' data"}[lang])
    fig.tight_layout()
    return fig


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
