"""Hostile options: every bad option is one line on stderr and exit code 1, never click's
usage block (exit 2) or a traceback."""

from __future__ import annotations

import pytest
from hostile import assert_one_line_error


@pytest.mark.parametrize(("args", "needles"), [
    # the examples
    (("clusters", "--seed", "-5"), ("--seed", "'-5'")),
    (("clusters", "--resamples", "-1"), ("--resamples", "'-1'")),
    (("list", "--reference-year", "1" * 22), ("--reference-year",)),
    (("list", "--reference-year", "0"), ("--reference-year", "'0'")),
    (("clusters", "--active", "territory,territory"), ("--active", "territory")),
    (("list", "--format", "pdf"), ("--format", "pdf", "csv")),
    (("list", "--no-such-option"), ("--no-such-option",)),
    # variants of our own
    (("clusters", "--seed", str(2**40)), ("--seed",)),
    (("clusters", "--ncp", "0"), ("--ncp", "'0'")),
    (("clusters", "--k", "1"), ("--k", "'1'")),
    (("report", "-o", "r.html", "--active", "origin,sector,origin"), ("--active", "origin")),
    (("clusters", "--supplementary", "laureate_2013,laureate_2013"), ("--supplementary",)),
    (("qca", "--outcome", "laureate_2013", "--conditions", "territory=rural",
      "--incl-cut", "1.5"), ("--incl-cut", "1.5")),
    (("frobnicate",), ("frobnicate",)),
    (("clusters", "--seed=abc"), ("--seed", "abc")),
    (("list", "--x\x1b[2J"), ("--x\\x1b[2J",)),
    (("list", "--format", "md\x07"), ("--format", "\\x07")),
])
def test_bad_options_are_one_line(run, args, needles):
    line = assert_one_line_error(run(*args), *needles)
    assert "\x1b" not in line and "\x07" not in line


def test_help_and_version_still_exit_zero(run):
    assert run("--version").exit_code == 0
    result = run("list", "--help")
    assert result.exit_code == 0 and "Usage" in result.stdout


@pytest.mark.parametrize("columns", ["abc", "-3", "99999999999999999999", ""])
def test_odd_terminal_width_is_ignored(run, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", columns)
    result = run("list")
    assert result.exit_code == 0, result.output[-300:]
    assert "Poles" in result.stdout


@pytest.mark.parametrize("epoch", ["²", "99999999999999", "١٢", "", " 12", "-1", "1e9"])
def test_a_bad_source_date_epoch_is_one_line(run, tmp_path, monkeypatch, epoch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = run("report", "--resamples", "0", "-o", tmp_path / "r.html")
    assert_one_line_error(result, "SOURCE_DATE_EPOCH", repr(epoch))
    assert not (tmp_path / "r.html").exists()
    assert run("list", "--lang", "fr").stderr.startswith("erreur : SOURCE_DATE_EPOCH")


def test_source_date_epoch_up_to_the_year_9999_dates_the_report(run, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")
    result = run("report", "--resamples", "0", "-o", tmp_path / "r.html")
    assert result.exit_code == 0, result.output[-300:]
    assert "9999-12-31" in (tmp_path / "r.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [(), ("--debug",), ("--debug", "--debug")])
def test_bare_ptce_shows_the_help_with_the_commands(run, args):
    result = run(*args)  # `ptce --debug` said « Missing command » without the list
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "Usage" in result.output and "export-data" in result.output


def test_debug_shows_the_traceback_of_a_user_error(run, tmp_path):
    from ptce_typology.errors import PtceError

    result = run("--debug", "list", "-o", tmp_path / "missing" / "p.csv")
    assert type(result.exception) is PtceError  # raised, not turned into one line
    assert result.exception.field == "--output"
    plain = run("list", "-o", tmp_path / "missing" / "p.csv")
    assert_one_line_error(plain, "missing", "--output")
