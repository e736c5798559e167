"""Hostile data and settings: QCA conditions outside the vocabulary, a bad claims file,
degenerate data sets and an output encoding without accents, each a one-line error or a
plain result, never a traceback or a silent all-zero condition."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hostile import assert_one_line_error, table_rows, with_cell, write_table

from ptce_typology.resources import data_file

QCA = ("qca", "--outcome", "laureate_2013", "--conditions")


@pytest.mark.parametrize(("condition", "needles"), [
    ("territory=rurl", ("territory", "rurl", "rural")),
    ("laureate_2013=maybe", ("laureate_2013", "maybe", "yes, no")),
    ("A:territory==", ("territory", "'='")),
    ("age>=nan", ("age", "nan")),
    # variants of our own
    ("age>inf", ("age", "inf")),
    ("territory>=3", ("territory", "numeric")),
    ("age=old", ("age", "old")),
    ("X:sector=creative_cultural,Y:origin=citizen", ("origin", "citizen")),
])
def test_qca_conditions_are_checked_against_the_vocabulary(run, condition, needles):
    assert_one_line_error(run(*QCA, condition), *needles)


def test_qca_values_of_data_tables_are_checked(run, tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("id,out,grp\na,1,x\nb,0,y\nc,1,x\nd,0,y\n", encoding="utf-8")
    assert_one_line_error(run("qca", "--data", data, "--outcome", "out", "--conditions",
                              "grp=z"), "grp", "'z'")
    assert run("qca", "--data", data, "--outcome", "out", "--conditions",
               "grp=x").exit_code == 0


@pytest.mark.parametrize(("old", "new", "needles"), [
    ("expected: 12\n", "expected: twelve\n", ("claims.0.expected", "twelve", "a number")),
    ("expected: [7, 20]", "expected: [7]", ("claims.1.expected", "two numbers")),
    ("expected: [7, 20]", "expected: [7, .inf]", ("claims.1.expected",)),
    ("kind: total", "kind: guess", ("claims.0.kind", "guess")),
    ("expected: [domb_innov]", "expected: domb_innov", ("expected", "pole ids")),
])
def test_a_bad_claims_file_is_one_line(run, tmp_path, old, new, needles):
    text = data_file("paper_claims.yaml").read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "claims.yaml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert_one_line_error(run("reproduce", "--claims", bad), "claims.yaml:", *needles)


def _degenerate(run, tmp_path, kind):
    header, rows = table_rows(run)
    if kind == "identical":
        rows = [with_cell(header, rows[0], "pole_id", f"p{i}") for i in range(6)]
    elif kind == "all_unknown":
        keep = {"pole_id", "name", "role"}
        rows = [[(f"p{i}" if c == "pole_id" else v if c in keep else "")
                 for c, v in zip(header, rows[i], strict=True)] for i in range(6)]
    elif kind == "no_rows":
        rows = []
    elif kind == "two_poles":
        rows = rows[:2]
    return write_table(tmp_path / f"{kind}.csv", header, rows)


@pytest.mark.parametrize("kind", ["identical", "all_unknown", "no_rows", "two_poles"])
def test_degenerate_data_sets(run, tmp_path, kind):
    table = _degenerate(run, tmp_path, kind)
    for args in (("clusters", "--resamples", "2"), ("report", "--resamples", "2", "-o",
                                                    tmp_path / "r.html")):
        assert_one_line_error(run(*args, "--cases", table))
    assert not (tmp_path / "r.html").exists()
    for args in (("reproduce",), ("typology",), ("gap",), ("list",), ("compare",)):
        result = run(*args, "--cases", table)
        if kind == "no_rows":
            assert_one_line_error(result, "no pole")
        elif args == ("compare",) and kind != "two_poles":  # a single known group
            assert_one_line_error(result, "--by")
        else:
            assert result.exit_code == 0, (args, result.output[-400:])


ENCODING_COMMANDS = [("list",), ("show", "paris_mix"), ("validate",), ("reproduce",),
                     ("compare",), ("referentiel",), ("list", "-f", "md"),
                     ("typology", "-f", "csv"), ("validate", "/no/such/fichier-été.yaml")]


SHORT = [("referentiel",), ("show", "paris_mix"), ("validate", "/no/such/fichier-été.yaml")]


@pytest.mark.parametrize(("encoding", "commands"), [("ascii", ENCODING_COMMANDS),
                                                    ("latin-1", SHORT)])
def test_outputs_without_utf8(encoding, commands):
    # the commands run in one process (each process pays the imports)
    code = ("import sys\nfrom ptce_typology.cli import main\n"
            f"for args in {commands!r}:\n"
            "    sys.argv = ['ptce', *args]\n"
            "    try:\n        main()\n    except SystemExit as e:\n"
            "        print('EXIT', args[0], e.code, file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True,
                            env={**os.environ, "PYTHONIOENCODING": encoding}, check=False)
    stderr = result.stderr.decode("latin-1")
    assert "Traceback" not in stderr and "UnicodeEncodeError" not in stderr, stderr[-800:]
    exits = [line.split()[1:] for line in stderr.splitlines() if line.startswith("EXIT")]
    assert [e[0] for e in exits] == [a[0] for a in commands]
    assert all(e[1] == "0" for e in exits[:-1]) and exits[-1][1] == "1", exits
    out = result.stdout.decode("latin-1")
    if encoding == "ascii":
        assert "r\\xe9f\\xe9rentiel" in out.lower()  # Pôle as P\\xf4le, not a crash
    else:
        assert "référentiel" in out.lower()


# A map with one axis ------------------------------------------------------------------------


def test_one_category_active_descriptor_map_cannot_be_drawn(run, tmp_path):
    header, rows = table_rows(run)
    one_sector = write_table(tmp_path / "one_sector.csv", header,
                             [with_cell(header, row, "sector", "production") for row in rows])
    options = ("--cases", one_sector, "--active", "sector,age_class")
    report = run("report", *options, "--resamples", "0", "-o", tmp_path / "r.html")
    # was KeyError: 'Dim 2'
    assert report.exit_code == 0, report.output[-500:]
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "the factor map cannot be drawn" in page
    example = data_file("examples") / "le_periscope.yaml"
    for command in (("clusters", "--resamples", "0", "--plot", tmp_path / "map.png"),
                    ("classify", example, "--plot", tmp_path / "map.svg")):
        result = run(*command, *options, "--lang", "fr")
        assert_one_line_error(result, "carte factorielle", "1")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one_sector.csv", "r.html"]
