"""The exact QCA engine against brute force, on its limits, and on fuzzy-set definitions."""

from __future__ import annotations

import itertools
import math
import random
import time

import numpy as np
import pytest

from ptce_typology.analysis import qca_engine as engine
from ptce_typology.errors import PtceError


def _inside(term, config) -> bool:
    return all(v is None or v == c for v, c in zip(term, config, strict=True))


def brute_minimise(pos: set, neg: set, k: int, remainders: bool):
    """Every term of 3**k, every combination of primes: the definition, slowly."""
    configs = list(itertools.product((0, 1), repeat=k))
    allowed = set(configs) - neg if remainders else set(pos)
    cover = {t: frozenset(c for c in configs if _inside(t, c))
             for t in itertools.product((None, 0, 1), repeat=k)}
    implicants = [t for t, cov in cover.items() if cov <= allowed]
    primes = sorted((t for t in implicants if cover[t] & pos
                     and not any(cover[t] < cover[u] for u in implicants)), key=engine.term_key)
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


def random_table(rng: random.Random, k: int, p_pos: float, p_neg: float):
    pos, neg = set(), set()
    for config in itertools.product((0, 1), repeat=k):
        r = rng.random()
        if r < p_pos:
            pos.add(config)
        elif r < p_pos + p_neg:
            neg.add(config)
    return pos, neg


@pytest.mark.parametrize("remainders", [False, True])
def test_minimise_equals_brute_force_on_random_tables(remainders):
    rng = random.Random(2024 + remainders)
    checked = 0
    for _ in range(120):
        k = rng.randint(1, 5 if not remainders else 4)
        pos, neg = random_table(rng, k, rng.uniform(0.2, 0.5), rng.uniform(0.1, 0.4))
        primes, models, essential = brute_minimise(pos, neg, k, remainders)
        result = engine.minimise(pos, neg, k, remainders)
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
        result = engine.minimise(pos, neg, 5, True)
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
        assert engine.minimal_covers(columns, n_rows) == expected


def _union(columns, combo) -> int:
    out = 0
    for j in combo:
        out |= columns[j]
    return out


def test_intermediate_lies_between_complex_and_parsimonious():
    rng = random.Random(3)
    for _ in range(60):
        k = rng.randint(2, 5)
        pos, neg = random_table(rng, k, 0.3, 0.3)
        if not pos:
            continue
        dir_exp = [rng.choice([0, 1, None]) for _ in range(k)]
        pars = engine.minimise(pos, neg, k, True).models
        pairs = engine.intermediate(pos, neg, k, dir_exp)
        assert len(pairs) == len(engine.minimise(pos, neg, k, False).models) * len(pars)
        configs = list(itertools.product((0, 1), repeat=k))
        for pair in pairs:
            easy = set(pair.easy)
            assert not easy & (pos | neg)
            assert easy | set(pair.difficult) == set(engine.simplifying_assumptions(
                pars[pair.parsimonious_model - 1], pos, neg, k))
            for model in pair.models:
                covered = {c for c in configs if any(_inside(t, c) for t in model)}
                assert pos <= covered <= pos | easy


def test_intermediate_without_expectations_is_the_complex_solution():
    pos = {(1, 1, 0), (1, 1, 1)}
    neg = {(0, 0, 0), (0, 0, 1)}
    pairs = engine.intermediate(pos, neg, 3, [None, None, None])
    assert [p.models for p in pairs] == [[[(1, 1, None)]], [[(1, 1, None)]]]
    assert all(not p.easy for p in pairs)
    # literals that agree with the expectations are kept: still A*B
    pairs = engine.intermediate(pos, neg, 3, [1, 1, None])
    assert [p.label for p in pairs] == ["C1P1", "C1P2"]
    assert [p.models for p in pairs] == [[[(1, 1, None)]], [[(1, 1, None)]]]


