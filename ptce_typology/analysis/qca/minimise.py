"""Exact minimisation: prime implicants and every minimal model, as R's QCA ``minimize``.

Pure numpy and Python, no display and no file I/O; it reproduces what R's QCA package
(Dusa) computes with ``minimize`` (intermediate solutions are in
:mod:`ptce_typology.analysis.qca.intermediate`).

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
from collections.abc import Iterable, Sequence
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
    return (care.bit_count(),
            tuple(3 if not (care >> (k - 1 - j)) & 1 else (2 if (value >> (k - 1 - j)) & 1
                                                            else 1) for j in range(k)))


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
    cand = _row_candidates(columns, n_rows)
    if not all(cand):
        return []
    forced, kept = _reduce_chart(columns, cand, n_rows)
    forced_cols = list(_bits(forced))
    if not kept:
        return [tuple(forced_cols)]
    class_rows, class_members = _column_classes(cand, kept, forced)
    results = _CoverSearch(class_rows, len(kept)).run(max_steps)
    return _expand_covers(results, class_members, forced_cols, max_models)


def _row_candidates(columns: Sequence[int], n_rows: int) -> list[int]:
    """For each row, the bitset of the columns that cover it."""
    cand = [0] * n_rows
    for j, col in enumerate(columns):
        for i in _bits(col):
            if i < n_rows:
                cand[i] |= 1 << j
    return cand


def _reduce_chart(columns: Sequence[int], cand: list[int], n_rows: int) -> tuple[int, list[int]]:
    """The columns every cover holds (alone on a row), and the rows left to cover.

    Rows they cover are dropped, and so are rows whose candidates include all the candidates
    of another row: covering the smaller set of candidates covers them too, so the covers are
    unchanged.
    """
    forced = 0
    for c in cand:
        if c & (c - 1) == 0:
            forced |= c
    covered = 0
    for j in _bits(forced):
        covered |= columns[j]
    left = sorted((i for i in range(n_rows) if not (covered >> i) & 1),
                  key=lambda i: (cand[i].bit_count(), i))
    kept: list[int] = []
    for i in left:
        if not any(cand[q] & ~cand[i] == 0 for q in kept):
            kept.append(i)
    return forced, kept


def _column_classes(cand: list[int], kept: list[int], forced: int
                    ) -> tuple[list[int], list[list[int]]]:
    """Columns covering the same kept rows are interchangeable: each class's rows (a bitset
    over ``kept``) and its columns. A minimal cover holds at most one column of a class."""
    signature: dict[int, int] = {}
    for r, i in enumerate(kept):
        for j in _bits(cand[i] & ~forced):
            signature[j] = signature.get(j, 0) | (1 << r)
    members: dict[int, list[int]] = {}
    for j in sorted(signature):
        members.setdefault(signature[j], []).append(j)
    class_rows = list(members)
    return class_rows, [members[sig] for sig in class_rows]


class _CoverSearch:
    """Depth-first search for the smallest covers of ``n`` rows by classes of columns.

    ``class_rows``: for each class, the bitset of the rows it covers. The search branches on
    the row with the fewest candidates, excludes the candidates tried before from later
    branches (so each cover is found once), and prunes with a disjoint-rows lower bound.
    """

    def __init__(self, class_rows: list[int], n: int) -> None:
        self.class_rows = class_rows
        self.n = n
        self.row_cand = [0] * n
        for c, sig in enumerate(class_rows):
            for r in _bits(sig):
                self.row_cand[r] |= 1 << c
        self.reach = [0] * n
        for r in range(n):
            for c in _bits(self.row_cand[r]):
                self.reach[r] |= class_rows[c]
        self.order = sorted(range(n), key=lambda r: self.row_cand[r].bit_count())
        self.everything = (1 << n) - 1
        self.all_classes = (1 << len(class_rows)) - 1
        self.results: list[tuple[int, ...]] = []
        self.steps = 0
        self.limit = 0

    def run(self, max_steps: int) -> list[tuple[int, ...]]:
        """Every cover found at the smallest size searched (as class indices)."""
        try:
            # Small charts: iterative deepening from the lower bound is quickest. Larger ones:
            # the minimal size from an integer program, then one search at that size.
            self.limit = min(max_steps, 2_000)
            try:
                self.deepen()
            except _OutOfSteps:
                self.results.clear()
                self.limit = max_steps
                size = _minimum_size(self.class_rows, self.n)
                if size is not None:
                    self.search(self.everything, self.all_classes, [], size)
                if not self.results:
                    self.deepen()
        except _OutOfSteps:
            raise PtceError(f"the prime implicant chart is too large to search exhaustively "
                            f"(more than {max_steps} steps); use fewer conditions") from None
        return self.results

    def lower_bound(self, unc: int) -> int:
        """Rows that no single column covers together each need a column of their own."""
        count = 0
        for r in self.order:
            if (unc >> r) & 1:
                count += 1
                unc &= ~self.reach[r]
                if not unc:
                    break
        return count

    def deepen(self) -> None:
        """Search at each size from the lower bound up, until covers are found."""
        for bound in range(self.lower_bound(self.everything), len(self.class_rows) + 1):
            self.search(self.everything, self.all_classes, [], bound)
            if self.results:
                break

    def search(self, unc: int, allowed: int, chosen: list[int], budget: int) -> None:
        """Covers of the rows ``unc`` by at most ``budget`` more of the ``allowed`` classes."""
        self.steps += 1
        if self.steps > self.limit:
            raise _OutOfSteps
        if not unc:
            self.results.append(tuple(chosen))
            return
        if budget == 0:
            return
        row_cand, class_rows = self.row_cand, self.class_rows
        if budget == 1:
            # One column must cover every row left: any row's candidates will do.
            low = (unc & -unc).bit_length() - 1
            self.results.extend((*chosen, c) for c in _bits(row_cand[low] & allowed)
                                if class_rows[c] & unc == unc)
            return
        best, best_count = -1, len(class_rows) + 1
        for r in _bits(unc):
            count = (row_cand[r] & allowed).bit_count()
            if count < best_count:
                best, best_count = r, count
                if count <= 1:
                    break
        options = row_cand[best] & allowed
        if self.lower_bound(unc) > budget:
            return
        for c in _bits(options):
            chosen.append(c)
            self.search(unc & ~class_rows[c], allowed, chosen, budget - 1)
            chosen.pop()
            allowed &= ~(1 << c)


def _expand_covers(results: list[tuple[int, ...]], class_members: list[list[int]],
                   forced_cols: list[int], max_models: int) -> list[tuple[int, ...]]:
    """The smallest covers as sorted column indices: each class expanded into its columns,
    the forced columns added."""
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
