"""Figures for papers: the factor map, the dendrogram and the inertia-gain bars.

Figures are deterministic (fixed SVG hash salt, no dates in the metadata) and written
atomically; the format follows the file suffix (.png, .svg, .pdf).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ptce_typology.errors import PtceError
from ptce_typology.render.cells import format_number
from ptce_typology.render.labels import text as label
from ptce_typology.render.write import atomic_write, check_output
from ptce_typology.vocabulary import GAP_STATUSES

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ptce_typology.intake.referentiel import Referentiel

Typology = Any  # a fitted ptce_typology.analysis.typology.Typology (render never imports analysis)

def _writable_config() -> None:
    """Give matplotlib a private temporary folder for its configuration and font cache when
    its default folders cannot be written (a read-only HOME): it would make one itself, but
    print a warning on stderr each time."""
    import os
    import sys

    if os.environ.get("MPLCONFIGDIR"):
        return
    home = Path(os.path.expanduser("~"))
    if sys.platform.startswith(("linux", "freebsd")):  # matplotlib's own choice of folders
        folders = [Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config") / "matplotlib",
                   Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache") / "matplotlib"]
    else:
        folders = [home / ".matplotlib"]
    if not all(_writable_folder(folder) for folder in folders):
        import atexit
        import shutil
        import tempfile

        private = tempfile.mkdtemp(prefix="ptce-matplotlib-")
        atexit.register(shutil.rmtree, private, ignore_errors=True)
        os.environ["MPLCONFIGDIR"] = private


def _writable_folder(folder: Path) -> bool:
    import os

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return folder.is_dir() and os.access(folder, os.W_OK)


FIGURE_SUFFIXES = (".png", ".svg", ".pdf")
# Colour-blind-safe palette (Okabe & Ito), one colour per cluster.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000", "#999999", "#7F3C8D")

def _pyplot():
    _writable_config()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "ptce-typology"
    plt.rcParams["font.size"] = 8
    # Every text is drawn as written: a pole named "Money $5 and $10" or "Math $\foo{x}$"
    # is a name, not mathtext (which draws it wrong or fails). The one place for every figure
    # made through _pyplot(); a text that wants mathtext passes parse_math=True.
    plt.rcParams["text.parse_math"] = False
    return plt


def save_figure(fig: Figure, path: Path | str) -> Path:
    """Write the figure to ``path`` (png, svg or pdf by suffix), atomically and reproducibly."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FIGURE_SUFFIXES:
        raise PtceError("unknown figure format", file=str(target), value=suffix or "(none)",
                        allowed=FIGURE_SUFFIXES)
    metadata = {".png": {"Software": None}, ".svg": {"Date": None},
                ".pdf": {"CreationDate": None, "ModDate": None, "Producer": None}}[suffix]
    buffer = io.BytesIO()
    fig.savefig(buffer, format=suffix[1:], dpi=200, bbox_inches="tight", metadata=metadata)
    atomic_write(target, buffer.getvalue())
    _pyplot().close(fig)
    return target


# Other (non-témoin) poles named on the factor map at most; more are drawn unnamed.
NAMED_OTHERS_MAX = 20


