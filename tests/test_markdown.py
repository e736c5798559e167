"""Markdown output stays inert once converted (pandoc, GitHub, a static site): no link, image,
raw HTML or raw TeX comes from a name, a note or a URL cell; links go through one scheme check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from ptce_typology.render.formats.markdown import markdown_text, to_markdown
from ptce_typology.render.links import safe_href

EXAMPLE = Path(__file__).parent.parent / "data" / "examples" / "le_periscope.yaml"

# The examples, and variants of our own (reference links, footnotes, pandoc spans and
# raw attributes, raw TeX, entity forms inside the address).
HOSTILE = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript&#58;alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "![x](https://evil.example/track.png)",
    "![x][t] and [t]: https://evil.example/t.png",
    "[click][r]\n\n[r]: javascript:alert(1)",
    "<javascript:alert(1)>",
]


def _html(markdown: str) -> str:
    """CommonMark to HTML with every address accepted, as pandoc does (markdown-it itself
    would drop a javascript: link, which would hide the escape's absence)."""
    md = MarkdownIt("commonmark")
    md.validateLink = lambda url: True
    return md.render(markdown)


def _inert(markdown: str) -> bool:
    """No image, and no link but to an http(s) or mailto address the data did not hide."""
    html = _html(markdown)
    hrefs = re.findall(r'<a href="([^"]*)"', html)
    return "<img" not in html and all(safe_href(h) and "evil" not in h for h in hrefs)


@pytest.mark.parametrize("text", HOSTILE)
def test_link_and_image_syntax_is_text(text):
    shown = markdown_text(text)
    assert _inert(shown), shown
    # and the reader sees the characters that were written
    visible = re.sub(r"<[^>]+>", "", _html(shown)).replace("&amp;", "&").strip()
    assert visible.endswith(text[-6:].replace("\n", "")) or "(1)" in visible, visible


def test_raw_tex_math_and_raw_attributes_are_escaped():
    # pandoc passes raw TeX, $math$ and `x`{=latex} through to a PDF: all escaped
    for text in (r"\input{/etc/passwd}", "$^^5cinput{/etc/passwd}$",
                 "`\\input{/etc/passwd}`{=latex}"):
        shown = markdown_text(text)
        assert not re.search(r"(?<!\\)(\\\\)*\\input", shown), shown  # \\input: text
        assert not re.search(r"(?<!\\)[$]", shown) and not re.search(r"(?<!\\){=", shown)


def test_bare_addresses_of_other_schemes_cannot_be_autolinked():
    shown = markdown_text("see javascript:alert(1) or https://example.org")
    assert "javascript\\:alert(1)" in shown and "https://example.org" in shown


def test_safe_autolinks_stay_links_and_go_through_the_one_check():
    shown = markdown_text("see <https://example.org/a> and <mailto:a@example.org>")
    html = _html(shown)
    assert 'href="https://example.org/a"' in html and 'href="mailto:a@example.org"' in html
    assert safe_href("JaVaScRiPt:alert(1)") is None


def test_table_cells_and_notes_are_escaped():
    import pandas as pd

    frame = pd.DataFrame({"name": ["![x](https://evil.example/track.png)"]},
                         index=pd.Index(["[x](javascript:alert(1))"], name="id"))
    frame.attrs["notes"] = ["[y](vbscript:msgbox(1))"]
    assert _inert(to_markdown(frame))


def _hostile_case(tmp_path: Path, name: str, note: str) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "name: Le Périscope", f"name: {name!r}".replace("'", '"'), 1).replace(
        "note: Parc technologique du Canal", f"note: {note!r}".replace("'", '"'), 1)
    path = tmp_path / "le_periscope.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name, note", [
    ("[x](javascript:alert(1))", "![x](https://evil.example/track.png)"),
    ("![t](https://evil.example/t.png)", "[x](data:text/html;base64,PHNjcmlwdD4=)")])
def test_show_list_and_classify_markdown_are_inert(run, tmp_path, name, note):
    case = _hostile_case(tmp_path, name, note)
    outputs = [run("show", "le_periscope", "--cases", case, "-f", "md"),
               run("list", "--cases", case, "-f", "md"),
               run("classify", case, "-f", "md")]
    for result in outputs:
        assert result.exit_code == 0, result.output[-500:]
        assert _inert(result.stdout), result.stdout[:2000]
