"""Hostile input files: only regular files are read, with bounded reads; XLSX sheets are read
whole but within bounds; values that cannot be built, impossible dates, unsafe links, control
characters and odd CSV layouts each give an issue or one line, never a traceback or a hang."""

from __future__ import annotations

import io
import os
import re
import resource
import time
import zipfile

import pytest
from conftest import FIXTURES
from hostile import assert_one_line_error, table_rows, with_cell, write_table

from ptce_typology.intake.validation import validate_paths

GOOD = (FIXTURES / "good" / "minimal.yaml").read_text(encoding="utf-8")


def _issues(path):
    return validate_paths([path]).issues


def _case(tmp_path, extra: str, name: str = "case.yaml"):
    path = tmp_path / name
    path.write_text(GOOD + extra, encoding="utf-8")
    return path


# Not regular files, unreadable files ------------------------------------------------------


def test_link_to_dev_zero_and_a_fifo_are_refused_quickly(run, tmp_path):
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    start = time.perf_counter()
    for path, kind in ((zero, "device"), (fifo, "FIFO")):
        result = run("validate", path)
        assert result.exit_code == 1
        assert "[file-unreadable]" in result.stdout and kind in result.stdout
    assert time.perf_counter() - start < 10


def test_a_fifo_inside_a_cases_folder_is_reported_not_skipped(run, tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "a.yaml").write_text(GOOD, encoding="utf-8")
    os.mkfifo(folder / "b.yaml")
    assert_one_line_error(run("list", "--cases", folder), "b.yaml", "file-unreadable")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files without permission")
