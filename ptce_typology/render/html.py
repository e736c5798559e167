"""One self-contained HTML report of the whole study (``ptce report``).

Figures are inline SVG, styles inline, no script and no network access: the file opens offline
in any browser and prints to PDF. The footer records the versions, the parameters, the seed,
the date and the SHA-256 of every input, so that a reader can rebuild the same report. The
date is today's, or the one ``SOURCE_DATE_EPOCH`` gives, so that two runs on one day are
byte-identical.
"""

from __future__ import annotations

import functools
import hashlib
import html
import io
import platform
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ptce_typology import __version__
from ptce_typology.render.cells import name_list
from ptce_typology.render.labels import text
from ptce_typology.render.links import safe_href

if TYPE_CHECKING:
    import pandas as pd

    from ptce_typology.errors import PtceError
    from ptce_typology.study import Study

CSS = """
body{font-family:Georgia,'DejaVu Serif',serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#222;line-height:1.45}
h1{font-size:1.6em}h2{border-bottom:2px solid #0072B2;padding-bottom:.2em;margin-top:2em}
h3{margin-top:1.4em}
table{border-collapse:collapse;font-size:.74em;margin:.6em 0 1.2em;width:100%;
max-width:100%;overflow-wrap:break-word}
th,td{border:1px solid #ccc;padding:.25em .45em;vertical-align:top;text-align:left;
overflow-wrap:anywhere}
.wide{overflow-x:auto;max-width:100%}.wide table{font-size:.7em}
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
    # A named index heads its column: pandas would give it a row of its own, empty elsewhere.
    if index and any(name is not None for name in frame.index.names):
        frame, index = frame.reset_index(), False
    return frame.to_html(escape=True, border=0, na_rep="", index=index,
                         classes="tbl").replace(' class="dataframe tbl"', "")


def _svg(fig) -> str:
    from ptce_typology.render.plots import _matplotlib

    buffer = io.StringIO()
    # Text stays text in the report (smaller, selectable); other figures keep their setting.
    with _matplotlib().rc_context({"svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]


def _section(key: str, title: str, body: str) -> str:
    return f'<section id="{key}"><h2>{html.escape(title)}</h2>\n{body}\n</section>\n'


def _not_computable(err: PtceError | None, lang: str) -> str:
    """A section the data cannot support says why, in the report's language when the error
    has a label, instead of failing the whole report."""
    from ptce_typology.render.errors import error_text

    reason = error_text(err, lang) if err is not None else ""
    return f'<p class="note">{html.escape(text("report.not_computable", lang, reason=reason))}</p>'


def _report_date() -> str:
    from ptce_typology.render.dates import source_date_epoch

    epoch = source_date_epoch()
    if epoch is not None:
        return datetime.fromtimestamp(epoch, tz=timezone.utc).date().isoformat()
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


def _titled_tables(sections: Iterable[tuple[str, pd.DataFrame]]) -> list[str]:
    return [f"<h3>{html.escape(title)}</h3>{_table(table)}" for title, table in sections]


@dataclass(frozen=True)
class _Page:
    """What the sections of one report share, looked up once: the study, the language, the
    reference poles' names, the clusters' names and the note on the paper's témoins."""

    study: Study
    lang: str
    names: dict[str, str]
    cluster_labels: dict[int, str]
    paper_note: str
    # Figure key -> its SVG, drawn before the sections (two halves side by side); None for a
    # figure whose drawing raised a user error (its section draws it again to say why).
    svgs: dict[str, str | None] = field(default_factory=dict)

    def t(self, key: str) -> str:
        return text(f"report.{key}", self.lang)

    def section(self, key: str, body: str) -> str:
        return _section(key, text(f"report.section.{key}", self.lang), body)

    def figure(self, key: str, caption: str) -> str:
        """The figure ``key`` (of :func:`_figure_makers`) with its caption, drawn already or
        now (a drawing that raised a user error raises it again here)."""
        svg = self.svgs.get(key)
        if svg is None:
            svg = _svg(_figure_makers(self)[key]())
        return f"<figure>{svg}<figcaption>{html.escape(caption)}</figcaption></figure>"


