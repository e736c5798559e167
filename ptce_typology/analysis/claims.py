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


def _reproduce_one(frame: pd.DataFrame, claim: Any) -> dict:
    """One claim computed: its status, the numbers behind both values, and a note as a code
    with its parameters (the text is built by :mod:`ptce_typology.render.paper`)."""
    if claim.kind not in _KINDS:  # pragma: no cover - the schema allows no other kind
        raise AssertionError(claim.kind)
    found = {"poles": (), "undecided": (), "note_key": "", "note_values": {},
             **_KINDS[claim.kind](frame, claim)}
    return {"id": claim.id, "kind": claim.kind, "claim": claim.en, "section": claim.section,
            "quote": claim.quote, "values": found["values"], "status": found["status"],
            "poles": found["poles"], "undecided": found["undecided"],
            "note_key": found["note_key"], "note_values": found["note_values"],
            "claim_note": claim.note or "", "claim_note_fr": claim.note_fr or "",
            "claim_fr": claim.quote}


def _unmeasured(frame: pd.DataFrame, claim: Any) -> dict:
    # No field of the case data speaks to it: never a match, never a mismatch; the claim's
    # own note says which field is missing.
    return {"status": "not_computable", "values": {"expected": claim.expected}}


def _total(frame: pd.DataFrame, claim: Any) -> dict:
    n = len(frame)
    return {"status": _status(n, n, claim.expected - claim.tolerance,
                              claim.expected + claim.tolerance),
            "poles": tuple(frame.index), "values": {"expected": claim.expected, "n": n}}


def _count(frame: pd.DataFrame, claim: Any) -> dict:
    """A count or a share of poles in a category, bounded over the unknowns."""
    n = len(frame)
    column = _column(frame, claim.descriptor, claim).astype(object)
    poles = tuple(frame.index[column == claim.category])
    undecided = tuple(frame.index[column == UNKNOWN]) if claim.category != UNKNOWN else ()
    low, high = len(poles), len(poles) + len(undecided)
    scale = n if claim.kind == "share" else 1
    exp = float(claim.expected)
    # A vague figure (« une majorité ») is an interval; a precise one ± its rounding.
    lo_ok, hi_ok = claim.interval or (exp - claim.tolerance, exp + claim.tolerance)
    status = _status(low / scale, high / scale, lo_ok, hi_ok)
    values = {"expected": claim.expected, "low": low, "high": high, "n": n}
    if claim.interval:
        values.update(accepted_low=lo_ok, accepted_high=hi_ok)
    found = {"status": status, "values": values, "poles": poles, "undecided": undecided}
    if status == "not_computable":
        import math

        need_lo = max(0, math.ceil(lo_ok * scale - 1e-9) - low)
        need_hi = min(len(undecided), math.floor(hi_ok * scale + 1e-9) - low)
        found["note_key"] = "holds_only_if" if need_lo == need_hi else "holds_only_if_between"
        found["note_values"] = {"low": need_lo, "high": need_hi, "n": len(undecided),
                                "descriptor": claim.descriptor, "category": claim.category,
                                "poles": list(undecided)}
    elif status == "mismatch":
        found["note_key"] = "data_gives" if high == low else "data_gives_between"
        found["note_values"] = {"low": low, "high": high, "paper": claim.expected,
                                "descriptor": claim.descriptor, "category": claim.category,
                                "poles": list(poles)}
    return found


def _named(frame: pd.DataFrame, claim: Any) -> dict:
    """The poles the paper names in a category (all of them, or exactly them)."""
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
    found = {"status": "match", "values": {"expected": expected, "poles": list(poles)},
             "poles": poles, "undecided": undecided}
    if missing:
        found.update(status="not_computable", note_key="not_in_data",
                     note_values={"poles": missing})
    elif wrong_in or wrong_out:
        found.update(status="mismatch", note_key="named_not" if not wrong_out else (
            "not_named" if not wrong_in else "named_not_and_not_named"),
            note_values={"descriptor": claim.descriptor, "category": claim.category,
                         "poles": [f"{p} ({column[p]})" for p in wrong_in],
                         "others": wrong_out})
    elif undecided:
        found.update(status="not_computable", note_key="unknown_in",
                     note_values={"poles": list(undecided)})
    return found


