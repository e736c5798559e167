"""Exact QCA engine: prime implicants, all minimal models, intermediate solutions, fuzzy sets.

Pure numpy and Python, no display and no file I/O; it reproduces what R's QCA package
(Dusa) computes with ``truthTable``, ``minimize`` (with and without ``dir.exp``), ``pof`` and
``calibrate``.

Conventions
-----------
- ``k`` conditions. A *configuration* is a tuple of ``k`` values 0/1; its *index* is that
  tuple read as a binary number, first condition most significant, so R's truth table row
  number is ``index + 1``.
- A *term* (implicant) is a tuple of ``k`` values: 1 (the condition), 0 (its negation) or
  None (absent). ``()`` over zero conditions, or all None, is the tautology ``1``.
- Terms are ordered as R orders prime implicants (:func:`term_key`): fewer literals first,
  then condition by condition with ``~X`` before ``X`` before absent. Models are ordered by
  the R-ordered indices of their prime implicants; within a model, the prime implicants common
  to every minimal model (R's "essential" ones) come first.

Algorithms
----------
- Prime implicants: for each configuration ``p`` to explain, the implicants that contain
  ``p`` and avoid every forbidden configuration ``n`` are the sets ``S`` of conditions that
  separate ``p`` from each ``n``; the prime ones are the minimal such sets. All ``2**k``
  condition sets are tested at once with bit arrays (a subset-closure over the sets on which
  ``p`` agrees with some ``n``), so the cost is ``O(len(targets) * k * 2**k)``, not ``3**k``.
- Minimal models: the prime implicant chart is reduced (implicants that are alone in covering a
  configuration are in every model; configurations whose covering implicants include those of
  another configuration are dropped, which leaves the set of covers unchanged); implicants
  covering the same configurations are grouped (a minimal model holds at most one of a group,
  any one). A depth-first search with a disjoint-rows lower bound then enumerates every cover
  of minimal size exactly once (branch on the configuration with the fewest candidates; the
  candidates tried before are excluded from later branches). Small charts are searched by
  iterative deepening from the lower bound; larger ones at the minimal size found first by an
  integer program (``scipy.optimize.milp``), which only bounds the search: the models, and
  their order, come from the search alone.

Limits (documented, each raises :class:`~ptce_typology.errors.PtceError` with a one-line
message instead of running on): :data:`MAX_CONDITIONS` conditions, :data:`MAX_PRIMES` prime
implicants, :data:`MAX_MODELS` equally minimal models and :data:`MAX_STEPS` search steps.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ptce_typology.errors import PtceError

MAX_CONDITIONS = 16
"""Most conditions a minimisation accepts (the truth table has ``2**16`` rows)."""
MAX_PRIMES = 20_000
"""Most prime implicants a chart may hold."""
MAX_MODELS = 10_000
"""Most equally minimal models reported; more is an error, not a silent cut."""
MAX_STEPS = 300_000
"""Most search steps when looking for the minimal covers (a few seconds)."""
TOLERANCE = 1.5e-8
"""Comparisons with a cut-off accept values this close below it (R: sqrt of double eps)."""

Term = tuple
Config = tuple


# ---------------------------------------------------------------------------------------------
# configurations and terms


def config_index(config: Sequence[int]) -> int:
    """Index of a configuration: the 0/1 values read as a binary number (R row = index + 1)."""
    index = 0
    for bit in config:
        index = index * 2 + int(bit)
    return index


def index_config(index: int, k: int) -> Config:
    """The configuration of ``k`` conditions whose index is ``index``."""
    return tuple((index >> (k - 1 - j)) & 1 for j in range(k))


def term_key(term: Term) -> tuple:
    """Sort key giving R's order of prime implicants.

    Fewer literals first, then condition by condition: ``~X`` before ``X`` before absent.
    """
    return (sum(v is not None for v in term),
            tuple(3 if v is None else (1 if v == 0 else 2) for v in term))


def _cube(term: Term, k: int) -> tuple[int, int]:
    care = value = 0
    for j, v in enumerate(term):
        if v is not None:
            bit = 1 << (k - 1 - j)
            care |= bit
            if v:
                value |= bit
    return care, value


def _term(care: int, value: int, k: int) -> Term:
    return tuple(None if not (care >> (k - 1 - j)) & 1 else (value >> (k - 1 - j)) & 1
                 for j in range(k))


def _cube_key(cube: tuple[int, int], k: int) -> tuple:
    care, value = cube
    return (_popcount(care),
            tuple(3 if not (care >> (k - 1 - j)) & 1 else (2 if (value >> (k - 1 - j)) & 1
                                                            else 1) for j in range(k)))


def _popcount(x: int) -> int:
    return x.bit_count()


def _bits(x: int) -> Iterable[int]:
    while x:
        low = x & -x
        yield low.bit_length() - 1
        x ^= low


def _indices(configs: Iterable[Sequence[int]], k: int) -> np.ndarray:
    out = []
    for config in configs:
        if len(config) != k:
            raise ValueError(f"a configuration has {len(config)} values, not {k}")
        out.append(config_index(config))
    return np.array(sorted(set(out)), dtype=np.int64)


def _check_size(k: int) -> None:
    if k > MAX_CONDITIONS:
        raise PtceError(f"exact minimisation takes at most {MAX_CONDITIONS} conditions",
                        value=k)


# ---------------------------------------------------------------------------------------------
# prime implicants


def _prime_cubes(targets: np.ndarray, forbidden: np.ndarray, k: int,
                 max_primes: int) -> list[tuple[int, int]]:
    """Every prime implicant of the allowed set (all but ``forbidden``) containing a target.

    For a target ``p``, a set ``S`` of conditions makes an implicant ``(S, p on S)`` when it
    separates ``p`` from every forbidden configuration ``n``, i.e. when ``S`` is not a subset
    of ``agree(p, n)``, the conditions on which they agree. ``blocked`` marks those subsets
    (a subset-closure of the ``agree`` sets, one bit per set of conditions); the prime
    implicants are the minimal unblocked sets.
    """
    found: set[tuple[int, int]] = set()
    size = 1 << k
    step = max(1, min(targets.size, 4_000_000 // max(size, forbidden.size or 1)))
    for start in range(0, targets.size, step):
        block = targets[start:start + step]
        blocked = np.zeros((block.size, size), dtype=bool)
        if forbidden.size:
            agree = ~(forbidden[None, :] ^ block[:, None]) & (size - 1)
            blocked[np.repeat(np.arange(block.size), forbidden.size), agree.ravel()] = True
        prime = _closure_words(blocked, k) if k >= 6 else _closure_bools(blocked, k)
        rows, cares = np.nonzero(prime)
        found.update(zip(cares.tolist(), (block[rows] & cares).tolist(), strict=True))
        if len(found) > max_primes:
            raise PtceError(f"more than {max_primes} prime implicants: the truth table is too "
                            "large to minimise exactly; use fewer conditions")
    return sorted(found, key=lambda cube: _cube_key(cube, k))


def _closure_bools(blocked: np.ndarray, k: int) -> np.ndarray:
    """Minimal unblocked sets, one bool per set of conditions (any ``k``)."""
    t = blocked.shape[0]
    for b in range(k):
        view = blocked.reshape(t, -1, 2, 1 << b)
        view[:, :, 0, :] |= view[:, :, 1, :]
    prime = ~blocked
    for b in range(k):
        prime.reshape(t, -1, 2, 1 << b)[:, :, 1, :] &= blocked.reshape(t, -1, 2, 1 << b)[:, :, 0, :]
    return prime


# Bit b of a set index S, within a 64-bit word holding the sets 64*w .. 64*w + 63.
_LOW = [np.uint64(sum(1 << i for i in range(64) if not (i >> b) & 1)) for b in range(6)]


def _closure_words(blocked: np.ndarray, k: int) -> np.ndarray:
    """As :func:`_closure_bools`, 64 sets per machine word (``k >= 6``): far less memory."""
    t = blocked.shape[0]
    words = np.packbits(blocked, axis=1, bitorder="little").view("<u8").copy()
    for b in range(6):
        shift = np.uint64(1 << b)
        words |= (words >> shift) & _LOW[b]
    for b in range(6, k):
        view = words.reshape(t, -1, 2, 1 << (b - 6))
        view[:, :, 0, :] |= view[:, :, 1, :]
    prime = ~words
    for b in range(6):
        shift = np.uint64(1 << b)
        prime &= (words << shift) | _LOW[b]
    for b in range(6, k):
        prime.reshape(t, -1, 2, 1 << (b - 6))[:, :, 1, :] &= \
            words.reshape(t, -1, 2, 1 << (b - 6))[:, :, 0, :]
    return np.unpackbits(prime.view(np.uint8), axis=1, bitorder="little").astype(bool)


def _coverage(cubes: list[tuple[int, int]], targets: np.ndarray) -> list[int]:
    """For each cube, the bitset of the targets (by position) it contains."""
    out: list[int] = []
    chunk = max(1, 2_000_000 // max(1, targets.size))
    for start in range(0, len(cubes), chunk):
        part = cubes[start:start + chunk]
        cares = np.array([c for c, _ in part], dtype=np.int64)[:, None]
        values = np.array([v for _, v in part], dtype=np.int64)[:, None]
        inside = (targets[None, :] & cares) == values
        packed = np.packbits(inside, axis=1, bitorder="little")
        out.extend(int.from_bytes(row.tobytes(), "little") for row in packed)
    return out


def prime_implicants(positives: Iterable[Sequence[int]], negatives: Iterable[Sequence[int]],
                     k: int, remainders: bool, max_primes: int = MAX_PRIMES) -> list[Term]:
    """Every prime implicant that covers at least one positive configuration.

    Parameters
    ----------
    positives, negatives : iterables of configurations (tuples of 0/1)
        Rows with output 1, and rows with output 0 or C.
    k : int
        Number of conditions.
    remainders : bool
        False: an implicant may only cover positive configurations (complex solution). True:
        it may also cover configurations never observed, never a negative one (parsimonious).
    max_primes : int
        Raise :class:`PtceError` past this many prime implicants.

    Returns
    -------
    list of terms
        In R's order (:func:`term_key`).
    """
    _check_size(k)
    pos = _indices(positives, k)
    on = _allowed(pos, _indices(negatives, k), k, remainders)
    cubes = _prime_cubes(pos, _complement(on, k), k, max_primes)
    return [_term(c, v, k) for c, v in cubes]


def _complement(members: np.ndarray, k: int) -> np.ndarray:
    mask = np.ones(1 << k, dtype=bool)
    mask[members] = False
    return np.flatnonzero(mask).astype(np.int64)


def _allowed(pos: np.ndarray, neg: np.ndarray, k: int, remainders: bool) -> np.ndarray:
    if not remainders:
        return pos
    return _complement(neg, k)


# ---------------------------------------------------------------------------------------------
# minimal covers of a prime implicant chart


def minimal_covers(columns: Sequence[int], n_rows: int, max_models: int = MAX_MODELS,
                   max_steps: int = MAX_STEPS) -> list[tuple[int, ...]]:
    """Every cover of ``n_rows`` rows by the fewest columns.

    Parameters
    ----------
    columns : sequence of int
        For each column (prime implicant), the bitset of the rows (configurations) it covers.
    n_rows : int
        Number of rows to cover.
    max_models, max_steps : int
        Raise :class:`PtceError` past this many minimal covers or search steps.

    Returns
    -------
    list of tuples of int
        Each cover as the sorted column indices; covers in lexicographic order. Empty when
        some row has no column.
    """
    if n_rows == 0:
        return [()]
    cand = [0] * n_rows
    for j, col in enumerate(columns):
        for i in _bits(col):
            if i < n_rows:
                cand[i] |= 1 << j
    if not all(cand):
        return []
    forced = 0
    for c in cand:
        if c & (c - 1) == 0:
            forced |= c
    covered = 0
    for j in _bits(forced):
        covered |= columns[j]
    # Rows left, without those whose candidates include all the candidates of another row:
    # covering the smaller set of candidates covers them too, so the covers are unchanged.
    left = sorted((i for i in range(n_rows) if not (covered >> i) & 1),
                  key=lambda i: (_popcount(cand[i]), i))
    kept: list[int] = []
    for i in left:
        if not any(cand[q] & ~cand[i] == 0 for q in kept):
            kept.append(i)
    forced_cols = list(_bits(forced))
    if not kept:
        return [tuple(forced_cols)]
    n = len(kept)
    # Columns covering the same rows are interchangeable: search over classes of them, then
    # expand (a minimal cover holds at most one column of a class).
    signature: dict[int, int] = {}
    for r, i in enumerate(kept):
        for j in _bits(cand[i] & ~forced):
            signature[j] = signature.get(j, 0) | (1 << r)
    members: dict[int, list[int]] = {}
    for j in sorted(signature):
        members.setdefault(signature[j], []).append(j)
    class_rows = list(members)
    class_members = [members[sig] for sig in class_rows]
    row_cand = [0] * n
    for c, sig in enumerate(class_rows):
        for r in _bits(sig):
            row_cand[r] |= 1 << c
    reach = [0] * n
    for r in range(n):
        for c in _bits(row_cand[r]):
            reach[r] |= class_rows[c]
    order = sorted(range(n), key=lambda r: _popcount(row_cand[r]))
    results: list[tuple[int, ...]] = []
    steps = 0

    def lower_bound(unc: int) -> int:
        # Rows that no single column covers together each need a column of their own.
        count = 0
        for r in order:
            if (unc >> r) & 1:
                count += 1
                unc &= ~reach[r]
                if not unc:
                    break
        return count

    limit = max_steps

    def search(unc: int, allowed: int, chosen: list[int], budget: int) -> None:
        nonlocal steps
        steps += 1
        if steps > limit:
            raise _OutOfSteps
        if not unc:
            results.append(tuple(chosen))
            return
        if budget == 0:
            return
        if budget == 1:
            # One column must cover every row left: any row's candidates will do.
            low = (unc & -unc).bit_length() - 1
            results.extend((*chosen, c) for c in _bits(row_cand[low] & allowed)
                           if class_rows[c] & unc == unc)
            return
        best, best_count = -1, len(class_rows) + 1
        for r in _bits(unc):
            count = _popcount(row_cand[r] & allowed)
            if count < best_count:
                best, best_count = r, count
                if count <= 1:
                    break
        options = row_cand[best] & allowed
        if lower_bound(unc) > budget:
            return
        for c in _bits(options):
            chosen.append(c)
            search(unc & ~class_rows[c], allowed, chosen, budget - 1)
            chosen.pop()
            allowed &= ~(1 << c)

    everything = (1 << n) - 1
    all_classes = (1 << len(class_rows)) - 1

    def deepen() -> None:
        for bound in range(lower_bound(everything), len(class_rows) + 1):
            search(everything, all_classes, [], bound)
            if results:
                break

    try:
        # Small charts: iterative deepening from the lower bound is quickest. Larger ones:
        # the minimal size from an integer program, then one search at that size.
        limit = min(max_steps, 2_000)
        try:
            deepen()
        except _OutOfSteps:
            results.clear()
            limit = max_steps
            size = _minimum_size(class_rows, n)
            if size is not None:
                search(everything, all_classes, [], size)
            if not results:
                deepen()
    except _OutOfSteps:
        raise PtceError(f"the prime implicant chart is too large to search exhaustively "
                        f"(more than {max_steps} steps); use fewer conditions") from None
    smallest = min(map(len, results))
    results = [r for r in results if len(r) == smallest]
    total = sum(math.prod(len(class_members[c]) for c in r) for r in results)
    if total > max_models:
        raise PtceError(f"more than {max_models} equally minimal models ({total}); "
                        "use fewer conditions or a stricter inclusion cut")
    covers = []
    for r in results:
        for combo in itertools.product(*(class_members[c] for c in r)):
            covers.append(tuple(sorted(forced_cols + list(combo))))
    return sorted(covers)


class _OutOfSteps(Exception):
    pass


def _minimum_size(columns: list[int], n_rows: int) -> int | None:
    """The fewest columns covering every row, by integer programming (None if unsolved)."""
    try:
        from scipy.optimize import Bounds, LinearConstraint, milp
    except ImportError:   # pragma: no cover - scipy is a dependency
        return None
    if len(columns) * n_rows > 5_000_000:
        return None
    chart = np.array([[(col >> r) & 1 for col in columns] for r in range(n_rows)], dtype=float)
    found = milp(np.ones(len(columns)), constraints=LinearConstraint(chart, lb=1),
                 integrality=np.ones(len(columns)), bounds=Bounds(0, 1))
    if found.status != 0 or found.x is None:
        return None
    return int(round(found.x.sum()))


# ---------------------------------------------------------------------------------------------
# minimisation


@dataclass
class Minimisation:
    """The result of one minimisation.

    ``primes``: every prime implicant covering a positive configuration, in R's order.
    ``models``: every minimal model (list of terms; the terms in every model first).
    ``essential``: the prime implicants in every minimal model, in R's order.
    """

    primes: list[Term]
    models: list[list[Term]]
    essential: list[Term] = field(default_factory=list)


def _solve(targets: np.ndarray, on: np.ndarray, k: int, max_models: int,
           max_primes: int = MAX_PRIMES, max_steps: int = MAX_STEPS) -> Minimisation:
    if targets.size == 0:
        return Minimisation([], [])
    cubes = _prime_cubes(targets, _complement(on, k), k, max_primes)
    columns = _coverage(cubes, targets)
    covers = minimal_covers(columns, int(targets.size), max_models, max_steps)
    primes = [_term(c, v, k) for c, v in cubes]
    if not covers:
        return Minimisation(primes, [])
    common = set(covers[0]).intersection(*map(set, covers[1:]))
    models = [[primes[j] for j in sorted(common)]
              + [primes[j] for j in cover if j not in common] for cover in covers]
    return Minimisation(primes, models, [primes[j] for j in sorted(common)])


def minimise(positives: Iterable[Sequence[int]], negatives: Iterable[Sequence[int]], k: int,
             remainders: bool, max_models: int = MAX_MODELS) -> Minimisation:
    """All prime implicants and all minimal models covering the positive configurations.

    Parameters
    ----------
    positives, negatives : iterables of configurations (tuples of 0/1)
        Rows with output 1, and rows with output 0 or C (never covered).
    k : int
        Number of conditions (at most :data:`MAX_CONDITIONS`).
    remainders : bool
        False: complex (conservative) solution, implicants cover positive rows only. True:
        parsimonious solution, implicants may also cover remainders (rows never observed).
    max_models : int
        Raise :class:`PtceError` when more equally minimal models exist.

    Returns
    -------
    Minimisation
        ``primes``, ``models`` (every minimal model, R's order) and ``essential``.
    """
    _check_size(k)
    pos = _indices(positives, k)
    neg = _indices(negatives, k)
    if np.intersect1d(pos, neg).size:
        raise ValueError("a configuration is both positive and negative")
    return _solve(pos, _allowed(pos, neg, k, remainders), k, max_models)


def simplifying_assumptions(model: Sequence[Term], positives: Iterable[Sequence[int]],
                            negatives: Iterable[Sequence[int]], k: int) -> list[Config]:
    """The remainders (rows neither positive nor negative) that a model's terms cover.

    Parameters
    ----------
    model : sequence of terms
    positives, negatives : iterables of configurations
    k : int
        Number of conditions.

    Returns
    -------
    list of configurations
        Sorted by index, as R's ``SA``.
    """
    pos = _indices(positives, k)
    neg = _indices(negatives, k)
    remainders = np.setdiff1d(np.arange(1 << k, dtype=np.int64), np.union1d(pos, neg))
    covered = np.zeros(remainders.size, dtype=bool)
    for term in model:
        care, value = _cube(term, k)
        covered |= (remainders & care) == value
    return [index_config(int(i), k) for i in remainders[covered]]


# ---------------------------------------------------------------------------------------------
# intermediate solutions


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


# ---------------------------------------------------------------------------------------------
# fuzzy sets: calibration, truth table, fit


def calibrate(x: Sequence[float] | np.ndarray, thresholds: Sequence[float] | Mapping,
              method: str = "direct", *, logistic: bool = True, idm: float = 0.95,
              below: float = 1.0, above: float = 1.0) -> np.ndarray:
    """Direct calibration of a raw variable into fuzzy-set memberships, as R QCA's ``calibrate``.

    Parameters
    ----------
    x : array-like of float
        Raw values (NaN stays NaN).
    thresholds : sequence ``(e, c, i)`` or mapping with keys ``e``, ``c``, ``i``
        Full exclusion, crossover and full inclusion. With ``e > i`` the set is decreasing
        (membership falls as ``x`` grows).
    method : {"direct"}
        Only the direct method is implemented.
    logistic : bool
        True: the logistic function of R (and Ragin), with membership ``idm`` at the inclusion
        threshold and ``1 - idm`` at the exclusion one. False: R's piecewise-linear function
        (0 below ``e``, 1 past ``i``), bent by ``below`` and ``above``.
    idm : float
        Inclusion degree of membership, in (0.5, 1). R's default 0.95 puts the log-odds at
        ``log(19) = 2.944`` at the thresholds; Ragin's rounded "3" is ``idm = 0.9526``.
    below, above : float
        Exponents of the linear function below and above the crossover (R's ``below``/``p``
        and ``above``/``q``).

    Returns
    -------
    numpy.ndarray of float
        Memberships in [0, 1]; as in R, those below 0.0001 become 0 and those above 0.9999
        become 1.
    """
    if method != "direct":
        raise PtceError("only the direct calibration method is implemented", field="method",
                        value=method, allowed=["direct"])
    if isinstance(thresholds, Mapping):
        try:
            thresholds = [thresholds[key] for key in ("e", "c", "i")]
        except KeyError:
            raise PtceError("named thresholds are e, c and i", field="thresholds",
                            value=", ".join(map(str, thresholds))) from None
    th = [float(t) for t in thresholds]
    if len(th) != 3:
        raise PtceError("direct calibration takes three thresholds: exclusion, crossover, "
                        "inclusion", field="thresholds", value=len(th))
    ex, cr, inc = th
    if not (min(ex, inc) < cr < max(ex, inc)):
        raise PtceError("the crossover must lie strictly between the exclusion and inclusion "
                        "thresholds", field="thresholds", value=", ".join(map(str, th)))
    if not 0.5 < idm < 1:
        raise PtceError("idm must be between 0.5 and 1", field="idm", value=idm)
    values = np.asarray(x, dtype=float)
    if logistic:
        odds = math.log(idm / (1 - idm))
        low, high = (inc, ex) if ex > inc else (ex, inc)
        with np.errstate(over="ignore"):
            z = np.where(values >= cr, (values - cr) * odds / (high - cr),
                         (values - cr) * odds / (cr - low))
            out = 1 / (1 + np.exp(-z))
        return _snap(1 - out if ex > inc else out)
    if below <= 0 or above <= 0:
        raise PtceError("below and above must be positive", field="below/above",
                        value=f"{below}, {above}")

    def at_most(a: np.ndarray, b: float) -> np.ndarray:
        return (a < b) | np.isclose(a, b, rtol=TOLERANCE, atol=0)

    out = np.full(values.shape, np.nan)
    known = ~np.isnan(values)
    v = values
    with np.errstate(invalid="ignore", divide="ignore"):
        if ex < inc:
            choices = [at_most(v, ex), at_most(v, cr), at_most(v, inc)]
            values_if = [np.zeros_like(v), ((ex - v) / (ex - cr)) ** below / 2,
                         1 - ((inc - v) / (inc - cr)) ** above / 2]
            out[known] = np.select(choices, values_if, default=1.0)[known]
        else:
            choices = [at_most(v, inc), at_most(v, cr), at_most(v, ex)]
            values_if = [np.ones_like(v), 1 - ((inc - v) / (inc - cr)) ** above / 2,
                         ((ex - v) / (ex - cr)) ** below / 2]
            out[known] = np.select(choices, values_if, default=0.0)[known]
    return _snap(out)


def _snap(fs: np.ndarray) -> np.ndarray:
    # R's calibrate() rounds memberships within 1e-4 of 0 or 1 to 0 or 1.
    fs = fs.copy()
    fs[fs < 0.0001] = 0.0
    fs[fs > 0.9999] = 1.0
    return fs


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
class TruthTable:
    """A truth table of observed configurations, in ascending row order.

    ``rows``: configuration indices (R's row number is ``rows + 1``); ``configs``: the 0/1
    tuples; ``n``: number of cases in each row (membership above 0.5); ``incl`` and ``pri``:
    sufficiency inclusion and PRI of the row for the outcome, over all cases; ``out``: "1",
    "0", "C" or "?" (fewer than ``n_cut`` cases); ``cases``: positions of the row's cases;
    ``contradiction``: the row's cases fall on both sides of 0.5 in the outcome.
    ``unassigned``: positions of the cases with a membership of exactly 0.5 in some condition
    (R leaves them out of every row).
    """

    rows: np.ndarray
    configs: list[Config]
    n: np.ndarray
    incl: np.ndarray
    pri: np.ndarray
    out: list[str]
    cases: list[np.ndarray]
    contradiction: np.ndarray
    unassigned: np.ndarray

    def select(self, *codes: str) -> list[Config]:
        """Configurations whose output is one of ``codes`` (e.g. ``"0", "C"``)."""
        return [c for c, o in zip(self.configs, self.out, strict=True) if o in codes]


def truth_table(X: np.ndarray, y: np.ndarray, incl_cut: float = 1.0,
                incl_cut0: float | None = None, n_cut: int = 1,
                pri_cut: float = 0.0) -> TruthTable:
    """Crisp or fuzzy truth table as R's ``truthTable``.

    A case belongs to the row of its configuration of memberships above 0.5; its membership in
    any row is the minimum over conditions of its membership in the row's literals. A row's
    output is "1" when its inclusion reaches ``incl_cut`` and its PRI reaches ``pri_cut``,
    "C" when its inclusion is in ``[incl_cut0, incl_cut)``, "0" otherwise, and "?" when it has
    fewer than ``n_cut`` cases.

    Parameters
    ----------
    X : array (cases x conditions)
        Memberships in [0, 1].
    y : array (cases)
        Outcome memberships in [0, 1].
    incl_cut, incl_cut0, n_cut, pri_cut
        R's ``incl.cut = c(incl_cut, incl_cut0)``, ``n.cut`` and ``pri.cut``.

    Returns
    -------
    TruthTable
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2 or X.shape[0] != y.shape[0]:
        raise ValueError("X must be cases x conditions and y one value per case")
    if np.isnan(X).any() or np.isnan(y).any():
        raise ValueError("memberships must not be missing")
    if ((X < 0) | (X > 1)).any() or ((y < 0) | (y > 1)).any():
        raise PtceError("memberships must lie between 0 and 1")
    k = X.shape[1]
    _check_size(k)
    incl_cut0 = incl_cut if incl_cut0 is None else incl_cut0
    half = np.isclose(X, 0.5, rtol=0, atol=TOLERANCE).any(axis=1)
    weights = 1 << np.arange(k - 1, -1, -1, dtype=np.int64)
    index = (X > 0.5).astype(np.int64) @ weights
    rows = np.unique(index[~half])
    n, incl, pri, out, cases, contra = [], [], [], [], [], []
    for row in rows.tolist():
        config = index_config(row, k)
        member = membership(config, X)
        inside = np.flatnonzero((index == row) & ~half)
        i, p, _ = sufficiency(member, y)
        n.append(inside.size)
        incl.append(i)
        pri.append(p)
        cases.append(inside)
        outcome = y[inside]
        contra.append(bool((outcome > 0.5).any() and (outcome < 0.5).any()))
        if inside.size < n_cut:
            out.append("?")
        elif i >= incl_cut - TOLERANCE:
            out.append("1" if p >= pri_cut - TOLERANCE else "0")
        elif i >= incl_cut0 - TOLERANCE:
            out.append("C")
        else:
            out.append("0")
    return TruthTable(rows, [index_config(r, k) for r in rows.tolist()],
                      np.array(n, dtype=int), np.array(incl), np.array(pri), out, cases,
                      np.array(contra, dtype=bool), np.flatnonzero(half))


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
