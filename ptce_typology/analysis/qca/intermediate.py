"""Intermediate solutions, as R's ``minimize(..., include = "?", dir.exp = ...)``.

Directional expectations say which value of each condition is expected to lead to the
outcome; the easy counterfactuals are the remainders a parsimonious model uses that agree
with them, and the intermediate models cover the positive rows with their help.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ptce_typology.analysis.qca.minimise import (
    MAX_MODELS,
    Config,
    Minimisation,
    Term,
    _check_size,
    _complement,
    _cube,
    _indices,
    _solve,
    index_config,
)
from ptce_typology.errors import PtceError


@dataclass
class IntermediateSolution:
    """The intermediate solution from one pair of complex and parsimonious models.

    ``complex_model`` and ``parsimonious_model`` are 1-based model numbers (R's ``C1P2``).
    ``easy_rows``: indices of the easy counterfactuals (remainders added to the positive rows);
    ``difficult_rows``: the parsimonious model's other simplifying assumptions. ``models``,
    ``primes`` and ``essential`` as in :class:`Minimisation`; ``k`` the number of conditions.
    """

    complex_model: int
    parsimonious_model: int
    easy_rows: np.ndarray
    difficult_rows: np.ndarray
    models: list[list[Term]]
    primes: list[Term]
    essential: list[Term]
    k: int

    @property
    def label(self) -> str:
        """``C1P1`` as R names the pair."""
        return f"C{self.complex_model}P{self.parsimonious_model}"

    @property
    def easy(self) -> list[Config]:
        """The easy counterfactuals, as configurations in row order (R's ``EC``)."""
        return [index_config(int(i), self.k) for i in self.easy_rows]

    @property
    def difficult(self) -> list[Config]:
        """The other simplifying assumptions of the parsimonious model (R's ``DC``)."""
        return [index_config(int(i), self.k) for i in self.difficult_rows]


def parse_dir_exp(dir_exp: Sequence | Mapping, names: Sequence[str]) -> list[int | None]:
    """Directional expectations, one per condition: 1 (presence), 0 (absence), None (either).

    Parameters
    ----------
    dir_exp : sequence or mapping
        One value per condition (``1``, ``0`` or ``"-"``; ``"1"``/``"0"`` too), in the order of
        ``names``; or a mapping from condition name to such a value (missing names: ``"-"``);
        or a string such as ``"1,1,0,-"``.
    names : sequence of str
        The condition names.

    Returns
    -------
    list of 1, 0 or None
    """
    if isinstance(dir_exp, str):
        dir_exp = [part.strip() for part in dir_exp.split(",")]
    if isinstance(dir_exp, Mapping):
        unknown = set(dir_exp) - set(names)
        if unknown:
            raise PtceError("dir_exp names a condition that is not in the analysis",
                            field="dir_exp", value=", ".join(sorted(map(str, unknown))),
                            allowed=list(names))
        values = [dir_exp.get(n, "-") for n in names]
    else:
        values = list(dir_exp)
        if len(values) != len(names):
            raise PtceError(f"dir_exp needs one value per condition ({len(names)})",
                            field="dir_exp", value=", ".join(map(str, values)))
    out: list[int | None] = []
    for value in values:
        text = str(value).strip()
        if text in ("1", "1.0", "True"):
            out.append(1)
        elif text in ("0", "0.0", "False"):
            out.append(0)
        elif text in ("-", "", "None", "nan"):
            out.append(None)
        else:
            raise PtceError("a directional expectation is 1, 0 or -", field="dir_exp",
                            value=text)
    return out


def intermediate(positives: Iterable[Sequence[int]], negatives: Iterable[Sequence[int]],
                 k: int, dir_exp: Sequence[int | None],
                 max_models: int = MAX_MODELS) -> list[IntermediateSolution]:
    """Intermediate solutions as R's ``minimize(..., include = "?", dir.exp = ...)``.

    For each pair of a complex model C and a parsimonious model P: for each term c of C and
    each term p of P that contains c (p's literals are among c's), c keeps the literals of p
    and drops each other literal that contradicts the directional expectation of its
    condition. The remainders that P covers (its simplifying assumptions) and that fall inside
    one of these reduced terms are the easy counterfactuals. The intermediate models are the
    minimal covers of the positive rows by the prime implicants of the positive rows plus the
    easy counterfactuals.

    Parameters
    ----------
    positives, negatives : iterables of configurations
        Rows with output 1; rows with output 0 or C.
    k : int
        Number of conditions.
    dir_exp : sequence of 1, 0 or None
        One expectation per condition (see :func:`parse_dir_exp`).
    max_models : int
        Raise :class:`PtceError` past this many equally minimal models.

    Returns
    -------
    list of IntermediateSolution
        One per pair, complex models outer, parsimonious models inner (R's ``C1P1``,
        ``C1P2``, ...). Empty when there is nothing to explain.
    """
    _check_size(k)
    if len(dir_exp) != k:
        raise PtceError(f"dir_exp needs one value per condition ({k})", field="dir_exp",
                        value=len(dir_exp))
    pos = _indices(positives, k)
    neg = _indices(negatives, k)
    if pos.size == 0:
        return []
    comp = _solve(pos, pos, k, max_models)
    pars = _solve(pos, _complement(neg, k), k, max_models)
    remainders = np.setdiff1d(np.arange(1 << k, dtype=np.int64), np.union1d(pos, neg))
    expected = [None if v is None else int(v) for v in dir_exp]
    # Many pairs share their easy counterfactuals: solve each distinct set once.
    solved_for: dict[bytes, Minimisation] = {}
    out = []
    for ci, cmodel in enumerate(comp.models, start=1):
        for pi, pmodel in enumerate(pars.models, start=1):
            sa = np.zeros(remainders.size, dtype=bool)
            for term in pmodel:
                care, value = _cube(term, k)
                sa |= (remainders & care) == value
            easy = np.zeros(remainders.size, dtype=bool)
            for cterm in cmodel:
                for pterm in pmodel:
                    if any(v is not None and v != c for v, c in zip(pterm, cterm, strict=True)):
                        continue
                    reduced = tuple(
                        c if (p is not None or c is None or expected[j] is None
                              or expected[j] == c) else None
                        for j, (c, p) in enumerate(zip(cterm, pterm, strict=True)))
                    care, value = _cube(reduced, k)
                    easy |= sa & ((remainders & care) == value)
            key = np.packbits(easy).tobytes()
            if key not in solved_for:
                solved_for[key] = _solve(pos, np.union1d(pos, remainders[easy]), k, max_models)
            solved = solved_for[key]
            out.append(IntermediateSolution(
                ci, pi, remainders[easy], remainders[sa & ~easy],
                solved.models, solved.primes, solved.essential, k))
    return out
