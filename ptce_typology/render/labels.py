"""Every user-visible string, in French and English, looked up by key in ``data/labels.yaml``.

Code never chooses a language with ``if``: it asks for a key. A key missing in one language is a
bug the tests catch (``tests/test_labels.py``).

>>> from ptce_typology.render.labels import text
>>> text("common.pole", "fr")
'Pôle'
>>> text("clusters.summary", "en", n=12, k=5)
'12 poles, 5 clusters'
"""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from ptce_typology.resources import data_file
from ptce_typology.vocabulary import LANGS


@cache
def labels() -> dict[str, dict[str, str]]:
    """The whole file, flattened: ``section.key`` -> {fr, en}."""
    with open(data_file("labels.yaml"), encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    flat: dict[str, dict[str, str]] = {}

    def walk(node: dict, prefix: str) -> None:
        for key, value in node.items():
            name = f"{prefix}{key}"
            if isinstance(value, dict) and set(value) == set(LANGS):
                flat[name] = value
            elif isinstance(value, dict):
                walk(value, name + ".")
            else:
                raise ValueError(f"labels.yaml: {name} needs a French and an English text")

    walk(raw, "")
    return flat


def text(key: str, lang: str, **values: Any) -> str:
    """The text of ``key`` in ``lang``, with ``{name}`` fields filled from ``values``."""
    template = labels()[key][lang]
    return template.format(**values) if values else template
