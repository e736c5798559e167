"""Truth tables for the QCA tests: random ones, and the definition of a term's cover."""

from __future__ import annotations

import itertools
import random


def _inside(term, config) -> bool:
    return all(v is None or v == c for v, c in zip(term, config, strict=True))


def random_table(rng: random.Random, k: int, p_pos: float, p_neg: float):
    pos, neg = set(), set()
    for config in itertools.product((0, 1), repeat=k):
        r = rng.random()
        if r < p_pos:
            pos.add(config)
        elif r < p_pos + p_neg:
            neg.add(config)
    return pos, neg