def test_intermediate_drops_literals_against_expectations():
    # Positive rows A*~B*C and A*~B*~C, negative ~A*~B*~C; expecting B present,
    # the easy counterfactuals A*B*... make ~B redundant: intermediate solution A.
    pos = {(1, 0, 1), (1, 0, 0)}
    neg = {(0, 0, 0)}
    pairs = engine.intermediate(pos, neg, 3, [1, 1, None])
    assert engine.minimise(pos, neg, 3, False).models == [[(1, 0, None)]]
    intermediate = {tuple(map(tuple, m)) for p in pairs for m in p.models}
    assert ((1, None, None),) in intermediate


# --- limits ------------------------------------------------------------------------------------


def test_too_many_conditions_is_a_user_error():
    with pytest.raises(PtceError, match="at most 16 conditions"):
        engine.minimise({(0,) * 17}, set(), 17, False)


def test_too_many_prime_implicants_is_a_user_error():
    rng = random.Random(1)
    pos, neg = random_table(rng, 8, 0.3, 0.2)
    with pytest.raises(PtceError, match="more than 5 prime implicants"):
        engine.prime_implicants(pos, neg, 8, True, max_primes=5)


def test_too_many_models_is_a_user_error():
    configs = [c for c in itertools.product((0, 1), repeat=3) if 0 < sum(c) < 3]
    assert len(engine.minimise(configs, [], 3, False).models) == 2
    with pytest.raises(PtceError, match="more than 1 equally minimal models"):
        engine.minimise(configs, [], 3, False, max_models=1)


def test_too_long_a_search_is_a_user_error():
    columns = [0b0011, 0b0110, 0b1100, 0b1001, 0b0101, 0b1010]
    with pytest.raises(PtceError, match="too large to search"):
        engine.minimal_covers(columns, 4, max_steps=2)


def test_ten_conditions_forty_cases_is_fast():
    # The former exhaustive search took 57 s for 7 conditions and never ended for 12.
    # Tables as scripts/bench_qca.py makes them: an outcome that mostly follows a few conditions
    # (a pure-noise outcome can have more than MAX_MODELS equally minimal models).
    for seed in range(3):
        rng = np.random.default_rng(seed)
        X = rng.integers(0, 2, size=(40, 10))
        signal = X[:, :3].sum(axis=1) >= 1
        y = np.where(rng.random(40) < 0.8, signal, rng.integers(0, 2, 40)).astype(float)
        table = engine.truth_table(X.astype(float), y)
        start = time.perf_counter()
        for remainders in (False, True):
            result = engine.minimise(table.select("1"), table.select("0"), 10, remainders)
            assert result.models
        assert time.perf_counter() - start < 5


# --- fuzzy sets --------------------------------------------------------------------------------


def test_sufficiency_and_necessity_formulas():
    x = np.array([0.8, 0.6, 0.2, 0.9])
    y = np.array([0.9, 0.4, 0.3, 0.7])
    both = np.minimum(x, y).sum()                          # 0.8 + 0.4 + 0.2 + 0.7 = 2.1
    overlap = np.minimum(np.minimum(x, y), 1 - y).sum()    # 0.1 + 0.4 + 0.2 + 0.3 = 1.0
    incl, pri, cov = engine.sufficiency(x, y)
    assert incl == pytest.approx(both / x.sum())
    assert pri == pytest.approx((both - overlap) / (x.sum() - overlap))
    assert cov == pytest.approx(both / y.sum())
    incl_n, ron, cov_n = engine.necessity(x, y)
    assert incl_n == pytest.approx(both / y.sum()) and cov_n == pytest.approx(both / x.sum())
    assert ron == pytest.approx((1 - x).sum() / (1 - np.minimum(x, y)).sum())
    assert math.isnan(engine.sufficiency(np.zeros(3), np.ones(3))[0])


def test_membership_is_the_minimum_over_literals():
    X = np.array([[0.8, 0.3, 0.6], [0.2, 0.9, 0.5]])
    assert engine.membership((1, 0, None), X).tolist() == pytest.approx([0.7, 0.1])
    assert engine.membership((None, None, None), X).tolist() == [1, 1]


