"""Labels are data: every key has both languages, and code asks for keys, never for a language."""

from __future__ import annotations

import re
from pathlib import Path

import ptce_typology
from ptce_typology.render.labels import labels, text


def test_every_label_has_french_and_english():
    for key, value in labels().items():
        assert value["fr"].strip() and value["en"].strip(), key


def test_fields_are_the_same_in_both_languages():
    for key, value in labels().items():
        fields = [set(re.findall(r"{(\w+)}", value[lang])) for lang in ("fr", "en")]
        assert fields[0] == fields[1], key


def test_text_fills_fields():
    assert text("clusters.summary", "fr", n=12, k=5) == "12 pôles, 5 classes"


def test_no_language_chosen_in_code():
    package = Path(ptce_typology.__file__).parent
    pattern = re.compile(r'if (fr|lang ?== ?"fr")\b|"fr" if |\bfr = lang'
                         r'|\{"(fr|en)": [^{}]*\}\[lang\]')
    found = [f"{p.relative_to(package)}:{n}" for p in package.rglob("*.py")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if pattern.search(line)]
    assert found == []


def test_no_text_in_both_languages_in_code():
    """A literal {"fr": ..., "en": ...} is a label kept in code, on one line or several: its
    place is data/labels*.yaml. The check reads the syntax tree, so line breaks cannot hide one."""
    import ast

    package = Path(ptce_typology.__file__).parent
    found = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            keys = {k.value for k in getattr(node, "keys", ()) if isinstance(k, ast.Constant)}
            if isinstance(node, ast.Dict) and {"fr", "en"} <= keys:
                found.append(f"{path.relative_to(package)}:{node.lineno}")
    assert found == []
    sample = ast.parse('title = {"fr": "Écart",\n         "en": "Gap"}[lang]')
    assert any(isinstance(n, ast.Dict) for n in ast.walk(sample))  # the check sees one
