"""Hardening: fuzzed input, byte-identical reruns, atomic writes, a quick start."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time

import pytest
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptce_typology.errors import ISSUE_CODES
from ptce_typology.resources import cases_dir, examples_dir

GOOD = (FIXTURES / "good" / "minimal.yaml").read_text(encoding="utf-8")
REAL = (cases_dir() / "paris_mix.yaml").read_text(encoding="utf-8")

# Each hostile file and the one issue code validation must give it.
HOSTILE = [
    ("a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
     "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
     "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
     "f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n", "yaml-too-complex"),
    ("x: " + "[" * 500 + "]" * 500 + "\n", "yaml-too-complex"),
    ("x: " + "{a: " * 300 + "1" + "}" * 300 + "\n", "yaml-too-complex"),
    ("name: " + "A" * 900_000 + "\n", "invalid-value"),  # and the fields it lacks
    ("name: !!python/object/apply:os.system ['true']\n", "yaml-unsafe-tag"),
    ("name: !custom thing\n", "yaml-unsafe-tag"),
    ("role: case\nrole: case\n", "yaml-duplicate-key"),
    ("\x00\x01\x02", "yaml-syntax"),
    ("- 1\n- 2\n", "file-not-mapping"),
    ("just a string", "file-not-mapping"),
    ("42", "file-not-mapping"),
    ("~", "file-not-mapping"),
    ("", "file-empty"),
    ("---\na: 1\n---\nb: 2\n", "yaml-syntax"),
    ("a: *undefined\n", "yaml-syntax"),
    ("\ta: 1\n", "yaml-tab"),
]
PAYLOADS = [payload for payload, _ in HOSTILE]


def _codes(result) -> list[str]:
    """The issue code of each line ``ptce validate`` printed."""
    return [line.split("[", 1)[1].split("]", 1)[0] for line in result.stdout.splitlines()]


def _run_validate(run, path):
    result = run("validate", path)
    assert result.exit_code in (0, 1), (result.exit_code, result.output[-500:])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in result.output
    assert set(_codes(result)) <= set(ISSUE_CODES), result.stdout
    return result


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("payload", "code"), HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_payloads(run, tmp_path, payload, code):
    path = tmp_path / "case.yaml"
    path.write_text(payload, encoding="utf-8")
    before = _digest(path)
    start = time.perf_counter()
    result = _run_validate(run, path)
    assert time.perf_counter() - start < 10
    assert result.exit_code == 1
    codes = _codes(result)
    if code == "invalid-value":  # the long name, among the fields a case needs
        (line,) = [line for line in result.stdout.splitlines() if f"[{code}]" in line]
        assert "] name: String should have at most" in line
        assert set(codes) == {"invalid-value", "missing-field"}
    else:
        assert codes == [code], result.stdout
    assert _digest(path) == before


@pytest.mark.parametrize("transform", ["bom", "crlf", "mixed", "latin1", "cr"])
def test_encodings_and_line_endings(run, tmp_path, transform):
    path = tmp_path / "case.yaml"
    text = GOOD.replace("Test pole", "Pôle d'essai")
    data = {
        "bom": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "crlf": text.replace("\n", "\r\n").encode("utf-8"),
        "mixed": "".join(line + ("\r\n" if i % 2 else "\n")
                         for i, line in enumerate(text.splitlines())).encode("utf-8"),
        "latin1": text.encode("latin-1"),
        "cr": text.replace("\n", "\r").encode("utf-8"),
    }[transform]
    path.write_bytes(data)
    result = _run_validate(run, path)
    assert result.exit_code == (1 if transform == "latin1" else 0), result.stdout
    assert path.read_bytes() == data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_case_files(run, tmp_path, data):
    base = data.draw(st.sampled_from([GOOD, REAL]))
    raw = bytearray(base.encode("utf-8"))
    for _ in range(data.draw(st.integers(1, 6))):
        op = data.draw(st.sampled_from(["insert", "delete", "replace", "payload"]))
        pos = data.draw(st.integers(0, max(0, len(raw) - 1)))
        if op == "insert":
            raw[pos:pos] = data.draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del raw[pos:pos + data.draw(st.integers(1, 40))]
        elif op == "replace":
            raw[pos:pos + 1] = data.draw(st.sampled_from(
                [b":", b"-", b"[", b"{", b"&x ", b"*x", b"!!", b"\t", b"\x00", b"\r", b"'",
                 b'"', b"\xff", b"#", b"|", b">"]))
        else:
            raw[pos:pos] = data.draw(st.sampled_from(PAYLOADS[:3] + PAYLOADS[5:8])).encode()
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(bytes(raw))
    before = _digest(path)
    start = time.perf_counter()
    _run_validate(run, path)
    assert time.perf_counter() - start < 10
    assert _digest(path) == before


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=8), min_size=1,
                      max_size=6),
       header=st.lists(st.sampled_from(["pole_id", "name", "origin", "territory", "sector",
                                        "start_year", "members", "members_year", "colour",
                                        "age_class", "shared_premises", ""]),
                       min_size=1, max_size=8))
def test_fuzzed_tables(run, tmp_path, cells, header):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(cells)
    path = tmp_path / "fuzz.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    before = _digest(path)
    _run_validate(run, path)
    assert _digest(path) == before


# Determinism --------------------------------------------------------------------------------

PERISCOPE = str(examples_dir() / "le_periscope.yaml")
COMMANDS = [
    ("validate",), ("list", "-f", "csv"), ("list", "-f", "json"), ("list", "-f", "md"),
    ("show", "paris_mix"), ("schema",), ("typology", "-f", "latex"),
    ("typology", "--by", "sector", "-f", "md"), ("reproduce", "-f", "json"),
    ("clusters", "-f", "json", "--resamples", "10"), ("classify", PERISCOPE, "-f", "json"),
    ("compare", "-f", "md"), ("qca", "--outcome", "laureate_2013", "--conditions",
                              "DI:territory=deindustrialised,OLD:age_class=over_10_years"),
    ("referentiel", "-f", "json"), ("gap", "-f", "md"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:3]))
def test_every_command_is_byte_identical_twice(run, args):
    first = run(*args)
    second = run(*args)
    assert first.exit_code == 0, first.stderr
    assert first.stdout_bytes == second.stdout_bytes


def test_files_are_byte_identical_twice(run, tmp_path, monkeypatch):
    # The HTML report's rerun is test_html.py::test_byte_identical_rerun (against the
    # session's study), so that the suite computes the whole study once more, not twice.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1400000000")
    for name, args in (("t.xlsx", ("typology", "-f", "xlsx")),
                       ("c.xlsx", ("clusters", "-f", "xlsx", "--resamples", "5")),
                       ("g.pdf", ("gap", "-f", "csv", "--plot"))):
        outputs = []
        for i in range(2):
            target = tmp_path / f"{i}{name}"
            if name.endswith(".pdf"):
                run(*args, target)
            else:
                run(*args, "-o", target)
            outputs.append(target.read_bytes())
        assert outputs[0] == outputs[1], name


# Atomic output ------------------------------------------------------------------------------


def test_failed_write_leaves_the_earlier_file_intact(run, tmp_path, monkeypatch):
    target = tmp_path / "poles.csv"
    target.write_text("earlier content\n", encoding="utf-8")
    real_fdopen = os.fdopen

    class Exploding:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()
            return False

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            raise OSError("disk full (injected)")

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: Exploding(real_fdopen(fd, mode)))
    result = run("list", "-f", "csv", "-o", target)
    assert result.exit_code != 0
    assert target.read_text(encoding="utf-8") == "earlier content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["poles.csv"]  # no temp file left


def test_written_files_have_the_usual_mode(run, tmp_path):
    target = tmp_path / "poles.csv"
    run("list", "-f", "csv", "-o", target)
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


# Quick start --------------------------------------------------------------------------------

HEAVY = ("pandas", "sklearn", "scipy", "matplotlib")


@pytest.mark.parametrize("argv", [["--help"], ["validate"],
                                  ["validate", str(cases_dir() / "paris_mix.yaml")]])
def test_quick_commands_import_nothing_heavy(argv):
    code = (f"import sys\nsys.argv = ['ptce', *{argv!r}]\nfrom ptce_typology.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            f"print('HEAVY=' + ','.join(m for m in {HEAVY!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    marker = [line for line in result.stdout.splitlines() if line.startswith("HEAVY=")]
    assert marker == ["HEAVY="], result.stdout[-300:]


@pytest.mark.parametrize(("options", "tree"), [
    (["--format", "json"], False),
    (["--sensitivity", "--resamples", "0"], False),
    (["--sensitivity", "--resamples", "0", "--format", "json"], True)])
def test_clusters_of_the_twelve_imports_scipy_tree_only_to_order_the_co_clustering(options,
                                                                                   tree):
    # Ward's tree is our own up to 500 poles; scipy's (0.24 s to import) orders the
    # co-clustering of --sensitivity for its JSON (and the report's heat map) only: not the
    # headline beside the partition, not the tables, which show the poles in their order.
    code = (f"import sys\nsys.argv = ['ptce', 'clusters', *{options!r}]\n"
            "from ptce_typology.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('TREE=' + str('scipy.cluster' in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.stdout.splitlines()[-1] == f"TREE={tree}", result.stderr[-300:]


def test_figures_are_drawn_without_pyplot(tmp_path):
    # Figures are matplotlib Figure objects on the Agg canvas: pyplot (its import, its global
    # list of figures, which a notebook shows at the end of a cell) is never used. The map,
    # the tree, the gains and the ellipses here; the report draws them with the same code.
    args = ["clusters", "--resamples", "0", "--plot", str(tmp_path / "m.png")]
    code = (f"import sys\nsys.argv = ['ptce', *{args!r}]\nfrom ptce_typology.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('FIGURE=' + str('matplotlib.figure' in sys.modules) + ' PYPLOT='"
            " + str('matplotlib.pyplot' in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.stdout.splitlines()[-1] == "FIGURE=True PYPLOT=False", result.stderr[-300:]
