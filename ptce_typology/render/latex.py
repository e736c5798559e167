"""LaTeX tables that fit a page and compile with pdflatex, whatever the text holds.

A table is a booktabs ``table`` (or a ``longtable`` with its header repeated on every page when
it would be taller than :data:`FLOAT_HEIGHT_PT`). A table narrower than the page keeps natural ``l``
and ``r`` columns; a wider one gets wrapping ``p{}`` columns whose widths add up to exactly
``\\linewidth``, shared out by how much text each column holds. Rows that share an index value
(a dimension and its categories) name it once, with a rule between groups. Notes go under the
table. The preamble it needs (see README)::

    \\usepackage[T1]{fontenc}
    \\usepackage[utf8]{inputenc}
    \\usepackage{textcomp}
    \\usepackage{booktabs}
    \\usepackage{array}
    \\usepackage{longtable}

Text is escaped for pdflatex: TeX's special characters, characters with a LaTeX form (no-break
and thin spaces, the minus sign, Greek letters, ``≥``...), and anything else pdflatex cannot
typeset under that preamble (emoji, CJK, control characters) written visibly as ``[U+XXXX]``.

>>> latex_escape("50\\u202f% ≥ α_1")
'50\\\\,\\\\% $\\\\geq$ $\\\\alpha$\\\\_\\\\allowbreak{}1'
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from ptce_typology.render.labels import text as label_text

if TYPE_CHECKING:
    import pandas as pd

#: A table estimated taller than this (most of a default article page's 550 pt of text,
#: leaving room for its caption and notes) is a longtable that breaks across pages.
FLOAT_HEIGHT_PT = 430.0
_BREAKS = re.compile(r"[ \t\n]+|(?<=[_/])|(?<=-)(?!\d)|(?<=,)(?=[^\W\d_])")
_SAFETY = 1.06
HYPHENATE_FROM = 11  # letters
_SPACES = re.compile(r"[ \t\n]+")
_NEGATIVE = re.compile(r"(?:(?<=^)|(?<=[ (\[;]))-(?=\d)")
_WIDTHS = {" ": 3.4, "m": 8.4, "w": 7.3, "i": 2.8, "l": 2.8, "j": 3.1, "f": 3.1, "t": 3.9,
           "r": 3.9, "M": 9.2, "W": 10.3, "I": 3.7, "J": 5.2, ".": 2.8, ",": 2.8, ";": 2.8,
           ":": 2.8, "'": 2.8, "!": 2.8, "(": 3.9, ")": 3.9, "[": 2.8, "]": 2.8, "%": 8.4,
           "-": 3.4, "_": 5.0, "/": 5.0, "\u00a0": 3.4, "\u2009": 1.7, "\u202f": 1.7,
           "&": 7.8, "=": 7.8, "+": 7.8, "×": 7.8, "«": 5.6, "»": 5.6, "…": 8.4, "—": 10.0,
           "–": 5.0, "\u2212": 7.8}
#: Estimated width of a character in the table's font, in points (\small, Computer Modern);
#: generous, so that a table estimated to fit does fit.
CHAR_PT = 5.0
#: \textwidth of a default article page (10 pt, letter or A4), in points.
TEXTWIDTH_PT = 345.0
TABCOLSEP_PT = 6.0

_SPECIAL = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
    "_": r"\_\allowbreak{}", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}", "«": r"\guillemotleft{}", "»": r"\guillemotright{}",
    "…": r"\ldots{}", "\u00a0": "~", "’": "'", "–": "--", "—": "---",
    "²": r"\textsuperscript{2}", "€": r"\texteuro{}", "×": r"$\times$", "/": r"/\allowbreak{}",
    "\t": " ", "\n": " ", "\r": " ",
    # Spaces of French typography and others
    "\u202f": r"\,", "\u2009": r"\,", "\u2006": r"\,", "\u2005": r"\,", "\u2008": r"\,",
    "\u200a": r"\,", "\u2002": r"\enspace{}", "\u2003": r"\quad{}", "\u2007": "~",
    "\u2004": " ", "\u3000": " ",
    "\u200b": r"\allowbreak{}", "\u200c": "", "\u200d": "", "\u200e": "", "\u200f": "",
    "\u2060": "", "\ufeff": "", "\u00ad": r"\-",
    # Mathematical signs
    "\u2212": "$-$", "≥": r"$\geq$", "≤": r"$\leq$", "≠": r"$\neq$", "≈": r"$\approx$",
    "∼": r"$\sim$", "→": r"$\rightarrow$", "←": r"$\leftarrow$", "↔": r"$\leftrightarrow$",
    "⇒": r"$\Rightarrow$", "∞": r"$\infty$", "√": r"$\surd$", "∑": r"$\sum$",
    "∈": r"$\in$", "∉": r"$\notin$", "∩": r"$\cap$", "∪": r"$\cup$", "∀": r"$\forall$",
    "∃": r"$\exists$", "∅": r"$\emptyset$", "∂": r"$\partial$", "∗": r"$\ast$",
    "·": r"$\cdot$", "•": r"\textbullet{}", "′": r"$'$", "″": r"$''$", "∶": ":",
}
_GREEK_TEX = {
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi",
    "omega",
}
_GREEK_CAPITAL_TEX = {"gamma", "delta", "theta", "lambda", "xi", "pi", "sigma", "upsilon",
                      "phi", "psi", "omega"}
_GREEK_LATIN = {"alpha": "A", "beta": "B", "epsilon": "E", "zeta": "Z", "eta": "H",
                "iota": "I", "kappa": "K", "mu": "M", "nu": "N", "omicron": "O", "rho": "P",
                "tau": "T", "chi": "X"}
# Code points pdflatex typesets with the preamble above (T1, utf8 inputenc, textcomp), found
# by compiling each one: Latin-1, most of Latin Extended-A and a few of Latin Extended-B.
_SAFE_RANGES = ((0x20, 0x7E), (0xA0, 0x125), (0x128, 0x137), (0x139, 0x13E), (0x141, 0x148),
                (0x14A, 0x165), (0x168, 0x17E), (0x192, 0x192), (0x218, 0x21B),
                (0x2010, 0x2016), (0x2018, 0x201A), (0x201C, 0x201E), (0x2020, 0x2022),
                (0x2030, 0x2031), (0x2039, 0x203A), (0x20AC, 0x20AC), (0x2122, 0x2122))


def _safe(code: int) -> bool:
    return any(low <= code <= high for low, high in _SAFE_RANGES)


def _greek(ch: str) -> str | None:
    name = unicodedata.name(ch, "")
    for prefix, capital in (("GREEK SMALL LETTER ", False), ("GREEK CAPITAL LETTER ", True)):
        if name.startswith(prefix):
            letter = name[len(prefix):].lower()
            if " " in letter:
                return None
            if capital and letter in _GREEK_CAPITAL_TEX:
                return "$\\" + letter.capitalize() + "$"
            if capital and letter in _GREEK_LATIN:
                return _GREEK_LATIN[letter]
            if not capital and letter in _GREEK_TEX:
                return "$\\" + letter + "$"
            if not capital and letter == "omicron":
                return "o"
    return None


def _escape_char(ch: str) -> str:
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    if _safe(ord(ch)):
        return ch
    return _greek(ch) or f"[U+{ord(ch):04X}]" + r"\allowbreak{}"


def latex_escape(text: str) -> str:
    """Text as pdflatex typesets it under the documented preamble; nothing can stop it."""
    out = []
    for i, ch in enumerate(text):
        if ch == "-" and i + 1 < len(text) and text[i + 1].isdigit() \
                and (i == 0 or text[i - 1] in " ([;"):
            out.append("$-$")  # a negative number: a minus sign, never a line break
        elif ch == "," and i + 1 < len(text) and text[i + 1].isalpha():
            # keep in step with _BREAKS
            out.append(r",\allowbreak{}")  # lists of ids without spaces may break
        else:
            out.append(_escape_char(ch))
    return "".join(out)


def latex_label(text: str) -> str:
    """A ``\\label`` key TeX reads as a name, never as commands: every character but ASCII
    letters, digits and ``: . _ / + -`` becomes ``-`` (``--label '\\input{x}'`` gives
    ``-input-x-``), so that a label can neither run TeX nor unbalance the braces.

    >>> latex_label("tab:typology"), latex_label("tab:x}{y z")
    ('tab:typology', 'tab:x--y-z')
    """
    return _LABEL_UNSAFE.sub("-", text)


_LABEL_UNSAFE = re.compile(r"[^A-Za-z0-9:._/+-]")


def latex_row(cells: list[str]) -> str:
    """Cells joined with ``&``, escaped; a row whose text starts with ``[`` begins with ``{}``,
    so that the ``\\\\`` (or ``\\midrule``) before it does not read ``[10cm]`` as its
    optional argument (a skip: the text would vanish, or « Missing number »)."""
    text = " & ".join(latex_escape(c) for c in cells)
    return "{}" + text if text.lstrip().startswith("[") else text


def _cells(frame: pd.DataFrame, index: bool,
           lang: str = "en") -> tuple[list[str], list[list[str]]]:
    from ptce_typology.render.cells import cell_text, shown_cell

    headers = ([frame.index.name or ""] if index else []) + [str(c) for c in frame.columns]
    rows = [([cell_text(key)] if index else []) + [shown_cell(v, lang) for v in row]
            for key, row in zip(frame.index, frame.itertuples(index=False), strict=True)]
    return headers, rows


def _numeric(frame: pd.DataFrame, index: bool) -> list[bool]:
    kinds = [False] if index else []
    return kinds + [str(frame[c].dtype) not in ("object", "category", "str", "string")
                    for c in frame.columns]


def _char_pt(ch: str) -> float:
    """Width of a character in Computer Modern at 10 pt, in points (an estimate)."""
    base = unicodedata.normalize("NFD", ch)[0] if ch else ch
    if base in _WIDTHS:
        return _WIDTHS[base]
    if base.isdigit() or base.islower():
        return 5.0
    if base.isupper():
        return 7.5
    return 6.0


def text_width(text: str, points: float = 10.0) -> float:
    """The estimated width of ``text`` set at ``points`` in Computer Modern, in points."""
    return sum(_char_pt(ch) for ch in _visible(text)) * points / 10 * _SAFETY


def _visible(text: str) -> str:
    """The text as it will be printed: ``[U+XXXX]`` for what pdflatex cannot set."""
    text = _NEGATIVE.sub("\u2212", text)  # set as a math minus, as wide as "+"
    return "".join(ch if ch in _SPECIAL or _safe(ord(ch)) or _greek(ch)
                   else f"[U+{ord(ch):04X}] " for ch in text)


def _piece_width(piece: str, points: float) -> float:
    """The narrowest a piece may be set: a long word between spaces may be hyphenated (TeX
    finds a point within its first eight letters), anything else is as wide as it is (TeX
    hyphenates no word that follows an id's ``_`` or a ``-``)."""
    if len(piece) > HYPHENATE_FROM and piece.isalpha() and not piece.startswith("\x00"):
        return text_width(piece[:8] + "-", points)
    return text_width(piece.lstrip("\x00"), points)


def _pieces(text: str) -> list[str]:
    """What a line may not break inside: words, cut after ``-``, ``_``, ``/`` and ``,``.
    A piece that does not follow a space is marked with a leading NUL (not hyphenated)."""
    pieces = []
    for word in _SPACES.split(_visible(text)):
        parts = [w for w in _BREAKS.split(word) if w]
        pieces += parts[:1] + ["\x00" + w for w in parts[1:]]
    return pieces


# (font size command, its size in points, \tabcolsep in points): tried in turn until the
# columns' longest words fit the page. Small sizes of Computer Modern are drawn wider than a
# scaled 10 pt (optical sizes), hence the widths given for 8, 7 and 5 pt. Narrower column
# gaps come before a smaller font: a table of many columns stays legible.
_SIZES = ((r"\small", 9.3, 6.0), (r"\footnotesize", 8.6, 4.0), (r"\scriptsize", 7.9, 3.0),
          (r"\scriptsize", 7.9, 2.0), (r"\tiny", 6.8, 2.0))


def fit_columns(headers: list[str], rows: list[list[str]], width_pt: float,
                sizes: tuple[tuple[str, float, float], ...]) -> tuple[int, list[float] | None]:
    """Share a page width among columns.

    Parameters
    ----------
    headers, rows : the cells as text.
    width_pt : the width of the page's text, in points.
    sizes : (name, points, separation) tried in turn: the first one at which the longest
        unbreakable pieces (a word, a number with its unit, a part of an id) fit is taken.

    Returns
    -------
    (int, list of float or None)
        The index of the size taken, and the width of each column's text in points (their
        sum is the page width less the separations), or None when the widest cells fit the
        page as they are at the first size.
    """
    n = len(headers)
    for k, (_, points, sep) in enumerate(sizes):
        longest = natural_widths(headers, rows, points)
        if k == 0 and sum(longest) + 2 * n * sep <= width_pt:
            return 0, None
        minimum = _minimum_widths(headers, rows, points)
        avail = width_pt - 2 * n * sep
        if sum(minimum) <= avail or k == len(sizes) - 1:
            break
    spare = max(avail - sum(minimum), 0.0)
    extra = [max(lo - m, 0.0) for lo, m in zip(longest, minimum, strict=True)]
    total_extra = sum(extra) or 1.0
    widths = [m + spare * e / total_extra for m, e in zip(minimum, extra, strict=True)]
    scale = avail / sum(widths)
    return k, [w * scale for w in widths]


def natural_widths(headers: list[str], rows: list[list[str]], points: float) -> list[float]:
    """Each column's width, in points, when no cell wraps: its longest cell; a header wraps
    rather than widen its column (its words count, not its length)."""
    return [max([text_width(r[i], points) for r in rows]
                + [text_width(w.lstrip("\x00"), points) for w in _pieces(head)] + [0.0])
            for i, head in enumerate(headers)]


def _minimum_widths(headers: list[str], rows: list[list[str]], points: float) -> list[float]:
    """Each column's narrowest width, in points: its widest unbreakable piece."""
    return [max([_piece_width(w, points) for c in [*(r[i] for r in rows), head]
                 for w in _pieces(c)] + [0]) + 1 for i, head in enumerate(headers)]


def fits_width(headers: list[str], rows: list[list[str]], width_pt: float,
               size: tuple[str, float, float]) -> bool:
    """Whether the columns' unbreakable pieces fit ``width_pt`` at ``size`` (name, points,
    separation), each column wrapped at its pieces: else a word would stick out of its cell."""
    _, points, sep = size
    return sum(_minimum_widths(headers, rows, points)) + 2 * len(headers) * sep <= width_pt


def table_height(headers: list[str], rows: list[list[str]],
                 width_pt: float = TEXTWIDTH_PT) -> float:
    """The estimated height of the table in points: each row as many lines as its most
    wrapped cell needs, in the font and column widths :func:`fit_columns` gives."""
    import math

    k, widths = fit_columns(headers, rows, width_pt, _SIZES)
    points = _SIZES[k][1]
    line = points * 1.25
    total = 0.0
    for row in [headers, *rows]:
        if widths is None:
            total += line
            continue
        # Words do not fill a wrapped line: count a fifth more.
        lines = max(math.ceil(text_width(c, points) * 1.2 / w) if c else 1
                    for c, w in zip(row, widths, strict=True))
        total += lines * line
    return total


def column_spec(headers: list[str], rows: list[list[str]], numeric: list[bool],
                width_pt: float = TEXTWIDTH_PT) -> tuple[str, str, float]:
    """The column specification, the font size and the column separation.

    Natural ``l``/``r`` columns when the widest cells fit the page; otherwise ``p{}``
    columns that add up to ``\\linewidth`` (:func:`fit_columns`), in a smaller font when
    the longest words need it.
    """
    n = len(headers)
    k, widths = fit_columns(headers, rows, width_pt, _SIZES)
    size, _, sep = _SIZES[k]
    if widths is None:
        return "".join("r" if num else "l" for num in numeric), size, sep
    avail = sum(widths)
    # Round down to 3 decimals, so that the columns never add up to more than the line.
    fractions = [int(w / avail * 1000) / 1000 for w in widths]
    spec = []
    for f, num in zip(fractions, numeric, strict=True):
        align = r"\raggedleft" if num else r"\raggedright"
        spec.append(r">{" + align + r"\arraybackslash\hspace{0pt}}p{" + f"{f:.3f}"
                    + r"\dimexpr\linewidth-" + f"{2 * n}" + r"\tabcolsep\relax}")
    return "".join(spec), size, sep


#: A group longer than this may break across pages; a shorter one stays on one page.
KEEP_GROUP_ROWS = 12


def _grouped_lines(rows: list[list[str]], grouped: bool, long: bool) -> list[str]:
    """Body lines: a group's name once, on its first row, and a rule between groups.

    In a longtable, a group of up to :data:`KEEP_GROUP_ROWS` rows is kept on one page
    (``\\*`` inside it) and a page may break just after the rule that closes a group, so that
    a page neither starts with a nameless part of a group nor doubles a rule.
    """
    starts = [k for k, row in enumerate(rows)
              if grouped and (k == 0 or row[0] != rows[k - 1][0])] or [0]
    ends = starts[1:] + [len(rows)]
    lines = []
    for start, end in zip(starts, ends, strict=True):
        keep = long and grouped and end - start <= KEEP_GROUP_ROWS
        for k in range(start, end):
            cells = list(rows[k])
            if grouped and k > start:
                cells[0] = ""
            last = k == end - 1
            lines.append(latex_row(cells) + (r" \\*" if keep and not last else r" \\"))
        if grouped and end < len(rows):
            lines.append(r"\midrule" + (r"\noalign{\penalty-50}" if long else ""))
    return lines


def to_latex(frame: pd.DataFrame, caption: str | None = None, label: str | None = None,
             index: bool = True, notes: list[str] | None = None, grouped: bool = False,
             continued: tuple[str, str] | None = None, lang: str = "en") -> str:
    """One table in LaTeX that fits ``\\textwidth`` of a default ``article`` page.

    Parameters
    ----------
    frame : pandas.DataFrame
        Cells are final values (rounded, labelled).
    caption, label : str, optional
        ``\\caption`` and ``\\label``.
    index : bool
        Print the index as the first column.
    notes : list of str, optional
        Lines printed under the table in a smaller font.
    grouped : bool
        Rows sharing an index value form a group: the value is printed once, with a rule
        between groups.
    continued : (str, str), optional
        The words of a long table's repeated header and of its page-break footer; by default
        those of the labels in ``lang``.
    lang : {"en", "fr"}
        The decimal mark of numbers left as numbers.

    Returns
    -------
    str
        A ``table`` environment, or a ``longtable`` when it would be taller than
        :data:`FLOAT_HEIGHT_PT`.
    """
    headers, rows = _cells(frame, index, lang)
    spec, size, sep = column_spec(headers, rows, _numeric(frame, index))
    long = table_height(headers, rows) > FLOAT_HEIGHT_PT
    setup = size + r"\setlength{\tabcolsep}{" + f"{sep:g}" + "pt}"
    head = latex_row(headers) + r" \\"
    body = _grouped_lines(rows, grouped and index, long)
    ncol = len(headers)
    notes = [n for n in (notes or []) if n]
    if long:
        if continued is None:
            continued = (label_text("table.continued", lang),
                         label_text("table.continued_next", lang))
        lines = [r"\begingroup" + setup, r"\begin{longtable}{" + spec + "}"]
        if caption:
            lines.append(r"\caption{" + latex_escape(caption) + "}"
                         + (r"\label{" + latex_label(label) + "}" if label else "") + r" \\")
        lines += [r"\toprule", head, r"\midrule", r"\endfirsthead",
                  r"\multicolumn{" + f"{ncol}" + r"}{@{}p{\linewidth}@{}}{\footnotesize\itshape "
                  + latex_escape(f"{caption or ''} ({continued[0]})") + r"} \\",
                  r"\toprule", head, r"\midrule", r"\endhead"]
        if not (grouped and index):  # grouped pages end on the rule closing a group
            lines.append(r"\midrule")
        lines += [r"\multicolumn{" + f"{ncol}" + r"}{@{}p{\linewidth}@{}}{\raggedleft"
                  + r"\footnotesize\itshape " + latex_escape(continued[1]) + r"} \\", r"\endfoot",
                  r"\bottomrule"]
        for note in notes:
            lines.append(r"\multicolumn{" + f"{ncol}" + r"}{@{}p{\linewidth}@{}}{\footnotesize "
                         + latex_escape(note) + r"} \\")
        lines += [r"\endlastfoot"] + body + [r"\end{longtable}", r"\endgroup"]
        return "\n".join(lines) + "\n"
    lines = [r"\begin{table}[htbp]", r"\centering", setup]
    if caption:
        lines.append(r"\caption{" + latex_escape(caption) + "}")
    if label:
        lines.append(r"\label{" + latex_label(label) + "}")
    lines += [r"\begin{tabular}{" + spec + "}", r"\toprule", head, r"\midrule"]
    lines += body
    lines += [r"\bottomrule", r"\end{tabular}"]
    for note in notes:
        lines.append(r"\par\smallskip{\footnotesize\raggedright " + latex_escape(note)
                     + r"\par}")
    lines.append(r"\end{table}")
    return "\n".join(lines) + "\n"


#: The first lines of every LaTeX output: the packages its tables need (README, « LaTeX »).
PACKAGES_COMMENT = (
    "% Tables by ptce-typology. In the preamble:\n"
    "%   \\usepackage[T1]{fontenc} \\usepackage[utf8]{inputenc} \\usepackage{textcomp}\n"
    "%   \\usepackage{booktabs} \\usepackage{array}\n"
    "%   \\usepackage{longtable}  % tables longer than a page: run pdflatex twice\n"
    "% and, for a French document, \\usepackage[french]{babel}.\n")


def render_latex(frame: pd.DataFrame, caption: str | None, label: str | None,
                 index: bool, lang: str) -> str:
    """:func:`to_latex` with the notes and grouping the frame carries in ``frame.attrs``."""
    return to_latex(frame, caption=caption, label=label, index=index,
                    notes=list(frame.attrs.get("notes", [])),
                    grouped=bool(frame.attrs.get("grouped")), lang=lang)
