"""Benchmark: time and peak memory of each stage for N synthetic poles.

    python scripts/bench.py                       # N = 12, 1 000, 10 000, 100 000
    python scripts/bench.py --sizes 12 1000 --json bench.json
    python scripts/bench.py --targets             # start-up, sensitivity, QCA, FactoMineR
"""

from __future__ import annotations

import argparse
import json
import sys

from benchmark import STAGES, markdown, run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[12, 1000, 10_000, 100_000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--yaml-max", type=int, default=10_000,
                        help="largest N for which a folder of YAML files is written and loaded")
    parser.add_argument("--stability-max", type=int, default=100_000)
    parser.add_argument("--stages", nargs="+", choices=list(STAGES))
    parser.add_argument("--json", help="also write the raw results to this file")
    parser.add_argument("--targets", action="store_true",
                        help="measure the performance targets beside the figures before")
    parser.add_argument("--quick", action="store_true",
                        help="with --targets: fewer runs, 2,000 poles against FactoMineR")
    args = parser.parse_args()
    if args.targets:
        from targets import markdown as targets_markdown
        from targets import measure

        rows = measure(args.quick)
        if args.json:
            with open(args.json, "w", encoding="utf-8") as handle:
                json.dump(rows, handle, indent=2)
        sys.stdout.write(targets_markdown(rows))
        return 0
    results = run(args.sizes, args.seed, args.yaml_max, args.stages, args.stability_max)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(results, handle, indent=2)
    sys.stdout.write(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