def factor_map(model: Typology, names: dict[str, str], lang: str = "en",
               dims: tuple[int, int] = (1, 2), roles: dict[str, str] | None = None,
               extra: Any = None, cluster_labels: dict[int, str] | None = None) -> Figure:
    """Poles coloured by cluster (témoins as discs, other reference poles as diamonds),
    active categories (grey triangles), passive categories (hollow triangles, marked),
    supplementary categories (red squares, marked) and, in ``extra`` (a DataFrame of
    coordinates indexed by pole_id), classified poles as supplementary points (black stars);
    labels pushed apart so that they do not overlap."""
    a, b = (f"Dim {d}" for d in dims)
    axes = list(model.coordinates_.columns)
    if a not in axes or b not in axes:  # active descriptors with too few categories
        from ptce_typology.render.errors import labelled_error

        raise labelled_error("map_axes", n=len(axes), first=dims[0], second=dims[1])
    plt = _pyplot()
    from adjustText import adjust_text  # it imports matplotlib: after _pyplot()

    roles = roles or {}
    cluster_labels = cluster_labels or {}
    eig = model.mca_.eigenvalues_
    fig, ax = plt.subplots(figsize=(8, 7))
    ax.axhline(0, color="#cccccc", lw=0.6, zorder=0)
    ax.axvline(0, color="#cccccc", lw=0.6, zorder=0)
    labels = _draw_poles(ax, model, names, lang, roles, cluster_labels, (a, b))
    labels += _draw_categories(ax, model, lang, (a, b))
    if extra is not None and len(extra):
        placed = extra.dropna()
        ax.scatter(placed[a], placed[b], marker="*", s=90, color="#111111", zorder=4,
                   label=label("figure.classified", lang))
        for pole in placed.index:
            labels.append(ax.text(placed.at[pole, a], placed.at[pole, b],
                                  str(names.get(pole, pole)), color="#111111",
                                  fontsize=8, style="italic"))
    dim = label("figure.dim", lang)
    ax.set_xlabel(f"{dim} {dims[0]} ({eig.at[a, 'percentage']:.1f} %)")
    ax.set_ylabel(f"{dim} {dims[1]} ({eig.at[b, 'percentage']:.1f} %)")
    ax.set_title(label("figure.map", lang))
    ax.legend(loc="best", fontsize=7, frameon=False)
    ax.margins(x=0.22, y=0.08)  # room for the labels of the outermost points
    fig.tight_layout()
    # A fixed number of iterations, not adjustText's default time limit, so that figures are
    # reproducible. Without its check for crossing leader lines (a third of its time) the
    # labels overlap no more: on the twelve none, on the corpus 2 pairs instead of 8.
    adjust_text(labels, ax=ax, expand=(1.15, 1.4), iter_lim=120, prevent_crossings=False,
                arrowprops={"arrowstyle": "-", "color": "#aaaaaa", "lw": 0.5})
    return fig


def _draw_poles(ax: Any, model: Typology, names: dict[str, str], lang: str,
                roles: dict[str, str], cluster_labels: dict[int, str],
                axes: tuple[str, str]) -> list:
    """The reference poles, coloured by cluster (témoins as discs, others as diamonds); their
    name labels."""
    a, b = axes
    labels = []
    coords = model.coordinates_
    others_drawn = False
    # Past a few dozen names the map is unreadable, and placing the labels takes adjustText
    # over 20 s: other poles are then drawn but not named (the tables name them).
    n_others = sum(1 for p in model.labels_.index if roles.get(p, "temoin") != "temoin")
    name_others = n_others <= NAMED_OTHERS_MAX
    for cluster in sorted(model.labels_.unique()):
        members = model.labels_.index[model.labels_ == cluster]
        colour = PALETTE[(cluster - 1) % len(PALETTE)]
        temoins = [p for p in members if roles.get(p, "temoin") == "temoin"]
        others = [p for p in members if roles.get(p, "temoin") != "temoin"]
        ax.scatter(coords.loc[temoins, a], coords.loc[temoins, b], s=36, color=colour,
                   label=str(label("figure.cluster", lang, cluster=cluster,
                                             name=cluster_labels.get(int(cluster), ""))),
                   zorder=3)
        if others:
            others_drawn = True
            ax.scatter(coords.loc[others, a], coords.loc[others, b], s=40, marker="D",
                       facecolor="white", edgecolor=colour, linewidths=1.2, zorder=3)
        for pole in (members if name_others else temoins):
            labels.append(ax.text(coords.at[pole, a], coords.at[pole, b],
                                  str(names.get(pole, pole)), color=colour,
                                  fontsize=8, weight="bold"))
    if others_drawn:
        ax.scatter([], [], s=40, marker="D", facecolor="white", edgecolor="#555555",
                   label=label("figure.other_pole", lang) if name_others
                   else label("figure.other_pole_unnamed", lang, n=n_others))
    return labels


