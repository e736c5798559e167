"""One self-contained HTML report of the whole study (``ptce report``).

Figures are inline SVG, styles inline, no script and no network access: the file opens offline
in any browser and prints to PDF. The footer records the versions, the parameters, the seed,
the date and the SHA-256 of every input, so that a reader can rebuild the same report. The
date is today's, or the one ``SOURCE_DATE_EPOCH`` gives, so that two runs on one day are
byte-identical.
"""

from __future__ import annotations

import hashlib
import html
import io
import os
import platform
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from ptce_typology import __version__

if TYPE_CHECKING:
    import pandas as pd

    from ptce_typology.study import Study

SECTIONS = ("data", "typology", "reproduction", "clusters", "classification", "comparison",
            "qca", "gap", "reproducibility")

T = {
    "en": {
        "title": "PTCE typology: the twelve témoin poles of Podlewski (2014)",
        "intro": "A report made by ptce-typology from sourced case files. Every value rests on "
                 "a source a reader can follow; a value no source gives is <em>unknown</em>, "
                 "never a guess.",
        "data": "The data set", "typology": "The paper's typology",
        "reproduction": "The paper's figures, computed from the data",
        "clusters": "Statistical typology (MCA and hierarchical clustering)",
        "classification": "Classification of new poles", "comparison":
        "Laureates of the 2013-14 call against the others", "qca": "Crisp-set QCA",
        "gap": "The référentiel: concept and practice", "reproducibility": "Reproducibility",
        "sources": "Sources", "none": "No extra file was given (ptce report --classify FILE).",
        "pole": "Pole", "map": "Factor map", "tree": "Ward tree", "gains": "Inertia gains",
        "heat": "Heat map", "contents": "Contents",
    },
    "fr": {
        "title": "Typologie des PTCE : les douze pôles témoins de Podlewski (2014)",
        "intro": "Un rapport produit par ptce-typology à partir de fiches sourcées. Chaque "
                 "valeur repose sur une source que le lecteur peut suivre ; une valeur "
                 "qu'aucune source ne donne est <em>inconnue</em>, jamais devinée.",
        "data": "Les données", "typology": "La typologie de l'article",
        "reproduction": "Les chiffres de l'article, recalculés",
        "clusters": "Typologie statistique (ACM et classification hiérarchique)",
        "classification": "Classement de nouveaux pôles",
        "comparison": "Lauréats de l'appel 2013-2014 et autres pôles",
        "qca": "AQQC ensembliste (crisp-set QCA)",
        "gap": "Le référentiel : concept et pratique", "reproducibility": "Reproductibilité",
        "sources": "Sources", "none": "Aucun fichier supplémentaire (ptce report --classify "
                                      "FICHIER).",
        "pole": "Pôle", "map": "Plan factoriel", "tree": "Arbre de Ward",
        "gains": "Gains d'inertie", "heat": "Carte de chaleur", "contents": "Sommaire",
    },
}

CSS = """
body{font-family:Georgia,'DejaVu Serif',serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#222;line-height:1.45}
h1{font-size:1.6em}h2{border-bottom:2px solid #0072B2;padding-bottom:.2em;margin-top:2em}
h3{margin-top:1.4em}
table{border-collapse:collapse;font-size:.74em;margin:.6em 0 1.2em;width:100%;
overflow-wrap:break-word}
th,td{border:1px solid #ccc;padding:.25em .45em;vertical-align:top;text-align:left}
th{background:#f0f4f8}
figure{margin:1em 0;text-align:center}figure svg{max-width:100%;height:auto}
figcaption{font-size:.85em;color:#555}
.note{background:#fff8e1;border-left:4px solid #E69F00;padding:.5em .8em;font-size:.9em}
.pole{margin-bottom:1em}.pole ul{font-size:.8em;margin:.2em 0 0}
footer{font-size:.8em;color:#444;border-top:1px solid #ccc;margin-top:3em}
code{font-size:.9em}
@media print{body{max-width:none;margin:0}h2{page-break-before:always}
h2:first-of-type{page-break-before:avoid}table,figure{page-break-inside:avoid}
a{color:#222;text-decoration:none}}
"""


