"""Figures for papers: the factor map, the dendrogram and the inertia-gain bars.

Figures are deterministic (fixed SVG hash salt, no dates in the metadata) and written
atomically; the format follows the file suffix (.png, .svg, .pdf).
"""

from __future__ import annotations

import functools
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
        # The font cache is then built on every run; on a busy machine matplotlib says so
        # (« building the font cache ») after 5 s: that notice is not the user's business.
        import logging

        logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)


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

def _matplotlib():
    """matplotlib, set for the toolkit's figures: a fixed SVG hash salt, 8 pt texts, and every
    text drawn as written. A pole named "Money $5 and $10" or "Math $\\foo{x}$" is a name, not
    mathtext (which draws it wrong or fails): the one place for every figure; a text that
    wants mathtext passes parse_math=True."""
    _writable_config()
    import matplotlib

    matplotlib.rcParams["svg.hashsalt"] = "ptce-typology"
    matplotlib.rcParams["font.size"] = 8
    matplotlib.rcParams["text.parse_math"] = False
    return matplotlib


def _figure(figsize: tuple[float, float], layout: str | None = None) -> tuple[Figure, Any]:
    """A new figure and its axes, made without pyplot (no global list of figures to close,
    none shown twice in a notebook, no backend to choose or import), on the Agg canvas, which
    measures texts as pyplot's figures do."""
    _matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout=layout)
    FigureCanvasAgg(fig)
    return fig, fig.subplots()


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
    return target


# Other (non-témoin) poles named on the factor map at most; more are drawn unnamed.
NAMED_OTHERS_MAX = 20


def factor_map(model: Typology, names: dict[str, str], lang: str = "en",
               dims: tuple[int, int] = (1, 2), roles: dict[str, str] | None = None,
               extra: Any = None, cluster_labels: dict[int, str] | None = None,
               label_poles: Any = None) -> Figure:
    """Poles coloured by cluster (témoins as discs, other reference poles as diamonds),
    active categories (grey triangles), passive categories (hollow triangles, marked),
    supplementary categories (red squares, marked) and, in ``extra`` (a DataFrame of
    coordinates indexed by pole_id), classified poles as supplementary points (black stars);
    labels pushed apart so that they do not overlap, the legend below the plot.

    ``dims``: the two MCA dimensions crossed. The témoins are named, and the poles of
    ``label_poles`` (ids); the other poles too when they are few (NAMED_OTHERS_MAX) and
    ``label_poles`` is not given; the legend counts the unnamed ones."""
    a, b = (f"Dim {d}" for d in dims)
    axes = list(model.coordinates_.columns)
    if a not in axes or b not in axes:  # active descriptors with too few categories
        from ptce_typology.render.errors import labelled_error

        raise labelled_error("map_axes", n=len(axes), first=dims[0], second=dims[1])
    named = _named_poles(model, roles or {}, label_poles)
    cluster_labels = cluster_labels or {}
    fig, ax = _figure(_map_size(model, named), layout="constrained")
    ax.axhline(0, color="#cccccc", lw=0.6, zorder=0)
    ax.axvline(0, color="#cccccc", lw=0.6, zorder=0)
    labels = _draw_poles(ax, model, names, lang, (roles or {}, named), cluster_labels, (a, b))
    categories = _draw_categories(ax, model, lang, (a, b))
    if extra is not None and len(extra):
        placed = extra.dropna()
        ax.scatter(placed[a], placed[b], marker="*", s=90, color="#111111", zorder=4,
                   label=label("figure.classified", lang))
        for pole in placed.index:
            labels.append(ax.text(placed.at[pole, a], placed.at[pole, b],
                                  str(names.get(pole, pole)), color="#111111",
                                  fontsize=8, style="italic"))
    _axis_titles(ax, model, dims, lang)
    _title(ax, label("figure.map", lang))
    _legend_outside(fig, ax)
    ax.margins(x=0.22, y=0.08)  # room for the labels of the outermost points
    place_labels(fig, ax, labels + categories)  # the poles' names take the nearest spots
    return fig


