"""Agreement between two independent codings of the same poles (``ptce agreement``).

For each descriptor: the poles coded by both (known on both sides), the observed agreement,
Cohen's κ and Krippendorff's α for nominal data (``unknown`` is a missing coding, never a
category), each with a bootstrap confidence interval over the poles; the same over all
descriptors pooled; a confusion table per descriptor; and every disagreement with each side's
basis and sources. A disagreement where one side records the other's reading among its
``alternatives`` is counted apart (« contested, recorded »).

Krippendorff's α comes from the maintained ``krippendorff`` package; Cohen's κ is the textbook
formula on the confusion table (tested against scikit-learn's ``cohen_kappa_score``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ptce_typology.errors import PtceError
from ptce_typology.vocabulary import DEFAULT_REFERENCE_YEAR, SEP, UNKNOWN

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

# A coding (:class:`ptce_typology.frame.Coding`): ``frame``, ``evidence`` and ``aliases``. The
# analysis reads those three attributes and imports nothing from the layers before it.
Coding = Any

DEFAULT_DESCRIPTORS = ("age_class", "origin", "territory", "sector", "shared_premises",
                       "employer_group")
ALL = "all"  # the row of the coefficients pooled over every descriptor
DEFAULT_RESAMPLES = 1000
CONFIDENCE = 0.95
SECOND = "second_coding_"  # prefix of coding b's ids in the readings to add to coding a


@dataclass
class Agreement:
    """The agreement of two codings.

    Attributes
    ----------
    pairs : pandas.DataFrame
        One row per matched pole: ``pole_a``, ``pole_b``, ``name``, ``matched_by``
        (``pole_id``, ``name`` or ``alias``).
    unmatched : dict
        ``{"a": [pole ids], "b": [pole ids]}``: poles of one coding only.
    coefficients : pandas.DataFrame
        Index ``descriptor`` (and ``all``, pooled). Columns: ``n_units`` (the matched poles;
        for ``all``, poles × descriptors), ``n_both`` (known on both sides), ``n_agree``,
        ``observed`` (share of ``n_both``),
        ``kappa``, ``kappa_low``, ``kappa_high``, ``alpha``, ``alpha_low``, ``alpha_high``,
        ``n_disagree``, ``n_recorded`` (disagreements where one side records the other's
        reading as an alternative).
    confusion : dict of pandas.DataFrame
        Per descriptor: counts of poles known on both sides, coding a (rows) by coding b
        (columns).
    disagreements : pandas.DataFrame
        One row per (pole, descriptor) known on both sides with different values:
        ``pole_a``, ``pole_b``, ``name``, ``descriptor``, ``value_a``, ``basis_a``,
        ``value_b``, ``basis_b``, ``recorded``, ``sources_a``, ``sources_b`` (lists of
        ``{id, citation, url, quote}``).
    """

    pairs: pd.DataFrame
    unmatched: dict[str, list[str]]
    coefficients: pd.DataFrame
    confusion: dict[str, pd.DataFrame]
    disagreements: pd.DataFrame
    parameters: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Plain data for JSON: every table as records, NaN as None."""
        import math

        def clean(value):
            if isinstance(value, float) and math.isnan(value):
                return None
            return value

        def records(frame: pd.DataFrame) -> list[dict]:
            return [{k: clean(v) for k, v in row.items()}
                    for row in frame.reset_index().to_dict(orient="records")]

        return {"parameters": self.parameters,
                "pairs": records(self.pairs.set_index("pole_a")),
                "unmatched": self.unmatched,
                "coefficients": records(self.coefficients),
                "confusion": {d: {"rows": list(map(str, t.index)),
                                  "columns": list(map(str, t.columns)),
                                  "counts": t.to_numpy().tolist()}
                              for d, t in self.confusion.items()},
                "disagreements": records(self.disagreements.set_index("pole_a"))}


