"""Cells and numbers as text (the one place numbers are formatted for display), and zip files
(XLSX, Word) made byte-identical from run to run."""

from __future__ import annotations

import io
import math
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


def cell_text(value: Any) -> str:
    """A cell as text: blank for missing values, integers without ``.0``, floats in full.

    >>> cell_text(3.0), cell_text(0.125), cell_text(float("nan")), cell_text(None)
    ('3', '0.125', '', '')
    """
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return repr(value) if not value.is_integer() else str(int(value))
    text = str(value)
    return "" if text in ("<NA>", "nan") else text


def name_list(items: Any, among: Any = None) -> str:
    """Names joined for a sentence or a cell: ``, `` between them, or ``; `` when a name holds
    a comma itself (« PEPSS 30, Plateforme … »), so that the list still reads. ``among``: all
    the names of a table, so that each of its cells uses the same separator.

    >>> name_list(["Paris Mix", "La Coursive"])
    'Paris Mix, La Coursive'
    >>> name_list(["PEPSS 30, Plateforme d'émergence", "Paris Mix"])
    "PEPSS 30, Plateforme d'émergence; Paris Mix"
    >>> name_list(["Paris Mix", "La Coursive"], among=["PEPSS 30, Plateforme", "Paris Mix"])
    'Paris Mix; La Coursive'
    """
    shown = [str(item) for item in items]
    pool = shown if among is None else [str(item) for item in among]
    return ("; " if any("," in item for item in pool) else ", ").join(shown)


def shown_cell(value: Any, lang: str = "en") -> str:
    """:func:`cell_text` with the language's decimal mark on numbers that are not whole.

    >>> shown_cell(0.125, "fr"), shown_cell(3.0, "fr"), shown_cell("v1.2", "fr")
    ('0,125', '3', 'v1.2')
    """
    from ptce_typology.render.labels import text

    try:
        import numpy as np

        if isinstance(value, np.floating):
            value = float(value)
    except ImportError:  # pragma: no cover
        pass
    shown = cell_text(value)
    if isinstance(value, float) and shown and not value.is_integer():
        return shown.replace(".", text("number.decimal_mark", lang))
    return shown


def format_number(value: Any, lang: str = "en", digits: int = 1, percent: bool = False) -> str:
    """A number for display: ``12.5 %`` in English, ``12,5 %`` in French (with a no-break
    space before %); blank for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        import pandas as pd

        if value is pd.NA:
            return ""
    except ImportError:  # pragma: no cover
        pass
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) and not percent:
        return str(value)
    number = float(value) * (100 if percent else 1)
    from ptce_typology.render.labels import text as label

    text = f"{number:.{digits}f}".replace(".", label("number.decimal_mark", lang))
    # A no-break space keeps "12.5 %" on one line in tables.
    return text + ("\u00a0%" if percent else "")


def display_rows(frame: pd.DataFrame, index: bool, lang: str = "en") -> list[list[str]]:
    """Cells as text; in a grouped frame, a group's name only on its first row."""
    rows = []
    previous = None
    grouped = index and bool(frame.attrs.get("grouped"))
    for key, row in zip(frame.index, frame.itertuples(index=False), strict=True):
        cells = ([cell_text(key)] if index else []) + [shown_cell(v, lang) for v in row]
        if grouped:
            if cells[0] == previous:
                cells[0] = ""
            else:
                previous = cells[0]
        rows.append(cells)
    return rows


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """Control characters (ESC, BEL, NUL, ...) written as ``\\x1b``, so that a terminal
    shows them instead of acting on them; line feeds and tabs stay."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


# What XML 1.0 forbids (C0 controls but tab, line feed and carriage return; surrogates;
# U+FFFE and U+FFFF) and the other Unicode non-characters (U+FDD0 to U+FDEF, the last two
# code points of every plane), which Word and Excel refuse to open.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                      + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}"
                                for plane in range(1, 17)) + "]")


def xml_text(text: str) -> str:
    """Text an XML document (Word, XLSX) can hold: each character XML forbids, and each
    Unicode non-character, becomes U+FFFD (the replacement character).

    >>> xml_text("a\ufffeb\uffff\x07")
    'a\ufffdb\ufffd\ufffd'
    """
    return _NOT_XML.sub("\ufffd", text)


def normalise_zip(data: bytes) -> bytes:
    """Rewrite the XLSX zip with fixed timestamps and properties, so reruns are byte-identical."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>",
                                 b"", content)
            info = zipfile.ZipInfo(item.filename, date_time=(2014, 5, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, content)
    return out.getvalue()