def test_an_unreadable_file_inside_a_folder(run, tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    secret = folder / "a.yaml"
    secret.write_text(GOOD, encoding="utf-8")
    secret.chmod(0)
    try:
        assert_one_line_error(run("list", "--cases", folder), "a.yaml", "file-unreadable")
    finally:
        secret.chmod(0o600)


def test_an_open_error_is_an_issue(tmp_path, monkeypatch):
    # what an unreadable file gives, also as root: the error of os.open becomes an issue
    path = _case(tmp_path, "")
    real_open = os.open

    def denied(target, *args, **kwargs):
        if str(target) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(target, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    [issue] = _issues(path)
    assert issue.code == "file-unreadable" and "Permission denied" in issue.message


def test_claims_and_referentiel_that_are_folders(run, tmp_path):
    assert_one_line_error(run("reproduce", "--claims", tmp_path), str(tmp_path), "folder")
    assert_one_line_error(run("gap", "--referentiel", tmp_path), str(tmp_path))


def test_reads_are_bounded_whatever_the_size_says(tmp_path, monkeypatch):
    from ptce_typology.intake import yamlread

    path = _case(tmp_path, "notes: [" + ", ".join(["padding"] * 2000) + "]\n")
    real_fstat = os.fstat

    class Small:  # a file that claims to be small (as /proc files and growing files do)
        def __init__(self, info):
            self.st_mode, self.st_size = info.st_mode, 0

    monkeypatch.setattr(os, "fstat", lambda fd: Small(real_fstat(fd)))
    with pytest.raises(yamlread.IssueError, match="over the limit"):
        yamlread.read_bytes(path, max_bytes=1000)


# XLSX -------------------------------------------------------------------------------------


def _workbook(rows, path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _with_dimension(path, ref: str):
    """Rewrite the sheet's declared <dimension>, as a hostile or sloppy writer would."""
    source = zipfile.ZipFile(path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data, n = re.subn(rb'<dimension ref="[^"]*" ?/>',
                                  f'<dimension ref="{ref}"/>'.encode(), data)
                assert n == 1
            out.writestr(info, data)
    path.write_bytes(buffer.getvalue())
    return path


def test_a_huge_declared_dimension_costs_nothing(run, tmp_path):
    header, rows = table_rows(run)
    path = _with_dimension(_workbook([header, *rows], tmp_path / "bomb.xlsx"),
                           "A1:XFD1048576")
    assert path.stat().st_size < 20_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = run("list", "--cases", path, "-f", "csv")
    assert result.exit_code == 0, result.output[-300:]
    assert time.perf_counter() - start < 10
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 500_000  # KB
    assert len(result.stdout.splitlines()) == 13


def test_rows_below_the_declared_dimension_are_read(run, tmp_path):
    header, rows = table_rows(run)
    valid = with_cell(header, rows[0], "pole_id", "row_fourteen")
    invalid = with_cell(header, rows[1], "pole_id", "row_fifteen")
    invalid = with_cell(header, invalid, "territory", "rurl")
    path = _with_dimension(_workbook([header, *rows, valid, invalid], tmp_path / "t.xlsx"),
                           "A1:AB3")
    issues = _issues(path)
    assert [(i.line, i.field, i.value) for i in issues] == [(15, "territory", "rurl")]
    # variant: a dimension narrower than the header (columns to the right are read too)
    path = _with_dimension(_workbook([header, *rows[:2], valid], tmp_path / "n.xlsx"), "A1:C2")
    result = run("list", "--cases", path, "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert "row_fourteen" in result.stdout and ",deindustrialised," in result.stdout


def test_a_formula_without_a_saved_result_is_reported(run, tmp_path):
    header, rows = table_rows(run)
    row = with_cell(header, rows[0], "members", "=10+1")  # openpyxl saves no result
    [issue] = _issues(_workbook([header, row], tmp_path / "f.xlsx"))
    assert (issue.code, issue.line, issue.value) == ("invalid-value", 2, "=10+1")
    assert "saved result" in issue.message


def test_a_workbook_of_chart_sheets_only(tmp_path):
    from openpyxl import Workbook
    from openpyxl.chart import BarChart

    book = Workbook()
    book.remove(book.active)
    book.create_chartsheet("chart").add_chart(BarChart())
    book.save(tmp_path / "c.xlsx")
    [issue] = _issues(tmp_path / "c.xlsx")
    assert issue.code == "file-format" and "no worksheet" in issue.message


def test_a_chart_sheet_first_reads_the_first_worksheet(run, tmp_path):
    from openpyxl import Workbook
    from openpyxl.chart import BarChart

    header, rows = table_rows(run)
    book = Workbook()
    for row in [header, *rows]:
        book.active.append(row)
    book.create_chartsheet("chart", 0).add_chart(BarChart())
    book.save(tmp_path / "c.xlsx")
    result = run("list", "--cases", tmp_path / "c.xlsx", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 13


def test_xlsx_bounds(run, tmp_path, monkeypatch):
    from ptce_typology.intake import tables

    header, rows = table_rows(run)
    path = _workbook([header, *rows], tmp_path / "t.xlsx")
    monkeypatch.setattr(tables, "MAX_XLSX_UNCOMPRESSED", 1000)  # a zip bomb, in small
    assert [i.code for i in _issues(path)] == ["file-too-large"]
    monkeypatch.setattr(tables, "MAX_XLSX_UNCOMPRESSED", 2_000_000_000)
    monkeypatch.setattr(tables, "MAX_TABLE_CELLS", 100)
    assert [i.code for i in _issues(path)] == ["file-too-large"]
    (tmp_path / "z.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    assert [i.code for i in _issues(tmp_path / "z.xlsx")] == ["file-format"]


# Values that look like dates or numbers ---------------------------------------------------


@pytest.mark.parametrize(("extra", "code", "needle"), [
    ("members: [{count: 3, date: 2014-02-30, sources: [s1]}]\n", "invalid-value", "no such"),
    ("members: [{count: 3, date: 2009-02-29, sources: [s1]}]\n", "invalid-value", "no such"),
    ("members: [{count: 3, date: 2014-13-45, sources: [s1]}]\n", "invalid-value", "no such"),
    ("members: [{count: 3, date: \"2009-99-99\", sources: [s1]}]\n", "invalid-value",
     "no such"),
    ("members: [{count: 0x_, date: 2014, sources: [s1]}]\n", "wrong-type", "number"),
    ("members: [{count: " + "9" * 5000 + ", date: 2014, sources: [s1]}]\n", "wrong-type",
     "number"),
    ("members: [{count: 3, date: 2999, sources: [s1]}]\n", "invalid-value", "future"),
    # variants of our own
    ("members: [{count: 3, date: 2014-04-31, sources: [s1]}]\n", "invalid-value", "no such"),
    ("members: [{count: 3, date: 2014-00, sources: [s1]}]\n", "invalid-value", "no such"),
    ("members: [{count: 1e99999, date: 2014, sources: [s1]}]\n", "wrong-type", None),
    ("members: [{count: 0o9, date: 2014, sources: [s1]}]\n", "wrong-type", None),
    ("commune: {value: Lyon, date: 2014-02-30T25:61:00, sources: [s1]}\n", "invalid-value",
     "date"),
    ("assessment: {x: {score: " + "1" * 5000 + ", sources: [s1]}}\n", "wrong-type", "number"),
])
def test_impossible_dates_and_numbers_in_yaml(run, tmp_path, extra, code, needle):
    path = _case(tmp_path, extra)
    result = run("validate", path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"[{code}]" in result.stdout, result.stdout
    if needle:
        assert needle in result.stdout


def test_future_start_year_is_refused(tmp_path):
    path = _case(tmp_path, "").read_text(encoding="utf-8").replace("year: 2005", "year: 2099")
    (tmp_path / "f.yaml").write_text(path, encoding="utf-8")
    [issue] = _issues(tmp_path / "f.yaml")
    assert issue.field == "grouping_start.events.0.year" and issue.value == "2099"


@pytest.mark.parametrize(("column", "value", "needle"), [
    ("start_year", "9" * 5000, "start_year"),
    ("members", "9" * 5000, "members"),
    ("start_year", "2099", "start_year"),
    ("members_year", "2999", "future"),
    ("members_year", "2009-99-99", "no such"),
    ("members_year", "2014-02-30", "no such"),
])
def test_impossible_numbers_and_dates_in_tables(run, tmp_path, column, value, needle):
    header, rows = table_rows(run)
    path = write_table(tmp_path / "t.csv", header, [with_cell(header, rows[0], column, value)])
    assert_one_line_error(run("list", "--cases", path), "t.csv:2", needle)


# Unsafe links -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["javascript:alert(4)", "JaVaScRiPt:alert(4)",
                                 "  javascript:alert(4)", "data:text/html,<b>x</b>",
                                 "vbscript:msgbox(1)", "file:///etc/passwd",
                                 "\x01javascript:alert(1)", "http://a b", "//evil.example"])
def test_unsafe_source_urls_are_invalid(tmp_path, url):
    text = GOOD + f"  - id: s2\n    url: {url!r}\n".replace("'", '"') if "\x01" not in url \
        else GOOD + "  - id: s2\n    url: \"\\x01javascript:alert(1)\"\n"
    (tmp_path / "u.yaml").write_text(text, encoding="utf-8")
    issues = _issues(tmp_path / "u.yaml")
    assert [i.code for i in issues] == ["invalid-value"], issues
    assert issues[0].field in ("sources.1.url", None)


@pytest.mark.parametrize(("website", "ok"), [
    ("javascript:alert(4)", False), ("data:text/html,x", False), ("mailto:a@b.fr", False),
    ("https://www.example.org/x?y=1", True), ("www.example.org", True), ("unknown", True),
    ("example.org:8080/path", True)])
def test_website_scheme(tmp_path, run, website, ok):
    path = _case(tmp_path, f'website: {{value: "{website}", sources: [s1]}}\n')
    assert bool(validate_paths([path]).ok) is ok
    header, rows = table_rows(run)
    table = write_table(tmp_path / "w.csv", header,
                        [with_cell(header, rows[0], "website", website)])
    assert validate_paths([table]).ok is ok


# Control characters -----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["Evil \x1b[31mred", "bell\x07", "nul\x00x", "c1\x9b31m"])
def test_control_characters_in_tables_are_refused(run, tmp_path, value):
    header, rows = table_rows(run)
    path = write_table(tmp_path / "t.csv", header, [with_cell(header, rows[0], "name", value),
                                                    rows[1]])
    issues = _issues(path)
    assert [(i.code, i.line, i.field) for i in issues] == [("invalid-value", 2, "name")]
    for args in (("show", rows[1][0]), ("list", "-f", "md"), ("list", "-f", "xlsx", "-o",
                                                                tmp_path / "o.xlsx")):
        result = run(*args, "--cases", path)
        assert_one_line_error(result, "t.csv:2", "control character")


def test_control_characters_escaped_in_yaml_are_refused(tmp_path):
    [issue] = _issues(_case(tmp_path, 'notes: ["\\e[2J cleared", "\\a"]\n'))
    assert (issue.code, issue.field) == ("invalid-value", "notes.0")


# CSV layouts ------------------------------------------------------------------------------


def test_extra_cells_are_refused(run, tmp_path):
    header, rows = table_rows(run)
    path = write_table(tmp_path / "t.csv", header, [rows[0] + ["stray"], rows[1]])
    issues = _issues(path)
    assert [(i.code, i.line, i.value) for i in issues] == [("invalid-value", 2, "stray")]
    data = tmp_path / "d.csv"
    data.write_text("id,grp\na,1,extra\nb,2\n", encoding="utf-8")
    assert_one_line_error(run("compare", "--data", data, "--by", "grp"), "d.csv:2", "cells")


def test_data_tables_name_each_column_once_and_hold_no_control_character(run, tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("id,grp,grp\na,1,2\nb,2,1\n", encoding="utf-8")
    assert_one_line_error(run("compare", "--data", data, "--by", "grp"), "d.csv:1", "grp",
                          "twice")
    data.write_text("id,grp,\na,1,2\nb,2,1\n", encoding="utf-8")
    assert_one_line_error(run("compare", "--data", data, "--by", "grp"), "no name")
    data.write_text("id,grp,x\na,1,\x1b]0;title\x07\nb,2,y\n", encoding="utf-8")
    assert_one_line_error(run("compare", "--data", data, "--by", "grp"), "control")


def test_csv_cell_count_is_bounded_before_parsing(run, tmp_path, monkeypatch):
    from ptce_typology.intake import tables

    monkeypatch.setattr(tables, "MAX_TABLE_CELLS", 1000)
    header, rows = table_rows(run)
    path = write_table(tmp_path / "t.csv", header, rows * 3)
    assert [i.code for i in _issues(path)] == ["file-too-large"]
    data = tmp_path / "d.csv"
    data.write_text("id,grp\n" + ",,\n" * 2000, encoding="utf-8")
    assert_one_line_error(run("compare", "--data", data, "--by", "grp"), "d.csv", "cells")


# `--cases all` beside a folder named all ----------------------------------------------------


def test_cases_all_beside_a_folder_named_all_says_which_is_read(run, tmp_path, monkeypatch):
    from ptce_typology.resources import cases_dir, examples_dir

    PARIS_EXAMPLE = examples_dir() / "le_periscope.yaml"  # noqa: N806
    folder = tmp_path / "all"
    folder.mkdir()
    (folder / "paris_mix.yaml").write_bytes((cases_dir() / "paris_mix.yaml").read_bytes())
    monkeypatch.chdir(tmp_path)
    bundled = run("list", "--cases", "all", "-f", "csv")
    assert bundled.exit_code == 0, bundled.output[-300:]
    assert len(bundled.stdout.splitlines()) > 20  # every bundled pole, not the one in ./all
    (note,) = bundled.stderr.splitlines()
    assert "bundled" in note and str(folder) in note
    french = run("classify", PARIS_EXAMPLE, "--reference", "all", "--lang", "fr", "-f", "csv")
    assert "fournis" in french.stderr and str(folder) in french.stderr
    mine = run("list", "--cases", folder, "-f", "csv")  # its full path reads the folder
    assert len(mine.stdout.splitlines()) == 2 and mine.stderr == ""
    folder.rename(tmp_path / "other")
    assert run("list", "--cases", "all", "-f", "csv").stderr == ""