# Matching ------------------------------------------------------------------------------------


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def match_poles(first: Coding, second: Coding) -> pd.DataFrame:
    """Pairs of the two codings' poles: the same ``pole_id`` first, then the same name or a
    shared alias (accents, case and punctuation ignored).

    Returns
    -------
    pandas.DataFrame
        Columns ``pole_a``, ``pole_b``, ``name`` (coding a's), ``matched_by``.
    """
    import pandas as pd

    ids_b = set(second.frame.index)
    rows = [(p, p, str(first.frame.at[p, "name"]), "pole_id") for p in first.frame.index
            if p in ids_b]
    taken = {r[1] for r in rows}
    names_b: dict[str, tuple[str, str]] = {}
    for pole in second.frame.index:
        if pole in taken:
            continue
        names_b.setdefault(_key(str(second.frame.at[pole, "name"])), (pole, "name"))
        for alias in second.aliases.get(pole, ()):
            names_b.setdefault(_key(alias), (pole, "alias"))
    matched = {r[0] for r in rows}
    for pole in first.frame.index:
        if pole in matched:
            continue
        name = str(first.frame.at[pole, "name"])
        for i, label in enumerate((name, *first.aliases.get(pole, ()))):
            found = names_b.get(_key(label))
            if found and found[0] not in taken:
                rows.append((pole, found[0], name,
                             "name" if i == 0 and found[1] == "name" else "alias"))
                taken.add(found[0])
                break
    return pd.DataFrame(rows, columns=["pole_a", "pole_b", "name", "matched_by"])


# Coefficients --------------------------------------------------------------------------------


def cohen_kappa(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's κ of two codings of the same units (integer codes, no missing): (p_o - p_e)
    / (1 - p_e), with p_e from each coding's own marginal shares. NaN when p_e is 1 (both
    codings use one and the same category)."""
    import numpy as np

    if len(a) == 0:
        return float("nan")
    labels = np.union1d(a, b)
    ia, ib = np.searchsorted(labels, a), np.searchsorted(labels, b)
    p_o = float(np.mean(ia == ib))
    share_a = np.bincount(ia, minlength=len(labels)) / len(a)
    share_b = np.bincount(ib, minlength=len(labels)) / len(b)
    p_e = float(share_a @ share_b)
    return float("nan") if p_e >= 1.0 else (p_o - p_e) / (1.0 - p_e)


def krippendorff_alpha(a: np.ndarray, b: np.ndarray) -> float:
    """Krippendorff's α for nominal data, two coders; a unit with a missing coding (NaN) is
    left out by α itself. NaN when fewer than two pairable values or one category only."""
    import krippendorff
    import numpy as np

    data = np.vstack([a, b]).astype(float)
    pairable = ~np.isnan(data).any(axis=0)
    if pairable.sum() < 1 or len(np.unique(data[:, pairable])) < 2:
        return float("nan")
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def _codes(frame_a: pd.DataFrame, frame_b: pd.DataFrame, pairs: pd.DataFrame,
           descriptors: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Per descriptor, a 2 × n array of codes (NaN for unknown), categories numbered in
    vocabulary order; ``all`` stacks every descriptor with its own numbers."""
    import numpy as np

    out, offset, stacked = {}, 0, []
    for d in descriptors:
        categories = [c for c in frame_a[d].cat.categories if c != UNKNOWN]
        number = {c: float(i + offset) for i, c in enumerate(categories)}
        rows = [[number.get(str(v), np.nan) for v in frame[d].loc[pairs[col]]]
                for frame, col in ((frame_a, "pole_a"), (frame_b, "pole_b"))]
        out[d] = np.array(rows, dtype=float)
        stacked.append(out[d])
        offset += len(categories)
    out[ALL] = np.hstack(stacked) if stacked else np.empty((2, 0))
    return out


def _coefficients(codes: np.ndarray) -> tuple[int, int, float, float]:
    import numpy as np

    both = ~np.isnan(codes).any(axis=0)
    a, b = codes[0, both], codes[1, both]
    n_both, n_agree = int(both.sum()), int((a == b).sum())
    return n_both, n_agree, cohen_kappa(a, b), krippendorff_alpha(codes[0], codes[1])