def _range(frame: pd.DataFrame, claim: Any) -> dict:
    """The smallest and largest value of a numeric column."""
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
    found = {"status": status, "poles": tuple(known.sort_values().index),
             "undecided": undecided,
             "values": {"expected_low": exp_lo, "expected_high": exp_hi, "low": low,
                        "high": high}}
    outside = [p for p in known.index if known[p] < exp_lo - tol or known[p] > exp_hi + tol]
    if outside:
        found.update(note_key="outside",
                     note_values={"poles": [f"{p} ({int(known[p])})" for p in outside]})
    return found


def _mean(frame: pd.DataFrame, claim: Any) -> dict:
    """The mean of a numeric column over the poles that give it."""
    column = _column(frame, claim.column, claim)
    known = column.dropna()
    undecided = tuple(frame.index[column.isna()])
    lo_ok, hi_ok = claim.interval or (claim.expected - claim.tolerance,
                                      claim.expected + claim.tolerance)
    mean = float(known.astype(float).mean()) if len(known) else float("nan")
    found = {"status": _status(mean, mean, lo_ok, hi_ok) if len(known) else "not_computable",
             "values": {"expected": claim.expected, "accepted_low": lo_ok,
                        "accepted_high": hi_ok, "mean": mean, "n_known": len(known)},
             "poles": tuple(known.index), "undecided": undecided}
    if undecided:
        found.update(note_key="left_out", note_values={"poles": list(undecided)})
    return found


# Each kind of claim of the claims file, and how it is computed.
_KINDS = {"unmeasured": _unmeasured, "total": _total, "count": _count, "share": _count,
          "named": _named, "range": _range, "mean": _mean}


def reproduce_claims(frame: pd.DataFrame, claims: Sequence[Any]) -> pd.DataFrame:
    """Compute every claim of the paper from the tidy frame (the claim in both languages:
    ``claim`` and ``claim_fr``).

    ``claims`` are :class:`~ptce_typology.intake.claims.Claim` objects
    (:func:`~ptce_typology.intake.claims.load_claims`).

    Returns
    -------
    pandas.DataFrame
        Index ``id`` (the claim's id, in file order). Columns: ``kind``, ``claim`` (English
        summary), ``section``, ``quote`` (French), ``values`` (dict: the paper's value and the
        computed one as numbers, keys by kind: ``expected``, ``low``, ``high``, ``n``,
        ``mean``, ``n_known``...), ``status`` (``match``, ``mismatch`` or
        ``not_computable``), ``poles`` (tuple of pole_id behind the computed value),
        ``undecided`` (tuple of pole_id whose ``unknown`` values the answer depends on),
        ``note_key`` (a code of ``claims.note`` in ``data/labels.yaml``, or ``""``),
        ``note_values`` (dict, the code's parameters), ``claim_note`` and ``claim_note_fr``
        (the claim's own notes from the claims file), ``claim_fr`` (the claim in French: the
        paper's own words, its quote).
    """
    if len(frame) == 0:
        raise PtceError("no pole to compute the paper's figures on")
    import pandas as pd

    rows = [_reproduce_one(frame, claim) for claim in claims]
    table = pd.DataFrame(rows).set_index("id")
    table["inferred"] = [_inferred_behind(frame, claim, poles)
                         for claim, poles in zip(claims, table["poles"], strict=True)]
    return table


def _inferred_behind(frame: pd.DataFrame, claim: Any, poles: tuple) -> tuple:
    """The poles behind a claim's value whose value for its descriptor rests on reasoning
    (``basis: inferred``), not on a quote."""
    column = claim.descriptor or claim.column
    if column is None or "inferred" not in frame.columns:
        return ()
    columns = {column, *({"start_year", "age"} if column in ("age", "age_class") else ())}
    return tuple(p for p in poles if p in frame.index
                 and columns & set(str(frame.at[p, "inferred"]).split(";")))


def temoins_only(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The paper speaks of its twelve témoins only: the frame's poles with ``role: temoin``,
    and the ids of the others (left out of the reproduction).

    Returns
    -------
    tuple of (DataFrame, list of str)
        The rows of ``frame`` whose ``role`` is ``temoin`` (same columns and index), and the
        ``pole_id`` of every other row, in the frame's order.
    """
    is_temoin = frame["role"].astype(object) == "temoin"
    return frame[is_temoin], [str(p) for p in frame.index[~is_temoin]]


