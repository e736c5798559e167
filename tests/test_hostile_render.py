"""Hostile output content: links, spreadsheet formulas, raw HTML, terminal markup and control
characters, sheet titles and mathtext, from values anyone can put in a case table."""

from __future__ import annotations

import re
import zipfile

import pytest
from hostile import table_rows, with_cell, write_table
from hypothesis import given, settings
from hypothesis import strategies as st

from ptce_typology.render.cells import visible
from ptce_typology.render.formats.csv import csv_safe
from ptce_typology.render.formats.markdown import markdown_text
from ptce_typology.render.formats.xlsx import sheet_title
from ptce_typology.render.links import safe_href


def _hostile_table(run, tmp_path, filename="h.csv", **cells):
    header, rows = table_rows(run)
    for i, (column, value) in enumerate(cells.items()):
        column = column.rstrip("_0123456789")
        rows[i] = with_cell(header, rows[i], column, value)
    return write_table(tmp_path / filename, header, rows)


def _formulas(path) -> list[str]:
    book = zipfile.ZipFile(path)
    return [n for n in book.namelist() if n.startswith("xl/worksheets/")
            and b"<f>" in book.read(n)]


# Links ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["javascript:alert(4)", "JaVaScRiPt:alert(4)",
                                 " javascript:alert(4)", "data:text/html,x",
                                 "vbscript:msgbox(1)", "\x01javascript:x", "file:///etc/passwd",
                                 "http://a b", "ftp://example.org", None, ""])
def test_only_http_https_and_mailto_become_links(url):
    assert safe_href(url) is None


@pytest.mark.parametrize("url", ["http://example.org", "HTTPS://example.org/a?b=1&c=2",
                                 "mailto:someone@example.org"])
def test_followable_links(url):
    assert safe_href(url) == url


def test_the_report_checks_links_with_the_one_check():
    from ptce_typology.render import html, links

    assert html.safe_href is links.safe_href  # no second copy that could drift


# Spreadsheet formulas ---------------------------------------------------------------------

FORMULAS = {"name": '=HYPERLINK("http://evil.example","click")', "theme_1": "+1+2",
            "theme_2": "-2+3", "theme_3": "@SUM(A1)", "theme_4": "'=quoted already",
            "legal_form": "=1+1"}


def test_xlsx_cells_are_data_never_formulas(run, tmp_path):
    table = _hostile_table(run, tmp_path, **FORMULAS)
    for args in (("list",), ("clusters", "--resamples", "0"), ("gap",), ("typology",)):
        out = tmp_path / f"{args[0]}.xlsx"
        result = run(*args, "--cases", table, "-f", "xlsx", "-o", out)
        assert result.exit_code == 0, result.stderr
        assert _formulas(out) == [], args
    # and the list reads back the exact values
    back = run("list", "--cases", tmp_path / "list.xlsx", "-f", "json").stdout
    assert '=HYPERLINK(\\"http://evil.example\\",\\"click\\")' in back
    data = tmp_path / "d.csv"
    data.write_text("id,grp,=cmd|' /C calc'!A0\na,1,u\nb,2,v\nc,1,u\nd,2,v\n",
                    encoding="utf-8")
    out = tmp_path / "compare.xlsx"
    assert run("compare", "--data", data, "--by", "grp", "-f", "xlsx", "-o", out).exit_code == 0
    assert _formulas(out) == []


def test_csv_cells_are_escaped_and_read_back_exactly(run, tmp_path):
    table = _hostile_table(run, tmp_path, **FORMULAS)
    first = run("list", "--cases", table, "-f", "csv").stdout
    for value in FORMULAS.values():
        escaped = csv_safe(value)
        assert escaped.startswith("'") and escaped[1:] == value
    assert "\n=" not in first and ",=" not in first and ",+" not in first and ",@" not in first
    again = tmp_path / "again.csv"
    again.write_text(first, encoding="utf-8")
    assert run("list", "--cases", again, "-f", "csv").stdout == first
    records = {r["pole_id"]: r for r in __import__("json").loads(
        run("list", "--cases", again, "-f", "json").stdout)}
    assert sorted(r["theme"] for r in records.values() if r["theme"].startswith(
        ("+", "-", "@", "="))) == ["+1+2", "-2+3", "=quoted already", "@SUM(A1)"]
    # (a hand-made CSV cell '=x reads as =x: the reader takes the escaping ' off)