def _bootstrap(codes: np.ndarray, n_poles: int, n_descriptors: int, resamples: int,
               rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """κ and α of ``resamples`` samples of the poles drawn with replacement (for ``all``,
    a pole brings every descriptor with it)."""
    import numpy as np

    kappas, alphas = np.full(resamples, np.nan), np.full(resamples, np.nan)
    for r in range(resamples):
        poles = rng.integers(0, n_poles, n_poles)
        units = (poles[None, :] + n_poles * np.arange(n_descriptors)[:, None]).ravel()
        _, _, kappas[r], alphas[r] = _coefficients(codes[:, units])
    return kappas, alphas


def _interval(values: np.ndarray) -> tuple[float, float]:
    import numpy as np

    values = values[~np.isnan(values)]
    if len(values) == 0:
        return float("nan"), float("nan")
    tail = (1 - CONFIDENCE) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)


# Disagreements -------------------------------------------------------------------------------


def _recorded(frame: pd.DataFrame, pole: str, descriptor: str, other: str) -> bool:
    """Whether a pole's coding records ``other`` among the readings of ``descriptor`` (the
    tidy frame's ``alternatives``, ``descriptor=value`` joined by ``;``)."""
    if "alternatives" not in frame.columns:
        return False
    readings = str(frame.at[pole, "alternatives"] or "").split(";")
    return f"{descriptor}{SEP}{other}" in readings


def _evidence(coding: Coding, pole: str, descriptor: str) -> tuple[str | None, list[dict]]:
    key = (pole, descriptor)
    if key not in coding.evidence.index:
        return None, []
    row = coding.evidence.loc[key]
    return row["basis"], [dict(s) for s in row["sources"]]


def _disagreements(first: Coding, second: Coding, pairs: pd.DataFrame,
                   descriptors: tuple[str, ...]) -> pd.DataFrame:
    import pandas as pd

    rows = []
    for pair in pairs.itertuples(index=False):
        for d in descriptors:
            va = str(first.frame.at[pair.pole_a, d])
            vb = str(second.frame.at[pair.pole_b, d])
            if UNKNOWN in (va, vb) or va == vb:
                continue
            basis_a, sources_a = _evidence(first, pair.pole_a, d)
            basis_b, sources_b = _evidence(second, pair.pole_b, d)
            rows.append({"pole_a": pair.pole_a, "pole_b": pair.pole_b, "name": pair.name,
                         "descriptor": d, "value_a": va, "basis_a": basis_a, "value_b": vb,
                         "basis_b": basis_b,
                         "recorded": _recorded(first.frame, pair.pole_a, d, vb)
                         or _recorded(second.frame, pair.pole_b, d, va),
                         "sources_a": sources_a, "sources_b": sources_b})
    columns = ["pole_a", "pole_b", "name", "descriptor", "value_a", "basis_a", "value_b",
               "basis_b", "recorded", "sources_a", "sources_b"]
    return pd.DataFrame(rows, columns=columns)


def _confusion(frame_a, frame_b, pairs, descriptor) -> pd.DataFrame:
    import pandas as pd

    categories = [c for c in frame_a[descriptor].cat.categories if c != UNKNOWN]
    a = frame_a[descriptor].loc[pairs["pole_a"]].astype(str).to_numpy()
    b = frame_b[descriptor].loc[pairs["pole_b"]].astype(str).to_numpy()
    known = (a != UNKNOWN) & (b != UNKNOWN)
    table = pd.crosstab(pd.Categorical(a[known], categories=categories),
                        pd.Categorical(b[known], categories=categories), dropna=False)
    table.index.name, table.columns.name = "a", "b"
    return table


# The front -----------------------------------------------------------------------------------


