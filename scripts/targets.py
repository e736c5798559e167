"""The performance targets of the toolkit, measured cold, beside the figures before the work
that set them (``python scripts/bench.py --targets``).

- start-up: `ptce classify` of one pole, `ptce clusters` on the twelve with the default
  stability, `ptce compare`: each a fresh process, median of 9 runs (run it from a
  non-editable install, as users have: an editable one adds its finder to every start);
- the typology's sensitivity to its unknowns on the twelve (`ptce clusters --sensitivity`);
- exact QCA minimisation on random tables of 40 cases (scripts/bench_qca.py);
- reading and validating a 10,000-row case table (CSV and XLSX, as `ptce list` writes it:
  ``read_records``) and writing it as CSV (``render_frame(..., "csv")``), in one process
  after the imports, median of the runs;
- MCA + HCPC of 10,000 synthetic poles, ours against FactoMineR's `MCA` + `HCPC` in Rscript
  (run side by side when Rscript and FactoMineR are installed; said when they are not).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PERISCOPE = ROOT / "data" / "examples" / "le_periscope.yaml"
# Figures before (issue 15 and the earlier notes, same machine).
BEFORE = {"classify": 1.4, "clusters": 5.7, "compare": 2.1, "qca_6": 0.1, "qca_7": 57.0,
          "qca_10": 167.0, "qca_12": None,
          # issue 27, this machine (busy), before the column-wise checks
          "read_csv": 0.84, "read_xlsx": 5.1, "write_csv": 0.44}
TARGET = {"classify": 0.6, "clusters": 1.5, "sensitivity": 30.0, "qca_10": 1.0,
          "qca_12": 10.0, "read_csv": 0.3, "read_xlsx": 0.3, "write_csv": 0.2}

R_SCRIPT = """suppressMessages(library(FactoMineR))
d <- read.csv("{csv}", colClasses = "character", check.names = FALSE)
d <- d[, c({columns})]
d[] <- lapply(d, factor)
res <- MCA(d, ncp = 5, graph = FALSE)
hc <- HCPC(res, nb.clust = -1, consol = TRUE, graph = FALSE)
cat(nlevels(hc$data.clust$clust), "\\n")
"""

PY_SCRIPT = """from ptce_typology.frame import load_frame
from ptce_typology.analysis.typology import Typology
model = Typology(supplementary=(), passive=None).fit(load_frame({csv!r}))
print(model.hcpc_.n_clusters_)
"""


def _cold(command: list[str], runs: int = 5) -> float:
    """Median wall time of a command in fresh processes."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _peak(command: list[str]) -> tuple[float, float]:
    """Wall time and peak memory (MB) of one run, with GNU time when present."""
    gnu = shutil.which("time") or "/usr/bin/time"
    start = time.perf_counter()
    if Path(gnu).exists():
        done = subprocess.run([gnu, "-f", "%M", *command], check=True, capture_output=True,
                              text=True)
        seconds = time.perf_counter() - start
        return seconds, int(done.stderr.strip().splitlines()[-1]) / 1024
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start, float("nan")


def measure(quick: bool = False) -> list[dict]:
    """Every target: ``name``, ``before``, ``now``, ``target`` and ``unit``. The commands run
    as a user runs them: the ``ptce`` script of this Python's environment."""
    script = Path(sys.executable).parent / "ptce"
    ptce = [str(script)] if script.exists() else [sys.executable, "-m", "ptce_typology.cli"]
    runs = 3 if quick else 9
    rows = [
        {"name": "ptce classify, one pole (cold)", "before": BEFORE["classify"],
         "now": _cold([*ptce, "classify", str(PERISCOPE)], runs), "target": TARGET["classify"],
         "unit": "s"},
        {"name": "ptce clusters, the twelve, default stability (cold)",
         "before": BEFORE["clusters"], "now": _cold([*ptce, "clusters"], runs),
         "target": TARGET["clusters"], "unit": "s"},
        {"name": "ptce compare (cold)", "before": BEFORE["compare"],
         "now": _cold([*ptce, "compare"], runs), "target": None, "unit": "s"},
        {"name": "ptce clusters --sensitivity, the twelve (8,192 completions: 12 unknowns "
                 "and Domb'Innov's contested origin)", "before": None,
         "now": _cold([*ptce, "clusters", "--sensitivity", "--resamples", "0"], 1),
         "target": TARGET["sensitivity"], "unit": "s"},
    ]
    from bench_qca import time_one

    for k in (6, 7, 10, 12):
        worst = max(sum(v for key, v in time_one(k, 40, seed).items()
                        if key in ("complex_seconds", "parsimonious_seconds"))
                    for seed in range(3 if quick else 5))
        rows.append({"name": f"QCA minimisation, {k} conditions, 40 random cases (worst of "
                             "seeds)", "before": BEFORE.get(f"qca_{k}"), "now": worst,
                     "target": TARGET.get(f"qca_{k}"), "unit": "s"})
    rows.extend(_case_tables(10_000, 3 if quick else 7))
    rows.extend(_factominer(2_000 if quick else 10_000))
    return rows