def test_csv_headers_of_data_tables_and_validate_csv_are_escaped(run, tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("id,grp,@x\na,1,u\nb,2,v\nc,1,u\nd,2,v\n", encoding="utf-8")
    out = run("compare", "--data", data, "--by", "grp", "-f", "csv").stdout
    assert "\n'@x," in out
    header, rows = table_rows(run)
    bad = write_table(tmp_path / "b.csv", header,
                      [with_cell(header, rows[0], "territory", "=1+1")])
    report = run("validate", bad, "-f", "csv").stdout
    assert ",'=1+1," in report


@pytest.mark.parametrize("text", ["=1", "+1", "-1", "@a", "\t=1", "\r=1", "'", "''", "'=",
                                  "'''=", "a=1", "", "'a"])
def test_csv_escape_round_trip(text):
    from ptce_typology.intake.tables import unescape_csv_cell

    assert unescape_csv_cell(csv_safe(text)) == text


# Markdown, terminal -----------------------------------------------------------------------


def test_raw_html_is_escaped_in_markdown(run, tmp_path):
    table = _hostile_table(run, tmp_path, name="<script>alert(1)</script>",
                           theme='<img src=x onerror="alert(2)">')
    for args in (("list", "-f", "md"), ("typology", "-d", "sector", "-f", "md")):
        out = run(*args, "--cases", table).stdout
        assert "<script>" not in out and "<img" not in out, args
    out = run("list", "-f", "md", "--cases", table).stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert markdown_text("a & <b>") == "a & &lt;b&gt;"


def test_terminal_markup_and_control_characters_are_text(run, tmp_path):
    header, rows = table_rows(run)
    table = write_table(tmp_path / "m.csv", header, [
        with_cell(header, rows[0], "name", "[/b] [red]x[/red] [link=http://x]y[/link]"),
        rows[1]])
    for args in (("list",), ("show", rows[0][0]), ("show", rows[0][0], "-f", "md")):
        result = run(*args, "--cases", table)
        assert result.exit_code == 0, result.output[-400:]
        assert "\x1b" not in result.stdout
    assert "[/b] [red]x[/red]" in run("show", rows[0][0], "--cases", table).stdout
    assert visible("a\x1b[2Jb\x07\x00\tc\n") == "a\\x1b[2Jb\\x07\\x00\tc\n"


# Sheet titles -----------------------------------------------------------------------------


def test_sheet_titles_with_forbidden_characters(run, tmp_path):
    out = tmp_path / "q.xlsx"
    result = run("qca", "--outcome", "laureate_2013", "--conditions",
                 "DI:territory=deindustrialised,OLD:age_class=over_10_years", "-f", "xlsx",
                 "-o", out)
    assert result.exit_code == 0, result.stderr
    from openpyxl import load_workbook

    names = load_workbook(out).sheetnames
    assert "Complex solution- terms" in names
    data = tmp_path / "d.csv"
    data.write_text("id,a/b,x\na,1,u\nb,2,v\nc,1,u\nd,2,v\n", encoding="utf-8")
    out = tmp_path / "c.xlsx"
    assert run("compare", "--data", data, "--by", "a/b", "-f", "xlsx", "-o", out).exit_code == 0
    assert load_workbook(out).sheetnames == ["Comparison by a-b"]


def test_sheet_titles_are_unique_and_legal():
    used: set[str] = set()
    titles = [sheet_title(t, used) for t in ["x" * 40, "x" * 40 + "y", "History", "", "'q'",
                                             "[a]:*?/\\b", "\x07bell"]]
    assert len({t.lower() for t in titles}) == len(titles)
    assert all(0 < len(t) <= 31 and not re.search(r"[\[\]:*?/\\\x00-\x1f]", t)
               for t in titles)
    assert titles[2] != "History"


# Mathtext ---------------------------------------------------------------------------------


def _drawn_glyphs(svg: str, text: str) -> list[str]:
    """The glyphs an SVG of matplotlib draws for ``text``: the ``<use>`` references of the
    group that follows the comment holding the raw string (fonts drawn as paths)."""
    start = svg.index(f"<!-- {text} -->")
    group = svg[start:svg.index("</g>", start)]
    return re.findall(r'<use xlink:href="#([^"]+)"', group)


def _glyphs_as_written(text: str, weight: str = "normal") -> list[str]:
    """The glyphs of ``text`` drawn as plain text, never as mathtext."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure()
    figure.text(0, 0, text, parse_math=False, fontweight=weight)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    return _drawn_glyphs(buffer.getvalue(), text)


def test_the_glyph_check_sees_mathtext():
    # mathtext drops the dollars and draws « 5 and » in italics: fewer, other glyphs.
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure()
    figure.text(0, 0, "Money $5 and $10", parse_math=True)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    drawn = _drawn_glyphs(buffer.getvalue(), "Money $5 and $10")
    plain = _glyphs_as_written("Money $5 and $10")
    assert drawn != plain and len(plain) == len("Money $5 and $10")


@pytest.fixture(scope="module")
def dollar_rows():
    """The témoins' header and rows, two named with dollars, with a followable source and
    two that are not."""
    from typer.testing import CliRunner

    from ptce_typology.cli import app

    def run(*args):
        return CliRunner().invoke(app, [str(a) for a in args])

    header, rows = table_rows(run)
    rows[0] = with_cell(header, rows[0], "name", "Math $\\foo{x}$")
    rows[1] = with_cell(header, rows[1], "name", "Money $5 and $10")
    sources = ["https://example.org/a", "javascript:alert(4)", " JaVaScRiPt:alert(5)"]
    return [*header, "source"], [[*r, sources[i % 3]] for i, r in enumerate(rows)]


@pytest.fixture(scope="module")
def dollar_table(dollar_rows, tmp_path_factory):
    return write_table(tmp_path_factory.mktemp("dollars") / "h.csv", *dollar_rows)


def test_dollar_signs_in_names_are_drawn_as_written(run, tmp_path, dollar_table):
    result = run("clusters", "--cases", dollar_table, "--resamples", "0", "--plot",
                 tmp_path / "m.svg")
    assert result.exit_code == 0, result.output[-500:]
    svg = (tmp_path / "m.svg").read_text(encoding="utf-8")
    # The raw string is in a comment whatever is drawn: the glyphs say what was drawn.
    for name in ("Money $5 and $10", "Math $\\foo{x}$"):
        drawn = _drawn_glyphs(svg, name)
        weight = "bold" if drawn[0].startswith("DejaVuSans-Bold-") else "normal"  # témoins
        assert drawn == _glyphs_as_written(name, weight), name
    result = run("gap", "--cases", dollar_table, "--plot", tmp_path / "g.png")
    assert result.exit_code == 0, result.output[-500:]


def test_a_report_with_dollars_and_hostile_links(run, tmp_path, dollar_rows):
    # Six poles are enough for names and links (twelve take three times as long).
    header, rows = dollar_rows
    table = write_table(tmp_path / "six.csv", header, rows[:6])
    out = tmp_path / "r.html"
    result = run("report", "--cases", table, "--resamples", "2", "-o", out)
    assert result.exit_code == 0, result.output[-500:]
    report = out.read_text(encoding="utf-8")
    assert "Money $5 and $10" in report
    # and the report links http(s) sources only; the others are shown as text
    hrefs = re.findall(r'<a href="([^"#][^"]*)"', report)
    assert hrefs and set(hrefs) == {"https://example.org/a"}
    assert "javascript:alert(4)" in report and 'href="javascript' not in report.lower()


def test_markdown_keeps_http_autolinks_only():
    text = "see <https://x.org/a?b=1>, <javascript:x> and <http://a\"onmouseover=x>"
    assert markdown_text(text) == ("see <https://x.org/a?b=1>, &lt;javascript\\:x&gt; and "
                                   "&lt;http://a\"onmouseover=x&gt;")


def test_file_names_with_control_characters_are_shown_not_sent(run, tmp_path):
    hostile = tmp_path / "a\x1b[2Jb.yaml"
    hostile.write_text("name: [unclosed\n", encoding="utf-8")
    result = run("validate", hostile)
    assert result.exit_code == 1 and "\x1b" not in result.stdout + result.stderr
    assert "a\\x1b[2Jb.yaml" in result.stdout
    result = run("list", "--cases", hostile)
    assert "\x1b" not in result.stderr and "\\x1b" in result.stderr


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_csv_escape_round_trips_any_text(text):
    from ptce_typology.intake.tables import unescape_csv_cell

    escaped = csv_safe(text)
    assert unescape_csv_cell(escaped) == text
    # A lone "-" or "+" is no formula: it stays as it is (a "-" cell of `reproduce`).
    assert not escaped.startswith(("=", "+", "-", "@", "\t", "\r")) or escaped in ("-", "+")
