"""The one check of a link's address, for every output format.

Only ``http``, ``https`` and ``mailto`` addresses become links (in HTML, Markdown, or any
format that later writes hyperlinks); any other scheme (``javascript:``, ``data:``,
``vbscript:``, ``file:``, in any case or behind spaces and control characters) stays text.
Word, LaTeX and XLSX outputs write no hyperlinks: an address there is a cell's text; a link
added to them must go through :func:`safe_href` too.
"""

from __future__ import annotations

import re

#: The schemes a link may have.
LINK_SCHEMES = ("http", "https", "mailto")

_SAFE = re.compile(r"(?i)(?:https?://|mailto:)[^\s\x00-\x1f\x7f-\x9f]+")


def safe_href(url: str | None) -> str | None:
    """``url`` when it may be a link (http, https or mailto, no space or control character),
    else None: the output shows any other address as text.

    >>> safe_href("https://example.org"), safe_href("JaVaScRiPt:alert(1)")
    ('https://example.org', None)
    """
    if url and _SAFE.fullmatch(url):
        return url
    return None
