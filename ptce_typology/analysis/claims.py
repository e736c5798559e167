"""The paper's published figures (``data/paper_claims.yaml``), computed from the case data.

Each claim gets a status: ``match``, ``mismatch``, or ``not_computable`` when the answer depends
on ``unknown`` values. Unknowns are handled by bounds: a count of "yes" lies between the known
"yes" and the known "yes" plus the unknowns; a claim matches when every value the unknowns allow
is within its tolerance, and is a mismatch when none is. A mismatch is a finding to report; the
data is never tuned towards the paper.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ptce_typology.errors import PtceError
from ptce_typology.vocabulary import UNKNOWN

if TYPE_CHECKING:
    import pandas as pd

STATUSES = ("match", "mismatch", "not_computable")


def _status(low: float, high: float, lo_ok: float, hi_ok: float) -> str:
    """Status of a value known to lie in [low, high] against the accepted [lo_ok, hi_ok]."""
    eps = 1e-9
    if lo_ok - eps <= low and high <= hi_ok + eps:
        return "match"
    if high < lo_ok - eps or low > hi_ok + eps:
        return "mismatch"
    return "not_computable"


def _column(frame: pd.DataFrame, name: str | None, claim: Any) -> pd.Series:
    if name not in frame.columns:
        raise PtceError("the claim names a column the data does not have",
                        field=f"claims.{claim.id}", value=name, allowed=list(frame.columns))
    return frame[name]


MESSAGES = {
    "en": {
        "up_to": "up to", "to": "to", "about": "about", "unknown": "unknown",
        "mean_of": "mean of {n} known",
        "holds_only_if": "the paper's figure holds only if {wanted} of the {n} poles with "
                         "`unknown` are {cat}: {names}",
        "data_gives": "the data gives {value} (paper: {paper}); {cat}: {names}",
        "not_in_data": "not in the data: {names}",
        "named_not": "named by the paper but not {cat} in the data: {names}",
        "not_named": "in the data but not named: {names}",
        "unknown_in": "unknown in the data: {names}",
        "outside": "outside the paper's range: {names}",
        "left_out": "left out (unknown): {names}",
        "more": "and {n} more",
    },
    "fr": {
        "up_to": "jusqu'à", "to": "à", "about": "environ", "unknown": "inconnu",
        "mean_of": "moyenne des {n} connus",
        "holds_only_if": "le chiffre de l'article ne tient que si {wanted} des {n} pôles "
                         "« inconnu » sont {cat} : {names}",
        "data_gives": "les données donnent {value} (article : {paper}) ; {cat} : {names}",
        "not_in_data": "absents des données : {names}",
        "named_not": "nommés par l'article mais pas {cat} dans les données : {names}",
        "not_named": "dans les données mais non nommés : {names}",
        "unknown_in": "inconnus dans les données : {names}",
        "outside": "hors de l'intervalle de l'article : {names}",
        "left_out": "écartés (inconnus) : {names}",
        "more": "et {n} de plus",
    },
}


def _names(poles, limit: int = 50, lang: str = "en") -> str:
    """Pole ids for a note, the first ``limit`` of them."""
    poles = list(poles)
    shown = ", ".join(str(p) for p in poles[:limit])
    more = " " + MESSAGES[lang]["more"].format(n=len(poles) - limit)
    return shown + (more if len(poles) > limit else "")


def _reproduce_one(frame: pd.DataFrame, claim: Any, lang: str = "en") -> dict:
    m = MESSAGES[lang]

    def names(poles) -> str:
        return _names(poles, lang=lang)

    def pct(x: float, digits: int) -> str:
        text = f"{x:.{digits}%}"
        return text.replace(".", ",").replace("%", "\u00a0%") if lang == "fr" else text

    n = len(frame)
    poles: tuple = ()
    undecided: tuple = ()
    note = ""
    if claim.kind == "total":
        status = _status(n, n, claim.expected - claim.tolerance, claim.expected + claim.tolerance)
        poles = tuple(frame.index)
        paper_value, computed_value = str(claim.expected), str(n)
    elif claim.kind in ("count", "share"):
        column = _column(frame, claim.descriptor, claim).astype(object)
        poles = tuple(frame.index[column == claim.category])
        undecided = tuple(frame.index[column == UNKNOWN]) if claim.category != UNKNOWN else ()
        low, high = len(poles), len(poles) + len(undecided)
        scale = n if claim.kind == "share" else 1
        exp = float(claim.expected)
        status = _status(low / scale, high / scale, exp - claim.tolerance, exp + claim.tolerance)
        if claim.kind == "share":
            paper_value = pct(exp, 0)
            computed_value = f"{low}/{n} = {pct(low / n, 1)}"
            if undecided:
                computed_value += f" ({m['up_to']} {high}/{n} = {pct(high / n, 1)})"
        else:
            paper_value = str(claim.expected)
            computed_value = str(low) + (f" ({m['up_to']} {high})" if undecided else "")
        if status == "not_computable":
            import math

            need_lo = max(0, math.ceil((exp - claim.tolerance) * scale - 1e-9) - low)
            need_hi = min(len(undecided), math.floor((exp + claim.tolerance) * scale + 1e-9)
                          - low)
            wanted = str(need_lo) if need_lo == need_hi else f"{need_lo} {m['to']} {need_hi}"
            note = m["holds_only_if"].format(wanted=wanted, n=len(undecided),
                                             cat=repr(claim.category), names=names(undecided))
        elif status == "mismatch":
            value = f"{low}" + (f" {m['to']} {high}" if high != low else "")
            note = m["data_gives"].format(value=value, paper=claim.expected,
                                          cat=repr(claim.category), names=names(poles))
    elif claim.kind == "named":
        column = _column(frame, claim.descriptor, claim).astype(object)
        expected = list(claim.expected)
        missing = [p for p in expected if p not in frame.index]
        named = frame.index.isin(expected)
        has = (column == claim.category).to_numpy()
        unknown = (column == UNKNOWN).to_numpy()
        poles = tuple(frame.index[has])
        wrong_in = list(frame.index[named & ~has & ~unknown])
        unknown_in = list(frame.index[named & unknown])
        exact = claim.match == "exact"
        wrong_out = list(frame.index[~named & has]) if exact else []
        unknown_out = list(frame.index[~named & unknown]) if exact else []
        undecided = tuple(unknown_in + unknown_out)
        if missing:
            status, note = "not_computable", m["not_in_data"].format(names=names(missing))
        elif wrong_in or wrong_out:
            status = "mismatch"
            parts = []
            if wrong_in:
                parts.append(m["named_not"].format(
                    cat=repr(claim.category),
                    names=names(f"{p} ({column[p]})" for p in wrong_in)))
            if wrong_out:
                parts.append(m["not_named"].format(names=names(wrong_out)))
            note = "; ".join(parts)
        elif undecided:
            status = "not_computable"
            note = m["unknown_in"].format(names=names(undecided))
        else:
            status = "match"
        paper_value = f"{len(expected)}: " + ", ".join(expected)
        computed_value = f"{len(poles)}: " + names(poles)
    elif claim.kind == "range":
        column = _column(frame, claim.column, claim)
        known = column.dropna()
        undecided = tuple(frame.index[column.isna()])
        low, high = (int(known.min()), int(known.max())) if len(known) else (None, None)
        exp_lo, exp_hi = claim.expected
        tol = claim.tolerance
        if low is None:
            status = "not_computable"
        else:
            fits = (abs(low - exp_lo) <= tol, abs(high - exp_hi) <= tol)
            if not all(fits) and (low < exp_lo - tol or high > exp_hi + tol):
                status = "mismatch"  # unknowns can only widen the range
            elif undecided:
                status = "not_computable"
            else:
                status = "match" if all(fits) else "mismatch"
        paper_value = f"{exp_lo} {m['to']} {exp_hi}"
        computed_value = m["unknown"] if low is None else f"{low} {m['to']} {high}"
        outside = [p for p in known.index if known[p] < exp_lo - tol or known[p] > exp_hi + tol]
        poles = tuple(known.sort_values().index)
        if outside:
            note = m["outside"].format(names=names(f"{p} ({int(known[p])})" for p in outside))
    elif claim.kind == "mean":
        column = _column(frame, claim.column, claim)
        known = column.dropna()
        undecided = tuple(frame.index[column.isna()])
        lo_ok, hi_ok = claim.interval or (claim.expected - claim.tolerance,
                                          claim.expected + claim.tolerance)
        mean = float(known.astype(float).mean()) if len(known) else float("nan")
        status = _status(mean, mean, lo_ok, hi_ok) if len(known) else "not_computable"
        paper_value = f"{m['about']} {claim.expected} ({lo_ok:g} {m['to']} {hi_ok:g})"
        mean_text = f"{mean:.1f}".replace(".", ",") if lang == "fr" else f"{mean:.1f}"
        computed_value = f"{mean_text} ({m['mean_of'].format(n=len(known))})"
        poles = tuple(known.index)
        if undecided:
            note = m["left_out"].format(names=names(undecided))
    else:  # pragma: no cover - the schema allows no other kind
        raise AssertionError(claim.kind)
    return {"id": claim.id, "kind": claim.kind, "claim": claim.en, "section": claim.section,
            "quote": claim.quote, "paper_value": paper_value, "computed_value": computed_value,
            "status": status, "poles": poles, "undecided": undecided,
            "note": "; ".join(x for x in (note, (claim.note_fr if lang == "fr" else None)
                                          or claim.note or "") if x)}


def reproduce_claims(frame: pd.DataFrame, claims: Sequence[Any],
                     lang: str = "en") -> pd.DataFrame:
    """Compute every claim of the paper from the tidy frame (texts in ``lang``).

    ``claims`` are :class:`~ptce_typology.intake.claims.Claim` objects
    (:func:`~ptce_typology.intake.claims.load_claims`).

    Returns
    -------
    pandas.DataFrame
        Index ``id`` (the claim's id, in file order). Columns: ``kind``, ``claim`` (English
        summary), ``section``, ``quote`` (French), ``paper_value``, ``computed_value``,
        ``status`` (``match``, ``mismatch`` or ``not_computable``), ``poles`` (tuple of pole_id
        behind the computed value), ``undecided`` (tuple of pole_id whose ``unknown`` values
        the answer depends on), ``note``.
    """
    if len(frame) == 0:
        raise PtceError("no pole to compute the paper's figures on")
    import pandas as pd

    rows = [_reproduce_one(frame, claim, lang) for claim in claims]
    return pd.DataFrame(rows).set_index("id")