# Label placement: each label, in the order given (poles before categories), takes the first
# free spot on rings of growing radius around its point, so that no two labels overlap and no
# label covers a point; one far from its point gets a leader line. Greedy, deterministic.
LABEL_RADII = (3, 8, 14, 22, 32, 45, 60, 80, 105, 135, 170, 210, 260)  # display pixels
LABEL_DIRECTIONS = 16


def place_labels(fig: Figure, ax: Any, labels: list) -> None:
    """Move each text of ``labels`` (anchored at its point, in data coordinates) to the first
    spot near its point that overlaps no placed label, no marker of ``ax`` and stays inside
    the axes; past a few pixels away, a grey line joins it to its point."""
    import numpy as np

    # The layout settles the axes before labels are placed (nothing needs drawing for that),
    # without them: they end inside the axes, where they start does not need room.
    for text in labels:
        text.set_in_layout(False)
    fig.get_layout_engine().execute(fig)
    renderer = fig.canvas.get_renderer()
    to_display = ax.transData.transform
    frame = ax.get_window_extent(renderer)
    markers = np.concatenate([to_display(c.get_offsets()) for c in ax.collections
                              if len(c.get_offsets())] or [np.empty((0, 2))])
    placed: list[tuple[float, float, float, float]] = []
    for text in labels:
        anchor = to_display(np.array([text.get_position()], dtype=float))[0]
        box = text.get_window_extent(renderer)
        spot, distance = _free_spot(anchor, (box.width, box.height), placed, markers, frame)
        text.set_position(ax.transData.inverted().transform(spot))
        text.set_horizontalalignment("center")
        text.set_verticalalignment("center")
        w, h = box.width / 2, box.height / 2
        placed.append((spot[0] - w, spot[1] - h, spot[0] + w, spot[1] + h))
        if not distance:  # no room inside the axes: the layout and the crop make it room
            text.set_in_layout(True)
        if distance > 14:
            edge = _nearest_edge(anchor, placed[-1])
            ax.plot(*ax.transData.inverted().transform([anchor, edge]).T, color="#aaaaaa",
                    lw=0.5, zorder=1)


