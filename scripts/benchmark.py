"""Time and peak memory of each stage at several sizes (``scripts/bench.py``).

Each stage runs in a fresh Python process, so that its peak resident memory is its own and its
time includes start-up (as the FactoMineR anchor, timed with Rscript, does); the time of the
stage's work alone is reported too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STAGES = {
    "load_yaml": ("from ptce_typology import load_cases\n"
                  "t = time.perf_counter(); load_cases(FOLDER)"),
    "load_csv": ("from ptce_typology.frame import load_frame\n"
                 "t = time.perf_counter(); load_frame(CSV)"),
    "load_csv_cases": ("from ptce_typology import load_cases\n"
                       "t = time.perf_counter(); load_cases(CSV)"),
    "tables": ("from ptce_typology.frame import load_frame\n"
               "from ptce_typology.analysis.paper import typology_table, crosstab_table\n"
               "from ptce_typology.analysis.claims import reproduce_claims\n"
               "from ptce_typology.intake.claims import load_claims\n"
               "frame = load_frame(CSV)\n"
               "t = time.perf_counter(); typology_table(frame); "
               "crosstab_table(frame, 'territory', 'sector'); "
               "reproduce_claims(frame, load_claims())"),
    "mca_clustering": ("from ptce_typology.frame import load_frame\n"
                       "from ptce_typology.analysis.typology import Typology\n"
                       "frame = load_frame(CSV)\n"
                       "t = time.perf_counter(); Typology().fit(frame)"),
    "classify": ("from ptce_typology.frame import load_frame\n"
                 "from ptce_typology.analysis.typology import Typology\n"
                 "model = Typology().fit(load_frame())\n"
                 "new = load_frame(CSV)\n"
                 "t = time.perf_counter(); model.classify(new)"),
    "end_to_end": ("import subprocess\n"
                   "t = time.perf_counter()\n"
                   "subprocess.run([sys.executable, '-m', 'ptce_typology.cli', 'clusters', "
                   "'--cases', CSV, '--resamples', '0', '-f', 'json', '-o', OUT], check=True)"),
    "stability": ("from ptce_typology.frame import load_frame\n"
                  "from ptce_typology.analysis.typology import Typology\n"
                  "from ptce_typology.analysis.stability import stability\n"
                  "model = Typology().fit(load_frame(CSV))\n"
                  "t = time.perf_counter(); stability(model)"),
}


def run_stage(stage: str, csv: Path, folder: Path | None, out: Path) -> dict:
    """Run one stage in a child process; its time, work time and peak memory (MB)."""
    code = ("import sys, time, json\n"
            f"CSV, FOLDER, OUT = {str(csv)!r}, {str(folder)!r}, {str(out)!r}\n"
            + STAGES[stage] + "\n"
            "work = time.perf_counter() - t\n"
            "import resource\n"
            "children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
            "print(json.dumps({'work': work, 'children_peak': children}))\n")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stdout = proc.stdout.read()
    stderr = proc.stderr.read()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        return {"stage": stage, "error": stderr.strip().splitlines()[-1:]}
    report = json.loads(stdout.strip().splitlines()[-1])
    work = report["work"]
    # Linux reports kilobytes; the end-to-end stage runs the CLI in a grandchild.
    peak = max(usage.ru_maxrss / 1024, report["children_peak"])
    return {"stage": stage, "seconds": round(wall, 3), "work_seconds": round(work, 3),
            "peak_mb": round(peak, 1)}


def run(sizes: list[int], seed: int = 0, yaml_max: int = 10_000,
        stages: list[str] | None = None, stability_max: int = 100_000) -> list[dict]:
    """Every stage at every size; synthetic data are made in a temporary folder."""
    from synthetic import synthetic_table, write_csv, write_yaml_folder

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            table = synthetic_table(n, seed)
            csv = write_csv(table, Path(tmp) / f"synth_{n}.csv")
            folder = None
            if n <= yaml_max:
                folder = write_yaml_folder(table, Path(tmp) / f"synth_{n}")
            for stage in stages or list(STAGES):
                if stage == "load_yaml" and folder is None:
                    results.append({"n": n, "stage": stage, "skipped": f"n > {yaml_max}"})
                    continue
                if stage == "stability" and n > stability_max:
                    results.append({"n": n, "stage": stage, "skipped": f"n > {stability_max}"})
                    continue
                row = run_stage(stage, csv, folder, Path(tmp) / "out.json")
                row["n"] = n
                results.append(row)
                sys.stderr.write(json.dumps(row) + "\n")
    return results


def markdown(results: list[dict]) -> str:
    """A table: one row per stage, one column per size (seconds / peak MB), and the growth
    of the work time from one size to the next."""
    sizes = sorted({r["n"] for r in results})
    stages = list(dict.fromkeys(r["stage"] for r in results))
    head = "| stage | " + " | ".join(f"N = {n:,}" for n in sizes) + " | growth of work time |"
    lines = [head, "|" + "---|" * (len(sizes) + 2)]
    for stage in stages:
        cells, works = [], []
        for n in sizes:
            row = next((r for r in results if r["n"] == n and r["stage"] == stage), None)
            if row is None or "skipped" in row or "error" in row:
                cells.append("-" if row is None or "skipped" in row else "error")
                works.append(None)
            else:
                cells.append(f"{row['seconds']:.2f} s ({row['work_seconds']:.2f} s work), "
                             f"{row['peak_mb']:.0f} MB")
                works.append(row["work_seconds"])
        growth = []
        for a, b, na, nb in zip(works, works[1:], sizes, sizes[1:], strict=False):
            if a and b and a > 0.005:
                growth.append(f"×{b / a:.1f} for ×{nb // na}")
        lines.append(f"| {stage} | " + " | ".join(cells) + " | " + ", ".join(growth) + " |")
    return "\n".join(lines) + "\n"
