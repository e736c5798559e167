"""Fit measures of crisp and fuzzy sets, as R's QCA ``pof``: inclusion (consistency), PRI,
raw and unique coverage of sufficient terms and models, and the necessity measures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ptce_typology.analysis.qca.minimise import Term, term_key

TOLERANCE = 1.5e-8
"""Comparisons with a cut-off accept values this close below it (R: sqrt of double eps)."""


def membership(term: Term, X: np.ndarray) -> np.ndarray:
    """Membership of each case in a term: the minimum over its literals (``~X`` is ``1 - x``).

    Parameters
    ----------
    term : tuple of 1, 0 or None
    X : array (cases x conditions)
        Memberships in [0, 1] (crisp data are 0/1).

    Returns
    -------
    numpy.ndarray of float
    """
    X = np.asarray(X, dtype=float)
    out = np.ones(X.shape[0])
    for j, v in enumerate(term):
        if v is not None:
            out = np.minimum(out, X[:, j] if v else 1 - X[:, j])
    return out


def sufficiency(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Inclusion (consistency), PRI and coverage of ``x`` as sufficient for ``y``.

    ``inclS = sum(min(x, y)) / sum(x)``; ``PRI = (sum(min(x, y)) - sum(min(x, y, 1 - y))) /
    (sum(x) - sum(min(x, y, 1 - y)))``; ``covS = sum(min(x, y)) / sum(y)``. NaN when a
    denominator is zero.

    Parameters
    ----------
    x, y : arrays of float
        Memberships of the cases in the set and in the outcome.

    Returns
    -------
    tuple of float
        ``(inclS, PRI, covS)``.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    both = float(np.minimum(x, y).sum())
    overlap = float(np.minimum(np.minimum(x, y), 1 - y).sum())
    sx, sy = float(x.sum()), float(y.sum())
    incl = both / sx if sx else float("nan")
    pri_den = sx - overlap
    pri = (both - overlap) / pri_den if pri_den > TOLERANCE else float("nan")
    cov = both / sy if sy else float("nan")
    return incl, pri, cov


def necessity(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Inclusion, relevance and coverage of ``x`` as necessary for ``y``.

    ``inclN = sum(min(x, y)) / sum(y)``; ``RoN = sum(1 - x) / sum(1 - min(x, y))``;
    ``covN = sum(min(x, y)) / sum(x)``.

    Parameters
    ----------
    x, y : arrays of float
        Memberships of the cases in the condition and in the outcome.

    Returns
    -------
    tuple of float
        ``(inclN, RoN, covN)``.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    both = np.minimum(x, y)
    sy, sx, den = float(y.sum()), float(x.sum()), float((1 - both).sum())
    return (float(both.sum()) / sy if sy else float("nan"),
            float((1 - x).sum()) / den if den else float("nan"),
            float(both.sum()) / sx if sx else float("nan"))


@dataclass
class SolutionFit:
    """Fit of a solution's models, as R's ``pof`` prints it after ``minimize``.

    ``terms``: every term of every model, those in all models first, then R's order.
    ``term_fit``: array (terms x 4) of inclS, PRI, covS, covU, where covU is the term's unique
    coverage against all the other listed terms (NaN when a single term is listed).
    ``model_unique``: array (terms x models), the unique coverage of the term within each
    model (NaN when the term is not in the model, or the model has one term).
    ``model_fit``: array (models x 3) of inclS, PRI, covS of each model (the union of its
    terms).
    """

    terms: list[Term]
    term_fit: np.ndarray
    model_unique: np.ndarray
    model_fit: np.ndarray


def solution_fit(models: Sequence[Sequence[Term]], X: np.ndarray, y: np.ndarray) -> SolutionFit:
    """Inclusion, PRI, raw and unique coverage of each term and each model.

    Parameters
    ----------
    models : sequence of models (sequences of terms)
    X : array (cases x conditions)
        Memberships in [0, 1].
    y : array (cases)
        Outcome memberships.

    Returns
    -------
    SolutionFit
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    listed: list[Term] = []
    for model in models:
        for term in model:
            if term not in listed:
                listed.append(term)
    common = [t for t in listed if all(t in m for m in models)]
    terms = sorted(common, key=term_key) + sorted((t for t in listed if t not in common),
                                                  key=term_key)
    member = {t: membership(t, X) for t in terms}
    nothing = np.zeros(X.shape[0])

    def unique(term: Term, others: Sequence[Term]) -> float:
        rest = [member[t] for t in others if t != term]
        if not rest:
            return float("nan")
        union = np.max([member[term], *rest], axis=0)
        without = np.max(rest, axis=0)
        return sufficiency(union, y)[2] - sufficiency(without, y)[2]

    term_fit = np.array([[*sufficiency(member[t], y), unique(t, terms)] for t in terms]
                        ).reshape(len(terms), 4)
    model_unique = np.full((len(terms), len(models)), np.nan)
    model_fit = np.zeros((len(models), 3))
    for m, model in enumerate(models):
        union = np.max([member[t] for t in model], axis=0) if model else nothing
        model_fit[m] = sufficiency(union, y)
        for t in model:
            model_unique[terms.index(t), m] = unique(t, model)
    return SolutionFit(terms, term_fit, model_unique, model_fit)