def _draw_categories(ax: Any, model: Typology, lang: str, axes: tuple[str, str]) -> list:
    """The active, passive and supplementary categories; their labels."""
    from ptce_typology.render.typology import category_label

    a, b = axes
    labels = []
    cats = model.mca_.column_coordinates_
    passive = [c for c in cats.index if c in set(model.passive_)]
    shown = cats.drop(index=passive)
    ax.scatter(shown[a], shown[b], marker="^", s=22, color="#777777", zorder=2)
    for name in shown.index:
        labels.append(ax.text(shown.at[name, a], shown.at[name, b],
                              str(category_label(name, lang)), color="#555555",
                              fontsize=6.5))
    if passive:
        ax.scatter(cats.loc[passive, a], cats.loc[passive, b], marker="^", s=22,
                   facecolor="none", edgecolor="#999999", zorder=2,
                   label=label("figure.passive_legend", lang))
        for name in passive:
            labels.append(ax.text(cats.at[name, a], cats.at[name, b],
                                  str(f"{category_label(name, lang)} "
                                                f"({label('figure.passive', lang)})"),
                                  color="#999999", fontsize=6, style="italic"))
    sup = model.mca_.supplementary_coordinates_
    if sup is not None:
        word = label("figure.supplementary", lang)
        ax.scatter(sup[a], sup[b], marker="s", s=22, color="#C0392B", zorder=2, label=word)
        for name in sup.index:
            labels.append(ax.text(sup.at[name, a], sup.at[name, b],
                                  str(f"{category_label(name, lang)} ({word})"),
                                  color="#C0392B", fontsize=6.5, style="italic"))
    return labels


def co_clustering_figure(result: dict, names: dict[str, str], lang: str = "en") -> Figure:
    """The co-clustering matrix of the sensitivity analysis as a heat map (share of
    completions that put two poles together)."""
    import numpy as np

    plt = _pyplot()
    poles = list(result["co_clustering"])
    matrix = np.array([[result["co_clustering"][p][q] for q in poles] for p in poles])
    shown = [str(names.get(p, p)) for p in poles]
    fig, ax = plt.subplots(figsize=(0.45 * len(poles) + 3, 0.4 * len(poles) + 2))
    image = ax.imshow(matrix, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(poles)), shown, rotation=90, fontsize=7)
    ax.set_yticks(range(len(poles)), shown, fontsize=7)
    if len(poles) <= 25:
        for i in range(len(poles)):
            for j in range(len(poles)):
                ax.text(j, i, format_number(float(matrix[i, j]), lang, 2),
                        ha="center", va="center", fontsize=5.5,
                        color="white" if matrix[i, j] > 0.6 else "#222222")
    fig.colorbar(image, ax=ax, fraction=0.04)
    ax.set_title(label("figure.co_clustering", lang), fontsize=8)
    fig.tight_layout()
    return fig


def dendrogram_figure(model: Typology, names: dict[str, str], lang: str = "en") -> Figure:
    """The Ward tree on the inertia-gain scale, leaves and branches coloured by final cluster.

    After consolidation a cluster may not be a branch of the tree; such leaves keep their
    final cluster's colour and the branches joining different clusters are grey.
    """
    import numpy as np
    from scipy.cluster.hierarchy import dendrogram

    plt = _pyplot()
    hcpc = model.hcpc_
    Z = hcpc.linkage_.copy()
    n = len(hcpc.order_)
    m = len(Z) + 1
    Z[:, 2] = Z[:, 2] / n  # the inertia gain of each merge
    leaf_cluster: dict[int, set[int]] = {i: set() for i in range(m)}
    for pole, leaf in zip(hcpc.order_, hcpc.leaf_members_, strict=True):
        leaf_cluster[int(leaf)].add(int(model.labels_[pole]))
    members = dict(leaf_cluster)
    for i, row in enumerate(Z):
        members[m + i] = members[int(row[0])] | members[int(row[1])]

    def colour(node: int) -> str:
        group = members[node]
        return PALETTE[(next(iter(group)) - 1) % len(PALETTE)] if len(group) == 1 else "#999999"

    fig, ax = plt.subplots(figsize=(8, 4.5))
    if m == n and n <= 60:
        leaves = list(hcpc.order_)
        tree = dendrogram(Z, labels=[str(names.get(p, p)) for p in leaves],
                          leaf_rotation=90,
                          leaf_font_size=8, link_color_func=colour, ax=ax)
        for tick, index in zip(ax.get_xticklabels(), tree["leaves"], strict=True):
            final = next(iter(members[index]))
            tick.set_color(PALETTE[(final - 1) % len(PALETTE)])
    else:  # too many leaves to name: show the top of the tree
        dendrogram(Z, truncate_mode="lastp", p=min(30, m), no_labels=True,
                   link_color_func=colour, ax=ax)
    k = hcpc.n_clusters_
    gains = np.sort(Z[:, 2])[::-1]
    if 2 <= k <= len(gains):
        ax.axhline((gains[k - 1] + gains[k - 2]) / 2, color="#333333", lw=0.6, ls="--")
    ax.set_ylabel(label("figure.gain", lang))
    ax.set_title(f"{label('figure.tree', lang)} (k = {k})")
    fig.tight_layout()
    return fig


