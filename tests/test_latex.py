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


# --- What a researcher pastes into a paper ------------------------------------------------
SIZES = (r"\tiny", r"\scriptsize", r"\footnotesize", r"\small")


@pytest.mark.parametrize("command", [("typology",), ("compare",), ("codebook",), ("gap",),
                                     ("classify", "data/examples/le_periscope.yaml")])
def test_every_tex_names_the_packages_it_needs_first(run, command):
    from ptce_typology.resources import examples_dir

    args = [str(examples_dir() / "le_periscope.yaml") if a.endswith(".yaml") else a
            for a in command]
    body = run(*args, "--format", "latex").stdout
    head = body.split("\n\\begin")[0]
    assert body.startswith("% ") and body.count("% Tables by ptce-typology") == 1
    for package in ("fontenc", "inputenc", "textcomp", "booktabs", "array", "longtable",
                    "[french]{babel}"):
        assert package in head, package
    assert all(line.startswith("%") for line in head.splitlines())


def test_classify_is_one_readable_table_per_pole(run, tmp_path):
    from ptce_typology.resources import examples_dir

    second = tmp_path / "second.yaml"
    second.write_text((examples_dir() / "le_periscope.yaml").read_text(encoding="utf-8")
                      .replace("pole_id: le_periscope", "pole_id: le_second"), encoding="utf-8")
    body = run("classify", str(examples_dir() / "le_periscope.yaml"), str(second),
               "--format", "latex").stdout
    captions = re.findall(r"\\caption\{(.*)\}\\label", body)
    assert captions == [r"Le Périscope (le\_\allowbreak{}periscope): placed against the typology",
                        r"Le Périscope (le\_\allowbreak{}second): placed against the typology"]
    # Two columns each (the field, its value), at \small or larger: never \tiny.
    assert len(re.findall(r"\\begin\{(?:long)?table", body)) >= 2
    sizes = re.findall(r"\\(tiny|scriptsize|footnotesize|small)\\setlength", body)
    assert sizes and set(sizes) == {"small"}
    for spec in re.findall(r"\\begin\{(?:longtable|tabular)\}\{(.*)\}\n", body):
        assert spec.count("p{") == 2
    assert "Nearest témoin 1 & De Fil en Réseaux (cluster 1, distance 0.787)" in body


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_compare_effect_sizes_on_their_categorys_row_in_two_lines(run, lang):
    from ptce_typology.render import latex

    body = run("compare", "--format", "latex", "--lang", lang).stdout
    odds = "OR" if lang == "en" else "RC"
    # The odds ratio is the first category's: on the descriptor's first row, after V.
    row = next(line for line in body.splitlines() if line.startswith(
        "Age of the grouping &" if lang == "en" else "Ancienneté du regroupement &"))
    effect = row.split(" & ")[-1].rstrip(" \\*")
    assert effect.startswith("V~0") and f"{odds}~3" in effect
    assert not any(f"{odds}~" in line for line in body.splitlines() if line.startswith(" & "))
    # Each part of an effect (no-break spaces inside) fits the column's width: at most two
    # lines, one per part.
    size, sep = re.search(r"\\begingroup\\(\w+)\\setlength\{\\tabcolsep\}\{(\d+)pt\}",
                          body).groups()
    points = dict(zip(SIZES, (6.8, 7.9, 8.6, 9.3), strict=True))["\\" + size]
    fractions = [float(f) for f in re.findall(r"p\{([0-9.]+)\\dimexpr", body)]
    column = fractions[-1] * (latex.TEXTWIDTH_PT - 2 * len(fractions) * int(sep))
    parts = [p for line in body.splitlines() if line.startswith(("Age", "Origin", "Ancien"))
             for p in line.split(" & ")[-1].rstrip(" \\*").split("; ")]
    assert parts
    for part in parts:
        shown = part.replace("~", "\u00a0").replace("$-$", "\u2212")
        assert latex.text_width(shown, points) <= column, (part, column)
    assert size in ("scriptsize", "footnotesize", "small")
