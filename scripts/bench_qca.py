"""Benchmark of the exact QCA minimisation: seconds for random crisp tables.

    python scripts/bench_qca.py                          # 6, 7, 10, 12 conditions, 40 cases
    python scripts/bench_qca.py --conditions 8 --cases 60 --seeds 0 1 2 --json bench_qca.json

Each table: ``cases`` random configurations and a random outcome (seeded), truth table with
the default cuts, then the complex and parsimonious solutions (every minimal model), and an
intermediate solution with every expectation set to 1.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from ptce_typology.analysis.qca.intermediate import intermediate
from ptce_typology.analysis.qca.minimise import minimise
from ptce_typology.analysis.qca.truthtable import truth_table


def random_table(n_conditions: int, n_cases: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n_cases`` random 0/1 configurations and an outcome that half depends on them."""
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 2, size=(n_cases, n_conditions))
    signal = X[:, : max(1, n_conditions // 3)].sum(axis=1) >= max(1, n_conditions // 6)
    y = np.where(rng.random(n_cases) < 0.8, signal, rng.integers(0, 2, n_cases)).astype(float)
    return X.astype(float), y


def time_one(n_conditions: int, n_cases: int, seed: int) -> dict:
    X, y = random_table(n_conditions, n_cases, seed)
    table = truth_table(X, y)
    positives, negatives = table.select("1"), table.select("0", "C")
    result = {"conditions": n_conditions, "cases": n_cases, "seed": seed,
              "rows": len(table.configs), "positive_rows": len(positives)}
    for kind, remainders in (("complex", False), ("parsimonious", True)):
        start = time.perf_counter()
        solved = minimise(positives, negatives, n_conditions, remainders)
        result[f"{kind}_seconds"] = time.perf_counter() - start
        result[f"{kind}_primes"] = len(solved.primes)
        result[f"{kind}_models"] = len(solved.models)
    start = time.perf_counter()
    pairs = intermediate(positives, negatives, n_conditions, [1] * n_conditions)
    result["intermediate_seconds"] = time.perf_counter() - start
    result["intermediate_models"] = sum(len(p.models) for p in pairs)
    return result


def markdown(results: list[dict]) -> str:
    lines = ["| conditions | cases | seed | rows (1) | complex s (PIs, models) "
             "| parsimonious s (PIs, models) | intermediate s |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(
            f"| {r['conditions']} | {r['cases']} | {r['seed']} | {r['rows']} "
            f"({r['positive_rows']}) | {r['complex_seconds']:.3f} ({r['complex_primes']}, "
            f"{r['complex_models']}) | {r['parsimonious_seconds']:.3f} "
            f"({r['parsimonious_primes']}, {r['parsimonious_models']}) "
            f"| {r['intermediate_seconds']:.3f} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conditions", type=int, nargs="+", default=[6, 7, 10, 12])
    parser.add_argument("--cases", type=int, default=40)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--json", help="also write the raw results to this file")
    args = parser.parse_args()
    start = time.perf_counter()
    import scipy.optimize  # noqa: F401  (the integer program of large charts; loaded once)
    sys.stdout.write(f"scipy.optimize import: {time.perf_counter() - start:.3f} s "
                     "(once per process, not in the timings below)\n\n")
    results = [time_one(k, args.cases, seed) for k in args.conditions for seed in args.seeds]
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(results, handle, indent=2)
    sys.stdout.write(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
