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
from ptce_typology.render.cells import name_list
from ptce_typology.render.labels import text

if TYPE_CHECKING:
    import pandas as pd

    from ptce_typology.study import Study

SECTIONS = ("data", "typology", "reproduction", "clusters", "sensitivity", "classification",
            "comparison", "qca", "gap", "reproducibility")

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
code{font-size:.9em}.inferred{color:#8a5a00;font-size:.85em;cursor:help}
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
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]


def _figure(fig, caption: str) -> str:
    return f"<figure>{_svg(fig)}<figcaption>{html.escape(caption)}</figcaption></figure>"


def _section(key: str, title: str, body: str) -> str:
    return f'<section id="{key}"><h2>{html.escape(title)}</h2>\n{body}\n</section>\n'


def _not_computable(err: str | None, lang: str) -> str:
    """A section the data cannot support says why, instead of failing the whole report."""
    return f'<p class="note">{html.escape(text("report.not_computable", lang, reason=err))}</p>'


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
            rows.append((name, ""))
    return rows


def _note(message: str) -> str:
    return f'<p class="note">{html.escape(message)}</p>'


def safe_href(url: str | None) -> str | None:
    """``url`` when it may be a link (http, https or mailto, no space or control character),
    else None: the report shows any other url (javascript:, data:, vbscript:, ...) as text."""
    import re

    if url and re.fullmatch(r"(?i)(https?://|mailto:)[^\s\x00-\x1f\x7f-\x9f]+", url):
        return url
    return None


def _data_section(cases, frame: pd.DataFrame, lang: str) -> str:
    from ptce_typology.render.poles import marked_table_html

    shown = [c for c in ("name", "region", "start_year", "origin", "territory", "sector",
                         "shared_premises", "employer_group", "members", "laureate_any")
             if c in frame.columns]
    parts = [marked_table_html(frame, shown, cases, lang)]  # inferred values marked
    if 'class="inferred"' in parts[0]:
        parts.append(_note(text("data.inferred_legend", lang)))
    parts.append(f"<h3>{html.escape(text('report.sources', lang))}</h3>")
    for case in cases:
        items = []
        for src in case.sources:
            cite = html.escape(src.citation or src.url or src.id)
            href = safe_href(src.url)
            if href:
                cite = f'<a href="{html.escape(href, quote=True)}">{cite}</a>'
            quote = f" — « {html.escape(src.quote)} »" if src.quote else ""
            items.append(f"<li><code>{html.escape(src.id)}</code>: {cite}{quote}</li>")
        parts.append(f'<div class="pole"><strong>{html.escape(case.name)}</strong> '
                     f'(<code>{case.pole_id}</code>)<ul>{"".join(items)}</ul></div>')
    return "\n".join(parts)