def gains_figure(model: Typology, lang: str = "en", shown: int = 15) -> Figure:
    """Bars of the inertia gained going from k to k + 1 clusters; the chosen k is marked."""
    plt = _pyplot()
    gains = model.hcpc_.inertia_gain_.head(shown)
    k = model.hcpc_.n_clusters_
    colours = ["#0072B2" if i < k else "#BBBBBB" for i in gains.index]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.bar([str(i) for i in gains.index], gains.values, color=colours)
    ax.set_xlabel(label("figure.k", lang))
    ax.set_ylabel(label("figure.gain", lang))
    ax.set_title(f"{label('figure.gains', lang)} ({label('figure.chosen', lang)} = {k})")
    fig.tight_layout()
    return fig


def cluster_figures(model: Typology, names: dict[str, str], path: Path | str,
                    lang: str = "en", roles: dict[str, str] | None = None,
                    extra: Any = None, cluster_labels: dict[int, str] | None = None
                    ) -> list[Path]:
    """Write the factor map to ``path`` and, beside it, ``<stem>_dendrogram`` and
    ``<stem>_gains`` with the same suffix."""
    target = Path(path)
    if target.suffix.lower() not in FIGURE_SUFFIXES:
        raise PtceError("unknown figure format", file=str(target),
                        value=target.suffix or "(none)", allowed=FIGURE_SUFFIXES)
    check_output(target)
    written = [save_figure(factor_map(model, names, lang, roles=roles, extra=extra,
                                      cluster_labels=cluster_labels), target)]
    stem = target.with_suffix("")
    written.append(save_figure(dendrogram_figure(model, names, lang),
                               f"{stem}_dendrogram{target.suffix}"))
    written.append(save_figure(gains_figure(model, lang), f"{stem}_gains{target.suffix}"))
    return written


def gap_heatmap(result: dict, ref: Referentiel, names: dict[str, str], lang: str = "en"):
    """A heat map of the matrix: one colour per status."""
    import numpy as np

    plt = _pyplot()
    from matplotlib.colors import ListedColormap

    status = result["status"]
    codes = status.replace({s: i for i, s in enumerate(GAP_STATUSES)}).to_numpy(dtype=float)
    colours = ["#1b9e77", "#d95f02", "#dddddd", "#ffffff"]
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(status) + 2))
    ax.imshow(codes, cmap=ListedColormap(colours), vmin=-0.5, vmax=3.5, aspect="auto")
    labels = {o.id: o.label(lang) for o in ref.main_objectives}
    ax.set_xticks(np.arange(status.shape[1]), [labels[c] for c in status.columns],
                  rotation=35, ha="right")
    ax.set_yticks(np.arange(status.shape[0]),
                  [str(names.get(p, p)) for p in status.index])
    ax.set_xticks(np.arange(-0.5, status.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, status.shape[0]), minor=True)
    ax.grid(which="minor", color="#999999", lw=0.5)
    ax.tick_params(which="minor", length=0)
    from matplotlib.patches import Patch

    from ptce_typology.render.referentiel import status_labels

    short = status_labels(lang)
    ax.legend(handles=[Patch(facecolor=c, edgecolor="#999999", label=short[s])
                       for c, s in zip(colours, GAP_STATUSES, strict=True)],
              loc="upper center", bbox_to_anchor=(0.5, -0.35), ncol=4, frameon=False)
    ax.set_title(label("figure.gap", lang))
    fig.tight_layout()
    return fig
