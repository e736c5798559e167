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

from ptce_typology.resources import data_file
from ptce_typology.vocabulary import LANGS, load_yaml_data


@cache
def labels() -> dict[str, dict[str, str]]:
    """``data/labels.yaml`` and ``data/labels_*.yaml`` (one file per room of the package),
    flattened: ``section.key`` -> {fr, en}. A key defined twice is an error."""
    flat: dict[str, dict[str, str]] = {}
    folder = data_file("labels.yaml").parent
    for path in [folder / "labels.yaml", *sorted(folder.glob("labels_*.yaml"))]:
        with open(path, encoding="utf-8") as handle:
            _flatten(load_yaml_data(handle) or {}, flat, path.name)
    return flat


def _flatten(raw: dict, flat: dict[str, dict[str, str]], source: str) -> None:
    def walk(node: dict, prefix: str) -> None:
        for key, value in node.items():
            name = f"{prefix}{key}"
            if isinstance(value, dict) and set(value) == set(LANGS):
                if name in flat:
                    raise ValueError(f"{source}: the label {name} is defined twice")
                flat[name] = {lang: str(value[lang]) for lang in LANGS}
            elif isinstance(value, dict):
                walk(value, name + ".")
            else:
                raise ValueError(f"{source}: {name} needs a French and an English text")

    walk(raw, "")


def text(key: str, lang: str, **values: Any) -> str:
    """The text of ``key`` in ``lang``, with ``{name}`` fields filled from ``values``."""
    template = labels()[key][lang]
    return template.format(**values) if values else template