def _figure_makers(page: _Page) -> dict[str, Callable[[], Any]]:
    """Figure key -> a function that draws it, for every figure the report holds."""
    from ptce_typology.render import plots

    study, lang, names = page.study, page.lang, page.names
    makers = {
        "map": lambda: plots.factor_map(
            study.model, study.names, lang, dims=tuple(study.parameters.get("axes", (1, 2))),
            roles=study.frame["role"].to_dict(), extra=study.placed_coordinates,
            cluster_labels=page.cluster_labels, label_poles=study.label_poles),
        "tree": lambda: plots.dendrogram_figure(study.model, names, lang),
        "gains": lambda: plots.gains_figure(study.model, lang),
        "gap": lambda: plots.gap_heatmap(study.gap, study.referentiel, names, lang)}
    if study.clouds is not None:
        makers["ellipses"] = lambda: plots.ellipses_figure(study.model, study.clouds, lang)
    if study.sensitivity["n_completions"]:
        makers["co_clustering"] = lambda: plots.co_clustering_figure(study.sensitivity, names,
                                                                     lang)
    return makers


# The order in which the figures are taken by the two processes (ptce_typology.parallel): the
# longest first (the factor map places its labels one by one; the co-clustering and gap heat
# maps name every pole on both or one axis).
FIGURE_ORDER = ("map", "co_clustering", "gap", "tree", "ellipses", "gains")


def _figures_and_plain_sections(page: _Page) -> tuple[dict[str, str | None], dict[str, str]]:
    """Every figure of the report as SVG, and the HTML of the sections that hold no figure
    (:data:`FIGURE_SECTIONS`), on two cores where there are: the figures first, the longest
    first, then those sections, which fill the time left."""
    from ptce_typology.errors import PtceError
    from ptce_typology.parallel import in_parallel
    from ptce_typology.render.plots import _matplotlib

    _matplotlib()
    # Imported once, before the fork, instead of in each process.
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.backends.backend_svg  # noqa: F401
    import matplotlib.figure  # noqa: F401
    makers = _figure_makers(page)
    keys = [k for k in FIGURE_ORDER if k in makers]
    plain = [k for k in BUILDERS if k not in FIGURE_SECTIONS]

    def draw(key: str) -> str | None:
        try:
            return _svg(makers[key]())
        except PtceError:  # said in its section, which draws it again
            return None

    done = in_parallel([functools.partial(draw, k) for k in keys]
                       + [functools.partial(BUILDERS[k], page) for k in plain])
    return (dict(zip(keys, done[:len(keys)], strict=True)),
            dict(zip(plain, done[len(keys):], strict=True)))


def _page(study: Study, lang: str) -> _Page:
    from ptce_typology.render.typology import cluster_names

    names = study.frame["name"].to_dict()
    # The paper's tables and claims speak of its témoins only: say who is left out.
    paper_note = ""
    if study.paper_left_out:
        paper_note = _note(text("report.left_out_paper", lang, m=len(study.paper_left_out),
                                poles=name_list(names.get(p, p)
                                                for p in study.paper_left_out)))
    if study.paper_typology is None:
        paper_note += _note(text("report.no_temoin", lang))
    return _Page(study, lang, names, cluster_names(study.model, lang), paper_note)


def _placements(study: Study) -> Any:
    """The placed poles' records (as ``ptce classify --format json`` gives them), or None
    when no pole was placed: the one place that reads ``study.placements``."""
    placements = study.placements
    return placements if placements else None


def _data_section(page: _Page) -> str:
    """The appendix: the data table and every pole's sources."""
    from ptce_typology.render.citations import citation_text
    from ptce_typology.render.poles import inferred_titles, marked_table_html

    study, lang = page.study, page.lang
    frame = study.frame
    shown = [c for c in ("name", "region", "start_year", "origin", "territory", "sector",
                         "shared_premises", "employer_group", "members", "laureate_any")
             if c in frame.columns]
    titles = inferred_titles(study.inferred_notes, study.inferred_rules, study.codebook, lang)
    parts = [f'<div class="wide">{marked_table_html(frame, shown, titles, lang)}</div>']
    if 'class="inferred"' in parts[0]:
        parts.append(_note(text("data.inferred_legend", lang)))
    parts.append(f"<h3>{html.escape(text('report.sources', lang))}</h3>")
    for case in page.study.cases:
        items = []
        for src in case.sources:
            cite = html.escape(citation_text(src.citation, lang) if src.citation
                               else src.url or src.id)
            href = safe_href(src.url)
            if href:
                cite = f'<a href="{html.escape(href, quote=True)}">{cite}</a>'
            quote = f" — « {html.escape(src.quote)} »" if src.quote else ""
            items.append(f"<li><code>{html.escape(src.id)}</code>: {cite}{quote}</li>")
        parts.append(f'<div class="pole"><strong>{html.escape(case.name)}</strong> '
                     f'(<code>{case.pole_id}</code>)<ul>{"".join(items)}</ul></div>')
    return page.section("data", "\n".join(parts))


