"""The performance targets of issue 27, measured cold, beside the figures before the work
(``python scripts/bench.py --targets``).

- `ptce report` on the twelve and on ``--cases all`` (sensitivity section included), each a
  fresh process, median of 3 runs;
- `ptce clusters --sensitivity` on the twelve and on 150 synthetic poles (2,000 sampled
  completions), median of 3;
- start-up: `ptce classify` of one pole and `ptce clusters` on the twelve with the default
  stability, median of 9 runs (3 with --quick);
- reading and validating a 10,000-row case table (CSV and XLSX, as `ptce list` writes it:
  ``read_record_columns``, what ``load_frame`` reads) and writing it as CSV
  (``render_frame(..., "csv")``), in one process after the imports, median of the runs;
- `ptce clusters --resamples 0 --format csv` on 10,000 synthetic poles (2,000 with --quick)
  against FactoMineR's specific `MCA(excl = the unknown categories)` + `HCPC` in Rscript on the
  same table, side by side, time and peak memory; and on 100,000 synthetic poles.

The commands run as a user runs them: the ``ptce`` script of this Python's environment, the
package's bytecode compiled first as an install does (run it from a non-editable install, as
users have: an editable one adds its finder to every start).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PERISCOPE = ROOT / "data" / "examples" / "le_periscope.yaml"
# Figures before issue 27's work (the issue's own, fresh install, this 2-core machine).
BEFORE = {"report": 15.0, "report_all": 18.5, "sensitivity": 11.0, "sensitivity_150": None,
          "classify": 0.52, "clusters": 0.79, "read_csv": 0.84, "read_xlsx": 5.1,
          "write_csv": 0.44, "speedup": 8.5, "clusters_100k": 12.0}
TARGET = {"report": 3.0, "report_all": 5.0, "sensitivity": 1.5, "sensitivity_150": 5.0,
          "classify": 0.6, "clusters": 1.0, "read_csv": 0.3, "read_xlsx": 0.3,
          "write_csv": 0.2, "speedup": 20.0, "memory_share": 0.25, "clusters_100k": 4.0}

# What `ptce classify` imports besides the package (the ``ptce`` script turns pydantic's
# plugin search off, as here).
LIBRARIES = ("import pandas, pydantic, typer, rich.console, rich.table, rich.text, yaml\n"
             "from pydantic import BaseModel, TypeAdapter")

R_SCRIPT = """suppressMessages(library(FactoMineR))
d <- read.csv("{csv}", colClasses = "character", check.names = FALSE)
d <- d[, c({columns})]
d[] <- lapply(d, factor)
# The specific MCA: what no source says (and a grouping not started) is passive, as ours.
lev <- unlist(lapply(names(d), function(v) paste(v, levels(d[[v]]), sep = "=")))
excl <- which(grepl("=(unknown|not_started)$", lev))
res <- MCA(d, ncp = 5, excl = excl, graph = FALSE)
hc <- HCPC(res, nb.clust = -1, consol = TRUE, graph = FALSE)
cat(nlevels(hc$data.clust$clust), "\\n")
"""


def _cold(command: list[str], runs: int = 5, env: dict[str, str] | None = None) -> float:
    """Median wall time of a command in fresh processes."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True,
                       env=None if env is None else {**os.environ, **env})
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
    """Every target: ``name``, ``before``, ``now``, ``target`` and ``unit``."""
    import compileall

    import ptce_typology

    script = Path(sys.executable).parent / "ptce"
    ptce = [str(script)] if script.exists() else [sys.executable, "-m", "ptce_typology.cli"]
    runs = 3 if quick else 9
    # The bytecode an install writes (pip compiles it); PYTHONDONTWRITEBYTECODE would
    # otherwise make every cold run compile the package again.
    compileall.compile_dir(Path(ptce_typology.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        html = str(Path(tmp) / "report.html")
        rows = [_row("ptce report, the twelve (cold)", "report",
                     _cold([*ptce, "report", "-o", html], 3)),
                _row("ptce report --cases all (cold)", "report_all",
                     _cold([*ptce, "report", "--cases", "all", "-o", html], 3)),
                _row("ptce clusters --sensitivity, the twelve (cold)", "sensitivity",
                     _cold([*ptce, "clusters", "--sensitivity", "--resamples", "0"], 3)),
                _row("ptce clusters --sensitivity, 150 synthetic poles, 2,000 sampled "
                     "completions (cold, JSON)", "sensitivity_150",
                     _cold([*ptce, "clusters", "--cases", str(_synthetic(150, tmp)),
                            "--sensitivity", "--resamples", "0", "--format", "json"], 3)),
                _row("ptce classify, one pole (cold)", "classify",
                     _cold([*ptce, "classify", str(PERISCOPE)], runs)),
                {"name": "floor of `classify`: importing pandas, pydantic, typer, rich and "
                         "PyYAML, nothing else (cold)", "before": None,
                 "now": _cold([sys.executable, "-c", LIBRARIES], runs,
                              {"PYDANTIC_DISABLE_PLUGINS": "__all__"}),
                 "target": None, "unit": "s"},
                _row("ptce clusters, the twelve, default stability (cold)", "clusters",
                     _cold([*ptce, "clusters"], runs))]
        rows.extend(_case_tables(10_000, 3 if quick else 7))
        rows.extend(_factominer(ptce, 2_000 if quick else 10_000, tmp))
        seconds, mb = _peak([*ptce, "clusters", "--cases", str(_synthetic(100_000, tmp)),
                             "--resamples", "0", "--format", "csv"])
        rows.append({**_row("ptce clusters --resamples 0, 100,000 synthetic poles (cold)",
                            "clusters_100k", seconds), "peak_mb": round(mb)})
    return rows


def _row(name: str, key: str, now: float) -> dict:
    return {"name": name, "before": BEFORE[key], "now": now, "target": TARGET[key],
            "unit": "s"}


def _synthetic(n: int, tmp: str) -> Path:
    from synthetic import synthetic_table, write_csv

    path = Path(tmp) / f"synth_{n}.csv"
    return path if path.exists() else write_csv(synthetic_table(n, 0), path)


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
    from ptce_typology.intake.loading import read_record_columns
    from ptce_typology.render.formats import render_frame

    with tempfile.TemporaryDirectory() as tmp:
        frame = load_frame(write_csv(synthetic_table(n, 0), Path(tmp) / "synth.csv"))
        csv = Path(tmp) / "cases.csv"
        csv.write_text(render_frame(frame, "csv"), encoding="utf-8")
        xlsx = Path(tmp) / "cases.xlsx"
        xlsx.write_bytes(render_frame(frame, "xlsx"))
        return [{"name": f"read + validate a {n:,}-row case table, {path.suffix[1:].upper()}",
                 "before": BEFORE[key], "now": _median_time(lambda p=path: read_record_columns(p),
                                                runs),
                 "target": TARGET[key], "unit": "s"}
                for key, path in (("read_csv", csv), ("read_xlsx", xlsx))] + [
                _calamine(xlsx, runs),
                {"name": f"write a {n:,}-row case table as CSV", "before": BEFORE["write_csv"],
                 "now": _median_time(lambda: render_frame(frame, "csv"), runs),
                 "target": TARGET["write_csv"], "unit": "s"}]


def _calamine(xlsx: Path, runs: int) -> dict:
    """The same sheet read to Python values by python-calamine (a compiled reader, not a
    dependency), nothing validated: a floor for any XLSX reader that gives Python values."""
    row = {"name": "floor of the XLSX read: python-calamine, the same sheet to Python values",
           "before": None, "now": None, "target": None, "unit": "s"}
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return {**row, "note": "(not installed: pip install python-calamine to measure it)"}
    return {**row, "now": _median_time(
        lambda: CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python(), runs)}


def _factominer(ptce: list[str], n: int, tmp: str) -> list[dict]:
    """``ptce clusters --resamples 0`` on ``n`` synthetic poles and FactoMineR's specific MCA
    + HCPC on the same table, one after the other: time, peak memory, their ratios."""
    from ptce_typology.analysis.typology import DEFAULT_ACTIVE

    csv = _synthetic(n, tmp)
    # The same table as FactoMineR sees it: the active columns, derived ones included.
    listed = Path(tmp) / f"listed_{n}.csv"
    with open(listed, "w", encoding="utf-8") as out:
        subprocess.run([*ptce, "list", "--cases", str(csv), "--format", "csv"], check=True,
                       stdout=out)
    ours, ours_mb = _peak([*ptce, "clusters", "--cases", str(csv), "--resamples", "0",
                           "--format", "csv"])
    row = {"name": f"ptce clusters --resamples 0, {n:,} synthetic poles (cold)",
           "before": None, "now": ours, "target": None, "unit": "s", "peak_mb": round(ours_mb)}
    rscript = shutil.which("Rscript")
    has_r = rscript and subprocess.run(
        [rscript, "-e", "library(FactoMineR)"], capture_output=True).returncode == 0
    if not has_r:
        return [row, {"name": "FactoMineR MCA(excl=) + HCPC in Rscript", "before": None,
                      "now": None, "target": None, "unit": "s",
                      "note": "Rscript or FactoMineR absent: not run (apt-get install "
                              "r-cran-factominer)"}]
    script = Path(tmp) / "fm.R"
    script.write_text(R_SCRIPT.format(csv=str(listed), columns=", ".join(
        f'"{c}"' for c in DEFAULT_ACTIVE)), encoding="utf-8")
    theirs, theirs_mb = _peak([rscript, str(script)])
    at_scale = n >= 10_000  # the targets are set at 10,000 poles; --quick's table only shows
    return [row, {"name": f"FactoMineR MCA(excl=) + HCPC of {n:,} poles in Rscript",
                  "before": None, "now": theirs, "target": None, "unit": "s",
                  "peak_mb": round(theirs_mb)},
            {"name": "speed-up over FactoMineR", "before": BEFORE["speedup"] if at_scale
             else None, "now": theirs / ours, "target": TARGET["speedup"] if at_scale else None,
             "unit": "×", "higher_is_better": True},
            {"name": "peak memory, ours / FactoMineR's", "before": None,
             "now": ours_mb / theirs_mb, "target": TARGET["memory_share"] if at_scale else None,
             "unit": "×"}]


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