def _table(frame: pd.DataFrame, index: bool = True) -> str:
    return frame.to_html(escape=True, border=0, na_rep="", index=index,
                         classes="tbl").replace(' class="dataframe tbl"', "")


def _svg(fig) -> str:
    from ptce_typology.render.plots import _pyplot

    plt = _pyplot()
    buffer = io.StringIO()
    # Text stays text in the report (smaller, selectable); other figures keep their setting.
    with plt.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def _figure(fig, caption: str) -> str:
    return f"<figure>{_svg(fig)}<figcaption>{html.escape(caption)}</figcaption></figure>"


def _section(key: str, title: str, body: str) -> str:
    return f'<section id="{key}"><h2>{html.escape(title)}</h2>\n{body}\n</section>\n'


def _not_computable(err: str | None) -> str:
    """A section the data cannot support says why, instead of failing the whole report."""
    return f'<p class="note">Not computable on these data: {html.escape(str(err))}</p>'


def _report_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date().isoformat()
    return date.today().isoformat()


def _versions() -> list[tuple[str, str]]:
    from importlib.metadata import PackageNotFoundError, version

    rows = [("ptce-typology", __version__), ("python", platform.python_version())]
    for name in ("numpy", "pandas", "scipy", "scikit-learn", "matplotlib", "pydantic",
                 "PyYAML", "adjustText", "openpyxl", "typer"):
        try:
            rows.append((name, version(name)))
        except PackageNotFoundError:
            rows.append((name, "not installed"))
    return rows


def safe_href(url: str | None) -> str | None:
    """``url`` when it may be a link (http, https or mailto, no space or control character),
    else None: the report shows any other url (javascript:, data:, vbscript:, ...) as text."""
    import re

    if url and re.fullmatch(r"(?i)(https?://|mailto:)[^\s\x00-\x1f\x7f-\x9f]+", url):
        return url
    return None


def _data_section(cases, frame: pd.DataFrame, lang: str) -> str:
    from ptce_typology.vocabulary import label_frame

    shown = [c for c in ("name", "region", "start_year", "origin", "territory", "sector",
                         "shared_premises", "employer_group", "members", "laureate_2013")
             if c in frame.columns]
    parts = [_table(label_frame(frame[shown], lang))]
    parts.append(f"<h3>{T[lang]['sources']}</h3>")
    for case in cases:
        items = []
        for src in case.sources:
            text = html.escape(src.citation or src.url or src.id)
            href = safe_href(src.url)
            if href:
                text = f'<a href="{html.escape(href, quote=True)}">{text}</a>'
            quote = f" — « {html.escape(src.quote)} »" if src.quote else ""
            items.append(f"<li><code>{html.escape(src.id)}</code>: {text}{quote}</li>")
        parts.append(f'<div class="pole"><strong>{html.escape(case.name)}</strong> '
                     f'(<code>{case.pole_id}</code>)<ul>{"".join(items)}</ul></div>')
    return "\n".join(parts)