def _summary_section(page: _Page) -> str:
    """What the report finds, in a few lines, before the tables that show it."""
    study, lang = page.study, page.lang
    sizes = study.model.labels_.value_counts().sort_index()
    lines = [text("report.summary.poles", lang, n=len(study.frame), temoins=study.n_temoins),
             text("report.summary.clusters", lang, k=len(sizes), clusters="; ".join(
                 text("report.summary.cluster", lang, name=page.cluster_labels.get(c, c),
                      n=int(n)) for c, n in sizes.items()))]
    if study.claims is not None:
        counts = study.claims["status"].value_counts()
        lines.append(text("report.summary.claims", lang, n=len(study.claims),
                          match=int(counts.get("match", 0))))
    if study.placements:
        lines.append(text("report.summary.placed", lang, n=len(study.placements)))
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return page.section("summary", f"<ul>{items}</ul>")


def _typology_section(page: _Page) -> str:
    from ptce_typology.render.paper import display_crosstab, display_typology

    study = page.study
    tables = ""
    if study.paper_typology is not None:
        tables = (_table(display_typology(study.paper_typology, page.names, page.lang))
                  + _table(display_crosstab(study.paper_crosstab, page.lang)))
    return page.section("typology", page.paper_note + tables)


def _reproduction_section(page: _Page) -> str:
    import pandas as pd

    from ptce_typology.render.paper import display_claims

    lang = page.lang
    claims = page.study.claims if page.study.claims is not None else pd.DataFrame({"status": []})
    counts = claims["status"].value_counts()
    summary = _note(text("claims.summary", lang, n=len(claims), match=counts.get("match", 0),
                         mismatch=counts.get("mismatch", 0),
                         not_computable=counts.get("not_computable", 0)))
    shown = _table(display_claims(claims, page.names, lang, verbose=True)) if len(claims) else ""
    return page.section("reproduction", page.paper_note + summary + shown)


def _clusters_section(page: _Page) -> str:
    from ptce_typology.errors import PtceError
    from ptce_typology.render.typology import cluster_sections

    study, lang, names = page.study, page.lang, page.names
    model = study.model
    try:
        figures = page.figure("map", page.t("map"))
    except PtceError as err:  # a map needs two axes
        if err.key != "map_axes":
            raise
        figures = _not_computable(err, lang)
    figures += page.figure("tree", page.t("tree")) + page.figure("gains", page.t("gains"))
    tables = _titled_tables(cluster_sections(model, study.stability, names, lang, p_max=None,
                                             headline=study.sensitivity))
    return page.section("clusters", "\n".join([figures, _clouds_part(page), *tables]))


def _clouds_part(page: _Page) -> str:
    """The mean points and ellipses of a descriptor's categories, their typicality table
    beside the figure, and how to read them."""
    from ptce_typology.render.clouds import cloud_note, cloud_sections, figure_title

    clouds = page.study.clouds
    if clouds is None:
        return ""
    return (page.figure("ellipses", figure_title(clouds, page.lang))
            + "".join(_titled_tables(cloud_sections(clouds, page.lang)))
            + _note(cloud_note(clouds, page.lang)))


def _sensitivity_section(page: _Page) -> str:
    from ptce_typology.render.typology import sensitivity_sections

    found = page.study.sensitivity
    tables = sensitivity_sections(found, page.names, page.lang)
    parts = _titled_tables(tables[:3])
    if found["n_completions"]:
        parts.append(page.figure("co_clustering", tables[3][0]))
    return page.section("sensitivity", "\n".join(parts))


def _classification_section(page: _Page) -> str:
    from ptce_typology.render.typology import classify_sections

    placements = _placements(page.study)
    if placements is None:
        return page.section("classification", f"<p>{html.escape(page.t('no_classify'))}</p>")
    return page.section("classification", "\n".join(_titled_tables(classify_sections(
        placements, page.study.names, page.lang, page.cluster_labels))))


def _comparison_section(page: _Page) -> str:
    from ptce_typology.render.comparison import comparison_table

    study = page.study
    if study.comparison is None:
        return page.section("comparison", _not_computable(study.comparison_error, page.lang))
    table = comparison_table(study.comparison, page.lang)
    return page.section("comparison",
                        _table(table) + "".join(_note(n) for n in table.attrs["notes"]))