def render_html(study: Study, lang: str = "en") -> str:
    """The whole study as one HTML document.

    Parameters
    ----------
    study : Study
        :func:`ptce_typology.study.run_study`.
    lang : {"en", "fr"}
        Language of every label, note and number.

    Returns
    -------
    str
        A self-contained HTML page: inline SVG figures and styles, no script, no external
        resource, a reproducibility footer.
    """
    from ptce_typology.render.comparison import comparison_table
    from ptce_typology.render.paper import display_claims, display_crosstab, display_typology
    from ptce_typology.render.plots import (
        co_clustering_figure,
        dendrogram_figure,
        factor_map,
        gains_figure,
        gap_heatmap,
    )
    from ptce_typology.render.qca import qca_sections, solution_lines
    from ptce_typology.render.referentiel import gap_sections
    from ptce_typology.render.typology import (
        classify_sections,
        cluster_names,
        cluster_sections,
        consolidation_text,
        sensitivity_sections,
    )

    def t(key: str) -> str:
        return text(f"report.{key}", lang)

    def heading(key: str) -> str:
        return text(f"report.section.{key}", lang)

    import pandas as pd

    frame, model = study.frame, study.model
    names = frame["name"].to_dict()
    n, m = study.n_temoins, len(frame) - study.n_temoins
    report_title = (t("title") if (n, m) == (12, 0) else
                    text("report.title_mixed", lang, n=n, m=m) if n else
                    text("report.title_others", lang, m=m))
    # The paper's tables and claims speak of its témoins only: say who is left out.
    paper_note = ""
    if study.paper_left_out:
        paper_note = _note(text("report.left_out_paper", lang, m=len(study.paper_left_out),
                                poles=name_list(names.get(p, p)
                                                for p in study.paper_left_out)))
    if study.typology is None:
        paper_note += _note(text("report.no_temoin", lang))
    body = [_section("data", heading("data"), _data_section(study.cases, frame, lang))]
    body.append(_section("typology", heading("typology"), paper_note + (
        _table(display_typology(study.typology, names, lang))
        + _table(display_crosstab(study.crosstab, lang)) if study.typology is not None
        else "")))

    claims = study.claims if study.claims is not None else pd.DataFrame({"status": []})
    counts = claims["status"].value_counts()
    summary_text = text("claims.summary", lang, n=len(claims), match=counts.get("match", 0),
                        mismatch=counts.get("mismatch", 0),
                        not_computable=counts.get("not_computable", 0))
    summary = f'<p class="note">{html.escape(summary_text)}</p>'
    body.append(_section("reproduction", heading("reproduction"), paper_note + summary + (
        _table(display_claims(claims, names, lang, verbose=True)) if len(claims) else "")))

    named = cluster_names(model, lang)
    extra = model.transform(study.new_frame) if study.new_frame is not None else None
    figures = (_figure(factor_map(model, study.names, lang, roles=frame["role"].to_dict(),
                                  extra=extra, cluster_labels=named), t("map"))
               + _figure(dendrogram_figure(model, names, lang), t("tree"))
               + _figure(gains_figure(model, lang), t("gains")))
    parts = [figures]
    for title, table in cluster_sections(model, study.stability, names, lang, p_max=None):
        parts.append(f"<h3>{html.escape(title)}</h3>{_table(table)}")
    body.append(_section("clusters", heading("clusters"), "\n".join(parts)))

    parts = []
    sensitivity_tables = sensitivity_sections(study.sensitivity, names, lang)
    for title_, table in sensitivity_tables[:3]:
        shown = _table(table)
        parts.append(f"<h3>{html.escape(title_)}</h3>{shown}")
    if study.sensitivity["n_completions"]:
        parts.append(_figure(co_clustering_figure(study.sensitivity, names, lang),
                             sensitivity_tables[3][0]))
    body.append(_section("sensitivity", heading("sensitivity"), "\n".join(parts)))

    if study.classification:
        parts = [f"<h3>{html.escape(title)}</h3>{_table(table)}"
                 for title, table in classify_sections(study.classification, study.names,
                                                       lang, named)]
        body.append(_section("classification", heading("classification"), "\n".join(parts)))
    else:
        body.append(_section("classification", heading("classification"),
                             f"<p>{html.escape(t('no_classify'))}</p>"))

    if study.comparison is not None:
        table = comparison_table(study.comparison, lang)
        text_ = _table(table) + "".join(f'<p class="note">{html.escape(n)}</p>'
                                        for n in table.attrs["notes"])
    else:
        text_ = _not_computable(study.comparison_error, lang)
    body.append(_section("comparison", heading("comparison"), text_))

    if study.qca is not None:
        result = study.qca
        parts = ["<p>" + "<br>".join(html.escape(line) for line in solution_lines(result, lang))
                 + "</p>"]
        if result.left_out:
            left = text("qca.left_out", lang, poles=", ".join(map(str, result.left_out)))
            parts.append(f'<p class="note">{html.escape(left)}</p>')
        for title, table in qca_sections(result, lang):
            parts.append(f"<h3>{html.escape(title)}</h3>{_table(table)}")
        text_ = "\n".join(parts)
    else:
        text_ = _not_computable(study.qca_error, lang)
    body.append(_section("qca", heading("qca"), text_))

    ref, gap = study.referentiel, study.gap
    parts = [_figure(gap_heatmap(gap, ref, names, lang), t("heat"))]
    for title, table in gap_sections(gap, ref, names, lang)[:2]:
        parts.append(f"<h3>{html.escape(title)}</h3>{_table(table)}")
    body.append(_section("gap", heading("gap"), "\n".join(parts)))

    sums = study.checksums
    overall = hashlib.sha256("".join(h for _, h in sums).encode()).hexdigest()
    params = model.summary()
    versions = ", ".join(f"{n} {v or t('not_installed')}" for n, v in _versions())
    footer = [
        "<p>" + html.escape(text(
            "report.footer", lang, version=__version__, date=_report_date(),
            seed=study.parameters["seed"], reference_year=frame.attrs.get("reference_year"),
            ncp=params["ncp"], rule=text(f"clusters.rule.{params['rule']}", lang),
            consolidation=consolidation_text(params, lang),
            resamples=study.stability["bootstrap"]["n_resamples"],
            conditions=", ".join(study.parameters["qca_conditions"]))) + "</p>",
        "<p>" + html.escape(text("report.versions", lang, versions=versions)) + "</p>",
        "<p>" + html.escape(text("report.inputs", lang, digest="@@")).replace(
            "@@", f"<code>{overall}</code>") + "</p><ul>"
        + "".join(f"<li><code>{h[:16]}…</code> {html.escape(Path(n).name)}</li>"
                  for n, h in sums) + "</ul>"]
    body.append(f'<footer id="reproducibility"><h2>{html.escape(heading("reproducibility"))}'
                f'</h2>{"".join(footer)}</footer>')
    contents = "".join(f'<li><a href="#{key}">{html.escape(heading(key))}</a></li>'
                       for key in SECTIONS)
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(report_title)}</title>\n<style>{CSS}</style>\n</head>\n"
            f"<body>\n<h1>{html.escape(report_title)}</h1>\n<p>{t('intro')}</p>\n"
            f"<nav><h3>{html.escape(t('contents'))}</h3><ol>{contents}</ol></nav>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")