def test_fuzzy_truth_table_rows_and_cuts():
    X = np.array([[0.8, 0.3], [0.9, 0.2], [0.6, 0.7], [0.5, 0.9], [0.1, 0.1]])
    y = np.array([0.9, 0.4, 0.8, 0.7, 0.2])
    table = engine.truth_table(X, y, incl_cut=0.8, incl_cut0=0.6)
    # case 4 has a membership of exactly 0.5: it belongs to no row
    assert table.unassigned.tolist() == [3]
    assert [engine.config_index(c) + 1 for c in table.configs] == [1, 3, 4]
    assert [c.tolist() for c in table.cases] == [[4], [0, 1], [2]]
    row = engine.membership((1, 0), X)
    incl, pri, _ = engine.sufficiency(row, y)
    assert table.incl[1] == pytest.approx(incl) and table.pri[1] == pytest.approx(pri)
    assert table.n.tolist() == [1, 2, 1]
    assert table.contradiction.tolist() == [False, True, False]
    expected = ["1" if i >= 0.8 else "C" if i >= 0.6 else "0" for i in table.incl]
    assert table.out == expected
    strict = engine.truth_table(X, y, incl_cut=0.5, pri_cut=0.99)
    assert all(o == "0" for o, p in zip(strict.out, strict.pri, strict=True) if p < 0.99)
    assert engine.truth_table(X, y, n_cut=2).out.count("?") == 2


def test_calibrate_shapes():
    x = np.array([0.0, 5.0, 10.0, 15.0, 20.0, np.nan])
    fs = engine.calibrate(x, (5, 10, 15))
    assert fs[2] == pytest.approx(0.5) and np.isnan(fs[5])
    assert fs[3] == pytest.approx(0.95) and fs[1] == pytest.approx(0.05)
    assert engine.calibrate(x, (15, 10, 5))[:5] == pytest.approx(1 - fs[:5])
    ragin = engine.calibrate(x, (5, 10, 15), idm=1 / (1 + math.exp(-3)))
    assert math.log(ragin[3] / (1 - ragin[3])) == pytest.approx(3)
    linear = engine.calibrate(x, (5, 10, 15), logistic=False)
    assert linear[:5].tolist() == [0, 0, 0.5, 1, 1]
    with pytest.raises(PtceError, match="three thresholds"):
        engine.calibrate(x, (1, 2))
    with pytest.raises(PtceError, match="strictly between"):
        engine.calibrate(x, (5, 20, 15))
    with pytest.raises(PtceError, match="only the direct"):
        engine.calibrate(x, (5, 10, 15), method="indirect")


def test_parse_dir_exp():
    names = ["A", "B", "C"]
    assert engine.parse_dir_exp("1, 0, -", names) == [1, 0, None]
    assert engine.parse_dir_exp([1, "0", "-"], names) == [1, 0, None]
    assert engine.parse_dir_exp({"B": 1}, names) == [None, 1, None]
    with pytest.raises(PtceError, match="one value per condition"):
        engine.parse_dir_exp([1, 1], names)
    with pytest.raises(PtceError, match="1, 0 or -"):
        engine.parse_dir_exp([1, 2, 0], names)
    with pytest.raises(PtceError, match="not in the analysis"):
        engine.parse_dir_exp({"Z": 1}, names)


def test_word_and_bool_closures_agree():
    # From 6 conditions on, the subset closure runs on 64-bit words instead of bools.
    rng = np.random.default_rng(0)
    for k in range(6, 11):
        for _ in range(10):
            blocked = rng.random((3, 1 << k)) < rng.uniform(0.001, 0.05)
            assert (engine._closure_words(blocked.copy(), k)
                    == engine._closure_bools(blocked.copy(), k)).all()


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
                key=engine.term_key)
            assert engine.prime_implicants(pos, neg, k, True) == primes