def _median_time(func, runs: int) -> float:
    func()  # warm: imports and caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _case_tables(n: int, runs: int) -> list[dict]:
    """Read + validate a case table of ``n`` synthetic poles (CSV, XLSX) and write it as CSV."""
    from synthetic import synthetic_table, write_csv

    from ptce_typology.frame import load_frame
    from ptce_typology.intake.loading import read_records
    from ptce_typology.render.formats import render_frame

    with tempfile.TemporaryDirectory() as tmp:
        frame = load_frame(write_csv(synthetic_table(n, 0), Path(tmp) / "synth.csv"))
        csv = Path(tmp) / "cases.csv"
        csv.write_text(render_frame(frame, "csv"), encoding="utf-8")
        xlsx = Path(tmp) / "cases.xlsx"
        xlsx.write_bytes(render_frame(frame, "xlsx"))
        return [{"name": f"read + validate a {n:,}-row case table, {path.suffix[1:].upper()}",
                 "before": BEFORE[key], "now": _median_time(lambda p=path: read_records(p), runs),
                 "target": TARGET[key], "unit": "s"}
                for key, path in (("read_csv", csv), ("read_xlsx", xlsx))] + [
                {"name": f"write a {n:,}-row case table as CSV", "before": BEFORE["write_csv"],
                 "now": _median_time(lambda: render_frame(frame, "csv"), runs),
                 "target": TARGET["write_csv"], "unit": "s"}]


def _factominer(n: int) -> list[dict]:
    from synthetic import synthetic_table, write_csv

    from ptce_typology.analysis.typology import DEFAULT_ACTIVE

    with tempfile.TemporaryDirectory() as tmp:
        csv = write_csv(synthetic_table(n, 0), Path(tmp) / "synth.csv")
        # The same table as FactoMineR sees it: the active columns, derived ones included.
        listed = Path(tmp) / "listed.csv"
        with open(listed, "w", encoding="utf-8") as out:
            subprocess.run([sys.executable, "-m", "ptce_typology.cli", "list", "--cases",
                            str(csv), "--format", "csv"], check=True, stdout=out)
        py = Path(tmp) / "ours.py"
        py.write_text(PY_SCRIPT.format(csv=str(csv)), encoding="utf-8")
        ours, ours_mb = _peak([sys.executable, str(py)])
        row = {"name": f"MCA + HCPC of {n:,} synthetic poles, whole process (ours)",
               "before": None, "now": ours, "target": None, "unit": "s",
               "peak_mb": round(ours_mb)}
        rscript = shutil.which("Rscript")
        has_r = rscript and subprocess.run(
            [rscript, "-e", "library(FactoMineR)"], capture_output=True).returncode == 0
        if not has_r:
            return [row, {"name": "FactoMineR MCA + HCPC in Rscript", "before": None,
                          "now": None, "target": None, "unit": "s",
                          "note": "Rscript or FactoMineR absent: not run (apt-get install "
                                  "r-cran-factominer)"}]
        script = Path(tmp) / "fm.R"
        script.write_text(R_SCRIPT.format(csv=str(listed), columns=", ".join(
            f'"{c}"' for c in DEFAULT_ACTIVE)), encoding="utf-8")
        theirs, theirs_mb = _peak([rscript, str(script)])
        return [row, {"name": f"FactoMineR MCA + HCPC of {n:,} poles in Rscript",
                      "before": None, "now": theirs, "target": None, "unit": "s",
                      "peak_mb": round(theirs_mb)},
                {"name": "speed-up over FactoMineR (target ≥ 10× at 10,000 poles)",
                 "before": None, "now": theirs / ours,
                 # The target is set at 10,000 poles; --quick's smaller table only shows it.
                 "target": 10.0 if n >= 10_000 else None, "unit": "×",
                 "higher_is_better": True}]


def markdown(rows: list[dict]) -> str:
    """One line per target: before, now, target, met or not."""
    lines = ["| measure | before | now | target | met |", "|---|---|---|---|---|"]
    for r in rows:
        def shown(value, unit=r["unit"]):
            return "-" if value is None else f"{value:.2f} {unit}"
        met = "-"
        if r.get("now") is not None and r.get("target") is not None:
            ok = r["now"] >= r["target"] if r.get("higher_is_better") else r["now"] <= r["target"]
            met = "yes" if ok else "no"
        extra = f" ({r['peak_mb']} MB)" if "peak_mb" in r else ""
        note = f" {r['note']}" if "note" in r else ""
        lines.append(f"| {r['name']}{note} | {shown(r['before'])} | {shown(r['now'])}{extra} | "
                     f"{shown(r['target'])} | {met} |")
    return "\n".join(lines) + "\n"
