"""LaTeX output: --label and --caption cannot run TeX, and no cell is read as LaTeX syntax."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from ptce_typology.render.latex import latex_label, to_latex


def _braces_balance(tex: str) -> bool:
    depth = 0
    for token in re.findall(r"\\.|[{}]", tex):
        depth += {"{": 1, "}": -1}.get(token, 0)
        if depth < 0:
            return False
    return depth == 0


def _frame(first: str = "a") -> pd.DataFrame:
    return pd.DataFrame({"value": ["x", "y"]}, index=pd.Index([first, "b"], name="id"))


@pytest.mark.parametrize("label", [r"\input{/etc/passwd}", r"tab:x}\input{/etc/hostname",
                                   "tab:{open", r"\def\x{1}\x"])
def test_label_and_caption_cannot_run_tex(label):
    tex = to_latex(_frame(), caption=label, label=label)
    assert "\\input{" not in tex and "\\def" not in tex, tex
    assert _braces_balance(tex), tex
    long = to_latex(pd.concat([_frame()] * 60), caption=label, label=label)
    assert "\\begin{longtable}" in long and "\\input{" not in long and _braces_balance(long)


def test_a_plain_label_is_kept():
    assert latex_label("tab:typology") == "tab:typology"
    assert r"\label{tab:qca:2}" in to_latex(_frame(), label="tab:qca:2")


def test_label_and_caption_through_the_cli(run):
    result = run("typology", "-d", "sector", "-f", "latex", "--label", r"\input{/etc/passwd}",
                 "--caption", r"\input{/etc/hostname}")
    assert result.exit_code == 0, result.output
    assert "\\input{" not in result.stdout and _braces_balance(result.stdout)


@pytest.mark.parametrize("first", ["[10cm]", "[-2pt] text", " [1em]"])
def test_a_cell_starting_with_a_bracket_is_not_a_row_skip(first):
    for frame in (_frame(first), pd.concat([_frame("a"), _frame(first)])):
        for tex in (to_latex(frame), to_latex(pd.concat([frame] * 40))):
            # every "[" that begins a row's text follows "{}", never "\\" or a rule directly
            rows = re.split(r"\\\\\*?|\\(?:mid|top|bottom)rule", tex)
            for row in rows[1:]:
                assert not row.lstrip().startswith("["), row[:40]
    header = to_latex(pd.DataFrame({"[3pt]": [1]}, index=pd.Index(["a"], name="[2pt]")))
    assert all(not part.lstrip().startswith("[")
               for part in re.split(r"\\\\\*?|\\(?:mid|top|bottom)rule", header)[1:])
