"""Make N plausible synthetic poles, sampled from the témoins' category frequencies.

    python scripts/synth.py --n 10000 --seed 1 --format csv -o synth.csv
    python scripts/synth.py --n 1000 --seed 1 --format yaml -o synth_cases/
"""

from __future__ import annotations

import argparse
import sys

from synthetic import synthetic_table, write_csv, write_yaml_folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, required=True, help="number of poles")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--format", choices=("csv", "yaml"), default="csv")
    parser.add_argument("-o", "--output", required=True, help="CSV file or folder for YAML")
    args = parser.parse_args()
    table = synthetic_table(args.n, args.seed)
    path = write_csv(table, args.output) if args.format == "csv" \
        else write_yaml_folder(table, args.output)
    sys.stderr.write(f"wrote {args.n} synthetic poles to {path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