def _qca_section(page: _Page) -> str:
    from ptce_typology.render.qca import qca_sections, solution_lines

    result, lang = page.study.qca, page.lang
    if result is None:
        return page.section("qca", _not_computable(page.study.qca_error, lang))
    parts = ["<p>" + "<br>".join(html.escape(line) for line in solution_lines(result, lang))
             + "</p>"]
    if result.left_out:
        parts.append(_note(text("qca.left_out", lang,
                                poles=", ".join(map(str, result.left_out)))))
    parts += _titled_tables(qca_sections(result, lang))
    return page.section("qca", "\n".join(parts))


def _gap_section(page: _Page) -> str:
    from ptce_typology.render.referentiel import gap_sections

    ref, gap, names, lang = page.study.referentiel, page.study.gap, page.names, page.lang
    parts = [page.figure("gap", page.t("heat"))]
    parts += _titled_tables(gap_sections(gap, ref, names, lang)[:2])
    return page.section("gap", "\n".join(parts))


def _codebook_section(page: _Page) -> str:
    """The codebook's decision rules, which the inferred values of the data name."""
    from ptce_typology.render.codebook import codebook_sections

    book = page.study.codebook
    if book is None:
        return ""
    rules = [(title, table) for title, table in codebook_sections(book, page.lang)
             if table.index.name == text("codebook.head.rule_id", page.lang)]
    intro = f"<p>{html.escape(page.t('codebook_intro'))}</p>"
    return page.section("codebook", intro + "\n".join(_titled_tables(rules)))


def _reproducibility_footer(page: _Page) -> str:
    """The footer: versions, parameters, seed, date and the SHA-256 of every input."""
    from ptce_typology.render.typology import consolidation_text

    study, lang = page.study, page.lang
    sums = study.checksums
    overall = hashlib.sha256("".join(h for _, h in sums).encode()).hexdigest()
    params = study.model.summary()
    versions = ", ".join(f"{n} {v or page.t('not_installed')}" for n, v in _versions())
    footer = [
        "<p>" + html.escape(text(
            "report.footer", lang, version=__version__, date=_report_date(),
            seed=study.parameters["seed"],
            reference_year=study.frame.attrs.get("reference_year"),
            ncp=params["ncp"], rule=text(f"clusters.rule.{params['rule']}", lang),
            consolidation=consolidation_text(params, lang),
            resamples=study.stability["bootstrap"]["n_resamples"],
            conditions=", ".join(study.parameters["qca_conditions"]))) + "</p>",
        "<p>" + html.escape(text("report.versions", lang, versions=versions)) + "</p>",
        "<p>" + html.escape(text("report.inputs", lang, digest="@@")).replace(
            "@@", f"<code>{overall}</code>") + "</p><ul>"
        + "".join(f"<li><code>{h[:16]}…</code> {html.escape(Path(n).name)}</li>"
                  for n, h in sums) + "</ul>"]
    heading = text("report.section.reproducibility", lang)
    return (f'<footer id="reproducibility"><h2>{html.escape(heading)}'
            f'</h2>{"".join(footer)}</footer>')


# Section id -> the builder of its HTML, in a reader's order: the summary, the typologies and
# their sensitivity, the placements, the comparisons, then the data, sources and codebook as
# appendices.
BUILDERS: dict[str, Callable[[_Page], str]] = {
    "summary": _summary_section, "typology": _typology_section,
    "reproduction": _reproduction_section, "clusters": _clusters_section,
    "sensitivity": _sensitivity_section, "classification": _classification_section,
    "comparison": _comparison_section, "qca": _qca_section, "gap": _gap_section,
    "data": _data_section, "codebook": _codebook_section,
    "reproducibility": _reproducibility_footer,
}
SECTIONS = tuple(BUILDERS)
# The sections that hold figures (_Page.figure): built once the figures are drawn. The others
# are built beside the figures (_figures_and_plain_sections).
FIGURE_SECTIONS = ("clusters", "sensitivity", "gap")


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
    page = _page(study, lang)
    svgs, sections = _figures_and_plain_sections(page)
    page.svgs.update(svgs)
    n, m = study.n_temoins, len(study.frame) - study.n_temoins
    title = (page.t("title") if (n, m) == (12, 0) else
             text("report.title_mixed", lang, n=n, m=m) if n else
             text("report.title_others", lang, m=m))
    contents = "".join(f'<li><a href="#{key}">'
                       f'{html.escape(text(f"report.section.{key}", lang))}</a></li>'
                       for key in SECTIONS)
    body = [sections[key] if key in sections else build(page) for key, build in BUILDERS.items()]
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>{CSS}</style>\n</head>\n"
            f"<body>\n<h1>{html.escape(title)}</h1>\n<p>{page.t('intro')}</p>\n"
            f"<nav><h3>{html.escape(page.t('contents'))}</h3><ol>{contents}</ol></nav>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")