def render_html(study: Study, lang: str = "en") -> str:
    """The whole study as one HTML document (a string)."""
    from ptce_typology.render.comparison import comparison_table, min_p_sentence
    from ptce_typology.render.paper import display_claims, display_crosstab, display_typology
    from ptce_typology.render.plots import (
        dendrogram_figure,
        factor_map,
        gains_figure,
        gap_heatmap,
    )
    from ptce_typology.render.qca import qca_sections
    from ptce_typology.render.referentiel import gap_sections
    from ptce_typology.render.typology import classify_sections, cluster_sections

    t = T[lang]
    frame, model = study.frame, study.model
    names = frame["name"].to_dict()
    body = [_section("data", t["data"], _data_section(study.cases, frame, lang))]
    body.append(_section("typology", t["typology"],
                         _table(display_typology(study.typology, names, lang))
                         + _table(display_crosstab(study.crosstab, lang))))

    claims = study.claims
    counts = claims["status"].value_counts()
    summary_text = {
        "en": "{n} claims: {a} match, {b} mismatch, {c} not computable. A mismatch is a "
              "finding; the data is never tuned towards the paper.",
        "fr": "{n} affirmations : {a} conformes, {b} écarts, {c} non calculables. Un écart est "
              "un résultat ; les données ne sont jamais ajustées à l'article.",
    }[lang].format(n=len(claims), a=counts.get("match", 0), b=counts.get("mismatch", 0),
                   c=counts.get("not_computable", 0))
    summary = f'<p class="note">{html.escape(summary_text)}</p>'
    body.append(_section("reproduction", t["reproduction"], summary + _table(
        display_claims(claims, names, lang, verbose=True))))

    figures = (_figure(factor_map(model, names, lang), t["map"])
               + _figure(dendrogram_figure(model, names, lang), t["tree"])
               + _figure(gains_figure(model, lang), t["gains"]))
    parts = [figures]
    for title, table in cluster_sections(model, study.stability, names, lang, p_max=None):
        parts.append(f"<h3>{html.escape(title)}</h3>{_table(table)}")
    body.append(_section("clusters", t["clusters"], "\n".join(parts)))

    if study.classification:
        parts = [f"<h3>{html.escape(title)}</h3>{_table(table)}"
                 for title, table in classify_sections(study.classification, study.names,
                                                       lang)]
        body.append(_section("classification", t["classification"], "\n".join(parts)))
    else:
        body.append(_section("classification", t["classification"],
                             f"<p>{html.escape(t['none'])}</p>"))

    if study.comparison is not None:
        text = (f"<p class=\"note\">{html.escape(min_p_sentence(study.comparison, lang))}</p>"
                f"{_table(comparison_table(study.comparison, lang))}")
    else:
        text = _not_computable(study.comparison_error)
    body.append(_section("comparison", t["comparison"], text))

    if study.qca is not None:
        result = study.qca
        solutions = result.solutions
        parts = [f"<p>{html.escape('complex: ' + ' | '.join(solutions['complex']))}<br>"
                 f"{html.escape('parsimonious: ' + ' | '.join(solutions['parsimonious']))}</p>"]
        if result.left_out:
            parts.append(f"<p class=\"note\">left out (unknown values): "
                         f"{html.escape(', '.join(map(str, result.left_out)))}</p>")
        for title, table in qca_sections(result):
            parts.append(f"<h3>{html.escape(title)}</h3>{_table(table)}")
        text = "\n".join(parts)
    else:
        text = _not_computable(study.qca_error)
    body.append(_section("qca", t["qca"], text))

    ref, gap = study.referentiel, study.gap
    parts = [_figure(gap_heatmap(gap, ref, names, lang), t["heat"])]
    for title, table in gap_sections(gap, ref, names, lang)[:2]:
        parts.append(f"<h3>{html.escape(title)}</h3>{_table(table)}")
    body.append(_section("gap", t["gap"], "\n".join(parts)))

    sums = study.checksums
    overall = hashlib.sha256("".join(h for _, h in sums).encode()).hexdigest()
    params = model.summary()
    footer = [
        f"<p>ptce-typology {__version__}, report of {_report_date()}; seed "
        f"{study.parameters['seed']}; "
        f"reference year {frame.attrs.get('reference_year')}; ncp {params['ncp']}; "
        f"k rule {html.escape(params['rule_description'])}; consolidation "
        f"{html.escape(params['consolidation'])}; bootstrap resamples "
        f"{study.stability['bootstrap']['n_resamples']}; QCA conditions "
        f"{html.escape(', '.join(study.parameters['qca_conditions']))}.</p>",
        "<p>Versions: " + ", ".join(f"{html.escape(n)} {html.escape(v)}"
                                    for n, v in _versions()) + "</p>",
        f"<p>Inputs (SHA-256 of their concatenated digests: <code>{overall}</code>):</p><ul>"
        + "".join(f"<li><code>{h[:16]}…</code> {html.escape(Path(n).name)}</li>"
                  for n, h in sums) + "</ul>"]
    body.append(f'<footer id="reproducibility"><h2>{t["reproducibility"]}</h2>'
                f'{"".join(footer)}</footer>')
    contents = "".join(f'<li><a href="#{key}">{html.escape(t[key])}</a></li>'
                       for key in SECTIONS)
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(t['title'])}</title>\n<style>{CSS}</style>\n</head>\n"
            f"<body>\n<h1>{html.escape(t['title'])}</h1>\n<p>{t['intro']}</p>\n"
            f"<nav><h3>{t['contents']}</h3><ol>{contents}</ol></nav>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")
