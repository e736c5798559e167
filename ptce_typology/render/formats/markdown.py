"""Pipe tables in Markdown, safe to render as HTML."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ptce_typology.render.cells import display_rows, visible

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
        text += "\n" + "\n\n".join(notes) + "\n"
    return text


def markdown_text(text: str) -> str:
    """Text safe in Markdown: raw HTML (``<script>``) becomes entities that every renderer
    shows as text, and control characters are shown, not sent to the terminal."""
    # & stays: an entity written in the data shows as its character, which is harmless.
    # An autolink to an http(s) address (<https://...>, as `ptce show` cites) stays a link.
    parts = _AUTOLINK.split(text)
    return visible("".join(p if i % 2 else p.replace("<", "&lt;").replace(">", "&gt;")
                           for i, p in enumerate(parts)))


_AUTOLINK = re.compile(r"(<https?://[^<>\s\x00-\x1f\x7f-\x9f\"']+>)", re.IGNORECASE)
