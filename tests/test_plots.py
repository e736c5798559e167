"""Figures that read at many poles (render/plots.py): labels that do not overlap, named
leaves, an ordered co-clustering heat map, a gap figure without blank space."""

from __future__ import annotations

import numpy as np
import pytest

from ptce_typology.analysis.typology import Typology
from ptce_typology.frame import load_frame
from ptce_typology.render import plots


@pytest.fixture(scope="module")
def every_pole():
    frame = load_frame(["all"])
    return frame, Typology(seed=1).fit(frame)


def _boxes(figure):
    renderer = figure.canvas.get_renderer()
    return [t.get_window_extent(renderer) for t in figure.axes[0].texts]


def test_map_labels_of_every_pole_do_not_overlap_and_stay_inside(every_pole):
    frame, model = every_pole
    figure = plots.factor_map(model, frame["name"].to_dict(), "en",
                              roles=frame["role"].to_dict(), dims=(1, 3))
    figure.canvas.draw()
    boxes = _boxes(figure)
    assert len(boxes) > 40  # the témoins and every category
    overlaps = [(i, j) for i in range(len(boxes)) for j in range(i)
                if boxes[i].overlaps(boxes[j])]
    assert overlaps == []
    frame_box = figure.axes[0].get_window_extent()
    assert all(frame_box.x0 - 1 <= b.x0 and b.x1 <= frame_box.x1 + 1 for b in boxes)
    # The legend is outside the axes: below them.
    assert figure.legends[0].get_window_extent().y1 <= frame_box.y0


def test_the_greedy_spot_avoids_placed_labels_and_markers():
    from matplotlib.transforms import Bbox

    frame = Bbox([[0, 0], [500, 500]])
    placed = [(240.0, 240.0, 300.0, 260.0)]  # a label right of the anchor
    markers = np.array([[250.0, 230.0]])
    spot, radius = plots._free_spot(np.array([250.0, 250.0]), (40.0, 10.0), placed, markers,
                                    frame)
    box = (spot[0] - 21.5, spot[1] - 6, spot[0] + 21.5, spot[1] + 6)
    assert plots._overlaps(np.array([box]), placed, markers)[0] == 0 and radius > 0


def test_dendrogram_names_every_leaf_past_forty(every_pole):
    frame, model = every_pole
    figure = plots.dendrogram_figure(model, frame["name"].to_dict(), "en")
    ticks = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    assert len(model.labels_) > plots.LEAF_NAMES_MAX
    shown = {t.split(" (+")[0] for t in ticks}
    assert shown <= set(model.labels_.index)  # ids past 40 leaves
    assert len(ticks) == len(model.hcpc_.linkage_) + 1


def test_co_clustering_is_ordered_by_its_own_clustering():
    from ptce_typology.analysis.sensitivity import seriation

    rng = np.random.default_rng(0)
    groups = np.repeat([0, 1, 2], [5, 7, 4])
    rng.shuffle(groups)
    share = np.where(groups[:, None] == groups[None, :], 0.9, 0.1)
    order = seriation(share)
    assert sorted(order) == list(range(len(groups)))
    seen = [int(groups[i]) for i in order]
    # Each group is one run in the order: its members side by side.
    runs = [g for i, g in enumerate(seen) if i == 0 or seen[i - 1] != g]
    assert len(runs) == 3
    poles = [f"p{i}" for i in range(len(groups))]
    result = {"co_clustering": {p: {q: float(share[i, j]) for j, q in enumerate(poles)}
                                for i, p in enumerate(poles)},
              "co_clustering_order": [poles[i] for i in order]}
    figure = plots.co_clustering_figure(result, {}, "en")
    image = figure.axes[0].images[0].get_array()
    assert np.array_equal(np.asarray(image), share[np.ix_(order, order)])


def test_gap_figure_has_no_blank_space(every_pole):
    from ptce_typology.analysis.referentiel import gap_matrix
    from ptce_typology.intake.loading import assessments, read_cases
    from ptce_typology.intake.referentiel import load_referentiel
    from ptce_typology.resources import resolve_paths

    frame, _ = every_pole
    ref = load_referentiel()
    cases = read_cases(resolve_paths(["all"])).items
    result = gap_matrix(frame, ref, assessments(cases))
    figure = plots.gap_heatmap(result, ref, frame["name"].to_dict(), "en")
    figure.canvas.draw()
    rows = len(result["status"])
    height = figure.get_size_inches()[1]
    assert height < 0.2 * rows + 3  # was 0.45 per row, and a third of it blank
    axes = figure.axes[0].get_window_extent()
    legend = figure.legends[0].get_window_extent()
    # The legend sits just below the objectives' names, not an axes-height away.
    assert axes.y0 - legend.y1 < 0.2 * figure.bbox.height
