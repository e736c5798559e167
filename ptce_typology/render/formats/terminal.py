"""Tables for the terminal (rich), rendered to text."""

from __future__ import annotations

import io
import os
from typing import TYPE_CHECKING

from ptce_typology.render.cells import display_rows, visible

if TYPE_CHECKING:
    import pandas as pd


def to_rich_table(frame: pd.DataFrame, title: str | None = None, index: bool = True,
                  lang: str = "en") -> str:
    """The frame as a terminal table (rich), rendered to text; groups apart, notes below."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # Text objects, not strings: rich would read "[red]" or "[/b]" in a name as markup.
    table = Table(title=Text(visible(title)) if title else None, show_lines=False)
    if index:
        table.add_column(Text(visible(frame.index.name or "")), style="bold")
    for column in frame.columns:
        table.add_column(Text(visible(str(column))))
    for k, cells in enumerate(display_rows(frame, index, lang)):
        if k and index and frame.attrs.get("grouped") and cells[0]:
            table.add_section()
        table.add_row(*(Text(visible(c)) for c in cells))
    width = terminal_width()
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    console.print(table)
    for note in frame.attrs.get("notes", []):
        if note:
            console.print(note, highlight=False, markup=False)
    return console.file.getvalue()


def terminal_width(default: int = 160) -> int:
    """The width asked by ``COLUMNS`` when it is a sensible number, else ``default``."""
    text = os.environ.get("COLUMNS", "").strip()
    if text.isascii() and text.isdigit() and len(text) <= 4 and 20 <= int(text) <= 1000:
        return int(text)
    return default
