"""Exact minimisation against brute force, and on its limits."""

from __future__ import annotations

import itertools
import random
import time

import numpy as np
import pytest
from qca_tables import _inside, random_table

from ptce_typology.analysis.qca.minimise import (
    _closure_bools,
    _closure_words,
    minimal_covers,
    minimise,
    prime_implicants,
    term_key,
)
from ptce_typology.analysis.qca.truthtable import truth_table
from ptce_typology.errors import PtceError


def brute_minimise(pos: set, neg: set, k: int, remainders: bool):
    """Every term of 3**k, every combination of primes: the definition, slowly."""
    configs = list(itertools.product((0, 1), repeat=k))
    allowed = set(configs) - neg if remainders else set(pos)
    cover = {t: frozenset(c for c in configs if _inside(t, c))
             for t in itertools.product((None, 0, 1), repeat=k)}
    implicants = [t for t, cov in cover.items() if cov <= allowed]
    primes = sorted((t for t in implicants if cover[t] & pos
                     and not any(cover[t] < cover[u] for u in implicants)), key=term_key)
    if not pos:
        return primes, [], []
    covers = []
    for size in range(1, len(primes) + 1):
        covers = [combo for combo in itertools.combinations(range(len(primes)), size)
                  if pos <= set().union(*(cover[primes[j]] for j in combo))]
        if covers:
            break
    common = sorted(set(covers[0]).intersection(*map(set, covers)))
    models = [[primes[j] for j in common] + [primes[j] for j in c if j not in common]
              for c in covers]
    return primes, models, [primes[j] for j in common]


@pytest.mark.parametrize("remainders", [False, True])
def test_minimise_equals_brute_force_on_random_tables(remainders):
    rng = random.Random(2024 + remainders)
    checked = 0
    for _ in range(120):
        k = rng.randint(1, 5 if not remainders else 4)
        pos, neg = random_table(rng, k, rng.uniform(0.2, 0.5), rng.uniform(0.1, 0.4))
        primes, models, essential = brute_minimise(pos, neg, k, remainders)
        result = minimise(pos, neg, k, remainders)
        assert result.primes == primes
        assert result.models == models          # same models, same order, same term order
        assert result.essential == essential
        checked += bool(models)
    assert checked > 80


def test_minimise_on_five_conditions_with_remainders():
    rng = random.Random(5)
    for _ in range(12):
        pos, neg = random_table(rng, 5, 0.15, 0.3)
        primes, models, _ = brute_minimise(pos, neg, 5, True)
        result = minimise(pos, neg, 5, True)
        assert (result.primes, result.models) == (primes, models)


def test_minimal_covers_equal_brute_force():
    rng = random.Random(11)
    for _ in range(200):
        n_rows, n_cols = rng.randint(1, 8), rng.randint(1, 9)
        columns = [rng.getrandbits(n_rows) for _ in range(n_cols)]
        full = (1 << n_rows) - 1
        expected = []
        for size in range(0, n_cols + 1):
            expected = [c for c in itertools.combinations(range(n_cols), size)
                        if _union(columns, c) == full]
            if expected:
                break
        assert minimal_covers(columns, n_rows) == expected


def _union(columns, combo) -> int:
    out = 0
    for j in combo:
        out |= columns[j]
    return out


# --- limits ------------------------------------------------------------------------------------


def test_too_many_conditions_is_a_user_error():
    with pytest.raises(PtceError, match="at most 16 conditions"):
        minimise({(0,) * 17}, set(), 17, False)


def test_too_many_prime_implicants_is_a_user_error():
    rng = random.Random(1)
    pos, neg = random_table(rng, 8, 0.3, 0.2)
    with pytest.raises(PtceError, match="more than 5 prime implicants"):
        prime_implicants(pos, neg, 8, True, max_primes=5)


def test_too_many_models_is_a_user_error():
    configs = [c for c in itertools.product((0, 1), repeat=3) if 0 < sum(c) < 3]
    assert len(minimise(configs, [], 3, False).models) == 2
    with pytest.raises(PtceError, match="more than 1 equally minimal models"):
        minimise(configs, [], 3, False, max_models=1)


def test_too_long_a_search_is_a_user_error():
    columns = [0b0011, 0b0110, 0b1100, 0b1001, 0b0101, 0b1010]
    with pytest.raises(PtceError, match="too large to search"):
        minimal_covers(columns, 4, max_steps=2)


def test_ten_conditions_forty_cases_is_fast():
    # The former exhaustive search took 57 s for 7 conditions and never ended for 12.
    # Tables as scripts/bench_qca.py makes them: an outcome that mostly follows a few conditions
    # (a pure-noise outcome can have more than MAX_MODELS equally minimal models).
    for seed in range(3):
        rng = np.random.default_rng(seed)
        X = rng.integers(0, 2, size=(40, 10))
        signal = X[:, :3].sum(axis=1) >= 1
        y = np.where(rng.random(40) < 0.8, signal, rng.integers(0, 2, 40)).astype(float)
        table = truth_table(X.astype(float), y)
        start = time.perf_counter()
        for remainders in (False, True):
            result = minimise(table.select("1"), table.select("0"), 10, remainders)
            assert result.models
        assert time.perf_counter() - start < 5


def test_word_and_bool_closures_agree():
    # From 6 conditions on, the subset closure runs on 64-bit words instead of bools.
    rng = np.random.default_rng(0)
    for k in range(6, 11):
        for _ in range(10):
            blocked = rng.random((3, 1 << k)) < rng.uniform(0.001, 0.05)
            assert (_closure_words(blocked.copy(), k)
                    == _closure_bools(blocked.copy(), k)).all()


def test_prime_implicants_on_more_conditions_equal_brute_force():
    rng = random.Random(8)
    for k in (6, 7):
        for _ in range(3):
            pos, neg = random_table(rng, k, 0.2, 0.3)
            configs = list(itertools.product((0, 1), repeat=k))
            allowed = set(configs) - neg
            cover = {t: frozenset(c for c in configs if _inside(t, c))
                     for t in itertools.product((None, 0, 1), repeat=k)}
            implicants = {t for t, cov in cover.items() if cov <= allowed}
            primes = sorted((t for t in implicants if cover[t] & pos and not any(
                cover[t] < cover[u] for u in implicants if len(cover[u]) > len(cover[t]))),
                key=term_key)
            assert prime_implicants(pos, neg, k, True) == primes