def agreement(first: Coding, second: Coding,
              descriptors: tuple[str, ...] = DEFAULT_DESCRIPTORS, *,
              resamples: int = DEFAULT_RESAMPLES, seed: int = 0) -> Agreement:
    """The agreement of two codings of the same poles.

    Parameters
    ----------
    first, second
        The two codings (:func:`ptce_typology.frame.coding_of`: the tidy frame, the evidence
        of each value, the aliases); poles are matched by :func:`match_poles`.
    descriptors
        Categorical descriptors of the tidy frame to compare (default: the six active ones).
    resamples
        Bootstrap samples of the poles for the confidence intervals (0: none).
    seed
        Seed of the bootstrap.

    Raises
    ------
    PtceError
        No pole in common, or a descriptor that is not categorical.
    """
    import pandas as pd

    for d in descriptors:
        if d not in first.frame.columns or not isinstance(first.frame[d].dtype,
                                                          pd.CategoricalDtype):
            raise PtceError("not a categorical descriptor of the data", field="descriptors",
                            value=d)
    if resamples < 0:
        raise PtceError("the number of resamples is 0 or more", field="resamples",
                        value=resamples)
    pairs = match_poles(first, second)
    if pairs.empty:
        raise PtceError("the two codings have no pole in common (matched by pole_id, name or "
                        "alias)", field="cases")
    codes = _codes(first.frame, second.frame, pairs, descriptors)
    disagreements = _disagreements(first, second, pairs, descriptors)
    rows = _coefficient_rows(codes, disagreements, len(pairs), descriptors, resamples, seed)
    ids_a, ids_b = set(pairs["pole_a"]), set(pairs["pole_b"])
    return Agreement(
        pairs=pairs,
        unmatched={"a": sorted(str(p) for p in first.frame.index if p not in ids_a),
                   "b": sorted(str(p) for p in second.frame.index if p not in ids_b)},
        coefficients=pd.DataFrame(rows).set_index("descriptor"),
        confusion={d: _confusion(first.frame, second.frame, pairs, d) for d in descriptors},
        disagreements=disagreements,
        parameters={"descriptors": list(descriptors),
                    "reference_year": first.frame.attrs.get("reference_year",
                                                            DEFAULT_REFERENCE_YEAR),
                    "resamples": resamples, "seed": seed, "confidence": CONFIDENCE})


def _coefficient_rows(codes: dict, disagreements: pd.DataFrame, n_poles: int,
                      descriptors: tuple[str, ...], resamples: int, seed: int) -> list[dict]:
    import numpy as np

    rng = np.random.default_rng(seed)
    rows = []
    for d in (*descriptors, ALL):
        n_both, n_agree, kappa, alpha = _coefficients(codes[d])
        width = len(descriptors) if d == ALL else 1
        kappas, alphas = _bootstrap(codes[d], n_poles, width, resamples, rng)
        mine = disagreements if d == ALL else disagreements[disagreements["descriptor"] == d]
        rows.append({"descriptor": d, "n_units": n_poles * width, "n_both": n_both,
                     "n_agree": n_agree, "observed": n_agree / n_both if n_both else np.nan,
                     "kappa": kappa, **dict(zip(("kappa_low", "kappa_high"),
                                                _interval(kappas), strict=True)),
                     "alpha": alpha, **dict(zip(("alpha_low", "alpha_high"),
                                                _interval(alphas), strict=True)),
                     "n_disagree": len(mine), "n_recorded": int(mine["recorded"].sum())})
    return rows


def alternatives_to_add(result: Agreement, second: Coding) -> dict:
    """For each disagreement no side records, coding b's reading in the form ``alternatives:``
    takes, to add to coding a's case file by hand (the tool never modifies a case file).

    Returns
    -------
    dict
        ``{pole_a: {descriptor: {"alternatives": [{value, sources, note}], "sources":
        [source entries to copy]}}}``; for the age class, coding b's start event under
        ``grouping_start`` (``events``).
    """
    out: dict = {}
    for row in result.disagreements.itertuples(index=False):
        if row.recorded:
            continue
        # Coding b's source ids get a prefix, so that they cannot clash with coding a's.
        sources = [{k: (f"{SECOND}{v}" if k == "id" else v) for k, v in s.items()
                    if v is not None} for s in row.sources_b]
        ids = [s["id"] for s in sources]
        if row.descriptor == "age_class":
            event = second.evidence.loc[(row.pole_b, row.descriptor), "event"] or {}
            entry = {"events": [{"id": f"{SECOND}{event.get('id', 'start')}",
                                 "year": event.get("year"), "event": event.get("event", ""),
                                 "sources": ids}]}
            key = "grouping_start"
        else:
            entry = {"alternatives": [{"value": row.value_b, "sources": ids,
                                       "note": f"second coding ({row.pole_b}): "
                                               f"{row.value_b}; basis {row.basis_b}"}]}
            key = row.descriptor
        out.setdefault(row.pole_a, {})[key] = {**entry, "sources": sources}
    return out