def _free_spot(anchor: Any, size: tuple[float, float], placed: list, markers: Any,
               frame: Any) -> tuple[Any, float]:
    """The centre of the first free box of ``size`` around ``anchor`` (display pixels), in the
    order of the rings (LABEL_RADII) and of the directions on each, and its ring's radius;
    when none is free, the least crowded one (the first of them)."""
    import numpy as np

    w, h = size[0] / 2 + 1.5, size[1] / 2 + 1
    units, signs = _directions()
    radii = np.repeat(np.array(LABEL_RADII), LABEL_DIRECTIONS)[:, None]
    centres = anchor + np.tile(units, (len(LABEL_RADII), 1)) * radii \
        + np.tile(signs, (len(LABEL_RADII), 1)) * (w, h)
    boxes = np.column_stack([centres[:, 0] - w, centres[:, 1] - h,
                             centres[:, 0] + w, centres[:, 1] + h])
    inside = np.flatnonzero(~((boxes[:, 0] < frame.x0) | (boxes[:, 2] > frame.x1)
                              | (boxes[:, 1] < frame.y0) | (boxes[:, 3] > frame.y1)))
    if not len(inside):
        return anchor, 0.0
    costs = _overlaps(boxes[inside], placed, markers)
    free = np.flatnonzero(costs == 0)
    best = inside[free[0] if len(free) else int(np.argmin(costs))]
    return centres[best], LABEL_RADII[best // LABEL_DIRECTIONS]


@functools.cache
def _directions() -> tuple[Any, Any]:
    """The unit vector of each of the LABEL_DIRECTIONS directions, and the side (-1, 0, 1 on
    each axis) towards which a box centred off that direction leans."""
    import numpy as np

    units = [np.array([np.cos(a), np.sin(a)])
             for a in (2 * np.pi * k / LABEL_DIRECTIONS for k in range(LABEL_DIRECTIONS))]
    return np.array(units), np.array([np.sign(np.round(u, 6)) for u in units])


def _overlaps(boxes: Any, placed: list, markers: Any) -> Any:
    """How much each of ``boxes`` (rows x0, y0, x1, y1) covers placed labels (their shared
    area, added label after label) and markers (a large cost per marker under it, 4-pixel
    discs taken as squares)."""
    import numpy as np

    x0, y0, x1, y1 = boxes.T
    area = np.zeros(len(boxes))
    for b in placed:
        area = area + (np.maximum(0.0, np.minimum(x1, b[2]) - np.maximum(x0, b[0]))
                       * np.maximum(0.0, np.minimum(y1, b[3]) - np.maximum(y0, b[1])))
    if len(markers):
        mx, my = markers[:, 0], markers[:, 1]
        under = ((mx > x0[:, None] - 4) & (mx < x1[:, None] + 4)
                 & (my > y0[:, None] - 4) & (my < y1[:, None] + 4))
        area = area + 400.0 * under.sum(axis=1)
    return area


def _nearest_edge(point: Any, box: tuple) -> Any:
    """The point of ``box`` nearest to ``point`` (where a leader line ends)."""
    import numpy as np

    return np.array([min(max(point[0], box[0]), box[2]), min(max(point[1], box[1]), box[3])])


def _map_size(model: Typology, named: set[str]) -> tuple[float, float]:
    """The factor map's size in inches: 8 × 7.5 up to 30 labels, then larger with their
    number (up to 13 × 12), so that the labels have room to stand apart."""
    sup = model.mca_.supplementary_coordinates_
    n = len(named) + len(model.mca_.column_coordinates_) + (0 if sup is None else len(sup))
    grow = min(max(n - 30, 0) / 30, 1.0)
    return 8 + 5 * grow, 7.5 + 4.5 * grow


def _named_poles(model: Typology, roles: dict[str, str], label_poles: Any) -> set[str]:
    """The poles the factor map names: the témoins, the ids of ``label_poles`` (each a pole of
    the typology), and every pole when the others are few and ``label_poles`` is not given.
    Past a few dozen names the map is unreadable: other poles are then drawn but not named
    (the tables name them)."""
    poles = list(model.labels_.index)
    for pole in label_poles or ():
        if pole not in model.labels_.index:
            from ptce_typology.render.errors import labelled_error

            raise labelled_error("label_poles", field="label_poles", value=pole)
    n_others = sum(1 for p in poles if roles.get(p, "temoin") != "temoin")
    if label_poles is None and n_others <= NAMED_OTHERS_MAX:
        return set(poles)
    return {p for p in poles if roles.get(p, "temoin") == "temoin"} | set(label_poles or ())


def _draw_poles(ax: Any, model: Typology, names: dict[str, str], lang: str,
                roles_named: tuple[dict[str, str], set[str]], cluster_labels: dict[int, str],
                axes: tuple[str, str]) -> list:
    """The reference poles, coloured by cluster (témoins as discs, others as diamonds); the
    name labels of the ``named`` ones."""
    a, b = axes
    roles, named = roles_named
    labels = []
    coords = model.coordinates_
    others_drawn = False
    n_others = sum(1 for p in model.labels_.index if roles.get(p, "temoin") != "temoin")
    unnamed = sum(1 for p in model.labels_.index if p not in named)
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
        for pole in (p for p in members if p in named):
            labels.append(ax.text(coords.at[pole, a], coords.at[pole, b],
                                  str(names.get(pole, pole)), color=colour,
                                  fontsize=8, weight="bold"))
    if others_drawn:
        ax.scatter([], [], s=40, marker="D", facecolor="white", edgecolor="#555555",
                   label=label("figure.other_pole", lang) if not unnamed
                   else label("figure.other_pole_unnamed", lang, n=unnamed, total=n_others))
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


# The co-clustering heat map names its poles up to this many (ids past LEAF_NAMES_MAX);
# past it, the matrix is drawn whole, ordered, without names (the table names them).
CO_CLUSTERING_NAMED_MAX = 120


def co_clustering_figure(result: dict, names: dict[str, str], lang: str = "en") -> Figure:
    """The co-clustering matrix of the sensitivity analysis as a heat map (share of
    completions that put two poles together), its rows and columns in the order of its own
    clustering (``co_clustering_order``, from the analysis), so that the groups the unknowns
    leave standing show as blocks on the diagonal. Up to 25 poles the cells carry
    their share; up to CO_CLUSTERING_NAMED_MAX the poles are named (by id past 40)."""
    import numpy as np

    poles = result.get("co_clustering_order") or list(result["co_clustering"])
    n = len(poles)
    matrix = np.array([[result["co_clustering"][p][q] for q in poles] for p in poles])
    side = min(max(5.0, 0.16 * n + 2.5), 14.0) if n <= CO_CLUSTERING_NAMED_MAX else 10.0
    fig, ax = _figure((side + 1.2, side), layout="constrained")
    image = ax.imshow(matrix, cmap="Blues", vmin=0, vmax=1, interpolation="nearest")
    if n <= CO_CLUSTERING_NAMED_MAX:
        shown = [str(p) if n > LEAF_NAMES_MAX else str(names.get(p, p)) for p in poles]
        font = 7.0 if n <= LEAF_NAMES_MAX else max(3.5, 7.0 * LEAF_NAMES_MAX / n)
        ax.set_xticks(range(n), shown, rotation=90, fontsize=font)
        ax.set_yticks(range(n), shown, fontsize=font)
    else:
        ax.set_xticks([])
        ax.set_yticks([])
    if n <= 25:
        for i in range(n):
            for j in range(n):
                # Inside its cell: the layout and the crop need not measure it.
                ax.text(j, i, format_number(float(matrix[i, j]), lang, 2),
                        ha="center", va="center", fontsize=5.5, in_layout=False,
                        color="white" if matrix[i, j] > 0.6 else "#222222")
    _no_axis_labels(ax)
    fig.colorbar(image, ax=ax, fraction=0.04)
    _title(ax, label("figure.co_clustering", lang), fontsize=8)
    return fig


def dendrogram_figure(model: Typology, names: dict[str, str], lang: str = "en") -> Figure:
    """The Ward tree on the inertia-gain scale, leaves and branches coloured by final cluster.

    After consolidation a cluster may not be a branch of the tree; such leaves keep their
    final cluster's colour and the branches joining different clusters are grey.
    """
    import numpy as np
    from scipy.cluster.hierarchy import dendrogram

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

    names_of_leaves, font = _leaf_names(hcpc, names, m)
    fig, ax = _figure((max(8.0, 0.13 * m), 4.5 + 0.02 * min(m, 150)))
    tree = dendrogram(Z, labels=names_of_leaves, leaf_rotation=90, leaf_font_size=font,
                      link_color_func=colour, ax=ax)
    for tick, index in zip(ax.get_xticklabels(), tree["leaves"], strict=True):
        final = next(iter(members[index]))
        tick.set_color(PALETTE[(final - 1) % len(PALETTE)])
    k = hcpc.n_clusters_
    gains = np.sort(Z[:, 2])[::-1]
    if 2 <= k <= len(gains):
        ax.axhline((gains[k - 1] + gains[k - 2]) / 2, color="#333333", lw=0.6, ls="--")
    ax.set_ylabel(label("figure.gain", lang))
    _no_axis_labels(ax, "x")
    _title(ax, f"{label('figure.tree', lang)} (k = {k})")
    fig.tight_layout()
    return fig


# Leaves named by the poles' names up to this many leaves, by their ids past it (shorter).
LEAF_NAMES_MAX = 40


def _leaf_names(hcpc: Any, names: dict[str, str], m: int) -> tuple[list[str], float]:
    """The label of each leaf of the tree (poles with identical profiles share a leaf: the
    first one, « +k » for the others) and the font size that lets ``m`` leaves read."""
    held: dict[int, list[str]] = {i: [] for i in range(m)}
    for pole, leaf in zip(hcpc.order_, hcpc.leaf_members_, strict=True):
        held[int(leaf)].append(str(pole))
    short = m > LEAF_NAMES_MAX
    shown = []
    for i in range(m):
        first = held[i][0] if short else str(names.get(held[i][0], held[i][0]))
        shown.append(first + (f" (+{len(held[i]) - 1})" if len(held[i]) > 1 else ""))
    return shown, 8.0 if not short else max(5.0, 8.0 * LEAF_NAMES_MAX / m)


def gains_figure(model: Typology, lang: str = "en", shown: int = 15) -> Figure:
    """Bars of the inertia gained going from k to k + 1 clusters; the chosen k is marked."""
    gains = model.hcpc_.inertia_gain_.head(shown)
    k = model.hcpc_.n_clusters_
    colours = ["#0072B2" if i < k else "#BBBBBB" for i in gains.index]
    fig, ax = _figure((6, 3.5))
    ax.bar([str(i) for i in gains.index], gains.values, color=colours)
    ax.set_xlabel(label("figure.k", lang))
    ax.set_ylabel(label("figure.gain", lang))
    _title(ax, f"{label('figure.gains', lang)} ({label('figure.chosen', lang)} = {k})")
    fig.tight_layout()
    return fig


def cluster_figures(model: Typology, names: dict[str, str], path: Path | str,
                    lang: str = "en", roles: dict[str, str] | None = None,
                    extra: Any = None, cluster_labels: dict[int, str] | None = None,
                    dims: tuple[int, int] = (1, 2), label_poles: Any = None,
                    clouds: Any = None) -> list[Path]:
    """Write the factor map (of ``dims``) to ``path`` and, beside it, ``<stem>_dendrogram``,
    ``<stem>_gains`` and, with ``clouds``, ``<stem>_ellipses``, with the same suffix."""
    target = Path(path)
    if target.suffix.lower() not in FIGURE_SUFFIXES:
        raise PtceError("unknown figure format", file=str(target),
                        value=target.suffix or "(none)", allowed=FIGURE_SUFFIXES)
    check_output(target)
    written = [save_figure(factor_map(model, names, lang, dims=dims, roles=roles, extra=extra,
                                      cluster_labels=cluster_labels,
                                      label_poles=label_poles), target)]
    stem = target.with_suffix("")
    written.append(save_figure(dendrogram_figure(model, names, lang),
                               f"{stem}_dendrogram{target.suffix}"))
    written.append(save_figure(gains_figure(model, lang), f"{stem}_gains{target.suffix}"))
    if clouds is not None:
        written.append(save_figure(ellipses_figure(model, clouds, lang),
                                   f"{stem}_ellipses{target.suffix}"))
    return written


def gap_heatmap(result: dict, ref: Referentiel, names: dict[str, str], lang: str = "en"):
    """A heat map of the matrix: one colour per status."""
    import numpy as np

    _matplotlib()  # before matplotlib's first import: its configuration folder
    from matplotlib.colors import ListedColormap

    status = result["status"]
    codes = status.replace({s: i for i, s in enumerate(GAP_STATUSES)}).to_numpy(dtype=float)
    colours = ["#1b9e77", "#d95f02", "#dddddd", "#ffffff"]
    # Rows of 0.2 in (the names at 7 pt) past a dozen poles; the legend below the objectives'
    # names, placed by the layout (an offset in axes fractions grew with the height and left
    # a third of a tall figure blank).
    fig, ax = _figure((9, (0.45 if len(status) <= 12 else 0.2) * len(status) + 2.6),
                           layout="constrained")
    ax.imshow(codes, cmap=ListedColormap(colours), vmin=-0.5, vmax=3.5, aspect="auto")
    labels = {o.id: o.label(lang) for o in ref.main_objectives}
    ax.set_xticks(np.arange(status.shape[1]), [labels[c] for c in status.columns],
                  rotation=35, ha="right")
    ax.set_yticks(np.arange(status.shape[0]),
                  [str(names.get(p, p)) for p in status.index],
                  fontsize=8 if len(status) <= 12 else 7)
    # The cells' borders: two collections of lines (as the grid of minor ticks drew them,
    # over the image) instead of a tick, its lines and labels per row and column.
    rows, columns = status.shape
    ax.hlines(np.arange(-0.5, rows), -0.5, columns - 0.5, color="#999999", lw=0.5, zorder=1.5)
    ax.vlines(np.arange(-0.5, columns), -0.5, rows - 0.5, color="#999999", lw=0.5, zorder=1.5)
    _no_axis_labels(ax)
    from matplotlib.patches import Patch

    from ptce_typology.render.referentiel import status_labels

    short = status_labels(lang)
    fig.legend(handles=[Patch(facecolor=c, edgecolor="#999999", label=short[s])
                        for c, s in zip(colours, GAP_STATUSES, strict=True)],
               loc="outside lower center", ncol=4, frameon=False)
    _title(ax, label("figure.gap", lang))
    return fig


# The cloud of poles with the mean points and concentration ellipses of a descriptor's
# categories (analysis.clouds.CategoryClouds), as GDAtools' ggadd_kellipses draws them.

def ellipses_figure(model: Typology, clouds: Any, lang: str = "en") -> Figure:
    """The fitted poles (small points, coloured by their category of ``clouds.descriptor``),
    each category's concentration ellipse with its principal axes (dashed) and its mean point
    (a large marker, named); the legend, outside the data, gives each category's size."""
    import numpy as np

    from ptce_typology.render.clouds import category_name, figure_title

    _matplotlib()  # before matplotlib's first import: its configuration folder
    from matplotlib.patches import Ellipse

    a, b = (f"Dim {d}" for d in clouds.axes)
    fig, ax = _figure((7.5, 6.5), layout="constrained")
    ax.axhline(0, color="#cccccc", lw=0.6, zorder=0)
    ax.axvline(0, color="#cccccc", lw=0.6, zorder=0)
    points = clouds.points
    for i, (category, row) in enumerate(clouds.ellipses.iterrows()):
        colour = PALETTE[i % len(PALETTE)]
        mine = points[points["category"] == category]
        name = category_name(clouds, category, lang)
        ax.scatter(mine[a], mine[b], s=20, color=colour, alpha=0.8, lw=0, zorder=2)
        if row["half_major"] > 0:
            ax.add_patch(Ellipse((row["x"], row["y"]), 2 * row["half_major"],
                                 2 * row["half_minor"], angle=float(np.degrees(row["angle"])),
                                 fill=False, color=colour, lw=1.3, zorder=3))
            for half, turn in ((row["half_major"], 0.0), (row["half_minor"], np.pi / 2)):
                dx, dy = half * np.cos(row["angle"] + turn), half * np.sin(row["angle"] + turn)
                ax.plot([row["x"] - dx, row["x"] + dx], [row["y"] - dy, row["y"] + dy],
                        color=colour, lw=0.6, ls="--", alpha=0.6, zorder=3)
        ax.scatter([row["x"]], [row["y"]], s=90, marker="D", color=colour, edgecolor="#111111",
                   lw=0.8, zorder=5, label=f"{name} (n = {int(row['n'])})")
        ax.annotate(name, (row["x"], row["y"]), xytext=(6, 6), textcoords="offset points",
                    color=colour, fontsize=8, weight="bold", zorder=6)
    _axis_titles(ax, model, clouds.axes, lang)
    import textwrap

    _title(ax, "\n".join(textwrap.wrap(figure_title(clouds, lang), 80)), fontsize=9)
    ax.set_aspect("equal", adjustable="datalim")
    _legend_outside(fig, ax)
    return fig


def _title(ax: Any, text: str, **style: Any) -> None:
    """The axes' title, at its top (where matplotlib would put it: every figure here has its
    ticks below): given, its place is not searched again at each layout pass and drawing,
    which measured every tick label of the y axis each time."""
    ax.set_title(text, y=1.0, **style)


def _no_axis_labels(ax: Any, which: str = "xy") -> None:
    """Axes whose tick labels say it all: their empty axis labels stay put, instead of being
    moved past every tick label at each layout pass and drawing."""
    if "x" in which:
        ax.xaxis.set_label_coords(0.5, 0.0)
    if "y" in which:
        ax.yaxis.set_label_coords(0.0, 0.5)


def _axis_titles(ax: Any, model: Typology, dims: tuple[int, int], lang: str) -> None:
    """« Dimension 1 (31.2 %) » on each axis."""
    eig = model.mca_.eigenvalues_
    dim = label("figure.dim", lang)
    ax.set_xlabel(f"{dim} {dims[0]} ({eig.at[f'Dim {dims[0]}', 'percentage']:.1f} %)")
    ax.set_ylabel(f"{dim} {dims[1]} ({eig.at[f'Dim {dims[1]}', 'percentage']:.1f} %)")


def _legend_outside(fig: Figure, ax: Any, fontsize: float = 7, ncol: int = 2) -> None:
    """The legend below the axes and their titles (a figure with the constrained layout),
    never over the data."""
    handles, texts = ax.get_legend_handles_labels()
    if handles:
        fig.legend(handles, texts, loc="outside lower center", ncol=ncol, fontsize=fontsize,
                   frameon=False)
