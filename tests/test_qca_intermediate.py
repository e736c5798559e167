"""Intermediate solutions: between the complex and parsimonious ones, as R's dir.exp."""

from __future__ import annotations

import itertools
import random

import pytest
from qca_tables import _inside, random_table

from ptce_typology.analysis.qca.intermediate import intermediate as intermediate_solutions
from ptce_typology.analysis.qca.intermediate import parse_dir_exp
from ptce_typology.analysis.qca.minimise import minimise, simplifying_assumptions
from ptce_typology.errors import PtceError


def test_intermediate_lies_between_complex_and_parsimonious():
    rng = random.Random(3)
    for _ in range(60):
        k = rng.randint(2, 5)
        pos, neg = random_table(rng, k, 0.3, 0.3)
        if not pos:
            continue
        dir_exp = [rng.choice([0, 1, None]) for _ in range(k)]
        pars = minimise(pos, neg, k, True).models
        pairs = intermediate_solutions(pos, neg, k, dir_exp)
        assert len(pairs) == len(minimise(pos, neg, k, False).models) * len(pars)
        configs = list(itertools.product((0, 1), repeat=k))
        for pair in pairs:
            easy = set(pair.easy)
            assert not easy & (pos | neg)
            assert easy | set(pair.difficult) == set(simplifying_assumptions(
                pars[pair.parsimonious_model - 1], pos, neg, k))
            for model in pair.models:
                covered = {c for c in configs if any(_inside(t, c) for t in model)}
                assert pos <= covered <= pos | easy


def test_intermediate_without_expectations_is_the_complex_solution():
    pos = {(1, 1, 0), (1, 1, 1)}
    neg = {(0, 0, 0), (0, 0, 1)}
    pairs = intermediate_solutions(pos, neg, 3, [None, None, None])
    assert [p.models for p in pairs] == [[[(1, 1, None)]], [[(1, 1, None)]]]
    assert all(not p.easy for p in pairs)
    # literals that agree with the expectations are kept: still A*B
    pairs = intermediate_solutions(pos, neg, 3, [1, 1, None])
    assert [p.label for p in pairs] == ["C1P1", "C1P2"]
    assert [p.models for p in pairs] == [[[(1, 1, None)]], [[(1, 1, None)]]]


def test_intermediate_drops_literals_against_expectations():
    # Positive rows A*~B*C and A*~B*~C, negative ~A*~B*~C; expecting B present,
    # the easy counterfactuals A*B*... make ~B redundant: intermediate solution A.
    pos = {(1, 0, 1), (1, 0, 0)}
    neg = {(0, 0, 0)}
    pairs = intermediate_solutions(pos, neg, 3, [1, 1, None])
    assert minimise(pos, neg, 3, False).models == [[(1, 0, None)]]
    intermediate = {tuple(map(tuple, m)) for p in pairs for m in p.models}
    assert ((1, None, None),) in intermediate


def test_parse_dir_exp():
    names = ["A", "B", "C"]
    assert parse_dir_exp("1, 0, -", names) == [1, 0, None]
    assert parse_dir_exp([1, "0", "-"], names) == [1, 0, None]
    assert parse_dir_exp({"B": 1}, names) == [None, 1, None]
    with pytest.raises(PtceError, match="one value per condition"):
        parse_dir_exp([1, 1], names)
    with pytest.raises(PtceError, match="1, 0 or -"):
        parse_dir_exp([1, 2, 0], names)
    with pytest.raises(PtceError, match="not in the analysis"):
        parse_dir_exp({"Z": 1}, names)
