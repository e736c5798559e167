"""Pipe tables in Markdown, safe to render as HTML."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ptce_typology.render.cells import display_rows, visible
from ptce_typology.render.links import LINK_SCHEMES, safe_href

if TYPE_CHECKING:
    import pandas as pd


def to_markdown(frame: pd.DataFrame, index: bool = True, lang: str = "en") -> str:
    """A pipe table; ``|`` in cells is escaped. A grouped frame (``frame.attrs["grouped"]``)
    names each group once; notes (``frame.attrs["notes"]``) follow the table."""
    headers = ([frame.index.name or ""] if index else []) + [str(c) for c in frame.columns]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(markdown_text(c).replace("|", "\\|").replace("\n", " ")
                                 for c in cells) + " |"

    out = [line(headers), "|" + "|".join("---" for _ in headers) + "|"]
    out.extend(line(r) for r in display_rows(frame, index, lang))
    text = "\n".join(out) + "\n"
    notes = [n for n in frame.attrs.get("notes", []) if n]
    if notes:
        text += "\n" + "\n\n".join(markdown_text(n) for n in notes) + "\n"
    return text


def markdown_text(text: str) -> str:
    """Text that stays text once the Markdown is converted (pandoc, GitHub, a static site).

    Raw HTML (``<script>``) becomes entities; ``[``, ``]`` (links, images, reference links,
    footnotes), ``\\`` (raw TeX in pandoc), ``$`` (TeX math) and ``{`` (pandoc's raw
    attributes) are backslash-escaped; the colon of an address whose scheme is not http,
    https or mailto is escaped (``javascript\\:``), so that no converter links it. An
    autolink (``<https://...>``, as `ptce show` cites) stays a link when it passes
    :func:`ptce_typology.render.links.safe_href`. Control characters are shown, not sent to
    the terminal.
    """
    # & stays: an entity written in the data shows as its character, and an entity is never
    # Markdown syntax, so it cannot build a link.
    parts = _AUTOLINK.split(text)
    return visible("".join(p if i % 2 and safe_href(p[1:-1]) else _escape(p)
                           for i, p in enumerate(parts)))


def _escape(text: str) -> str:
    text = _SYNTAX.sub(r"\\\g<0>", text).replace("<", "&lt;").replace(">", "&gt;")
    return _SCHEME.sub(lambda m: m.group(0) if m.group(1).lower() in LINK_SCHEMES
                       else m.group(1) + "\\:", text)


_AUTOLINK = re.compile(r"(<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s\x00-\x1f\x7f-\x9f\"']+>)")
_SYNTAX = re.compile(r"[\\\[\]${]")
# A URI scheme (a letter, then letters, digits, + . -) just before a colon and a non-space.
_SCHEME = re.compile(r"(?<![\w+.-])([A-Za-z][A-Za-z0-9+.-]*):(?=\S)")
