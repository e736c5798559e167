"""The gap between the PTCE concept (the référentiel, ``intake/referentiel.py``) and what the
case data evidences (``ptce gap``).

The evidence rules are this project's operationalisation, marked as such in the file, not the
Labo de l'ESS's indicators (no source read lists them). Users add their own indicators in
``user_indicators`` and score poles in an ``assessment:`` block of their case files.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from ptce_typology.errors import PtceError
from ptce_typology.vocabulary import GAP_STATUSES, UNKNOWN

if TYPE_CHECKING:
    import pandas as pd

STATUSES = GAP_STATUSES


def _condition_status(cond: Any, value: object) -> bool | None:
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


def gap_matrix(frame: pd.DataFrame, ref: Any,
               assessments: Mapping[str, Mapping[str, float]] | None = None) -> dict:
    """The pole × main-objective matrix of evidence.

    Parameters
    ----------
    frame
        The tidy frame.
    ref
        The référentiel (:class:`~ptce_typology.intake.referentiel.Referentiel`).
    assessments
        pole_id -> indicator id -> score, the ``assessment:`` blocks of the case files
        (:func:`~ptce_typology.intake.loading.assessments`).

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

    assessments = assessments or {}
    _check_references(frame, ref, assessments)
    objectives = [o.id for o in ref.main_objectives]
    status = pd.DataFrame(index=frame.index, columns=objectives, dtype=object)
    evidence = pd.DataFrame(index=frame.index, columns=objectives, dtype=object)
    for pole in frame.index:
        row = frame.loc[pole]
        for obj in objectives:
            status.at[pole, obj], evidence.at[pole, obj] = _cell(
                row, obj, ref, assessments.get(pole, {}))
    status.index.name = evidence.index.name = "pole_id"
    summary = pd.DataFrame({s: (status == s).sum() for s in STATUSES})
    summary["share_evidenced"] = summary["evidenced"] / len(frame) if len(frame) else 0.0
    summary.index.name = "objective"
    return {"status": status, "evidence": evidence, "summary": summary}


def _check_references(frame: pd.DataFrame, ref: Any,
                      assessments: Mapping[str, Mapping[str, float]]) -> None:
    """Every indicator an assessment scores, and every descriptor an evidence rule reads,
    exists."""
    indicators = {i.id: i for i in ref.user_indicators}
    for pole_id, scores in assessments.items():
        for key in scores:
            if key not in indicators:
                raise PtceError("the assessment names an indicator the référentiel does not "
                                "define (add it to user_indicators)", field=f"assessment.{key}",
                                value=pole_id, allowed=sorted(indicators))
    for rule in ref.evidence_rules.rules:
        for cond in (*rule.any, *rule.all):
            if cond.descriptor not in frame.columns:
                raise PtceError("an evidence rule names an unknown descriptor",
                                field=f"evidence_rules.{rule.objective}",
                                value=cond.descriptor, allowed=list(frame.columns))


def _cell(row: pd.Series, obj: str, ref: Any, scores: Mapping[str, float]) -> tuple[str, str]:
    """One pole's status on one objective, and the evidence behind it: its descriptor values
    under the evidence rules, and its scores on the user indicators."""
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
        score = scores.get(ind.id)
        if score is None:
            results.append(None)
            texts.append(f"{ind.id}: not scored")
        else:
            results.append(score >= ind.evidenced_at)
            texts.append(f"{ind.id} score {score:g} (evidence at >= {ind.evidenced_at:g})")
    if not results:
        status = "not_operationalised"
    elif any(r is True for r in results):
        status = "evidenced"
    elif all(r is False for r in results):
        status = "not_evidenced"
    else:
        status = "unknown"
    return status, "; ".join(texts)
